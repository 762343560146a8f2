package io.kmemlab.mm.trace;

import io.kmemlab.mm.Gfp;

/**
 * The fields the kmem events print, each once: its key as TP_printk prints it before {@code =}, and
 * how its value prints. {@link EventType} lists each event's fields in print order; the line writer
 * ({@link KmemEvent#appendFields}) and the line parser's key table are both built from these, so a
 * field added here and to an event's list is written and read alike.
 *
 * <p>The fields of the events the parser reads come first: the parser gives each a bit of an
 * {@code int} by its ordinal (there is room for 32).
 */
public enum TraceField {
    CALL_SITE("call_site", Format.SYMBOL),
    PTR("ptr", Format.POINTER),
    BYTES_REQ("bytes_req", Format.UNSIGNED),
    BYTES_ALLOC("bytes_alloc", Format.UNSIGNED),
    GFP_FLAGS("gfp_flags", Format.GFP),
    NODE("node", Format.DECIMAL),
    ACCOUNTED("accounted", Format.TRUE_FALSE),
    NAME("name", Format.STRING),
    PAGE("page", Format.PAGE),
    PFN("pfn", Format.HEX),
    ORDER("order", Format.DECIMAL),
    MIGRATETYPE("migratetype", Format.DECIMAL),
    PERCPU_REFILL("percpu_refill", Format.ZERO_ONE),
    ALLOC_ORDER("alloc_order", Format.DECIMAL),
    FALLBACK_ORDER("fallback_order", Format.DECIMAL),
    ALLOC_MIGRATETYPE("alloc_migratetype", Format.DECIMAL),
    FALLBACK_MIGRATETYPE("fallback_migratetype", Format.DECIMAL),
    CHANGE_OWNERSHIP("change_ownership", Format.ZERO_ONE),
    PAGEBLOCK_ORDER("pageblock_order", Format.DECIMAL),
    FRAGMENTING("fragmenting", Format.ZERO_ONE),
    // The watermark events print words before some keys ("zone name=", "watermark min="): the
    // words are part of the key here, so the text is exact.
    NODE_ID("node_id", Format.DECIMAL),
    ZONE_NAME("zone name", Format.STRING),
    UPPER_ZONE_NAME("upper_zone name", Format.STRING),
    WATERMARK_MIN("watermark min", Format.DECIMAL),
    LOW("low", Format.DECIMAL),
    HIGH("high", Format.DECIMAL),
    PROMO("promo", Format.DECIMAL),
    LOWMEM_RESERVE_PAGES("lowmem_reserve_pages", Format.DECIMAL),
    TOTALRESERVE_PAGES("totalreserve_pages", Format.DECIMAL),
    // rss_stat (not read back by a replay).
    MM_ID("mm_id", Format.DECIMAL),
    CURR("curr", Format.DECIMAL),
    TYPE("type", Format.STRING),
    SIZE("size", Format.BYTES);

    /** How a value prints: the TP_printk conversion of the field. */
    public enum Format {
        /** {@code %pS} of a call-site address ({@code sym+0xoff/0xsize}). */
        SYMBOL,
        /** {@code %p}: 16 hex digits, hashed or raw as the {@link TraceFormat} says. */
        POINTER,
        /** {@code page=%p} of a pfn: its struct page address, NULL for a pfn below 0. */
        PAGE,
        /** {@code 0x%lx}. */
        HEX,
        /** {@code %zu}. */
        UNSIGNED,
        /** {@code %d}, {@code %ld}, {@code %lu}. */
        DECIMAL,
        /** {@code show_gfp_flags}. */
        GFP,
        /** {@code %s} of a bool: {@code true} or {@code false}. */
        TRUE_FALSE,
        /** {@code %d} of a bool: {@code 1} or {@code 0}. */
        ZERO_ONE,
        /** {@code %s} of a string. */
        STRING,
        /** {@code %ldB}: a byte count followed by {@code B}. */
        BYTES
    }

    /** Number of fields: the length of the arrays {@link KmemEvent#values} fills. */
    public static final int COUNT = values().length;

    private final String key;
    private final Format format;

    TraceField(String key, Format format) {
        this.key = key;
        this.format = format;
    }

    /** The text before {@code =}. */
    public String key() {
        return key;
    }

    public Format format() {
        return format;
    }

    /** Appends the value as TP_printk prints it: {@code value}, or {@code text} for a string. */
    void appendValue(StringBuilder sb, long value, String text, TraceFormat fmt) {
        switch (format) {
            case SYMBOL -> fmt.appendSymbol(sb, value);
            case POINTER -> fmt.appendPointer(sb, value);
            case PAGE -> fmt.appendPointer(sb, value < 0 ? 0 : KmemEvent.structPage(value));
            case HEX -> appendHex(sb, value);
            case UNSIGNED -> {
                if (value >= 0) {
                    sb.append(value);
                } else {
                    sb.append(Long.toUnsignedString(value));
                }
            }
            case DECIMAL -> sb.append(value);
            case GFP -> Gfp.appendFormatted(sb, (int) value);
            case TRUE_FALSE -> sb.append(value != 0 ? "true" : "false");
            case ZERO_ONE -> sb.append(value != 0 ? 1 : 0);
            case STRING -> sb.append(text);
            case BYTES -> sb.append(value).append('B');
        }
    }

    /** {@code 0x%lx} without a String per value. */
    private static void appendHex(StringBuilder sb, long value) {
        sb.append("0x");
        int digits = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 3) / 4);
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            sb.append(Character.forDigit((int) (value >>> shift) & 0xf, 16));
        }
    }
}
