package io.kmemlab.boot.lab;

import io.kmemlab.boot.lab.LabTrace.Kind;
import io.kmemlab.boot.lab.LabTrace.Op;
import io.kmemlab.mm.user.UserSpace;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One trace run against one allocator in one emulated process, checked op by op against an
 * independent model of which bytes are live (it knows nothing of the allocator's layout, only what
 * malloc promises a program): every block is non-NULL, 16-aligned, inside the heap and shares no
 * byte with a live block; its requested bytes are painted with a pattern of the block's own and
 * must be whole when it is freed or reallocated; realloc must carry the first {@code min(old,
 * new)} bytes. The allocator's calls run on a worker thread of their own, each call under a budget
 * of memory accesses and the whole trace under a time limit, so code that throws, loops or writes
 * outside its heap is stopped and reported, never crashing kmemlab.
 */
public final class MallocRun {
    static final long ALIGNMENT = 16;
    /** Blocks larger than this are painted and checked at both ends only. */
    static final int FULL_CHECK = 1 << 14;

    /** The first operation that went wrong, in words. */
    public record Failure(int opIndex, String op, String kind, String problem, String expected, String state) {
        /** True if a shorter trace may show the same failure (a stop by the clock is not retried). */
        boolean retryable() {
            return !kind.equals("timeout");
        }
    }

    /** What one trace did: its figures, or its first failure. */
    public record Result(
            LabTrace trace, Failure failure, long peakLiveBytes, long peakHeapBytes, long nanos, List<String> notes) {
        public boolean ok() {
            return failure == null;
        }

        double util() {
            return peakHeapBytes == 0 ? 0 : (double) peakLiveBytes / peakHeapBytes;
        }
    }

    private static final String WROTE_INTO = "the allocator wrote into a block it had handed out";

    private record Block(int id, long ptr, long size, int pattern) {}

    private final UserSpace process;
    private final GuardedSpace space;
    private final LabTrace trace;
    private final TreeMap<Long, Block> live = new TreeMap<>();
    private final Map<Integer, Block> byId = new java.util.HashMap<>();
    private final byte[] buf = new byte[FULL_CHECK];
    private long liveBytes;
    private long peakLive;
    private long peakHeap;
    private long nanos;
    private volatile int current = -1;

    private MallocRun(UserSpace process, LabTrace trace, long accessBudget) {
        this.process = process;
        this.space = new GuardedSpace(process, accessBudget);
        this.trace = trace;
    }

    /**
     * Runs {@code trace} against a fresh allocator from {@code factory} in {@code process}, stopping
     * it after {@code timeoutMillis}.
     */
    static Result run(
            Supplier<StudentMalloc> factory, UserSpace process, LabTrace trace, long accessBudget, long timeoutMillis) {
        MallocRun run = new MallocRun(process, trace, accessBudget);
        Failure[] outcome = new Failure[1];
        java.util.concurrent.atomic.AtomicReference<List<String>> notes =
                new java.util.concurrent.atomic.AtomicReference<>(List.of());
        boolean timedOut = StudentCall.run("lab-" + trace.name(), timeoutMillis, () -> {
            try {
                outcome[0] = run.drive(factory, notes);
            } catch (GuardedSpace.Violation v) {
                outcome[0] = run.failure(
                        "stopped", v.getMessage(), "only loads and stores inside the heap, calls that return");
            } catch (Throwable t) { // the student's code may throw anything, errors included
                outcome[0] = run.failure("threw", "threw " + describe(t), "a return value");
            }
        });
        Failure f = outcome[0];
        if (timedOut && (f == null || !f.kind().equals("stopped"))) {
            f = run.failure(
                    "timeout", "did not return within " + timeoutMillis + " ms (an endless loop?)", "a return value");
        }
        return new Result(trace, f, run.peakLive, run.peakHeap, run.nanos, notes.get());
    }

