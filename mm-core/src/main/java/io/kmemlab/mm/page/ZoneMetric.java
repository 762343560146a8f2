package io.kmemlab.mm.page;

import io.kmemlab.mm.ZoneType;

/**
 * Read-only view of one zone ({@code struct zone}) for views, reports and tests. Page counts are
 * in pages, {@code nr_free} counts blocks.
 */
public interface ZoneMetric {
    ZoneType type();

    /** NUMA node id. */
    int node();

    /** populated_zone(): present pages non-zero. */
    boolean populated();

    long startPfn();

    long spannedPages();

    long presentPages();

    long managedPages();

    /** NR_FREE_PAGES (pcp pages excluded). */
    long nrFreePages();

    /** NR_FREE_PAGES_BLOCKS: pages in free blocks of order ≥ pageblock_order, not isolated. */
    long nrFreePagesBlocks();

    /** free_area[order].nr_free: blocks of all migrate types. */
    long nrFree(int order);

    /** Length of free_area[order].free_list[migratetype]. */
    long nrFree(int order, int migratetype);

    /**
     * The head PFNs of the blocks on free_area[order].free_list[migratetype], head first (the
     * order in which __rmqueue_smallest takes them), written into {@code into} up to its length;
     * returns how many were written. Reads the list and changes nothing ({@code --step} and the
     * shell's {@code step} print it).
     */
    int freeListPfns(int order, int migratetype, int[] into);

    /** wmark_pages(): WMARK_MIN 0, LOW 1, HIGH 2, PROMO 3, boost included. */
    long watermark(int wmark);

    long watermarkBoost();

    /** lowmem_reserve[zoneIdx]. */
    long lowmemReserve(int zoneIdx);

    /** Pageblocks of a migrate type in the zone (as /proc/pagetypeinfo counts them). */
    long pageblockCount(int migratetype);

    /** pgalloc_&lt;zone&gt; in pages. */
    long pgalloc();

    /** NUMA events: numa_hit 0, miss 1, foreign 2, interleave 3, local 4, other 5. */
    long numaEvent(int item);

    /** "vm stats threshold" of zoneinfo (calculate_normal_threshold). */
    int statThreshold();

    /** Pages in highatomic free lists (zone->nr_free_highatomic). */
    long nrFreeHighatomic();

    /** zone->nr_reserved_highatomic. */
    long nrReservedHighatomic();

    /** Per-CPU lists of a CPU. */
    PcpMetric pcp(int cpu);
}
