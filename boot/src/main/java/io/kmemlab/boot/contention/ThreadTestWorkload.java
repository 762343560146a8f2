package io.kmemlab.boot.contention;

import io.kmemlab.mm.sched.ThreadBody;
import io.kmemlab.mm.user.UserAllocator;

/**
 * Hoard's threadtest ({@code threadtest P 1000 100000 0 8}): each thread repeatedly mallocs a
 * batch of 8-byte objects — 100000 / P of them — and then frees the whole batch; nothing is
 * shared between threads, so any slowdown with threads is the allocator's own.
 */
public final class ThreadTestWorkload extends UserWorkload {
    static final int OBJECTS = 100_000;
    static final int SIZE = 8;

    @Override
    public String name() {
        return "threadtest";
    }

    @Override
    public String description() {
        return "Hoard's threadtest: batches of 100000/P 8-byte objects, malloc all then free all, no sharing";
    }

    @Override
    protected long defaultOps() {
        return 200_000;
    }

    @Override
    protected ThreadBody[] program(Program p, int threads, long ops, long seed) {
        ThreadBody[] bodies = new ThreadBody[threads];
        int batch = Math.max(1, OBJECTS / threads);
        for (int i = 0; i < threads; i++) {
            int tid = i + 1;
            p.pthreadCreate();
            long[] objs = new long[batch];
            long[] st = new long[1];
            bodies[i] = (t, steps) -> {
                if (st[0] >= ops) {
                    return false;
                }
                UserAllocator a = p.as(tid);
                steps.work(GlibcThreadWorkload.LOOP_NANOS);
                long k = st[0]++ % (2L * batch);
                if (k < batch) {
                    objs[(int) k] = a.malloc(SIZE);
                } else {
                    a.free(objs[(int) (k - batch)]);
                }
                return true;
            };
        }
        return bodies;
    }
}
