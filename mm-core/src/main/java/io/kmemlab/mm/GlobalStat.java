package io.kmemlab.mm;

/**
 * System-wide counters that belong to neither a zone nor a node, set by the subsystem that owns
 * them and read by {@code /proc/meminfo} and {@code /proc/vmstat}: the per-CPU allocator's
 * populated pages ({@code pcpu_nr_pages()}), x86's {@code direct_pages_count[]} of the direct map
 * and the boot-time memmap ({@code NR_MEMMAP_BOOT_PAGES}). What kmemlab does not model stays 0.
 */
public enum GlobalStat {
    /** pcpu_nr_populated * pcpu_nr_units: meminfo's Percpu, in pages. */
    PERCPU_PAGES,
    /** direct_pages_count[PG_LEVEL_4K]: 4 KiB mappings of the direct map. */
    DIRECT_MAP_4K,
    /** direct_pages_count[PG_LEVEL_2M]: 2 MiB mappings of the direct map. */
    DIRECT_MAP_2M,
    /** direct_pages_count[PG_LEVEL_1G]: 1 GiB mappings of the direct map. */
    DIRECT_MAP_1G,
    /** vmalloc_nr_pages(): meminfo's VmallocUsed, in pages. */
    VMALLOC_PAGES,
    /** NR_MEMMAP_PAGES: struct page arrays allocated after boot (memory hotplug), in pages. */
    MEMMAP_PAGES,
    /** NR_MEMMAP_BOOT_PAGES: struct page arrays memblock allocated at boot, in pages. */
    MEMMAP_BOOT_PAGES;

    public static final int COUNT = values().length;
}
