package io.kmemlab.mm.page;

/** Zone-level read-only metrics of a zoned page allocator (what /proc views are printed from). */
public interface ZonedPageAllocatorMetric extends PageAllocatorMetric {

    /** The zone with this index (ZoneType ordinal); every zone exists, populated or not. */
    ZoneMetric zone(int zoneIdx);

    int nrZones();

    int nrCpus();

    /** vm.min_free_kbytes. */
    int minFreeKbytes();

    /** vm.watermark_scale_factor. */
    int watermarkScaleFactor();

    /** vm.lowmem_reserve_ratio[zoneIdx]. */
    int lowmemReserveRatio(int zoneIdx);

    /** vm.percpu_pagelist_high_fraction. */
    int percpuPagelistHighFraction();

    /** totalreserve_pages. */
    long totalreservePages();

    /** totalram_pages(). */
    long totalramPages();

    /** PGFREE vm event, in pages. */
    long pgfree();

    /** page_group_by_mobility_disabled. */
    boolean mobilityGroupingDisabled();

    /** The compaction counters and sysctls (mm/compaction.c). */
    CompactionMetric compaction();
}
