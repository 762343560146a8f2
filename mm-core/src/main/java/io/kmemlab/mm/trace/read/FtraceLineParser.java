package io.kmemlab.mm.trace.read;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.TraceField;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Parses one ftrace text line of a kmem event into a {@link TraceLine}, straight from the bytes:
 * no String per line, no split, no regex. Accepts what Linux 4.x to 6.18 print in
 * {@code /sys/kernel/tracing/trace} and {@code trace_pipe}, what {@code trace-cmd report} prints,
 * and {@code perf script}'s close cousin:
 *
 * <pre>
 *  comm-pid  [(tgid)]  [cpu]  [flags]  secs.frac: [kmem:]event: key=value key=value …
 *  └ trace_print_context: %16s-%-7d, optional (%7d), [%03d], 4 or 5 irq-info chars, %5lu.%06lu
 * </pre>
 *
 * Quirks handled (each pinned by a test):
 * <ul>
 *   <li>the comm is right-aligned and may itself contain {@code -}, spaces or digits: the pid is
 *       the digits after the last {@code -} (or space, as perf prints it) before the CPU field;
 *   <li>irq-info is 5 characters since 5.x ({@code .....}, {@code .N...}, {@code ...2.}), 4 before
 *       ({@code d..1}), or absent (irq-info off, trace-cmd without -l);
 *   <li>timestamps have 6 fractional digits (trace), 9 (trace-cmd {@code -t}), or none;
 *   <li>trace-cmd pads the event name ({@code kmalloc:              call_site=…});
 *   <li>{@code call_site} is {@code %pS} ({@code sym+0x1f/0x40}, maybe followed by
 *       {@code [module]}), or {@code %lx} hex in older kernels (with or without {@code 0x});
 *   <li>pointers are hashed ({@code 00000000} + 8 digits), raw, or {@code (null)} (old printk);
 *   <li>{@code node=}, {@code accounted=} and {@code name=} are missing in older kernels;
 *   <li>{@code pfn=} is hex ({@code 0x10e56b}, 5.x+) or decimal (4.x); a failed
 *       {@code mm_page_alloc} prints a NULL page and {@code pfn=0x0};
 *   <li>GFP names that no longer exist in 6.18 ({@code __GFP_COLD}, {@code __GFP_NOTRACK},
 *       {@code __GFP_WAIT}, …) are ignored, the rest of the mask is kept;
 *   <li>{@code latency-format} (tracefs, and trace-cmd report {@code -l}): no {@code [cpu]}, the
 *       CPU and irq-info flags in one word ({@code 0d..1.}), the time in microseconds since the
 *       first entry with a delay mark ({@code 2731487us+:}, {@code 38299us :});
 *   <li>{@code nocontext-info}: the line starts with the event name (comm {@code <...>}, CPU 0,
 *       time 0);
 *   <li>trace-cmd report: an instance buffer's {@code name: } before the comm, the kmem plugin's
 *       {@code (sym+0x3b)} before the fields, {@code -R}'s raw fields ({@code accounted=1},
 *       {@code gfp_flags=0xcc0}, a failed mm_page_alloc's {@code pfn=0xffffffffffffffff});
 *   <li>libtraceevent prints NULL as {@code (nil)} (perf script, trace-cmd report);
 *   <li>perf script's call-chain lines ({@code \tffffffff81655055 sym+0x215 (dso)}) are not events.
 * </ul>
 *
 * The {@code raw} and {@code hex} trace_options print no fields at all ({@code type: 656}):
 * {@link TraceInputFormat#fieldlessForm} names such a trace so that it is refused whole.
 *
 * Sizes are unsigned 64-bit ({@code %zu}); a minus sign or more than 64 bits is malformed, so
 * {@code bytes_req=18446744073709551615} parses (as -1L) and the replay decides what it means.
 *
 * <p>The keys it knows, the keys each event requires and the "missing key=" reasons come from the
 * event-class table ({@link io.kmemlab.mm.trace.EventType}, {@link TraceField}): a key's index here
 * is its field's ordinal there; what a key's value means to a replay is the switch of
 * {@code parseValue}.
 *
 * <p>Speed (about 5 M lines/s is the goal: a replay applies 5 to 15 M events/s). Three memos,
 * each a pure function of bytes already seen, so a line parses to exactly the same fields with
 * or without them: the <b>prefix memo</b> (a line starting with the very bytes up to the
 * timestamp of the last parsed prefix has that comm, pid and cpu: 96 % of a real capture's
 * lines), the <b>key order</b> of each event's last line (the next key is tried at its place
 * before the key is scanned for), and the <b>call-site cache</b> (whole {@code sym+0xoff/0xsize}
 * tokens to addresses). Scans for ' ', ':', '=' and control bytes, the memo compare, key compares
 * and 16-digit pointers go eight bytes per step (little-endian long loads, bithacks "has a zero
 * byte" tests).
 */
public final class FtraceLineParser {
    /** Largest order a kmem trace can print (MAX_PAGE_ORDER on x86-64). */
    public static final int MAX_ORDER = PageAllocator.MAX_PAGE_ORDER;

    private static final byte[][] OP_NAMES = new byte[TraceOp.COUNT][];
    /** Little-endian longs over a byte array (8 bytes per load, any index). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Value of each byte as a hex digit (either case), or -1. */
    private static final byte[] HEX = new byte[256];

    private static final TraceOp[] OPS = TraceOp.values();
    /** A byte in all eight lanes of a long, for {@link #indexOfByte}. */
    private static final long SPACES = 0x2020202020202020L;

    private static final long EQUALS = 0x3d3d3d3d3d3d3d3dL;
    private static final long COLONS = 0x3a3a3a3a3a3a3a3aL;
    /** 10^i, to scale a timestamp's fraction of fewer than 9 digits to nanoseconds. */
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    /** The tracepoint the replay applies whose name has this length (the lengths are distinct), or null. */
    private static final TraceOp[] OP_BY_LENGTH = new TraceOp[32];
    /** Longest line prefix (up to the timestamp) remembered by the prefix memo. */
    private static final int MEMO_MAX = 120;

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = 0; c < 10; c++) {
            HEX['0' + c] = (byte) c;
        }
        for (int c = 0; c < 6; c++) {
            HEX['a' + c] = (byte) (10 + c);
            HEX['A' + c] = (byte) (10 + c);
        }
        for (TraceOp op : OPS) {
            OP_NAMES[op.ordinal()] = op.eventName().getBytes(StandardCharsets.US_ASCII);
            if (op.type() != null) {
                int n = OP_NAMES[op.ordinal()].length;
                if (OP_BY_LENGTH[n] != null) {
                    throw new ExceptionInInitializerError("two tracepoint names of length " + n);
                }
                OP_BY_LENGTH[n] = op;
            }
        }
    }

    // Payload keys: I_ their index (the switch of parseValue), K_ their bit in a "seen" mask. The
    // index is the field's ordinal in the event-class table (TraceField), checked below.
    private static final int I_CALL_SITE = 0;
    private static final int K_CALL_SITE = 1 << I_CALL_SITE;
    private static final int I_PTR = 1;
    private static final int K_PTR = 1 << I_PTR;
    private static final int I_BYTES_REQ = 2;
    private static final int I_BYTES_ALLOC = 3;
    private static final int I_GFP = 4;
    private static final int K_GFP = 1 << I_GFP;
    private static final int I_NODE = 5;
    private static final int I_ACCOUNTED = 6;
    private static final int I_NAME = 7;
    private static final int I_PAGE = 8;
    private static final int K_PAGE = 1 << I_PAGE;
    private static final int I_PFN = 9;
    private static final int I_ORDER = 10;
    private static final int I_MIGRATETYPE = 11;
    private static final int I_PERCPU_REFILL = 12;
    private static final int K_PERCPU_REFILL = 1 << I_PERCPU_REFILL;
    private static final int I_ALLOC_ORDER = 13;
    private static final int K_ALLOC_ORDER = 1 << I_ALLOC_ORDER;
    private static final int I_FALLBACK_ORDER = 14;
    private static final int I_ALLOC_MT = 15;
    private static final int I_FALLBACK_MT = 16;
    private static final int K_FALLBACK_MT = 1 << I_FALLBACK_MT;
    private static final int I_CHANGE_OWNERSHIP = 17;
    /** The keys of the fields of the events this parser reads, by {@link TraceField} ordinal. */
    private static final byte[][] KEYS = parsedKeys();
    /** Per tracepoint, the bits of the keys its lines must have (the table's required fields). */
    private static final int[] REQUIRED = new int[TraceOp.COUNT];
    /** Per key index, the reason a line without it is malformed. */
    private static final String[] MISSING = new String[KEYS.length];
    /** Per key index, whether the table prints the field in decimal (see {@link #fieldEnd}). */
    private static final boolean[] DECIMAL_FIELD = new boolean[KEYS.length];
    /** Key index + 1 by {@link #keyHash} of the key's length and bytes (0: no key). */
    private static final byte[] KEY_BY_HASH = new byte[256];
    /** The multiplier that makes {@link #keyHash} collision-free over {@link #KEYS}. */
    private static final int KEY_HASH_SEED;

    static {
        checkIndex(I_CALL_SITE, TraceField.CALL_SITE);
        checkIndex(I_PTR, TraceField.PTR);
        checkIndex(I_BYTES_REQ, TraceField.BYTES_REQ);
        checkIndex(I_BYTES_ALLOC, TraceField.BYTES_ALLOC);
        checkIndex(I_GFP, TraceField.GFP_FLAGS);
        checkIndex(I_NODE, TraceField.NODE);
        checkIndex(I_ACCOUNTED, TraceField.ACCOUNTED);
        checkIndex(I_NAME, TraceField.NAME);
        checkIndex(I_PAGE, TraceField.PAGE);
        checkIndex(I_PFN, TraceField.PFN);
        checkIndex(I_ORDER, TraceField.ORDER);
        checkIndex(I_MIGRATETYPE, TraceField.MIGRATETYPE);
        checkIndex(I_PERCPU_REFILL, TraceField.PERCPU_REFILL);
        checkIndex(I_ALLOC_ORDER, TraceField.ALLOC_ORDER);
        checkIndex(I_FALLBACK_ORDER, TraceField.FALLBACK_ORDER);
        checkIndex(I_ALLOC_MT, TraceField.ALLOC_MIGRATETYPE);
        checkIndex(I_FALLBACK_MT, TraceField.FALLBACK_MIGRATETYPE);
        checkIndex(I_CHANGE_OWNERSHIP, TraceField.CHANGE_OWNERSHIP);
        for (TraceOp op : OPS) {
            if (op.type() != null) {
                for (TraceField f : op.type().required()) {
                    REQUIRED[op.ordinal()] |= 1 << f.ordinal();
                }
            }
        }
        for (int k = 0; k < KEYS.length; k++) {
            MISSING[k] = "missing " + TraceField.values()[k].key() + "=";
            TraceField.Format f = TraceField.values()[k].format();
            DECIMAL_FIELD[k] = f == TraceField.Format.UNSIGNED
                    || f == TraceField.Format.DECIMAL
                    || f == TraceField.Format.ZERO_ONE;
        }
        KEY_HASH_SEED = keyHashSeed();
        for (int k = 0; k < KEYS.length; k++) {
            KEY_BY_HASH[keyHash(KEYS[k], 0, KEYS[k].length, KEY_HASH_SEED)] = (byte) (k + 1);
        }
    }

    /** The keys up to the last field of an event the parser reads: each field's index is its ordinal. */
    private static byte[][] parsedKeys() {
        int n = 0;
        for (TraceOp op : TraceOp.values()) {
            if (op.type() != null) {
                for (TraceField f : op.type().fields()) {
                    n = Math.max(n, f.ordinal() + 1);
                }
            }
        }
        if (n > Integer.SIZE) {
            throw new ExceptionInInitializerError("the fields of the parsed events must come first in TraceField"
                    + " and number at most 32 (a bit each in an int)");
        }
        byte[][] keys = new byte[n][];
        for (int k = 0; k < n; k++) {
            String key = TraceField.values()[k].key();
            if (key.length() < 2 || key.indexOf(' ') >= 0 || key.indexOf('=') >= 0) {
                throw new ExceptionInInitializerError("parsed key '" + key + "' must be one word of 2 bytes or more");
            }
            keys[k] = ascii(key);
        }
        return keys;
    }

    private static void checkIndex(int index, TraceField f) {
        if (index != f.ordinal()) {
            throw new ExceptionInInitializerError("key index " + index + " is not " + f + "'s ordinal " + f.ordinal());
        }
    }

    /** Hash of a key: its length, first, second and last byte, times {@code seed}, top 8 bits. */
    private static int keyHash(byte[] buf, int from, int to, int seed) {
        int x = (to - from) << 24 | (buf[from] & 0xff) << 16 | (buf[from + 1] & 0xff) << 8 | (buf[to - 1] & 0xff);
        return (x * seed) >>> 24;
    }

    /** The first odd multiplier from the golden ratio's that hashes every key to a slot of its own. */
    private static int keyHashSeed() {
        for (int seed = 0x9e3779b9, tries = 0; tries < 100_000; seed += 2, tries++) {
            boolean[] used = new boolean[256];
            boolean ok = true;
            for (byte[] k : KEYS) {
                int h = keyHash(k, 0, k.length, seed);
                ok &= !used[h];
                used[h] = true;
            }
            if (ok) {
                return seed;
            }
        }
        throw new ExceptionInInitializerError("two parsed keys share length, first, second and last byte");
    }

    /** Each key followed by '=', as up to three little-endian words (see {@link #keyAt}). */
    private static final long[] KEY_EQ_FIRST = new long[KEYS.length];

    private static final long[] KEY_EQ_SECOND = new long[KEYS.length];
    private static final long[] KEY_EQ_LAST = new long[KEYS.length];

    static {
        for (int k = 0; k < KEYS.length; k++) {
            byte[] t = java.util.Arrays.copyOf(KEYS[k], 24);
            int m = KEYS[k].length + 1;
            t[m - 1] = '=';
            KEY_EQ_FIRST[k] = (long) LONGS.get(t, 0);
            KEY_EQ_SECOND[k] = (long) LONGS.get(t, 8);
            KEY_EQ_LAST[k] = (long) LONGS.get(t, Math.max(m - 8, 0));
        }
    }

    private final Symbols symbols;
    private final ByteInterner comms = new ByteInterner();
    private final ByteInterner words = new ByteInterner(true);
    private final ByteInterner syms = new ByteInterner();
    private final ByteInterner gfps = new ByteInterner(true);
    /** Per tracepoint, the keys of its last line in order (index + 1 into {@link #KEYS}, 0 unknown). */
    private final byte[][] keyOrder = new byte[TraceOp.COUNT][12];
    /** Whole call-site tokens; the payload indexes {@link #callSiteValues}. */
    private final ByteInterner callSites = new ByteInterner();

    private long[] callSiteValues = new long[256];
    /** The token of each {@link #callSiteValues} entry. */
    private byte[][] callSiteKeys = new byte[256][];
    /** Per tracepoint, the {@link #callSiteValues} index of its last line's call site, or -1. */
    private final int[] lastCallSite = new int[TraceOp.COUNT];

    private int callSiteCount;

    /*
     * Prefix memo: the bytes from the line start up to the timestamp of the last line whose prefix
     * parsed, with what they gave. A task that runs for a while prints the same
     * "comm-pid [cpu] flags " prefix line after line (96 % of the lines of a real capture), so a
     * line starting with exactly these bytes has exactly that comm, pid and cpu: one compare of
     * about 40 bytes instead of skipping the padding, finding [cpu], and interning the comm.
     */
    private final byte[] memo = new byte[MEMO_MAX + Long.BYTES];
    private int memoLen;
    private String memoComm;
    private int memoPid;
    private int memoCpu;

    // Scratch results of the number parsers (no boxing, no allocation).
    private long num;
    /** The value text {@link #fieldEnd} chose. */
    private int valFrom;

    private int valTo;
    private int pos;
    private boolean pageNull;

    /**
     * @param symbols where {@code sym+0xoff/0xsize} call sites are interned (the replay machine's
     *     kallsyms), or null to ignore symbolic call sites (they read as 0)
     */
    public FtraceLineParser(Symbols symbols) {
        this.symbols = symbols;
        java.util.Arrays.fill(lastCallSite, -1);
    }

    /**
     * Parses {@code buf[from, to)} (without the line terminator) into {@code out}.
     *
     * @return {@code out.kind()}
     */
    public TraceLine.Kind parse(byte[] buf, int from, int to, long lineNo, TraceLine out) {
        out.lineNo = lineNo;
        out.clearEvent();
        while (to > from && (buf[to - 1] == '\r' || buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
            to--;
        }
        int n = memoLen;
        if (n > 0 && to - from > n && buf[from + n] != ' ' && buf[from + n] != '\t' && sameBytes(buf, from, memo, n)) {
            // The prefix bytes are the memo's, which held no control byte and no header word.
            if (hasControlByte(buf, from + n, to)) {
                out.malformed("binary data in line");
                return out.kind;
            }
            int q = timestampAt(buf, from + n, to, out);
            if (q >= 0) {
                out.comm = memoComm;
                out.pid = memoPid;
                out.cpu = memoCpu;
                return parseEvent(buf, q, to, out);
            }
            // Not a timestamp where the memo's line had one: the full parse decides.
        }
        int p = skipSpaces(buf, from, to);
        if (p == to || buf[p] == '#' || isHeaderLine(buf, p, to) || isCallChainLine(buf, from, p, to)) {
            out.kind = TraceLine.Kind.NONE;
            return out.kind;
        }
        if (hasControlByte(buf, from, to)) {
            out.malformed("binary data in line");
            return out.kind;
        }
        int q = parsePrefix(buf, from, p, to, out);
        if (q < 0) {
            return out.kind;
        }
        return parseEvent(buf, q, to, out);
    }

    /**
     * True if {@code buf[from, to)} holds a control byte other than tab, or DEL. Eight bytes at a
     * time: a word with no byte below 0x20 and no 0x7f (the usual case) is passed in one test;
     * any other word is looked at byte by byte, so a tab costs only its word a second look.
     */
    static boolean hasControlByte(byte[] buf, int from, int to) {
        int i = from;
        long flagged = 0;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(buf, i);
            // "has a byte less than n" and "has a zero byte" of Hacker's Delight / bithacks: exact
            // as to whether such a byte exists (n = 0x20 <= 128). Flags are gathered over the
            // whole line, one branch at the end: a flagged line (a tab) gets the exact look.
            long below = (x - 0x2020202020202020L) & ~x;
            long y = x ^ 0x7f7f7f7f7f7f7f7fL;
            long del = (y - 0x0101010101010101L) & ~y;
            flagged |= below | del;
        }
        if ((flagged & 0x8080808080808080L) != 0) {
            return hasControlByteSlow(buf, from, to);
        }
        return hasControlByteSlow(buf, i, to);
    }

    private static boolean hasControlByteSlow(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            int b = buf[i] & 0xff;
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** trace-cmd and trace_pipe notes that are not events: {@code version = 6}, {@code cpus=2}, {@code CPU:1 [LOST 3 EVENTS]}. */
    private static boolean isHeaderLine(byte[] buf, int p, int to) {
        return startsWith(buf, p, to, "version =")
                || startsWith(buf, p, to, "cpus=")
                || startsWith(buf, p, to, "CPU:")
                || startsWith(buf, p, to, "CPU ");
    }

    /**
     * perf script's call-chain line under an event ({@code perf record -g}, {@code perf kmem
     * record --page}): a tab, the return address in hex (right-aligned in 16 columns), a space,
     * then {@code sym+0xoff (dso)}.
     */
    private static boolean isCallChainLine(byte[] buf, int from, int p, int to) {
        if (buf[from] != '\t') {
            return false;
        }
        int e = p;
        while (e < to && HEX[buf[e] & 0xff] >= 0) {
            e++;
        }
        return e > p && (e == to || buf[e] == ' ');
    }

    /**
     * True if {@code a[from, from + n)} equals {@code memo[0, n)}, for {@code 9 <= n} and
     * {@code from + n <= a.length}: eight bytes per compare, the last word overlapping.
     */
    private static boolean sameBytes(byte[] a, int from, byte[] memo, int n) {
        int i = 0;
        for (; i + Long.BYTES < n; i += Long.BYTES) {
            if ((long) LONGS.get(a, from + i) != (long) LONGS.get(memo, i)) {
                return false;
            }
        }
        return (long) LONGS.get(a, from + n - Long.BYTES) == (long) LONGS.get(memo, n - Long.BYTES);
    }

    /** The timestamp token at {@code p}: the index just after its ':' (nanos set), or -1. */
    private int timestampAt(byte[] buf, int p, int to, TraceLine out) {
        int t = indexOfColonOrSpace(buf, p, to);
        if (t < to && buf[t] == ':') {
            return parseTimestamp(buf, p, t, out) ? t + 1 : -1;
        }
        // latency-format with no delay mark: "38299us : ".
        return t + 1 < to && buf[t + 1] == ':' && parseTimestamp(buf, p, t, out) ? t + 2 : -1;
    }

    /**
     * Parses the context prefix of the line starting at {@code lineStart} (first non-blank at
     * {@code start}); returns the index just after the timestamp's ':' or -1.
     */
    private int parsePrefix(byte[] buf, int lineStart, int start, int to, TraceLine out) {
        // The CPU field: the first "[digits]" in the line.
        int open = -1;
        int close = -1;
        for (int i = start; i < to; i++) {
            if (buf[i] == '[') {
                int j = i + 1;
                while (j < to && isDigit(buf[j])) {
                    j++;
                }
                if (j > i + 1 && j < to && buf[j] == ']') {
                    open = i;
                    close = j;
                    break;
                }
            }
        }
        if (open < 0) {
            return parseContextFree(buf, lineStart, start, to, out);
        }
        long cpu = parseDecimalRange(buf, open + 1, close);
        if (cpu < 0 || cpu > 65535) {
            out.malformed("cpu number out of range");
            return -1;
        }
        // Backwards from '[': optional "(tgid)", then "comm-pid" (or perf's "comm pid").
        int e = open;
        while (e > start && buf[e - 1] == ' ') {
            e--;
        }
        if (e > start && buf[e - 1] == ')') {
            int o = e - 1;
            while (o > start && buf[o] != '(') {
                o--;
            }
            e = o;
            while (e > start && buf[e - 1] == ' ') {
                e--;
            }
        }
        int d = e;
        while (d > start && isDigit(buf[d - 1])) {
            d--;
        }
        if (d == e || d == start || (buf[d - 1] != '-' && buf[d - 1] != ' ') || e - d > 9) {
            out.malformed("no comm-pid before [cpu]");
            return -1;
        }
        out.pid = (int) parseDecimalRange(buf, d, e);
        setComm(buf, start, d - 1, out);
        out.cpu = (int) cpu;
        // Optional irq-info flags, then the timestamp "secs.frac:".
        int p = skipSpaces(buf, close + 1, to);
        for (int token = 0; token < 2; token++) {
            int t = p;
            while (t < to && buf[t] != ' ' && buf[t] != ':') {
                t++;
            }
            if (t < to && buf[t] == ':' && parseTimestamp(buf, p, t, out)) {
                remember(buf, lineStart, p, start, out);
                return t + 1;
            }
            if (token == 0 && t < to && buf[t] == ' ' && t - p <= 6) {
                p = skipSpaces(buf, t, to);
                continue;
            }
            break;
        }
        out.malformed("no timestamp");
        return -1;
    }

    /**
     * Keeps {@code buf[lineStart, tsStart)} as the prefix memo. Only a prefix of at least nine
     * bytes after its blanks is kept, so the header words {@link #isHeaderLine} looks for lie
     * inside it and a line sharing it cannot be a header.
     */
    private void remember(byte[] buf, int lineStart, int tsStart, int start, TraceLine out) {
        int n = tsStart - lineStart;
        if (n > MEMO_MAX || tsStart - start < 9) {
            memoLen = 0;
            return;
        }
        System.arraycopy(buf, lineStart, memo, 0, n);
        memoLen = n;
        memoComm = out.comm;
        memoPid = out.pid;
        memoCpu = out.cpu;
    }

    private boolean parseTimestamp(byte[] buf, int from, int to, TraceLine out) {
        // Seconds up to the dot, then the fraction: one pass, no per-byte test for the dot.
        int i = from;
        long secs = 0;
        for (; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            secs = secs * 10 + d;
        }
        if (i == from || i - from > 12) {
            return false;
        }
        if (i == to) {
            // A counter clock (trace_clock=counter/x86-tsc): the raw value, taken as nanoseconds.
            out.nanos = secs;
            return true;
        }
        if (buf[i] != '.') {
            // latency-format: microseconds since the first entry, then a delay mark (' ' '+' '!'
            // '#' '*' '@' '$') as lat_print_timestamp() prints it.
            if (buf[i] == 'u' && i + 1 < to && buf[i + 1] == 's' && to - (i + 2) <= 1) {
                out.nanos = secs * 1_000L;
                return to == i + 2 || isDelayMark(buf[i + 2]);
            }
            return false;
        }
        int fracStart = ++i;
        int n = to - fracStart;
        if (n == 0 || n > 9) {
            return false;
        }
        long frac = 0;
        for (; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            frac = frac * 10 + d;
        }
        out.nanos = secs * 1_000_000_000L + frac * POW10[9 - n];
        return true;
    }

    private static boolean isDelayMark(byte b) {
        return b == '+' || b == '!' || b == '#' || b == '*' || b == '@' || b == '$';
    }

    /** The comm of {@code buf[start, commEnd)} (blanks trimmed; trace-cmd's {@code instance: } dropped). */
    private void setComm(byte[] buf, int start, int commEnd, TraceLine out) {
        while (commEnd > start && buf[commEnd - 1] == ' ') {
            commEnd--;
        }
        // trace-cmd report of an instance's buffer starts each line with "NAME: ".
        for (int i = start; i + 1 < commEnd; i++) {
            if (buf[i] == ' ') {
                if (buf[i - 1] == ':') {
                    start = skipSpaces(buf, i, commEnd);
                }
                break;
            }
        }
        out.comm = commEnd > start ? comms.intern(buf, start, commEnd) : comms.intern(buf, commEnd, commEnd);
    }

    /**
     * A line without a {@code [cpu]} field: the {@code latency-format} context
     * ({@code comm-pid  CPUflags  time:}, as lat_print_generic() and trace-cmd report -l print it,
     * CPU and irq-info flags in one word: {@code 0d..4.}), or no context at all
     * ({@code nocontext-info}: the line starts with the event name). Returns the index where the
     * event name starts, or -1.
     */
    private int parseContextFree(byte[] buf, int lineStart, int start, int to, TraceLine out) {
        int first = indexOfSpace(buf, start, to);
        if (first - start > 1 && buf[first - 1] == ':' && isEventName(buf, start, first - 1)) {
            int next = skipSpaces(buf, first, to);
            int w = indexOfSpace(buf, next, to);
            if (next == to || indexOfByte(buf, next, w, EQUALS) < w) {
                out.comm = "<...>";
                out.pid = 0;
                out.cpu = 0;
                out.nanos = 0;
                return start;
            }
        }
        // latency-format: the timestamp is the first word that parses as one; the word before it
        // is CPU and flags, the text before that comm-pid.
        int prevStart = -1;
        int prevEnd = -1;
        int p = start;
        while (p < to) {
            int e = indexOfSpace(buf, p, to);
            int t = buf[e - 1] == ':' ? e - 1 : e;
            boolean markOnly = t == e && e + 1 < to && buf[e + 1] == ':';
            if ((t < e || markOnly) && prevStart > start && parseTimestamp(buf, p, t, out)) {
                int c = prevStart;
                while (c < prevEnd && isDigit(buf[c])) {
                    c++;
                }
                long cpu = parseDecimalRange(buf, prevStart, c);
                int d = prevStart;
                while (d > start && buf[d - 1] == ' ') {
                    d--;
                }
                int pidEnd = d;
                while (d > start && isDigit(buf[d - 1])) {
                    d--;
                }
                if (c == prevStart || prevEnd - c > 6 || cpu > 65535) {
                    break;
                }
                if (d == pidEnd || d == start || buf[d - 1] != '-' || pidEnd - d > 9) {
                    out.malformed("no comm-pid before the CPU");
                    return -1;
                }
                out.pid = (int) parseDecimalRange(buf, d, pidEnd);
                setComm(buf, start, d - 1, out);
                out.cpu = (int) cpu;
                remember(buf, lineStart, p, start, out);
                return markOnly ? e + 2 : e;
            }
            prevStart = p;
            prevEnd = e;
            p = skipSpaces(buf, e, to);
        }
        out.malformed("no [cpu] field");
        return -1;
    }

    /** Lower-case letters, digits and '_' (and perf's "kmem:"): a tracepoint name. */
    private static boolean isEventName(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (!((b >= 'a' && b <= 'z') || isDigit(b) || b == '_' || b == ':')) {
                return false;
            }
        }
        return true;
    }

    private TraceLine.Kind parseEvent(byte[] buf, int p, int to, TraceLine out) {
        p = skipSpaces(buf, p, to);
        int nameStart = p;
        p = indexOfColonOrSpace(buf, p, to);
        if (p >= to || buf[p] != ':') {
            out.malformed("no event name");
            return out.kind;
        }
        // perf script prints "kmem:kmalloc:"; keep the last component.
        if (p + 1 < to && buf[p + 1] != ' ') {
            nameStart = p + 1;
            p = indexOfColonOrSpace(buf, p + 1, to);
            if (p >= to || buf[p] != ':') {
                out.malformed("no event name");
                return out.kind;
            }
        }
        int nameEnd = p;
        if (nameEnd == nameStart) {
            out.malformed("no event name");
            return out.kind;
        }
        // The names' lengths are distinct: the length picks the one candidate.
        int len = nameEnd - nameStart;
        TraceOp op = len < OP_BY_LENGTH.length ? OP_BY_LENGTH[len] : null;
        if (op != null && !ByteInterner.sameBytes(OP_NAMES[op.ordinal()], buf, nameStart)) {
            op = null;
        }
        if (op == null) {
            out.kind = TraceLine.Kind.OTHER_EVENT;
            out.eventName = words.intern(buf, nameStart, nameEnd);
            return out.kind;
        }
        out.op = op;
        out.eventName = op.eventName();
        return parsePayload(buf, p + 1, to, out);
    }

    private TraceLine.Kind parsePayload(byte[] buf, int p, int to, TraceLine out) {
        int seen = 0;
        int previousKey = -1;
        pageNull = false;
        byte[] order = keyOrder[out.op.ordinal()];
        int k = 0;
        while (true) {
            p = skipSpaces(buf, p, to);
            if (p >= to) {
                break;
            }
            // A kernel prints an event's keys in one order: try the key the last line of this
            // event had at this place. Its text followed by '=' is exactly what the scan below
            // would find (no key holds '=' or a space), so the guess only saves the scan.
            int guess = k < order.length ? order[k] - 1 : -1;
            if (guess >= 0) {
                int eq = p + KEYS[guess].length;
                if (keyAt(buf, p, to, guess)) {
                    int valEnd = indexOfSpace(buf, eq + 1, to);
                    if (valEnd == eq + 1) {
                        out.malformed("empty value");
                        return out.kind;
                    }
                    int key = 1 << guess;
                    int vFrom = eq + 1;
                    int end = valEnd;
                    if (valEnd + 3 < to && buf[valEnd + 1] == '(') {
                        end = fieldEnd(guess, buf, vFrom, valEnd, to);
                        vFrom = valFrom;
                        valEnd = valTo;
                    }
                    if (!parseValue(key, buf, vFrom, valEnd, out)) {
                        return out.kind;
                    }
                    seen |= key;
                    previousKey = key;
                    p = end;
                    k++;
                    continue;
                }
            }
            // The key ends at the first '=' (none before the next space: not key=value), the value
            // at the next space.
            int eq = indexOfEqualsOrSpace(buf, p, to);
            int valEnd = eq < to && buf[eq] == '=' ? indexOfSpace(buf, eq + 1, to) : eq;
            if (eq == valEnd) {
                // No '=' before the space. "%pS" of a module symbol ends in " [module]"; anything else is not
                // key=value.
                if (previousKey == K_CALL_SITE && buf[p] == '[' && buf[valEnd - 1] == ']') {
                    p = valEnd;
                    continue;
                }
                // trace-cmd's kmem plugin prints the call site's function first: "(sym+0x3b)".
                if (seen == 0 && previousKey < 0 && buf[p] == '(' && buf[valEnd - 1] == ')') {
                    previousKey = 0;
                    p = valEnd;
                    continue;
                }
                out.malformed("payload word is not key=value");
                return out.kind;
            }
            int key = keyOf(buf, p, eq);
            if (k < order.length) {
                order[k] = (byte) (key == 0 ? 0 : Integer.numberOfTrailingZeros(key) + 1);
            }
            k++;
            int v = eq + 1;
            if (key != 0 && v == valEnd) {
                out.malformed("empty value");
                return out.kind;
            }
            int end = valEnd;
            if (valEnd + 3 < to && buf[valEnd + 1] == '(') {
                end = fieldEnd(key == 0 ? -1 : Integer.numberOfTrailingZeros(key), buf, v, valEnd, to);
                v = valFrom;
                valEnd = valTo;
            }
            if (!parseValue(key, buf, v, valEnd, out)) {
                return out.kind;
            }
            seen |= key;
            previousKey = key;
            p = end;
        }
        return finish(seen, out);
    }

    /**
     * Where the field whose value is {@code buf[v, valEnd)}, followed by " (", ends, with the text to parse in
     * {@link #valFrom}/{@link #valTo}. With the {@code fields} trace_option the kernel prints every
     * number twice, {@code bytes_req=0xb (11)}, {@code node=0xffffffff (-1)}: a field the table
     * prints in decimal is read from the parenthesised decimal, any other (call site, pointer, pfn,
     * GFP mask) from the first text, and the second word (a decimal in parentheses) is skipped.
     */
    private int fieldEnd(int k, byte[] buf, int v, int valEnd, int to) {
        valFrom = v;
        valTo = valEnd;
        int alt = indexOfSpace(buf, valEnd + 2, to);
        if (buf[alt - 1] == ')' && signedDecimal(buf, valEnd + 2, alt - 1) != NOT_A_NUMBER) {
            if (k >= 0 && DECIMAL_FIELD[k]) {
                valFrom = valEnd + 2;
                valTo = alt - 1;
            }
            return alt;
        }
        return valEnd;
    }

    private boolean parseValue(int key, byte[] buf, int v, int end, TraceLine out) {
        // A dense index: a jump table, not a binary search over bit values.
        switch (Integer.numberOfTrailingZeros(key)) {
            case I_CALL_SITE:
                out.callSite = callSite(buf, v, end, out.op.ordinal());
                return true;
            case I_PTR:
                if (!parsePointer(buf, v, end)) {
                    // 4.15+ prints "(____ptrval____)" for %p until the hash key is ready (early boot).
                    out.malformed(
                            startsWith(buf, v, end, "(____ptrval____)")
                                    ? "ptr printed before the pointer hash key was ready"
                                    : "ptr is not a pointer");
                    return false;
                }
                out.ptr = num;
                return true;
            case I_BYTES_REQ:
                if (!parseUnsigned(buf, v, end, out, "bytes_req")) {
                    return false;
                }
                out.bytesReq = num;
                return true;
            case I_BYTES_ALLOC:
                if (!parseUnsigned(buf, v, end, out, "bytes_alloc")) {
                    return false;
                }
                out.bytesAlloc = num;
                return true;
            case I_GFP: {
                int gfp = gfpFlags(buf, v, end);
                if (gfp < 0) {
                    out.malformed("gfp_flags is not a GFP mask");
                    return false;
                }
                out.gfpFlags = gfp;
                return true;
            }
            case I_NODE:
                if (!parseSigned(buf, v, end) || num < -1 || num > 1023) {
                    out.malformed("node out of range");
                    return false;
                }
                out.node = (int) num;
                return true;
            case I_ACCOUNTED:
                if (end - v == 4 && buf[v] == 't' && buf[v + 1] == 'r' && buf[v + 2] == 'u' && buf[v + 3] == 'e') {
                    out.accounted = true;
                } else if (end - v == 5 && startsWith(buf, v, end, "false")) {
                    out.accounted = false;
                } else if (end - v == 1 && (buf[v] == '0' || buf[v] == '1')) {
                    // trace-cmd report -R prints the bool field as a number.
                    out.accounted = buf[v] == '1';
                } else if (end - v == 3
                        && buf[v] == '('
                        && (buf[v + 1] == '0' || buf[v + 1] == '1')
                        && buf[v + 2] == ')') {
                    // ... and the fields trace_option as "(1)".
                    out.accounted = buf[v + 1] == '1';
                } else {
                    out.malformed("accounted is not true/false");
                    return false;
                }
                return true;
            case I_NAME:
                out.cacheName = words.intern(buf, v, end);
                return true;
            case I_PAGE:
                if (!parsePointer(buf, v, end)) {
                    out.malformed("page is not a pointer");
                    return false;
                }
                pageNull = num == 0;
                return true;
            case I_PFN:
                if (end - v > 2 && buf[v] == '0' && (buf[v + 1] == 'x' || buf[v + 1] == 'X')) {
                    if (!parseHex(buf, v + 2, end)) {
                        out.malformed("pfn is not a number");
                        return false;
                    }
                } else if (!parseSigned(buf, v, end)) {
                    out.malformed("pfn is not a number");
                    return false;
                }
                if (num == -1L && out.op == TraceOp.MM_PAGE_ALLOC) {
                    // The recorded field of a failed allocation (-1UL), as trace-cmd report -R prints it.
                    pageNull = true;
                    out.pfn = -1;
                    return true;
                }
                if (num < 0 || num > Integer.MAX_VALUE) {
                    out.malformed("pfn out of range");
                    return false;
                }
                out.pfn = num;
                return true;
            case I_ORDER:
                if (!parseSigned(buf, v, end) || num < 0 || num > MAX_ORDER) {
                    out.malformed("order out of range 0..10");
                    return false;
                }
                out.order = (int) num;
                return true;
            case I_MIGRATETYPE:
            case I_ALLOC_MT:
            case I_FALLBACK_MT:
                if (!parseSigned(buf, v, end) || num < -1 || num > 16) {
                    out.malformed("migratetype out of range");
                    return false;
                }
                if (key == K_FALLBACK_MT) {
                    out.fallbackMigratetype = (int) num;
                } else {
                    out.migratetype = (int) num;
                }
                return true;
            case I_ALLOC_ORDER:
            case I_FALLBACK_ORDER:
                if (!parseSigned(buf, v, end) || num < 0 || num > MAX_ORDER) {
                    out.malformed("order out of range 0..10");
                    return false;
                }
                if (key == K_ALLOC_ORDER) {
                    out.order = (int) num;
                } else {
                    out.fallbackOrder = (int) num;
                }
                return true;
            case I_PERCPU_REFILL:
            case I_CHANGE_OWNERSHIP:
                if (!parseSigned(buf, v, end) || num < 0 || num > 1) {
                    out.malformed("flag is not 0 or 1");
                    return false;
                }
                if (key == K_PERCPU_REFILL) {
                    out.percpuRefill = num == 1;
                } else {
                    out.changeOwnership = num == 1;
                }
                return true;
            default:
                // Keys this reader does not use (percpu_refill, cold, …) are accepted and ignored.
                return true;
        }
    }

    private TraceLine.Kind finish(int seen, TraceLine out) {
        int required = REQUIRED[out.op.ordinal()];
        int missing = required & ~seen;
        if (missing != 0) {
            out.malformed(missingReason(missing));
            return out.kind;
        }
        if (out.op == TraceOp.MM_PAGE_ALLOC) {
            if (pageNull || ((seen & K_PAGE) == 0 && out.pfn == 0)) {
                out.pfn = -1;
            }
            if ((seen & K_GFP) == 0) {
                out.gfpFlags = 0;
            }
        }
        out.kind = TraceLine.Kind.EVENT;
        return out.kind;
    }

    /** The first missing key in table order: ptr before bytes_req before … */
    private static String missingReason(int missing) {
        return MISSING[Integer.numberOfTrailingZeros(missing)];
    }

    /**
     * True if {@code buf[p, to)} starts with key {@code k} and '='. Word compares: a short key
     * under a mask (when eight bytes can be loaded), a longer one by its first, second and last
     * (overlapping) words.
     */
    private static boolean keyAt(byte[] buf, int p, int to, int k) {
        int m = KEYS[k].length + 1;
        if (p + m > to) {
            return false;
        }
        if (m <= Long.BYTES) {
            if (p + Long.BYTES <= buf.length) {
                long mask = m == Long.BYTES ? -1L : (1L << (m * 8)) - 1;
                return ((long) LONGS.get(buf, p) & mask) == KEY_EQ_FIRST[k];
            }
            return buf[p + m - 1] == '=' && ByteInterner.sameBytes(KEYS[k], buf, p);
        }
        return (long) LONGS.get(buf, p) == KEY_EQ_FIRST[k]
                && (m <= 2 * Long.BYTES || (long) LONGS.get(buf, p + Long.BYTES) == KEY_EQ_SECOND[k])
                && (long) LONGS.get(buf, p + m - Long.BYTES) == KEY_EQ_LAST[k];
    }

    /** The key's bit, found by {@link #keyHash} before one comparison; 0 if unknown. */
    private static int keyOf(byte[] buf, int from, int to) {
        int len = to - from;
        if (len < 2) {
            return 0;
        }
        int k = KEY_BY_HASH[keyHash(buf, from, to, KEY_HASH_SEED)] - 1;
        if (k < 0) {
            return 0;
        }
        byte[] key = KEYS[k];
        return key.length == len && ByteInterner.sameBytes(key, buf, from) ? 1 << k : 0;
    }

    /** call_site: hex (%lx, maybe 0x) or %pS {@code sym+0xoff/0xsize} interned as a symbol. */
    private long callSite(byte[] buf, int v, int end, int op) {
        if (end - v > 2 && buf[v] == '0' && (buf[v + 1] == 'x' || buf[v + 1] == 'X') && parseHex(buf, v + 2, end)) {
            return num;
        }
        if (end - v >= 8 && parseHex(buf, v, end)) {
            return num;
        }
        if (symbols == null) {
            return 0;
        }
        // The call site of this event's last line first (a third of the lines repeat it).
        int last = lastCallSite[op];
        if (last >= 0 && callSiteKeys[last].length == end - v && ByteInterner.sameBytes(callSiteKeys[last], buf, v)) {
            return callSiteValues[last];
        }
        // The whole sym+0xoff/0xsize token, cached: a trace repeats a few thousand call sites.
        callSites.intern(buf, v, end);
        int slot = callSites.lastPayload();
        if (slot != ByteInterner.NO_PAYLOAD) {
            lastCallSite[op] = slot;
            return callSiteValues[slot];
        }
        long addr = symbolicCallSite(buf, v, end);
        if (callSites.cachedLast()) {
            if (callSiteCount == callSiteValues.length) {
                callSiteValues = java.util.Arrays.copyOf(callSiteValues, callSiteCount * 2);
                callSiteKeys = java.util.Arrays.copyOf(callSiteKeys, callSiteCount * 2);
            }
            callSiteValues[callSiteCount] = addr;
            callSiteKeys[callSiteCount] = java.util.Arrays.copyOfRange(buf, v, end);
            callSites.setLastPayload(callSiteCount++);
        }
        return addr;
    }

    /** A {@code sym+0xoff/0xsize} call site, its symbol given a slot in {@link #symbols} on first sight. */
    private long symbolicCallSite(byte[] buf, int v, int end) {
        int plus = v;
        while (plus < end && buf[plus] != '+') {
            plus++;
        }
        int off = 0;
        int size = 1;
        if (plus < end) {
            int slash = plus;
            while (slash < end && buf[slash] != '/') {
                slash++;
            }
            if (slash - plus > 3 && buf[plus + 1] == '0' && buf[plus + 2] == 'x' && parseHex(buf, plus + 3, slash)) {
                off = (int) Math.min(num, Integer.MAX_VALUE);
            }
            if (end - slash > 3 && buf[slash + 1] == '0' && buf[slash + 2] == 'x' && parseHex(buf, slash + 3, end)) {
                size = (int) Math.min(num, Integer.MAX_VALUE);
            }
        }
        String name = syms.intern(buf, v, plus);
        int slot = syms.lastPayload();
        if (slot == ByteInterner.NO_PAYLOAD) {
            slot = symbols.slot(name, size);
            syms.setLastPayload(slot);
        }
        return Symbols.address(slot, off);
    }

    /** show_gfp_flags text → flags, each distinct text parsed once. */
    private int gfpFlags(byte[] buf, int v, int end) {
        gfps.intern(buf, v, end);
        int cached = gfps.lastPayload();
        if (cached != ByteInterner.NO_PAYLOAD) {
            return cached;
        }
        int gfp = 0;
        int known = 0;
        int w = v;
        while (w < end) {
            int e = w;
            while (e < end && buf[e] != '|') {
                e++;
            }
            int bits = Gfp.parse(new String(buf, w, e - w, StandardCharsets.ISO_8859_1));
            if (bits >= 0) {
                gfp |= bits;
                known++;
            } else if (e - w > 2 && buf[w] == '0' && buf[w + 1] == 'x' && parseHex(buf, w + 2, e)) {
                // Bits beyond this configuration's __GFP_BITS: kept within the mask.
                gfp |= (int) (num & Gfp.GFP_BITS_MASK);
                known++;
            }
            w = e + 1;
        }
        int result = known == 0 ? -1 : gfp;
        gfps.setLastPayload(result);
        return result;
    }

    private boolean parsePointer(byte[] buf, int v, int end) {
        if ((end - v == 6 && startsWith(buf, v, end, "(null)")) || (end - v == 5 && startsWith(buf, v, end, "(nil)"))) {
            // NULL: printk's "(null)", libtraceevent's (perf script, trace-cmd report) "(nil)".
            num = 0;
            return true;
        }
        if (end - v > 2 && buf[v] == '0' && (buf[v + 1] == 'x' || buf[v + 1] == 'X')) {
            v += 2;
        }
        return parseHex(buf, v, end);
    }

    /** Unsigned hex of at most 16 digits into {@link #num}. */
    private boolean parseHex(byte[] buf, int from, int to) {
        if (to - from == 16) {
            // A %p pointer: two words of eight digits.
            long hi = hex8((long) LONGS.get(buf, from));
            long lo = hex8((long) LONGS.get(buf, from + 8));
            if ((hi | lo) >= 0) {
                num = hi << 32 | lo;
                return true;
            }
            // Not all hex: the byte loop below says so.
        }
        if (from >= to || to - from > 16) {
            return false;
        }
        long r = 0;
        for (int i = from; i < to; i++) {
            int d = HEX[buf[i] & 0xff];
            if (d < 0) {
                return false;
            }
            r = (r << 4) | d;
        }
        num = r;
        return true;
    }

    /**
     * The value of eight hex digits (either case) in a little-endian word (first digit in the low
     * byte), or -1 if a byte is not a hex digit. SWAR: every byte below 0x80; folded to lower case
     * with | 0x20 (which also maps 0x10-0x19 onto the digits, so those are rejected first); each
     * byte then in '0'..'9' or 'a'..'f' by carry-free range tests on the high bits; the nibbles
     * combined pairwise, first digit most significant.
     */
    static long hex8(long x) {
        final long ones = 0x0101010101010101L;
        final long high = 0x8080808080808080L;
        if ((x & high) != 0) {
            return -1;
        }
        // A byte 0x10..0x1f would fold onto a digit: reject bytes below 0x20.
        if (((x - 0x20 * ones) & ~x & high) != 0) {
            return -1;
        }
        long l = x | 0x20 * ones;
        long digit = (l + 0x50 * ones) & ~(l + 0x46 * ones) & high;
        long alpha = (l + 0x1f * ones) & ~(l + 0x19 * ones) & high;
        if ((digit | alpha) != high) {
            return -1;
        }
        long n = (l & 0x0f * ones) + (alpha >>> 7) * 9;
        n = ((n << 4) | (n >>> 8)) & 0x00ff00ff00ff00ffL;
        n = ((n << 8) | (n >>> 16)) & 0x0000ffff0000ffffL;
        return ((n << 16) | (n >>> 32)) & 0xffffffffL;
    }

    /** Unsigned decimal up to 2^64-1 into {@link #num}; reports why not. */
    private boolean parseUnsigned(byte[] buf, int from, int to, TraceLine out, String what) {
        if (from < to && buf[from] == '-') {
            out.malformed(what.equals("bytes_req") ? "negative bytes_req" : "negative bytes_alloc");
            return false;
        }
        long r = 0;
        if (to - from <= 18) {
            // At most 18 digits cannot overflow: no per-digit range check.
            for (int i = from; i < to; i++) {
                int d = buf[i] - '0';
                if (d < 0 || d > 9) {
                    out.malformed(
                            what.equals("bytes_req") ? "bytes_req is not a number" : "bytes_alloc is not a number");
                    return false;
                }
                r = r * 10 + d;
            }
            num = r;
            return true;
        }
        for (int i = from; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                out.malformed(what.equals("bytes_req") ? "bytes_req is not a number" : "bytes_alloc is not a number");
                return false;
            }
            // r * 10 + d must stay below 2^64.
            if (Long.compareUnsigned(r, 0x1999999999999999L) > 0 || (r == 0x1999999999999999L && d > 5)) {
                out.malformed(what.equals("bytes_req") ? "bytes_req exceeds 64 bits" : "bytes_alloc exceeds 64 bits");
                return false;
            }
            r = r * 10 + d;
        }
        num = r;
        return true;
    }

    /** Signed decimal of at most 18 digits into {@link #num}. */
    private boolean parseSigned(byte[] buf, int from, int to) {
        long v = signedDecimal(buf, from, to);
        if (v == NOT_A_NUMBER) {
            return false;
        }
        num = v;
        return true;
    }

    /** What {@link #signedDecimal} answers for text that is not a number (18 digits never reach it). */
    static final long NOT_A_NUMBER = Long.MIN_VALUE;

    /** {@code [-]digits}, at most 18 digits, as a long; {@link #NOT_A_NUMBER} if the bytes are anything else. */
    static long signedDecimal(byte[] buf, int from, int to) {
        boolean neg = from < to && buf[from] == '-';
        int i = neg ? from + 1 : from;
        if (i >= to || to - i > 18) {
            return NOT_A_NUMBER;
        }
        long r = 0;
        for (; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_A_NUMBER;
            }
            r = r * 10 + d;
        }
        return neg ? -r : r;
    }

    private static long parseDecimalRange(byte[] buf, int from, int to) {
        if (to - from > 18) {
            return -1;
        }
        long r = 0;
        for (int i = from; i < to; i++) {
            r = r * 10 + (buf[i] - '0');
        }
        return r;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** Index of the first space in {@code buf[from, to)}, or {@code to}. */
    static int indexOfSpace(byte[] buf, int from, int to) {
        return indexOfByte(buf, from, to, SPACES);
    }

    /**
     * Index of the first byte {@code (byte) pattern} in {@code buf[from, to)}, or {@code to};
     * {@code pattern} is that byte in all eight lanes. Eight bytes at a time: the "has a zero
     * byte" test of bithacks on the word XOR the pattern, whose lowest flagged byte is exactly the
     * first match (a borrow only flags bytes above a real match).
     */
    static int indexOfByte(byte[] buf, int from, int to, long pattern) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long y = (long) LONGS.get(buf, i) ^ pattern;
            long zero = (y - 0x0101010101010101L) & ~y & 0x8080808080808080L;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        byte b = (byte) pattern;
        while (i < to && buf[i] != b) {
            i++;
        }
        return i;
    }

    /** Index of the first ':' or space in {@code buf[from, to)}, or {@code to} (as {@link #indexOfByte}). */
    static int indexOfColonOrSpace(byte[] buf, int from, int to) {
        return indexOfEitherOrSpace(buf, from, to, COLONS);
    }

    /** Index of the first '=' or space in {@code buf[from, to)}, or {@code to}. */
    static int indexOfEqualsOrSpace(byte[] buf, int from, int to) {
        return indexOfEitherOrSpace(buf, from, to, EQUALS);
    }

    /** Index of the first space or byte {@code (byte) pattern} in {@code buf[from, to)}, or {@code to}. */
    private static int indexOfEitherOrSpace(byte[] buf, int from, int to, long pattern) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(buf, i);
            long y = x ^ SPACES;
            long z = x ^ pattern;
            // The lowest flagged byte of either test is exact, so the lowest of both is.
            long hit = ((y - 0x0101010101010101L) & ~y | (z - 0x0101010101010101L) & ~z) & 0x8080808080808080L;
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        while (i < to && buf[i] != (byte) pattern && buf[i] != ' ') {
            i++;
        }
        return i;
    }

    private static int skipSpaces(byte[] buf, int p, int to) {
        // Usually exactly one space: answer that without a loop.
        if (p + 1 < to && buf[p] == ' ' && buf[p + 1] != ' ' && buf[p + 1] != '\t') {
            return p + 1;
        }
        while (p < to && (buf[p] == ' ' || buf[p] == '\t')) {
            p++;
        }
        return p;
    }

    static boolean startsWith(byte[] buf, int p, int to, String s) {
        if (to - p < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (buf[p + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
