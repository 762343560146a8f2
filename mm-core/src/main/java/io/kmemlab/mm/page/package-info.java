/**
 * The page allocator as the rest of the kernel sees it: {@link io.kmemlab.mm.page.PageAllocator}
 * (allocate 2^order frames for GFP flags on a CPU, free them, batched free, drain, validate) and
 * the boot-time face {@link io.kmemlab.mm.page.ZonedPageAllocator} that the boot sequence drives
 * in the kernel's order (free_area_init, build_all_zonelists, memblock_free_all, the watermark
 * initcall). Read-only metric interfaces ({@code ZoneMetric}, {@code PcpMetric}, …) are what views,
 * reports and tests read, and {@link io.kmemlab.mm.page.Fragmentation} (mm/vmstat.c's
 * unusable_free_index and __fragmentation_index) is the one computation over them that the debugfs
 * views and the replay reports share. The buddy module implements both; slab allocators get their
 * pages only through {@code PageAllocator}.
 */
package io.kmemlab.mm.page;
