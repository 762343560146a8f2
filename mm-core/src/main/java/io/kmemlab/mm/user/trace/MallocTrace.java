package io.kmemlab.mm.user.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A user-space allocation trace, read once and replayed into any number of allocators (as a
 * trace-driven simulator feeds one trace to every policy): the operations that passed the checks,
 * in struct-of-arrays form, and the problems of the ones that did not.
 *
 * <p>Every operation kept here is valid against the ids' history: a free or realloc names a live
 * id. An allocation of a live id is kept (the id takes the new block and the old one leaks, as in
 * replay.c) and counted in {@link #liveIdReuses()}. A replay can therefore apply them all without checks.
 * The checks are those of the trace, not of an allocator: "free of an id never allocated" is wrong
 * whatever serves the calls.
 */
public final class MallocTrace {
    /** Ids above this are refused (a trace names its blocks densely from 0). */
    public static final long MAX_ID = (1L << 28) - 1;

    /** Sizes above this cannot be served in the x86-64 user address space (128 TiB). */
    public static final long MAX_SIZE = 1L << 47;

    /** How many problems are kept with their text; the rest are only counted. */
    public static final int MAX_REPORTED = 200;

    /** The largest thread id a trace may name ({@code t TID}). */
    public static final int MAX_THREAD = 1023;

    /** One problem: its line, its kind and the details the report prints. */
    public record Problem(int line, TraceProblem kind, String detail) {
        /** {@code line 12: free of a freed id: f 7}. */
        public String report() {
            return "line " + line + ": " + kind.description() + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    private final String name;
    private final MallocTraceFormat format;
    private final int size;
    private final byte[] ops;
    private final long[] ids;
    private final long[] sizes;
    private final long[] args;
    private final int[] lines;
    private final int[] threads;
    private final int nrThreads;
    private final long maxId;
    private final long[] problemCounts;
    private final List<Problem> problems;
    private final int linesRead;
    private final long liveIdReuses;

    private MallocTrace(Builder b) {
        this.name = b.name;
        this.format = b.format;
        this.size = b.n;
        this.ops = Arrays.copyOf(b.ops, b.n);
        this.ids = Arrays.copyOf(b.ids, b.n);
        this.sizes = Arrays.copyOf(b.sizes, b.n);
        this.args = Arrays.copyOf(b.args, b.n);
        this.lines = Arrays.copyOf(b.lines, b.n);
        this.threads = b.maxThread == 0 ? null : Arrays.copyOf(b.threads, b.n);
        this.nrThreads = b.maxThread + 1;
        this.maxId = b.maxId;
        this.problemCounts = b.problemCounts.clone();
        this.problems = Collections.unmodifiableList(new ArrayList<>(b.problems));
        this.linesRead = b.linesRead;
        this.liveIdReuses = b.liveIdReuses;
    }

    /**
     * Allocations of an id that was live: applied as replay.c applies them (the id takes the new
     * block, the old one leaks), counted but not a problem.
     */
    public long liveIdReuses() {
        return liveIdReuses;
    }

    /** The trace's name (its file name). */
    public String name() {
        return name;
    }

    public MallocTraceFormat format() {
        return format;
    }

    /** Operations kept (valid ones). */
    public int size() {
        return size;
    }

    public MallocOp op(int i) {
        return MallocOp.VALUES[ops[i]];
    }

    public long id(int i) {
        return ids[i];
    }

    /** The requested size (for calloc, the element size). */
    public long requestSize(int i) {
        return sizes[i];
    }

    /** calloc's element count, memalign's alignment, 0 otherwise. */
    public long arg(int i) {
        return args[i];
    }

    /** Bytes the operation asks for (calloc: nmemb × size). */
    public long bytes(int i) {
        return ops[i] == MallocOp.CALLOC.ordinal() ? sizes[i] * args[i] : sizes[i];
    }

    /** The line the operation came from. */
    public int line(int i) {
        return lines[i];
    }

    /** The thread that made the operation (0, the main thread, unless the trace says otherwise). */
    public int thread(int i) {
        return threads == null ? 0 : threads[i];
    }

    /** Threads of the recorded program: one more than the largest thread id (1 for most traces). */
    public int nrThreads() {
        return nrThreads;
    }

    /** The largest id of a kept operation, -1 if none. */
    public long maxId() {
        return maxId;
    }

    /** Operations of kind {@code op} kept. */
    public long count(MallocOp op) {
        long c = 0;
        for (int i = 0; i < size; i++) {
            if (ops[i] == op.ordinal()) {
                c++;
            }
        }
        return c;
    }

    /** Problems of kind {@code kind} found. */
    public long problems(TraceProblem kind) {
        return problemCounts[kind.ordinal()];
    }

    /** All problems found. */
    public long totalProblems() {
        long t = 0;
        for (long c : problemCounts) {
            t += c;
        }
        return t;
    }

    /** The first {@link #MAX_REPORTED} problems, in line order. */
    public List<Problem> reportedProblems() {
        return problems;
    }

    /** Lines of the input read. */
    public int linesRead() {
        return linesRead;
    }

    public static Builder builder(String name, MallocTraceFormat format) {
        return new Builder(name, format);
    }

    /**
     * Collects a reader's operations, checking each against the history of its id: never seen,
     * live, or freed. The problems it finds are reported like the reader's own.
     */
    public static final class Builder implements MallocTraceSink {
        private static final byte NEVER = 0;
        private static final byte LIVE = 1;
        private static final byte FREED = 2;

        private final String name;
        private final MallocTraceFormat format;
        private byte[] ops = new byte[1024];
        private long[] ids = new long[1024];
        private long[] sizes = new long[1024];
        private long[] args = new long[1024];
        private int[] lines = new int[1024];
        private int[] threads = new int[1024];
        private int thread;
        private int maxThread;
        private int n;
        private byte[] state = new byte[1024];
        private long declaredIds = -1;
        private long maxId = -1;
        private final long[] problemCounts = new long[TraceProblem.COUNT];
        private final List<Problem> problems = new ArrayList<>();
        private int linesRead;
        private long liveIdReuses;

        private Builder(String name, MallocTraceFormat format) {
            this.name = name;
            this.format = format;
        }

        @Override
        public void declareIds(long numIds) {
            this.declaredIds = numIds;
        }

        @Override
        public void thread(int line, int tid) {
            if (tid < 0 || tid > MAX_THREAD) {
                problem(line, TraceProblem.MALFORMED, "t " + tid + " (threads run from 0 to " + MAX_THREAD + ")");
                return;
            }
            thread = tid;
            maxThread = Math.max(maxThread, tid);
        }

        /** Records how many lines the reader went through. */
        public void linesRead(int lines) {
            this.linesRead = lines;
        }

        @Override
        public void malloc(int line, long id, long size) {
            if (checkAlloc(line, id, 'a', size) && checkSize(line, size, "a " + id + " " + size)) {
                add(MallocOp.MALLOC, line, id, size, 0);
            }
        }

        @Override
        public void calloc(int line, long id, long nmemb, long size) {
            String text = "c " + id + " " + nmemb + " " + size;
            if (!checkAlloc(line, id, 'c', size) || !checkSize(line, nmemb, text) || !checkSize(line, size, text)) {
                return;
            }
            if (size != 0 && nmemb > MAX_SIZE / size) {
                problem(line, TraceProblem.ABSURD_SIZE, text + " (" + nmemb + " × " + size + " overflows)");
                return;
            }
            add(MallocOp.CALLOC, line, id, size, nmemb);
        }

        @Override
        public void memalign(int line, long id, long alignment, long size) {
            String text = "m " + id + " " + alignment + " " + size;
            if (!checkAlloc(line, id, 'm', size) || !checkSize(line, size, text)) {
                return;
            }
            if (alignment <= 0 || Long.bitCount(alignment) != 1 || alignment > MAX_SIZE) {
                problem(line, TraceProblem.MALFORMED, text + " (the alignment is not a power of two)");
                return;
            }
            add(MallocOp.MEMALIGN, line, id, size, alignment);
        }

        @Override
        public void realloc(int line, long id, long size) {
            String text = "r " + id + " " + size;
            if (!checkId(line, id, text)) {
                return;
            }
            byte s = state(id);
            if (s == NEVER) {
                problem(line, TraceProblem.REALLOC_NEVER_ALLOCATED, text);
                return;
            }
            if (s == FREED) {
                problem(line, TraceProblem.REALLOC_FREED, text);
                return;
            }
            if (checkSize(line, size, text)) {
                add(MallocOp.REALLOC, line, id, size, 0);
            }
        }

        @Override
        public void free(int line, long id) {
            String text = "f " + id;
            if (!checkId(line, id, text)) {
                return;
            }
            byte s = state(id);
            if (s == NEVER) {
                problem(line, TraceProblem.NEVER_ALLOCATED, text);
                return;
            }
            if (s == FREED) {
                problem(line, TraceProblem.DOUBLE_FREE, text);
                return;
            }
            add(MallocOp.FREE, line, id, 0, 0);
        }

        @Override
        public void problem(int line, TraceProblem kind, String detail) {
            problemCounts[kind.ordinal()]++;
            if (problems.size() < MAX_REPORTED) {
                problems.add(new Problem(line, kind, detail));
            }
        }

        private boolean checkAlloc(int line, long id, char letter, long size) {
            if (!checkId(line, id, letter + " " + id + " " + size)) {
                return false;
            }
            if (state(id) == LIVE) {
                // replay.c does ptr[id] = malloc(n): the old block leaks. Real traces do this (the
                // recorder's ids restart in an exec'ed child), and the answer files have the line.
                liveIdReuses++;
            }
            return true;
        }

        private boolean checkId(int line, long id, String text) {
            if (id < 0 || id > MAX_ID) {
                problem(line, TraceProblem.UNKNOWN_ID, text + " (ids run from 0 to " + MAX_ID + ")");
                return false;
            }
            if (declaredIds >= 0 && id >= declaredIds) {
                problem(line, TraceProblem.UNKNOWN_ID, text + " (the header declares " + declaredIds + " ids)");
                return false;
            }
            return true;
        }

        private boolean checkSize(int line, long size, String text) {
            if (size < 0) {
                problem(line, TraceProblem.NEGATIVE_SIZE, text);
                return false;
            }
            if (size > MAX_SIZE) {
                problem(line, TraceProblem.ABSURD_SIZE, text + " (more than the 128 TiB user address space)");
                return false;
            }
            return true;
        }

        private byte state(long id) {
            return id < state.length ? state[(int) id] : NEVER;
        }

        private void add(MallocOp op, int line, long id, long size, long arg) {
            if (n == ops.length) {
                int cap = n * 2;
                ops = Arrays.copyOf(ops, cap);
                ids = Arrays.copyOf(ids, cap);
                sizes = Arrays.copyOf(sizes, cap);
                args = Arrays.copyOf(args, cap);
                lines = Arrays.copyOf(lines, cap);
                threads = Arrays.copyOf(threads, cap);
            }
            threads[n] = thread;
            ops[n] = (byte) op.ordinal();
            ids[n] = id;
            sizes[n] = size;
            args[n] = arg;
            lines[n] = line;
            n++;
            if (id >= state.length) {
                state = Arrays.copyOf(state, (int) Math.min(MAX_ID + 1, Math.max(id + 1, state.length * 2L)));
            }
            state[(int) id] = op == MallocOp.FREE ? FREED : LIVE;
            maxId = Math.max(maxId, id);
        }

        public MallocTrace build() {
            return new MallocTrace(this);
        }
    }
}
