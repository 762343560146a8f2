package io.kmemlab.slub;

import java.util.Locale;

/**
 * CONFIG_SLUB_STATS counters ({@code enum stat_item}, 6.18 order) with their sysfs file names.
 * kmemlab always counts them (one array increment per event).
 */
public enum SlubStat {
    ALLOC_PCS("alloc_cpu_sheaf"),
    ALLOC_FASTPATH,
    ALLOC_SLOWPATH,
    FREE_PCS("free_cpu_sheaf"),
    FREE_RCU_SHEAF,
    FREE_RCU_SHEAF_FAIL,
    FREE_FASTPATH,
    FREE_SLOWPATH,
    FREE_FROZEN,
    FREE_ADD_PARTIAL,
    FREE_REMOVE_PARTIAL,
    ALLOC_FROM_PARTIAL,
    ALLOC_SLAB,
    ALLOC_REFILL,
    ALLOC_NODE_MISMATCH,
    FREE_SLAB,
    CPUSLAB_FLUSH,
    DEACTIVATE_FULL,
    DEACTIVATE_EMPTY,
    DEACTIVATE_TO_HEAD,
    DEACTIVATE_TO_TAIL,
    DEACTIVATE_REMOTE_FREES,
    DEACTIVATE_BYPASS,
    ORDER_FALLBACK,
    CMPXCHG_DOUBLE_CPU_FAIL,
    CMPXCHG_DOUBLE_FAIL,
    CPU_PARTIAL_ALLOC,
    CPU_PARTIAL_FREE,
    CPU_PARTIAL_NODE,
    CPU_PARTIAL_DRAIN,
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

    SlubStat() {
        this.fileName = name().toLowerCase(Locale.ROOT);
    }

    SlubStat(String fileName) {
        this.fileName = fileName;
    }

    /** The /sys/kernel/slab/NAME/ file. */
    public String fileName() {
        return fileName;
    }
}
