package io.kmemlab.malloc.jemalloc;

/**
 * decay_t: how many of an ecache's pages may stay unpurged. Time is cut into 200 epochs of
 * {@code decay_ms / 200}; each epoch's newly dirtied pages enter a backlog, and a page that entered
 * {@code k} epochs ago may remain with weight {@code 1 - smootherstep(k / 200)} (jemalloc's
 * {@code h_steps}: 6x⁵ − 15x⁴ + 10x³ in 24-bit fixed point, truncated). Runs on the machine's
 * virtual clock; the deadline jitter is drawn from a PRNG seeded per arena, so runs repeat.
 */
final class Decay {
    static final int NSTEPS = 200;
    static final int BFP = 24;
    static final long[] H_STEPS = new long[NSTEPS];

    static {
        for (int i = 1; i <= NSTEPS; i++) {
            long n = (long) i * i * i * (10L * NSTEPS * NSTEPS - 15L * i * NSTEPS + 6L * i * i);
            long d = (long) NSTEPS * NSTEPS * NSTEPS * NSTEPS * NSTEPS;
            H_STEPS[i - 1] = (n << BFP) / d;
        }
    }

    final long ms;
    private final long interval;
    private long epoch;
    private long deadline;
    private long jitterState;
    private final long[] backlog = new long[NSTEPS];
    private long nunpurged;
    long npagesLimit;

    Decay(long ms, long now, long seed) {
        this.ms = ms;
        this.interval = ms > 0 ? ms * 1_000_000L / NSTEPS : 0;
        this.epoch = now;
        this.jitterState = seed;
        deadlineInit();
    }

    private void deadlineInit() {
        deadline = epoch + interval;
        if (ms > 0) {
            deadline += Prng.range(this, interval);
        }
    }

    long nextJitterState() {
        jitterState = jitterState * Prng.A + Prng.C;
        return jitterState;
    }

    /** decay_maybe_advance_epoch. */
    boolean maybeAdvanceEpoch(long now, long npagesCurrent) {
        if (now < epoch) {
            epoch = now;
            deadlineInit();
        }
        if (now < deadline) {
            return false;
        }
        long nadvance = (now - epoch) / interval;
        epoch += nadvance * interval;
        deadlineInit();
        if (nadvance >= NSTEPS) {
            java.util.Arrays.fill(backlog, 0, NSTEPS - 1, 0);
        } else {
            int n = (int) nadvance;
            System.arraycopy(backlog, n, backlog, 0, NSTEPS - n);
            if (n > 1) {
                java.util.Arrays.fill(backlog, NSTEPS - n, NSTEPS - 1, 0);
            }
        }
        backlog[NSTEPS - 1] = npagesCurrent > nunpurged ? npagesCurrent - nunpurged : 0;
        long sum = 0;
        for (int i = 0; i < NSTEPS; i++) {
            sum += backlog[i] * H_STEPS[i];
        }
        npagesLimit = sum >>> BFP;
        nunpurged = Math.max(npagesLimit, npagesCurrent);
        return true;
    }

    /** jemalloc's prng_range_u64 over a decay's own state (an LCG, the upper bits). */
    static final class Prng {
        static final long A = 6364136223846793005L;
        static final long C = 1442695040888963407L;

        private Prng() {}

        static long range(Decay d, long range) {
            if (range <= 1) {
                return 0;
            }
            int lgRange = 64 - Long.numberOfLeadingZeros(range - 1);
            long ret;
            do {
                ret = d.nextJitterState() >>> (64 - lgRange);
            } while (Long.compareUnsigned(ret, range) >= 0);
            return ret;
        }
    }
}
