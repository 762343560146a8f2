package io.kmemlab.mm.trace.read;

/**
 * Parses the CS:APP malloc-lab trace format ({@code .rep} files): a header of four numbers, one a
 * line (suggested heap size, number of ids, number of operations, weight; some collections omit
 * the weight), then one operation a line:
 *
 * <pre>
 *  a ID BYTES    malloc  → kmalloc(BYTES, GFP_KERNEL), the object named ID
 *  r ID BYTES    realloc → krealloc(ID, BYTES)
 *  f ID          free    → kfree(ID)
 * </pre>
 *
 * The trace has no CPUs, tasks or clock: every operation runs on CPU 0 as task {@code mallocl}
 * and the virtual clock advances one microsecond per operation. Object ids become trace pointers
 * {@code (ID + 1) << 4}, never NULL.
 */
public final class MallocLabLineParser {
    /** Operation spacing on the virtual clock. */
    public static final long NANOS_PER_OP = 1_000;

    private static final String COMM = "malloc-lab";

    private int headerNumbers;
    private long ops;
    private long num;

    /** The trace pointer of a malloc-lab object id. */
    public static long pointerOf(long id) {
        return (id + 1) << 4;
    }

    public TraceLine.Kind parse(byte[] buf, int from, int to, long lineNo, TraceLine out) {
        out.lineNo = lineNo;
        out.clearEvent();
        while (to > from && (buf[to - 1] == '\r' || buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
            to--;
        }
        int p = skip(buf, from, to);
        if (p == to || buf[p] == '#') {
            out.kind = TraceLine.Kind.NONE;
            return out.kind;
        }
        if (ops == 0 && headerNumbers < 4 && isNumberLine(buf, p, to)) {
            headerNumbers++;
            out.kind = TraceLine.Kind.NONE;
            return out.kind;
        }
        byte c = buf[p];
        if ((c != 'a' && c != 'r' && c != 'f') || p + 1 >= to || (buf[p + 1] != ' ' && buf[p + 1] != '\t')) {
            out.malformed("not a malloc-lab operation (a/r/f)");
            return out.kind;
        }
        p = skip(buf, p + 1, to);
        int e = token(buf, p, to);
        if (!decimal(buf, p, e) || num > (1L << 40)) {
            out.malformed("bad object id");
            return out.kind;
        }
        long id = num;
        long bytes = 0;
        p = skip(buf, e, to);
        if (c != 'f') {
            e = token(buf, p, to);
            if (p == e) {
                out.malformed("missing size");
                return out.kind;
            }
            if (buf[p] == '-') {
                out.malformed("negative size");
                return out.kind;
            }
            if (!decimal(buf, p, e)) {
                // 19 digits or more (2^64-1 has 20) cannot be a heap size a trace allocates
                out.malformed(digits(buf, p, e) ? "size out of range (more than 18 digits)" : "size is not a number");
                return out.kind;
            }
            bytes = num;
            p = skip(buf, e, to);
        }
        if (p != to) {
            out.malformed("trailing text");
            return out.kind;
        }
        ops++;
        out.comm = COMM;
        out.pid = 1;
        out.cpu = 0;
        out.nanos = ops * NANOS_PER_OP;
        out.gfpFlags = io.kmemlab.mm.Gfp.GFP_KERNEL;
        out.ptr = pointerOf(id);
        out.bytesReq = bytes;
        out.bytesAlloc = bytes;
        switch (c) {
            case 'a' -> out.op = TraceOp.KMALLOC;
            case 'r' -> {
                out.op = TraceOp.KREALLOC;
                out.oldPtr = out.ptr;
            }
            default -> out.op = TraceOp.KFREE;
        }
        out.eventName = out.op.eventName();
        out.kind = TraceLine.Kind.EVENT;
        return out.kind;
    }

    /** True if the line is one unsigned decimal number (a header line). */
    static boolean isNumberLine(byte[] buf, int p, int to) {
        int e = p;
        while (e < to && buf[e] >= '0' && buf[e] <= '9') {
            e++;
        }
        return e > p && skip(buf, e, to) == to;
    }

    private boolean decimal(byte[] buf, int from, int to) {
        if (from >= to || to - from > 18) {
            return false;
        }
        long r = 0;
        for (int i = from; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            r = r * 10 + d;
        }
        num = r;
        return true;
    }

    private static boolean digits(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] < '0' || buf[i] > '9') {
                return false;
            }
        }
        return from < to;
    }

    private static int token(byte[] buf, int p, int to) {
        while (p < to && buf[p] != ' ' && buf[p] != '\t') {
            p++;
        }
        return p;
    }

    private static int skip(byte[] buf, int p, int to) {
        while (p < to && (buf[p] == ' ' || buf[p] == '\t')) {
            p++;
        }
        return p;
    }
}