    /** The exception's class, message and the first frame of the student's code. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(t.getClass().getName());
        if (t.getMessage() != null) {
            sb.append(": ").append(t.getMessage());
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (!e.getClassName().startsWith("io.kmemlab.")
                    && !e.getClassName().startsWith("java.")
                    && !e.getClassName().startsWith("jdk.")) {
                sb.append(" (at ")
                        .append(e.getFileName())
                        .append(':')
                        .append(e.getLineNumber())
                        .append(')');
                break;
            }
        }
        return sb.toString();
    }

    private Failure drive(
            Supplier<StudentMalloc> factory, java.util.concurrent.atomic.AtomicReference<List<String>> notes) {
        StudentMalloc m = factory.get();
        space.newCall();
        if (!m.init(space)) {
            return failure("init", "init() returned false", "true");
        }
        List<Op> ops = trace.ops();
        for (int i = 0; i < ops.size(); i++) {
            current = i;
            Op op = ops.get(i);
            Failure f = switch (op.kind()) {
                case ALLOC -> alloc(m, op);
                case FREE -> free(m, op);
                case REALLOC -> realloc(m, op);
            };
            if (f != null) {
                return f;
            }
            long heap = process.brkAddress() - process.startBrk() + space.mappedBytes();
            peakHeap = Math.max(peakHeap, heap);
            if (!process.alive()) {
                return failure("killed", "killed the process", "the process alive");
            }
        }
        current = ops.size();
        space.newCall();
        List<String> problems = m.check();
        if (problems != null && !problems.isEmpty()) {
            notes.set(List.copyOf(problems));
        }
        return null;
    }

    private long call() {
        space.newCall();
        return process.nowNanos();
    }

    private Failure alloc(StudentMalloc m, Op op) {
        if (byId.containsKey(op.id())) {
            return null; // the trace's own mistake: ids are unique while live
        }
        long t0 = call();
        long ptr = m.malloc(op.size());
        nanos += process.nowNanos() - t0;
        Failure f = placed(ptr, op.size(), "malloc(" + op.size() + ")");
        if (f != null) {
            return f;
        }
        add(op.id(), ptr, op.size());
        return null;
    }

    private Failure free(StudentMalloc m, Op op) {
        Block b = byId.get(op.id());
        if (b == null) {
            return null;
        }
        Failure f = intact(b, b.size(), b.ptr(), "before free(0x" + Long.toHexString(b.ptr()) + ")", WROTE_INTO);
        if (f != null) {
            return f;
        }
        remove(b);
        long t0 = call();
        m.free(b.ptr());
        nanos += process.nowNanos() - t0;
        return null;
    }

    private Failure realloc(StudentMalloc m, Op op) {
        Block b = byId.get(op.id());
        if (b == null) {
            return alloc(m, new Op(Kind.ALLOC, op.id(), op.size()));
        }
        String what = "realloc(0x" + Long.toHexString(b.ptr()) + ", " + op.size() + ")";
        Failure f = intact(b, b.size(), b.ptr(), "before " + what, WROTE_INTO);
        if (f != null) {
            return f;
        }
        remove(b);
        long t0 = call();
        long ptr = m.realloc(b.ptr(), op.size());
        nanos += process.nowNanos() - t0;
        f = placed(ptr, op.size(), what);
        if (f != null) {
            return f;
        }
        f = intact(
                b,
                Math.min(b.size(), op.size()),
                ptr,
                "after " + what + " returned 0x" + Long.toHexString(ptr),
                "realloc did not carry the block's bytes");
        if (f != null) {
            return f;
        }
        add(op.id(), ptr, op.size());
        return null;
    }

    /** The checks every returned block must pass. */
    private Failure placed(long ptr, long size, String what) {
        if (ptr == 0) {
            return failure("null", what + " returned NULL", "a block of " + size + " bytes (the heap may grow)");
        }
        String got = what + " returned 0x" + Long.toHexString(ptr);
        if ((ptr & (ALIGNMENT - 1)) != 0) {
            return failure(
                    "align", got + ", which is not " + ALIGNMENT + "-aligned", "an address that is a multiple of 16");
        }
        Map.Entry<Long, Block> below = live.floorEntry(ptr + Math.max(size, 1) - 1);
        if (below != null && below.getValue().ptr() + Math.max(below.getValue().size(), 1) > ptr) {
            Block o = below.getValue();
            return failure(
                    "overlap",
                    got + ", which overlaps block " + o.id() + " at 0x" + Long.toHexString(o.ptr()) + " (" + o.size()
                            + " bytes, still allocated)",
                    "a block no live block shares a byte with");
        }
        if (!space.owned(ptr, size)) {
            return failure(
                    "outside",
                    got + ", but 0x" + Long.toHexString(ptr) + "+" + size + " is not inside the heap",
                    "a block inside the heap");
        }
        return null;
    }

    private Failure intact(Block b, long len, long at, String when, String blame) {
        long head = Math.min(len, FULL_CHECK / 2);
        Failure f = intactRange(b, 0, head, at, when, blame);
        if (f == null && len > head) {
            long tailStart = Math.max(head, len - FULL_CHECK / 2);
            f = intactRange(b, tailStart, len - tailStart, at, when, blame);
        }
        return f;
    }

    private Failure intactRange(Block b, long from, long len, long at, String when, String blame) {
        if (len == 0) {
            return null;
        }
        process.read(at + from, buf, 0, (int) len);
        for (int i = 0; i < len; i++) {
            int want = patternByte(b.pattern(), from + i);
            if ((buf[i] & 0xff) != want) {
                return failure(
                        "clobbered",
                        String.format(
                                "%s, byte +%d of block %d (0x%x, %d bytes) is 0x%02x: %s",
                                when, from + i, b.id(), b.ptr(), b.size(), buf[i] & 0xff, blame),
                        String.format("0x%02x, the byte the program stored there", want));
            }
        }
        return null;
    }

    private static int patternByte(int pattern, long offset) {
        return (int) ((pattern * 31 + offset * 7) & 0xff);
    }

    private void add(int id, long ptr, long size) {
        Block b = new Block(id, ptr, size, id + 1);
        live.put(ptr, b);
        byId.put(id, b);
        liveBytes += size;
        peakLive = Math.max(peakLive, liveBytes);
        paint(b, 0, Math.min(size, FULL_CHECK / 2));
        if (size > FULL_CHECK / 2) {
            long tail = Math.max(FULL_CHECK / 2, size - FULL_CHECK / 2);
            paint(b, tail, size - tail);
        }
    }

    private void paint(Block b, long from, long len) {
        for (int i = 0; i < len; i++) {
            buf[i] = (byte) patternByte(b.pattern(), from + i);
        }
        process.write(b.ptr() + from, buf, 0, (int) len);
    }

    private void remove(Block b) {
        live.remove(b.ptr());
        byId.remove(b.id());
        liveBytes -= b.size();
    }

    private String heapText() {
        return String.format(
                "0x%x-0x%x (%d bytes)",
                process.startBrk(), process.brkAddress(), process.brkAddress() - process.startBrk());
    }

    private Failure failure(String kind, String problem, String expected) {
        int i = current;
        String op = i < 0
                ? "init()"
                : i >= trace.ops().size() ? "check()" : trace.ops().get(i).text();
        String state = live.size() + " live blocks, " + liveBytes + " bytes requested; heap " + heapText();
        return new Failure(i, op, kind, problem, expected, state);
    }
}
