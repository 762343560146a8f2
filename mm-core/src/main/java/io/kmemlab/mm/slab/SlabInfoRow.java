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
        long sharedAvail) {}
