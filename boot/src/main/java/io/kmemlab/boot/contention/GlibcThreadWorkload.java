package io.kmemlab.boot.contention;

import io.kmemlab.mm.sched.ThreadBody;
import io.kmemlab.mm.user.UserAllocator;

/**
 * glibc's {@code benchtests/bench-malloc-thread.c}: each thread keeps a working set of 1024 slots
 * and loops — take the next entry of a 4096-entry offset table, free that slot, malloc into it a
 * size from the next entry of an 8000-entry table. Both tables are drawn once, before the threads
 * start, from {@code rand()} with its default seed ({@link GlibcRandom}): sizes from an
 * inverse-square distribution on [4, 32768] computed in single precision as the benchmark does
 * ({@code powf((max^-1 − min^-1)·r/RAND_MAX + min^-1, −1)}), offsets as {@code rand() % 1024}.
 * The real benchmark runs for 3 s; here each thread runs a fixed number of operations (a free or
 * a malloc each, two per iteration), as scripts/contention-native.c does.
 */
public final class GlibcThreadWorkload extends UserWorkload {
    static final int WORKING_SET_SIZE = 1024;
    static final int NUM_OFFSETS = WORKING_SET_SIZE * 4;
    static final int NUM_BLOCK_SIZES = 8000;
    static final int MIN_ALLOCATION_SIZE = 4;
    static final int MAX_ALLOCATION_SIZE = 32768;

    /** The program's own work per call: the table lookups and the slot's load or store. */
    static final long LOOP_NANOS = 1;

    static final int[] SIZES = new int[NUM_BLOCK_SIZES];
    static final int[] OFFSETS = new int[NUM_OFFSETS];

    static {
        GlibcRandom r = new GlibcRandom();
        for (int i = 0; i < NUM_BLOCK_SIZES; i++) {
            SIZES[i] = blockSize(r.next());
        }
        for (int i = 0; i < NUM_OFFSETS; i++) {
            OFFSETS[i] = r.next() % WORKING_SET_SIZE;
        }
    }

    /** get_block_size(): the inverse-square draw, in float as the C code computes it. */
    static int blockSize(int randData) {
        final float exponent = -2;
        float minPow = (float) Math.pow(MIN_ALLOCATION_SIZE, exponent + 1);
        float maxPow = (float) Math.pow(MAX_ALLOCATION_SIZE, exponent + 1);
        float r = (float) randData / GlibcRandom.RAND_MAX;
        float x = (maxPow - minPow) * r + minPow;
        return (int) (float) Math.pow(x, 1 / (exponent + 1));
    }

    @Override
    public String name() {
        return "glibc-thread";
    }

    @Override
    public String description() {
        return "glibc's bench-malloc-thread: 1024 slots per thread, free one, malloc an inverse-square size in [4, 32768]";
    }

    @Override
    protected long defaultOps() {
        return 200_000;
    }

    @Override
    protected ThreadBody[] program(Program p, int threads, long ops, long seed) {
        ThreadBody[] bodies = new ThreadBody[threads];
        for (int i = 0; i < threads; i++) {
            int tid = i + 1;
            p.pthreadCreate();
            // the worker's calloc'd pointer array, before it starts timing
            p.as(tid).calloc(WORKING_SET_SIZE, 8);
            long[] slots = new long[WORKING_SET_SIZE];
            int[] state = new int[3]; // offset index, size index, operations done
            bodies[i] = (t, steps) -> {
                if (state[2] >= ops) {
                    return false;
                }
                UserAllocator a = p.as(tid);
                steps.work(LOOP_NANOS);
                if ((state[2]++ & 1) == 0) {
                    state[0] = state[0] >= NUM_OFFSETS - 1 ? 0 : state[0] + 1;
                    a.free(slots[OFFSETS[state[0]]]);
                    slots[OFFSETS[state[0]]] = 0;
                } else {
                    state[1] = state[1] >= NUM_BLOCK_SIZES - 1 ? 0 : state[1] + 1;
                    slots[OFFSETS[state[0]]] = a.malloc(SIZES[state[1]]);
                }
                return true;
            };
        }
        return bodies;
    }
}
