package io.kmemlab.boot.contention;

import io.kmemlab.mm.sched.ContentionRow;
import io.kmemlab.mm.sched.ThreadBody;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.trace.MallocOp;
import io.kmemlab.mm.user.trace.MallocTrace;
import io.kmemlab.mm.user.trace.MallocTraceFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A real multi-threaded program's allocations, replayed thread by thread: {@code pipeline.trace},
 * recorded by scripts/mt-record.c (a three-stage pthread pipeline on glibc 2.36: each stage
 * mallocs what it passes on, the next frees it) in kmemlab's recording format with {@code t TID}
 * lines. Each recorded thread is one virtual thread running its own operations in program order;
 * an operation on a block another thread has not allocated yet in virtual time waits (a 2 µs
 * poll, not counted as an operation), as the real consumer waited on its queue. The trace's
 * threads are fixed (three); {@code --threads N} gives them N CPUs to share (at most three), and
 * {@code --ops} caps each thread's operations.
 */
public final class PipelineWorkload extends UserWorkload {
    static final String RESOURCE = "pipeline.trace";
    /** A wait on the queue: a condition-variable sleep and wake, as the real consumer does. */
    static final long POLL_NANOS = 2_000;

    private final MallocTrace trace = load();

    private static MallocTrace load() {
        try (InputStream in = PipelineWorkload.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + RESOURCE);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            MallocTrace t = MallocTraceFormat.KMEMLAB.read(RESOURCE, text);
            if (t.totalProblems() != 0) {
                throw new IllegalStateException(
                        RESOURCE + ": " + t.reportedProblems().get(0).report());
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded program's threads that made operations (thread 0, main, made none). */
    int traceThreads() {
        return trace.nrThreads() - 1;
    }

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public String description() {
        return "a recorded 3-stage pthread pipeline (scripts/mt-record.c): each stage mallocs, the next frees;"
                + " --threads = CPUs";
    }

    @Override
    protected long defaultOps() {
        return Long.MAX_VALUE;
    }

    private long polls;

    @Override
    public ContentionRow run(String config, int threads, ContentionOptions options, StringBuilder views) {
        int cpus = options.cpus() > 0 ? options.cpus() : Math.min(threads, traceThreads());
        polls = 0;
        ContentionRow r = super.run(
                config,
                traceThreads(),
                new ContentionOptions(cpus, options.seed(), options.cost(), options.opsPerThread()),
                views);
        return new ContentionRow(
                r.config() + " on " + cpus + (cpus == 1 ? " CPU" : " CPUs"),
                r.threads(),
                r.cpus(),
                r.ops() - polls,
                r.elapsed(),
                r.acquisitions(),
                r.contentions(),
                r.sleeps(),
                r.waitNs(),
                r.ownerSwitches());
    }

    @Override
    protected ThreadBody[] program(Program p, int threads, long ops, long seed) {
        int n = traceThreads();
        int[][] mine = new int[n][];
        int[] count = new int[n];
        for (int i = 0; i < trace.size(); i++) {
            count[trace.thread(i) - 1]++;
        }
        for (int k = 0; k < n; k++) {
            mine[k] = new int[count[k]];
            count[k] = 0;
        }
        for (int i = 0; i < trace.size(); i++) {
            int k = trace.thread(i) - 1;
            mine[k][count[k]++] = i;
        }
        long[] addr = new long[(int) trace.maxId() + 1];
        boolean[] live = new boolean[addr.length];
        ThreadBody[] bodies = new ThreadBody[n];
        for (int k = 0; k < n; k++) {
            int tid = k + 1;
            p.pthreadCreate();
            int[] list = mine[k];
            long limit = Math.min(ops, list.length);
            int[] pc = {0};
            bodies[k] = (t, steps) -> {
                if (pc[0] >= limit) {
                    return false;
                }
                int i = list[pc[0]];
                MallocOp op = trace.op(i);
                int id = (int) trace.id(i);
                boolean needsLive = op == MallocOp.FREE || op == MallocOp.REALLOC;
                if (needsLive && !live[id]) {
                    // another thread's malloc of it is still ahead in virtual time: wait for it
                    polls++;
                    steps.work(POLL_NANOS);
                    return true;
                }
                pc[0]++;
                UserAllocator a = p.as(tid);
                steps.work(GlibcThreadWorkload.LOOP_NANOS);
                switch (op) {
                    case MALLOC -> addr[id] = a.malloc(trace.requestSize(i));
                    case CALLOC -> addr[id] = a.calloc(trace.arg(i), trace.requestSize(i));
                    case MEMALIGN -> addr[id] = a.memalign(trace.arg(i), trace.requestSize(i));
                    case REALLOC -> addr[id] = a.realloc(addr[id], trace.requestSize(i));
                    default -> a.free(addr[id]);
                }
                live[id] = op != MallocOp.FREE;
                return true;
            };
        }
        return bodies;
    }
}
