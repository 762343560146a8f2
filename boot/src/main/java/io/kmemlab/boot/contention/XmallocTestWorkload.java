package io.kmemlab.boot.contention;

import io.kmemlab.mm.sched.ThreadBody;
import io.kmemlab.mm.user.UserAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * xmalloc-test (Lever and Boreham, USENIX '00; mimalloc-bench's {@code xmalloc-test -w N -s 64}):
 * memory allocated by one thread is freed by another. Here the threads form a ring: each mallocs
 * a batch of 64 objects of 64 bytes and hands it to the next thread, then frees a batch handed to
 * it by the previous one — every free is a cross-thread free. A thread whose inbox is empty frees
 * its own oldest batch instead (with one thread every free is local). Virtual time orders the
 * hand-offs: a batch is in the inbox from the operation that completed it.
 */
public final class XmallocTestWorkload extends UserWorkload {
    static final int BATCH = 64;
    static final int SIZE = 64;

    @Override
    public String name() {
        return "xmalloc-test";
    }

    @Override
    public String description() {
        return "xmalloc-test: a ring of threads, each mallocs batches of 64-byte objects the next thread frees";
    }

    @Override
    protected long defaultOps() {
        return 200_000;
    }

    @Override
    protected ThreadBody[] program(Program p, int threads, long ops, long seed) {
        ThreadBody[] bodies = new ThreadBody[threads];
        List<ArrayDeque<long[]>> inbox = new ArrayList<>();
        List<ArrayDeque<long[]>> own = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            inbox.add(new ArrayDeque<>());
            own.add(new ArrayDeque<>());
        }
        for (int i = 0; i < threads; i++) {
            int tid = i + 1;
            int me = i;
            int next = (i + 1) % threads;
            p.pthreadCreate();
            long[] st = new long[2]; // ops done, position in the batch
            long[][] cur = new long[2][]; // the batch being made, the batch being freed
            bodies[i] = (t, steps) -> {
                if (st[0] >= ops) {
                    return false;
                }
                UserAllocator a = p.as(tid);
                steps.work(GlibcThreadWorkload.LOOP_NANOS);
                long k = st[0]++ % (2L * BATCH);
                if (k < BATCH) {
                    if (k == 0) {
                        cur[0] = new long[BATCH];
                    }
                    cur[0][(int) k] = a.malloc(SIZE);
                    if (k == BATCH - 1) {
                        (threads == 1 ? own.get(me) : inbox.get(next)).add(cur[0]);
                    }
                } else {
                    if (k == BATCH) {
                        cur[1] = !inbox.get(me).isEmpty()
                                ? inbox.get(me).poll()
                                : own.get(me).poll();
                    }
                    if (cur[1] != null) {
                        a.free(cur[1][(int) (k - BATCH)]);
                    }
                }
                return true;
            };
        }
        return bodies;
    }
}
