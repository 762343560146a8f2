package io.kmemlab.slub;

import java.util.Locale;

/**
 * CONFIG_SLUB_STATS counters ({@code enum stat_item}, 6.18 order) with their sysfs file names.
 * kmemlab always counts them (one array increment per event). 7.0 removed 17 of the 43 (those
 * marked {@link #removedIn7()}); the other 26 keep their order, and 7.x counts sheaf hits as
 * ALLOC_FASTPATH and FREE_FASTPATH.
 */
public enum SlubStat {
    ALLOC_PCS("alloc_cpu_sheaf", true),
    ALLOC_FASTPATH,
    ALLOC_SLOWPATH,
    FREE_PCS("free_cpu_sheaf", true),
    FREE_RCU_SHEAF,
    FREE_RCU_SHEAF_FAIL,
    FREE_FASTPATH,
    FREE_SLOWPATH,
    FREE_FROZEN(true),
    FREE_ADD_PARTIAL,
    FREE_REMOVE_PARTIAL,
    ALLOC_FROM_PARTIAL(true),
    ALLOC_SLAB,
    ALLOC_REFILL(true),
    ALLOC_NODE_MISMATCH,
    FREE_SLAB,
    CPUSLAB_FLUSH(true),
    DEACTIVATE_FULL(true),
    DEACTIVATE_EMPTY(true),
    DEACTIVATE_TO_HEAD(true),
    DEACTIVATE_TO_TAIL(true),
    DEACTIVATE_REMOTE_FREES(true),
    DEACTIVATE_BYPASS(true),
    ORDER_FALLBACK,
    CMPXCHG_DOUBLE_CPU_FAIL(true),
    CMPXCHG_DOUBLE_FAIL,
    CPU_PARTIAL_ALLOC(true),
    CPU_PARTIAL_FREE(true),
    CPU_PARTIAL_NODE(true),
    CPU_PARTIAL_DRAIN(true),
    SHEAF_FLUSH,
    SHEAF_REFILL,
    SHEAF_ALLOC,
    SHEAF_FREE,
    BARN_GET,
    BARN_GET_FAIL,
    BARN_PUT,
    BARN_PUT_FAIL,
    SHEAF_PREFILL_FAST,
    SHEAF_PREFILL_SLOW,
    SHEAF_PREFILL_OVERSIZE,
    SHEAF_RETURN_FAST,
    SHEAF_RETURN_SLOW;

    public static final int COUNT = values().length;

    private final String fileName;
    private final boolean removedIn7;

    SlubStat() {
        this(false);
    }

    SlubStat(boolean removedIn7) {
        this.fileName = name().toLowerCase(Locale.ROOT);
        this.removedIn7 = removedIn7;
    }

    SlubStat(String fileName, boolean removedIn7) {
        this.fileName = fileName;
        this.removedIn7 = removedIn7;
    }

    /** True for the 17 counters 7.0 removed (their sysfs files are gone). */
    public boolean removedIn7() {
        return removedIn7;
    }

    /** The /sys/kernel/slab/NAME/ file. */
    public String fileName() {
        return fileName;
    }
}
