package io.kmemlab.boot.contention;

import io.kmemlab.mm.sched.ThreadBody;
import io.kmemlab.mm.user.UserAllocator;
import java.util.SplittableRandom;

/**
 * larson (Larson and Krishnan, ISMM '98; mimalloc-bench's {@code larson 5 8 1000 5000 100 4141 N}):
 * each thread owns 5000 slots filled before timing starts; each step frees a random slot and
 * mallocs into it a size drawn uniformly from [8, 1000]. After every round (a tenth of its
 * operations) the thread exits and a new thread takes its slots over — the objects the old one
 * allocated are freed by the new one ("bleeding"), so frees cross threads and the allocator sees
 * thread exit and creation. Random numbers are each thread's own seeded stream, not larson's lran2.
 */
public final class LarsonWorkload extends UserWorkload {
    static final int SLOTS = 5000;
    static final int MIN_SIZE = 8;
    static final int MAX_SIZE = 1000;
    static final int ROUNDS = 10;

    @Override
    public String name() {
        return "larson";
    }

    @Override
    public String description() {
        return "larson: 5000 slots per thread, free a random one, malloc 8..1000 bytes; threads hand their slots"
                + " to new threads each round";
    }

    @Override
    protected long defaultOps() {
        return 100_000;
    }

    @Override
    protected ThreadBody[] program(Program p, int threads, long ops, long seed) {
        ThreadBody[] bodies = new ThreadBody[threads];
        long perRound = Math.max(2, ops / ROUNDS) & ~1L;
        for (int i = 0; i < threads; i++) {
            int first = i + 1;
            p.pthreadCreate();
            SplittableRandom warm = new SplittableRandom(seed * 31 + i);
            long[] slots = new long[SLOTS];
            UserAllocator w = p.as(first);
            for (int k = 0; k < SLOTS; k++) {
                slots[k] = w.malloc(warm.nextInt(MIN_SIZE, MAX_SIZE + 1));
            }
            long[] st = new long[3]; // ops done, current tid, slot
            st[1] = first;
            bodies[i] = (t, steps) -> {
                if (st[0] >= ops) {
                    return false;
                }
                if (st[0] > 0 && st[0] % perRound == 0 && (st[0] & 1) == 0) {
                    // the round's end: this thread exits, a new one (a new id) inherits the slots
                    p.exit((int) st[1]);
                    p.pthreadCreate();
                    st[1] += threads;
                }
                UserAllocator a = p.as((int) st[1]);
                steps.work(GlibcThreadWorkload.LOOP_NANOS);
                if ((st[0]++ & 1) == 0) {
                    st[2] = t.random().nextInt(SLOTS);
                    a.free(slots[(int) st[2]]);
                    slots[(int) st[2]] = 0;
                } else {
                    slots[(int) st[2]] = a.malloc(t.random().nextInt(MIN_SIZE, MAX_SIZE + 1));
                }
                return true;
            };
        }
        return bodies;
    }
}
