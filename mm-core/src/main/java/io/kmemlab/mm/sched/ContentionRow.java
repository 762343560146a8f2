package io.kmemlab.mm.sched;

import java.util.List;

/**
 * One configuration at one thread count: what {@code kmemlab contention} prints a line of.
 *
 * @param config what ran (an allocator and its settings: {@code glibc arena_max=1})
 * @param threads threads of the workload
 * @param cpus virtual CPUs they ran on
 * @param ops operations completed (a malloc or a free, a page or object allocated or freed)
 * @param elapsed virtual nanoseconds from the first operation to the last thread's end
 * @param acquisitions lock acquisitions, every lock of the run
 * @param contentions acquisitions whose first attempt found the lock held
 * @param sleeps times a waiter went to sleep
 * @param waitNs virtual nanoseconds threads spent waiting for locks
 * @param ownerSwitches acquisitions by another thread than the lock's previous owner
 */
public record ContentionRow(
        String config,
        int threads,
        int cpus,
        long ops,
        long elapsed,
        long acquisitions,
        long contentions,
        long sleeps,
        long waitNs,
        long ownerSwitches) {

    /** The row of a finished run: its ops and elapsed time from the threads, its counts from every lock. */
    public static ContentionRow of(String config, Scheduler s) {
        return of(config, s, s.locks());
    }

    /** The same, counting only {@code locks}. */
    public static ContentionRow of(String config, Scheduler s, List<VLock> locks) {
        long ops = 0;
        long end = 0;
        long wait = 0;
        for (VThread t : s.threads()) {
            ops += t.ops();
            end = Math.max(end, t.finished() ? t.finishedAt() : s.now());
            wait += t.lockWait();
        }
        long acq = 0;
        long con = 0;
        long sleeps = 0;
        long sw = 0;
        for (VLock l : locks) {
            acq += l.acquisitions();
            con += l.contentions();
            sleeps += l.sleeps();
            sw += l.ownerSwitches();
        }
        return new ContentionRow(config, s.threads().size(), s.nrCpus(), ops, end, acq, con, sleeps, wait, sw);
    }

    /** Operations per virtual second, all threads together. */
    public double opsPerSecond() {
        return elapsed == 0 ? 0 : ops * 1e9 / elapsed;
    }

    /** Virtual nanoseconds per operation of one thread (elapsed over each thread's share). */
    public double nsPerOp() {
        return ops == 0 ? 0 : (double) elapsed * threads / ops;
    }

    public double acquisitionsPerOp() {
        return ops == 0 ? 0 : (double) acquisitions / ops;
    }

    /** Contended acquisitions per 1000 operations. */
    public double waitsPer1000() {
        return ops == 0 ? 0 : contentions * 1000.0 / ops;
    }

    public double waitNsPerOp() {
        return ops == 0 ? 0 : (double) waitNs / ops;
    }
}
