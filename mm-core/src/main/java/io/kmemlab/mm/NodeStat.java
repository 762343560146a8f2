package io.kmemlab.mm;

/**
 * Node counters kept outside the page allocator ({@code enum node_stat_item} items the model
 * keeps), read by {@code /proc/meminfo} and {@code /proc/vmstat}. Slab counters are in bytes as in
 * 6.18 (NR_SLAB_*_B) and printed in pages.
 */
public enum NodeStat {
    NR_SLAB_RECLAIMABLE_B,
    NR_SLAB_UNRECLAIMABLE_B,
    NR_KERNEL_STACK_KB,
    /** Page-table pages of user address spaces (PGD, PUD, PMD and PTE tables), in pages. */
    NR_PAGETABLE,
    /** Mapped anonymous pages (meminfo AnonPages), in pages. */
    NR_ANON_MAPPED,
    /** Shared memory pages (meminfo Shmem), in pages. */
    NR_SHMEM;

    public static final int COUNT = values().length;
}
