package io.kmemlab.mm.trace.read;

import io.kmemlab.mm.trace.CacheDefinition;
import java.nio.charset.StandardCharsets;

/**
 * Reads kmemlab's {@code # kmemlab cache: key=value …} comment lines ({@link CacheDefinition})
 * into a {@link TraceLine} of kind {@link TraceLine.Kind#CACHE_DEFINITION}. Once per cache, so it
 * may allocate (the name, the record); event lines never come here.
 *
 * <p>A line that starts with the prefix but cannot be read is {@link TraceLine.Kind#MALFORMED}
 * (line number and reason, counted), not skipped like other comments: kmemlab wrote it for the
 * replay, and losing it silently would make the replay create that cache with a guessed shape and
 * drift from the recorded run without saying so. Every other {@code #} line stays a comment.
 * Keys may come in any order; unknown keys are ignored (a later kmemlab may add some), and
 * {@code name} and {@code size} are required.
 */
final class CacheCommentParser {
    private static final byte[] PREFIX = "# kmemlab cache:".getBytes(StandardCharsets.US_ASCII);

    private long num;

    private CacheCommentParser() {}

    /** True if {@code buf[from, to)} is a cache comment line (leading blanks allowed). */
    static boolean matches(byte[] buf, int from, int to) {
        int p = from;
        while (p < to && (buf[p] == ' ' || buf[p] == '\t')) {
            p++;
        }
        return to - p >= PREFIX.length && java.util.Arrays.equals(PREFIX, 0, PREFIX.length, buf, p, p + PREFIX.length);
    }

    /**
     * Parses a line for which {@link #matches} holds into {@code out}.
     *
     * @return {@code out.kind()}: CACHE_DEFINITION or MALFORMED
     */
    static TraceLine.Kind parse(byte[] buf, int from, int to, long lineNo, TraceLine out) {
        out.lineNo = lineNo;
        out.clearEvent();
        return new CacheCommentParser().parseWords(buf, from, to, out);
    }

    private TraceLine.Kind parseWords(byte[] buf, int from, int to, TraceLine out) {
        while (to > from && (buf[to - 1] == '\r' || buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
            to--;
        }
        if (FtraceLineParser.hasControlByte(buf, from, to)) {
            return malformed(out, "binary data in kmemlab cache comment");
        }
        int p = from;
        while (buf[p] != ':') {
            p++;
        }
        p++;
        String name = null;
        long size = -1;
        long align = 0;
        int flags = 0;
        boolean ctor = false;
        int useroffset = 0;
        int usersize = 0;
        int freeptrOffset = -1;
        int events = 0;
        int sheafCapacity = 0;
        while (true) {
            while (p < to && (buf[p] == ' ' || buf[p] == '\t')) {
                p++;
            }
            if (p >= to) {
                break;
            }
            int eq = p;
            while (eq < to && buf[eq] != '=' && buf[eq] != ' ' && buf[eq] != '\t') {
                eq++;
            }
            int end = eq;
            while (end < to && buf[end] != ' ' && buf[end] != '\t') {
                end++;
            }
            if (eq >= to || buf[eq] != '=' || eq == p || end == eq + 1) {
                return malformed(out, "kmemlab cache comment: word is not key=value");
            }
            String key = new String(buf, p, eq - p, StandardCharsets.US_ASCII);
            int v = eq + 1;
            switch (key) {
                case "name" -> name = new String(buf, v, end - v, StandardCharsets.UTF_8);
                case "size" -> {
                    if (!decimal(buf, v, end) || num < 1 || num > Integer.MAX_VALUE) {
                        return malformed(out, "kmemlab cache comment: size out of range");
                    }
                    size = num;
                }
                case "align" -> {
                    if (!decimal(buf, v, end) || num < 0 || num > Integer.MAX_VALUE) {
                        return malformed(out, "kmemlab cache comment: align out of range");
                    }
                    align = num;
                }
                case "flags" -> {
                    if (!hex32(buf, v, end)) {
                        return malformed(out, "kmemlab cache comment: flags is not a 32-bit 0x… value");
                    }
                    flags = (int) num;
                }
                case "ctor" -> {
                    if (end - v != 1 || (buf[v] != '0' && buf[v] != '1')) {
                        return malformed(out, "kmemlab cache comment: ctor is not 0 or 1");
                    }
                    ctor = buf[v] == '1';
                }
                case "sheaf_capacity" -> {
                    if (!decimal(buf, v, end) || num < 0 || num > Integer.MAX_VALUE) {
                        return malformed(out, "kmemlab cache comment: sheaf_capacity out of range");
                    }
                    sheafCapacity = (int) num;
                }
                case "useroffset", "usersize", "events" -> {
                    if (!decimal(buf, v, end) || num < 0 || num > Integer.MAX_VALUE) {
                        return malformed(out, "kmemlab cache comment: " + key + " out of range");
                    }
                    if (key.equals("useroffset")) {
                        useroffset = (int) num;
                    } else if (key.equals("usersize")) {
                        usersize = (int) num;
                    } else {
                        events = (int) num;
                    }
                }
                case "freeptr_offset" -> {
                    if (!decimal(buf, v, end) || num < -1 || num > Integer.MAX_VALUE) {
                        return malformed(out, "kmemlab cache comment: freeptr_offset out of range");
                    }
                    freeptrOffset = (int) num;
                }
                default -> {
                    // A key of a later kmemlab: ignored.
                }
            }
            p = end;
        }
        if (name == null) {
            return malformed(out, "kmemlab cache comment: missing name=");
        }
        if (size < 0) {
            return malformed(out, "kmemlab cache comment: missing size=");
        }
        out.setCacheDefinition(
                out.lineNo,
                new CacheDefinition(
                        name, size, align, flags, ctor, useroffset, usersize, freeptrOffset, events, sheafCapacity));
        return out.kind;
    }

    private static TraceLine.Kind malformed(TraceLine out, String reason) {
        out.malformed(reason.intern());
        return out.kind;
    }

    /** Signed decimal of at most 18 digits into {@link #num}. */
    private boolean decimal(byte[] buf, int from, int to) {
        long v = FtraceLineParser.signedDecimal(buf, from, to);
        if (v == FtraceLineParser.NOT_A_NUMBER) {
            return false;
        }
        num = v;
        return true;
    }

    /** {@code 0x} and 1 to 8 hex digits into {@link #num}. */
    private boolean hex32(byte[] buf, int from, int to) {
        if (to - from < 3 || to - from > 10 || buf[from] != '0' || (buf[from + 1] != 'x' && buf[from + 1] != 'X')) {
            return false;
        }
        long r = 0;
        for (int i = from + 2; i < to; i++) {
            int d = Character.digit(buf[i], 16);
            if (d < 0) {
                return false;
            }
            r = (r << 4) | d;
        }
        num = r;
        return true;
    }
}
