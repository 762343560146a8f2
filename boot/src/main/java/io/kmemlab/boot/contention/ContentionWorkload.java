package io.kmemlab.boot.contention;

import io.kmemlab.mm.sched.ContentionRow;
import io.kmemlab.mm.sched.CostModel;
import java.util.List;

/**
 * A workload {@code kmemlab contention --workload NAME} can run: threads of a process on its
 * user-space allocators, or CPUs of the kernel on its page and slab allocators, each
 * configuration at each thread count, in virtual time. Implementations are listed in {@code
 * META-INF/services/io.kmemlab.boot.contention.ContentionWorkload}.
 */
public interface ContentionWorkload {
    /** The {@code --workload} value. */
    String name();

    /** One line for {@code kmemlab contention --help}. */
    String description();

    /** The configurations it compares by default, in table order (the rows' config names). */
    List<String> configs();

    /**
     * The cost model {@code --cost} overrides for this workload: {@link CostModel#DEFAULT} unless
     * the workload was calibrated against a real machine (docs/contention.md).
     */
    default CostModel defaultCost() {
        return CostModel.DEFAULT;
    }

    /**
     * Runs configuration {@code config} with {@code threads} threads and appends the lock views
     * the configuration has (lock_stat, jemalloc's mutex table, xv6's statistics) to {@code views}.
     *
     * @throws IllegalArgumentException for a configuration this workload does not know
     */
    ContentionRow run(String config, int threads, ContentionOptions options, StringBuilder views);
}
