package io.kmemlab.mm.slab;

/**
 * Read-only numbers of one cache, as the page side's {@code ZoneMetric}/{@code PcpMetric} are: the
 * {@code /proc/slabinfo} fields ({@code struct slabinfo}), the fast/slow path counters, and the
 * slabs held per CPU and on the node partial lists. Views and reports are functions of these
 * numbers; nothing reads a view's text back. Each allocator's cache provides one
 * ({@link SlabCache#metric()}).
 *
 * <p>A path counter of -1 means the allocator has no such split (SLOB): the path is not counted.
 */
public interface SlabCacheMetric {
    /** The cache's name (the first creator's). */
    String name();

    /** slabinfo {@code active_objs}: objects in use (SLAB counts objects in per-CPU arrays too). */
    long activeObjs();

    /** slabinfo {@code num_objs}: object slots on all slabs. */
    long numObjs();

    /** slabinfo {@code objsize}: the slot size {@code s->size}. */
    int objSize();

    /** slabinfo {@code objperslab}. */
    int objPerSlab();

    /** slabinfo {@code pagesperslab}: {@code 1 << order}. */
    int pagesPerSlab();

    /** slabinfo tunables {@code limit} (SLAB's per-CPU array limit; 0 elsewhere). */
    default int limit() {
        return 0;
    }

    /** slabinfo tunables {@code batchcount} (SLAB; 0 elsewhere). */
    default int batchcount() {
        return 0;
    }

    /** slabinfo tunables {@code sharedfactor} (SLAB; 0 elsewhere). */
    default int sharedFactor() {
        return 0;
    }

    /** slabinfo {@code active_slabs}. */
    long activeSlabs();

    /** slabinfo {@code num_slabs}. */
    long numSlabs();

    /** slabinfo {@code sharedavail}: objects in SLAB's shared arrays (0 elsewhere). */
    default long sharedAvail() {
        return 0;
    }

    /**
     * Allocations served without touching the slab lists: SLUB's {@code alloc_fastpath} (the CPU
     * freelist), SLAB's {@code allochit} (the per-CPU array); -1 if not counted.
     */
    default long allocFastpath() {
        return -1;
    }

    /** SLUB's {@code alloc_slowpath}, SLAB's {@code allocmiss} (an array refill); -1 if not counted. */
    default long allocSlowpath() {
        return -1;
    }

    /** SLUB's {@code free_fastpath}, SLAB's {@code freehit}; -1 if not counted. */
    default long freeFastpath() {
        return -1;
    }

    /** SLUB's {@code free_slowpath}, SLAB's {@code freemiss} (an array flush); -1 if not counted. */
    default long freeSlowpath() {
        return -1;
    }

    /**
     * Slabs held by CPUs: SLUB's {@code cpu_slabs} (CPU slabs and CPU partial slabs); 0 where
     * CPUs hold objects, not slabs (SLAB, SLOB).
     */
    default long cpuSlabs() {
        return 0;
    }

    /** Free objects cached per CPU: SLAB's array entries; SLUB's CPU freelists are not counted (0). */
    default long cpuObjects() {
        return 0;
    }

    /** Slabs on the node partial lists (SLUB's {@code partial}, SLAB's slabs_partial). */
    default long partialSlabs() {
        return 0;
    }

    /**
     * Free objects held in SLUB's per-CPU sheaves and per-node barns (allocated from the slabs'
     * point of view, so /proc/slabinfo counts them active); 0 for caches without sheaves.
     */
    default long sheafObjects() {
        return 0;
    }

    /** Bytes of kmalloc memory the cache's sheaf structures take (SLUB with sheaves; else 0). */
    default long sheafBytes() {
        return 0;
    }
}
