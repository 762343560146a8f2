package io.kmemlab.mm.slab;

/**
 * One {@code /proc/slabinfo} row's numbers ({@code struct slabinfo} plus name and geometry), as an
 * allocator reports them. SLUB reports zero tunables and sharedavail; SLAB fills them in.
 */
public record SlabInfoRow(
        String name,
        long activeObjs,
        long numObjs,
        int objSize,
        int objPerSlab,
        int pagesPerSlab,
        int limit,
        int batchcount,
        int sharedFactor,
        long activeSlabs,
        long numSlabs,
        long sharedAvail) {

    /** The row of a cache's metric, as {@code get_slabinfo} fills {@code struct slabinfo}. */
    public static SlabInfoRow of(SlabCacheMetric m) {
        return new SlabInfoRow(
                m.name(),
                m.activeObjs(),
                m.numObjs(),
                m.objSize(),
                m.objPerSlab(),
                m.pagesPerSlab(),
                m.limit(),
                m.batchcount(),
                m.sharedFactor(),
                m.activeSlabs(),
                m.numSlabs(),
                m.sharedAvail());
    }
}
