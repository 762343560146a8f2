package io.kmemlab.mm.trace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code trace_options} of tracefs: every option a 6.18 kernel lists, in its order and with
 * its default (the file of a live 6.18.44 kernel, nop tracer), each on or off. Writing a name sets
 * it, {@code no}{@code name} clears it; an unknown name is {@code EINVAL}. The {@code options/NAME}
 * files show and set each one as 0 or 1.
 *
 * <p>The options that change kmem event text are honoured by {@link TraceText}: {@code
 * context-info}, {@code irq-info}, {@code record-tgid}, {@code latency-format}, {@code raw}, {@code
 * hex}, {@code hash-ptr}; {@code overwrite} is honoured by the ring buffers. The others are kept
 * and listed (they govern tracers and events kmemlab does not have: function tracing, stack
 * traces, trace_printk, markers, {@code sym-offset}/{@code sym-addr}/{@code print-parent} for
 * function ips) and change nothing here.
 */
public final class TraceOptions {
    public static final String CONTEXT_INFO = "context-info";
    public static final String IRQ_INFO = "irq-info";
    public static final String RECORD_TGID = "record-tgid";
    public static final String LATENCY_FORMAT = "latency-format";
    public static final String RAW = "raw";
    public static final String HEX = "hex";
    public static final String BIN = "bin";
    public static final String HASH_PTR = "hash-ptr";
    public static final String OVERWRITE = "overwrite";

    /** 6.18.44's trace_options with the nop tracer, in order: name and default. */
    private static final Object[][] DEFAULTS = {
        {"print-parent", true},
        {"sym-offset", false},
        {"sym-addr", false},
        {"verbose", false},
        {RAW, false},
        {HEX, false},
        {BIN, false},
        {"block", false},
        {"fields", false},
        {"trace_printk", true},
        {"annotate", true},
        {"userstacktrace", false},
        {"sym-userobj", false},
        {"printk-msg-only", false},
        {CONTEXT_INFO, true},
        {LATENCY_FORMAT, false},
        {"record-cmd", true},
        {RECORD_TGID, false},
        {OVERWRITE, true},
        {"disable_on_free", false},
        {IRQ_INFO, true},
        {"markers", true},
        {"event-fork", false},
        {"trace_printk_dest", true},
        {"copy_trace_marker", true},
        {"pause-on-trace", false},
        {HASH_PTR, true},
        {"function-trace", true},
        {"function-fork", false},
        {"stacktrace", false},
        {"test_nop_accept", false},
        {"test_nop_refuse", false},
    };

    private final Map<String, Boolean> flags = new LinkedHashMap<>();
    /** Cached copies of the flags {@link TraceText} reads per line. */
    private boolean contextInfo;

    private boolean irqInfo;
    private boolean recordTgid;
    private boolean latencyFormat;
    private boolean raw;
    private boolean hex;
    private boolean hashPtr;
    private boolean overwrite;

    public TraceOptions() {
        for (Object[] d : DEFAULTS) {
            flags.put((String) d[0], (Boolean) d[1]);
        }
        cache();
    }

    /** Whether option {@code name} is set (false for an unknown name). */
    public boolean on(String name) {
        return Boolean.TRUE.equals(flags.get(name));
    }

    /**
     * Applies one word of a write to {@code trace_options}: {@code name} or {@code noname}.
     *
     * @return null, or {@code EINVAL} for a name the kernel does not have
     */
    public String set(String word) {
        String w = word.trim();
        boolean value = true;
        String name = w;
        if (!flags.containsKey(name) && w.startsWith("no")) {
            name = w.substring(2);
            value = false;
        }
        if (!flags.containsKey(name)) {
            return "EINVAL";
        }
        flags.put(name, value);
        cache();
        return null;
    }

    /** Every option's name, in the file's order (the {@code options/} directory lists them). */
    public java.util.List<String> names() {
        return java.util.List.copyOf(flags.keySet());
    }

    /** The file's text: each option a line, {@code no} before the name when it is off. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        flags.forEach((k, v) -> sb.append(v ? "" : "no").append(k).append('\n'));
        return sb.toString();
    }

    private void cache() {
        contextInfo = on(CONTEXT_INFO);
        irqInfo = on(IRQ_INFO);
        recordTgid = on(RECORD_TGID);
        latencyFormat = on(LATENCY_FORMAT);
        raw = on(RAW);
        hex = on(HEX);
        hashPtr = on(HASH_PTR);
        overwrite = on(OVERWRITE);
    }

    public boolean contextInfo() {
        return contextInfo;
    }

    public boolean irqInfo() {
        return irqInfo;
    }

    public boolean recordTgid() {
        return recordTgid;
    }

    public boolean latencyFormat() {
        return latencyFormat;
    }

    public boolean raw() {
        return raw;
    }

    public boolean hex() {
        return hex;
    }

    public boolean hashPtr() {
        return hashPtr;
    }

    public boolean overwrite() {
        return overwrite;
    }
}
