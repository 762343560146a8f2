package io.kmemlab.mm.page;

/** Machine-wide read-only page allocator counters (the ones reports compare across runs). */
public interface PageAllocatorMetric {
    /** NR_FREE_PAGES summed over zones (pages on per-CPU lists are not free). */
    long nrFreePages();

    /** Managed pages summed over zones (totalram_pages). */
    long managedPages();

    /** Pages on per-CPU lists, all CPUs and zones. */
    long pcpPages();

    /** Free blocks of an order, all zones and migrate types (the sum of buddyinfo columns). */
    long nrFreeBlocks(int order);

    /** Failed allocations since boot. */
    long allocFailures();
}
