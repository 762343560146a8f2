package io.kmemlab.boot.contention;

import io.kmemlab.mm.sched.CostModel;

/**
 * What every contention run shares.
 *
 * @param cpus virtual CPUs, or 0 for one CPU per thread
 * @param seed the run's seed (workload randomness, thread streams)
 * @param cost the cost model
 * @param opsPerThread operations each thread performs (a workload's own default when 0)
 */
public record ContentionOptions(int cpus, long seed, CostModel cost, long opsPerThread) {
    /** The CPUs a run of {@code threads} threads gets. */
    public int cpusFor(int threads) {
        return cpus > 0 ? cpus : Math.max(1, Math.min(64, threads));
    }
}
