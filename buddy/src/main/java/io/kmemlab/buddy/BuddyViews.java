package io.kmemlab.buddy;

import io.kmemlab.mm.GlobalStat;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MigrateType;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.VmEvent;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.CompactionMetric;
import io.kmemlab.mm.page.Fragmentation;
import io.kmemlab.mm.page.PcpMetric;
import io.kmemlab.mm.page.ZoneMetric;
import io.kmemlab.mm.page.ZonedPageAllocatorMetric;
import java.util.Locale;

/**
 * The buddy allocator's files: {@code /proc/buddyinfo}, {@code pagetypeinfo}, {@code zoneinfo},
 * {@code meminfo}, {@code vmstat}, the debugfs fragmentation indices and the {@code /proc/sys/vm}
 * knobs. Every reader is a pure function of {@link ZonedPageAllocatorMetric} and the machine's
 * node counters, printed with the kernel's formats ({@code mm/vmstat.c}, {@code fs/proc/meminfo.c}).
 */
public final class BuddyViews {
    /** The pagetypeinfo free-list walk stops here and prints {@code >} (as the kernel caps it). */
    static final long FREELIST_WALK_CAP = 100000;

    private static final String[] NUMA_NAMES = {
        "numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
    };

    /** enum zone_stat_item as zone_stat_name() prints it (6.18). */
    private static final String[] ZONE_STAT_NAMES = {
        "nr_free_pages", "nr_free_pages_blocks", "nr_zone_inactive_anon", "nr_zone_active_anon",
        "nr_zone_inactive_file", "nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending",
        "nr_mlock", "nr_zspages", "nr_free_cma",
    };

    /** enum node_stat_item as node_stat_name() prints it (6.18). */
    private static final String[] NODE_STAT_NAMES = {
        "nr_inactive_anon",
        "nr_active_anon",
        "nr_inactive_file",
        "nr_active_file",
        "nr_unevictable",
        "nr_slab_reclaimable",
        "nr_slab_unreclaimable",
        "nr_isolated_anon",
        "nr_isolated_file",
        "workingset_nodes",
        "workingset_refault_anon",
        "workingset_refault_file",
        "workingset_activate_anon",
        "workingset_activate_file",
        "workingset_restore_anon",
        "workingset_restore_file",
        "workingset_nodereclaim",
        "nr_anon_pages",
        "nr_mapped",
        "nr_file_pages",
        "nr_dirty",
        "nr_writeback",
        "nr_shmem",
        "nr_shmem_hugepages",
        "nr_shmem_pmdmapped",
        "nr_file_hugepages",
        "nr_file_pmdmapped",
        "nr_anon_transparent_hugepages",
        "nr_vmscan_write",
        "nr_vmscan_immediate_reclaim",
        "nr_dirtied",
        "nr_written",
        "nr_throttled_written",
        "nr_kernel_misc_reclaimable",
        "nr_foll_pin_acquired",
        "nr_foll_pin_released",
        "nr_kernel_stack",
        "nr_page_table_pages",
        "nr_sec_page_table_pages",
        "nr_iommu_pages",
        "nr_swapcached",
        "pgpromote_success",
        "pgpromote_candidate",
        "pgpromote_candidate_nrl",
        "pgdemote_kswapd",
        "pgdemote_direct",
        "pgdemote_khugepaged",
        "pgdemote_proactive",
        "nr_hugetlb",
        "nr_balloon_pages",
        "nr_kernel_file_pages",
    };

    /**
     * enum vm_event_item as vmstat_text[] prints it (6.18, x86-64 with the live kernel's config);
     * a {@code %s} name is one counter per zone type (the kernel's FOR_ALL_ZONES).
     */
    private static final String[] VM_EVENT_NAMES = {
        "pgpgin",
        "pgpgout",
        "pswpin",
        "pswpout",
        "pgalloc_%s",
        "allocstall_%s",
        "pgskip_%s",
        "pgfree",
        "pgactivate",
        "pgdeactivate",
        "pglazyfree",
        "pgfault",
        "pgmajfault",
        "pglazyfreed",
        "pgrefill",
        "pgreuse",
        "pgsteal_kswapd",
        "pgsteal_direct",
        "pgsteal_khugepaged",
        "pgsteal_proactive",
        "pgscan_kswapd",
        "pgscan_direct",
        "pgscan_khugepaged",
        "pgscan_proactive",
        "pgscan_direct_throttle",
        "pgscan_anon",
        "pgscan_file",
        "pgsteal_anon",
        "pgsteal_file",
        "zone_reclaim_success",
        "zone_reclaim_failed",
        "pginodesteal",
        "slabs_scanned",
        "kswapd_inodesteal",
        "kswapd_low_wmark_hit_quickly",
        "kswapd_high_wmark_hit_quickly",
        "pageoutrun",
        "pgrotated",
        "drop_pagecache",
        "drop_slab",
        "oom_kill",
        "numa_pte_updates",
        "numa_huge_pte_updates",
        "numa_hint_faults",
        "numa_hint_faults_local",
        "numa_pages_migrated",
        "pgmigrate_success",
        "pgmigrate_fail",
        "thp_migration_success",
        "thp_migration_fail",
        "thp_migration_split",
        "compact_migrate_scanned",
        "compact_free_scanned",
        "compact_isolated",
        "compact_stall",
        "compact_fail",
        "compact_success",
        "compact_daemon_wake",
        "compact_daemon_migrate_scanned",
        "compact_daemon_free_scanned",
        "htlb_buddy_alloc_success",
        "htlb_buddy_alloc_fail",
        "unevictable_pgs_culled",
        "unevictable_pgs_scanned",
        "unevictable_pgs_rescued",
        "unevictable_pgs_mlocked",
        "unevictable_pgs_munlocked",
        "unevictable_pgs_cleared",
        "unevictable_pgs_stranded",
        "thp_fault_alloc",
        "thp_fault_fallback",
        "thp_fault_fallback_charge",
        "thp_collapse_alloc",
        "thp_collapse_alloc_failed",
        "thp_file_alloc",
        "thp_file_fallback",
        "thp_file_fallback_charge",
        "thp_file_mapped",
        "thp_split_page",
        "thp_split_page_failed",
        "thp_deferred_split_page",
        "thp_underused_split_page",
        "thp_split_pmd",
        "thp_scan_exceed_none_pte",
        "thp_scan_exceed_swap_pte",
        "thp_scan_exceed_share_pte",
        "thp_split_pud",
        "thp_zero_page_alloc",
        "thp_zero_page_alloc_failed",
        "thp_swpout",
        "thp_swpout_fallback",
        "balloon_inflate",
        "balloon_deflate",
        "balloon_migrate",
        "swap_ra",
        "swap_ra_hit",
        "swpin_zero",
        "swpout_zero",
        "ksm_swpin_copy",
        "cow_ksm",
        "zswpin",
        "zswpout",
        "zswpwb",
        "direct_map_level2_splits",
        "direct_map_level3_splits",
        "direct_map_level2_collapses",
        "direct_map_level3_collapses",
    };

    private BuddyViews() {}

    /** Registers every file of the buddy allocator. */
    public static void register(VirtualFs vfs, BuddyAllocator b, Machine m) {
        ZonedPageAllocatorMetric metric = b.metric();
        vfs.register("/proc/buddyinfo", 0444, () -> buddyinfo(metric));
        vfs.register("/proc/pagetypeinfo", 0400, () -> pagetypeinfo(metric));
        vfs.register("/proc/zoneinfo", 0444, () -> zoneinfo(metric, m));
        vfs.register("/proc/meminfo", 0444, () -> meminfo(metric, m));
        vfs.register("/proc/vmstat", 0444, () -> vmstat(metric, m));
        vfs.register("/sys/kernel/debug/extfrag/unusable_index", 0444, () -> unusableIndex(metric));
        vfs.register("/sys/kernel/debug/extfrag/extfrag_index", 0444, () -> extfragIndex(metric));
        vfs.register(
                "/proc/sys/vm/min_free_kbytes",
                0644,
                () -> metric.minFreeKbytes() + "\n",
                text -> writeInts(text, 1, v -> b.setMinFreeKbytes(v[0])));
        vfs.register(
                "/proc/sys/vm/watermark_scale_factor",
                0644,
                () -> metric.watermarkScaleFactor() + "\n",
                text -> writeInts(text, 1, v -> b.setWatermarkScaleFactor(v[0])));
        vfs.register(
                "/proc/sys/vm/lowmem_reserve_ratio",
                0644,
                () -> lowmemReserveRatio(metric),
                text -> writeInts(text, ZoneType.COUNT, b::setLowmemReserveRatio));
        vfs.register(
                "/proc/sys/vm/percpu_pagelist_high_fraction",
                0644,
                () -> metric.percpuPagelistHighFraction() + "\n",
                text -> writeInts(text, 1, v -> b.setPercpuPagelistHighFraction(v[0])));
        vfs.register(
                "/proc/sys/vm/compact_memory",
                0200,
                () -> "",
                text -> writeInts(text, 1, v -> b.compaction().compactMemory(v[0])));
        vfs.register(
                "/proc/sys/vm/compaction_proactiveness",
                0644,
                () -> metric.compaction().proactiveness() + "\n",
                text -> writeInts(text, 1, v -> b.compaction().setProactiveness(v[0])));
        vfs.register(
                "/proc/sys/vm/extfrag_threshold",
                0644,
                () -> metric.compaction().extfragThreshold() + "\n",
                text -> writeInts(text, 1, v -> b.compaction().setExtfragThreshold(v[0])));
    }

    /** proc_dointvec parsing: up to {@code max} whitespace-separated ints, else EINVAL. */
    private static String writeInts(String text, int max, java.util.function.Function<int[], String> apply) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return "EINVAL";
        }
        String[] words = t.split("\\s+");
        if (words.length > max) {
            return "EINVAL";
        }
        int[] values = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            try {
                values[i] = Integer.parseInt(words[i]);
            } catch (NumberFormatException e) {
                return "EINVAL";
            }
        }
        return apply.apply(values);
    }

    private static String zoneName(ZoneMetric z) {
        return String.format(Locale.ROOT, "%8s", z.type().procName());
    }

    /** /proc/buddyinfo (frag_show_print). */
    public static String buddyinfo(ZonedPageAllocatorMetric b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.nrZones(); i++) {
            ZoneMetric z = b.zone(i);
            if (!z.populated()) {
                continue;
            }
            sb.append("Node ")
                    .append(z.node())
                    .append(", zone ")
                    .append(zoneName(z))
                    .append(' ');
            for (int o = 0; o < BuddyAllocator.NR_PAGE_ORDERS; o++) {
                sb.append(String.format(Locale.ROOT, "%6d ", z.nrFree(o)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** /proc/pagetypeinfo (pagetypeinfo_show without page_owner). */
    public static String pagetypeinfo(ZonedPageAllocatorMetric b) {
        StringBuilder sb = new StringBuilder();
        sb.append("Page block order: ").append(BuddyAllocator.PAGEBLOCK_ORDER).append('\n');
        sb.append("Pages per block:  ")
                .append(BuddyAllocator.PAGEBLOCK_NR_PAGES)
                .append('\n');
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-43s ", "Free pages count per migrate type at order"));
        for (int o = 0; o < BuddyAllocator.NR_PAGE_ORDERS; o++) {
            sb.append(String.format(Locale.ROOT, "%6d ", o));
        }
        sb.append('\n');
        for (int i = 0; i < b.nrZones(); i++) {
            ZoneMetric z = b.zone(i);
            if (!z.populated()) {
                continue;
            }
            for (int mt = 0; mt < MigrateType.COUNT; mt++) {
                sb.append(String.format(
                        Locale.ROOT,
                        "Node %4d, zone %8s, type %12s ",
                        z.node(),
                        z.type().procName(),
                        MigrateType.of(mt).procName()));
                for (int o = 0; o < BuddyAllocator.NR_PAGE_ORDERS; o++) {
                    long n = z.nrFree(o, mt);
                    boolean overflow = n >= FREELIST_WALK_CAP;
                    sb.append(String.format(
                            Locale.ROOT, "%s%6d ", overflow ? ">" : "", overflow ? FREELIST_WALK_CAP : n));
                }
                sb.append('\n');
            }
        }
        sb.append(String.format(Locale.ROOT, "\n%-23s", "Number of blocks type "));
        for (int mt = 0; mt < MigrateType.COUNT; mt++) {
            sb.append(String.format(Locale.ROOT, "%12s ", MigrateType.of(mt).procName()));
        }
        sb.append('\n');
        for (int i = 0; i < b.nrZones(); i++) {
            ZoneMetric z = b.zone(i);
            if (!z.populated()) {
                continue;
            }
            sb.append("Node ")
                    .append(z.node())
                    .append(", zone ")
                    .append(zoneName(z))
                    .append(' ');
            for (int mt = 0; mt < MigrateType.COUNT; mt++) {
                sb.append(String.format(Locale.ROOT, "%12d ", z.pageblockCount(mt)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * node_page_state_pages() of item {@code i} of {@link #NODE_STAT_NAMES}: the counters the model
     * keeps, 0 for the subsystems kmemlab has not (page cache, anon memory, reclaim, swap, NUMA
     * balancing, hugetlb). Byte counters print in pages, as the kernel's _B items do.
     */
    static long nodeStatPages(Machine m, int i) {
        switch (NODE_STAT_NAMES[i]) {
            case "nr_slab_reclaimable":
                return m.nodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B) >>> 12;
            case "nr_slab_unreclaimable":
                return m.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B) >>> 12;
            case "nr_kernel_stack":
                return m.nodeStat(NodeStat.NR_KERNEL_STACK_KB);
            case "nr_page_table_pages":
                return m.nodeStat(NodeStat.NR_PAGETABLE);
            default:
                return 0;
        }
    }

    /** zone_page_state() of item {@code i} of {@link #ZONE_STAT_NAMES}. */
    static long zoneStat(ZoneMetric z, int i) {
        switch (ZONE_STAT_NAMES[i]) {
            case "nr_free_pages":
                return z.nrFreePages();
            case "nr_free_pages_blocks":
                return z.nrFreePagesBlocks();
            default:
                return 0;
        }
    }

    /** Every node stat item in enum node_stat_item order, as zoneinfo and vmstat print them. */
    private static void appendNodeStats(StringBuilder sb, Machine m, String fmt) {
        for (int i = 0; i < NODE_STAT_NAMES.length; i++) {
            sb.append(String.format(Locale.ROOT, fmt, NODE_STAT_NAMES[i], nodeStatPages(m, i)));
        }
    }

    /** /proc/zoneinfo (zoneinfo_show_print): every zone, populated or not. */
    public static String zoneinfo(ZonedPageAllocatorMetric b, Machine m) {
        StringBuilder sb = new StringBuilder();
        boolean firstPopulatedSeen = false;
        for (int i = 0; i < b.nrZones(); i++) {
            ZoneMetric z = b.zone(i);
            sb.append("Node ").append(z.node()).append(", zone ").append(zoneName(z));
            if (z.populated() && !firstPopulatedSeen) {
                firstPopulatedSeen = true;
                sb.append("\n  per-node stats");
                appendNodeStats(sb, m, "\n      %-12s %d");
            }
            sb.append("\n  pages free     ").append(z.nrFreePages());
            sb.append("\n        boost    ").append(z.watermarkBoost());
            sb.append("\n        min      ").append(z.watermark(BuddyAllocator.WMARK_MIN));
            sb.append("\n        low      ").append(z.watermark(BuddyAllocator.WMARK_LOW));
            sb.append("\n        high     ").append(z.watermark(BuddyAllocator.WMARK_HIGH));
            sb.append("\n        promo    ").append(z.watermark(BuddyAllocator.WMARK_PROMO));
            sb.append("\n        spanned  ").append(z.spannedPages());
            sb.append("\n        present  ").append(z.presentPages());
            sb.append("\n        managed  ").append(z.managedPages());
            sb.append("\n        cma      ").append(0);
            sb.append("\n        protection: (").append(z.lowmemReserve(0));
            for (int j = 1; j < ZoneType.COUNT; j++) {
                sb.append(", ").append(z.lowmemReserve(j));
            }
            sb.append(')');
            if (!z.populated()) {
                sb.append('\n');
                continue;
            }
            for (int n = 0; n < ZONE_STAT_NAMES.length; n++) {
                sb.append(String.format(Locale.ROOT, "\n      %-12s %d", ZONE_STAT_NAMES[n], zoneStat(z, n)));
            }
            for (int n = 0; n < NUMA_NAMES.length; n++) {
                sb.append(String.format(Locale.ROOT, "\n      %-12s %d", NUMA_NAMES[n], z.numaEvent(n)));
            }
            sb.append("\n  pagesets");
            for (int cpu = 0; cpu < b.nrCpus(); cpu++) {
                PcpMetric p = z.pcp(cpu);
                sb.append("\n    cpu: ").append(cpu);
                sb.append("\n              count:    ").append(p.count());
                sb.append("\n              high:     ").append(p.high());
                sb.append("\n              batch:    ").append(p.batch());
                sb.append("\n              high_min: ").append(p.highMin());
                sb.append("\n              high_max: ").append(p.highMax());
                sb.append("\n  vm stats threshold: ").append(z.statThreshold());
            }
            sb.append("\n  node_unreclaimable:  ").append(0);
            sb.append("\n  start_pfn:           ").append(z.startPfn());
            sb.append('\n');
        }
        return sb.toString();
    }

    /** si_mem_available(). */
    public static long memAvailable(ZonedPageAllocatorMetric b, Machine m) {
        long wmarkLow = 0;
        for (int i = 0; i < b.nrZones(); i++) {
            wmarkLow += b.zone(i).watermark(BuddyAllocator.WMARK_LOW);
        }
        long available = b.nrFreePages() - b.totalreservePages();
        long pagecache = 0;
        pagecache -= Math.min(pagecache / 2, wmarkLow);
        available += pagecache;
        long reclaimable = m.nodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B) >>> 12;
        reclaimable -= Math.min(reclaimable / 2, wmarkLow);
        available += reclaimable;
        return Math.max(0, available);
    }

    private static void showValKb(StringBuilder sb, String label, long pages) {
        sb.append(String.format(Locale.ROOT, "%-16s%8d kB\n", label, pages << 2));
    }

    /** VMALLOC_TOTAL >> 10 on x86-64 with 4-level paging: 32 TiB less one byte, in kB. */
    public static final long VMALLOC_TOTAL_KB = ((32L << 40) - 1) >> 10;
    /** sysctl_overcommit_ratio's default. */
    static final long OVERCOMMIT_RATIO = 50;
    /** vm_dirty_ratio and dirty_background_ratio's defaults. */
    static final long VM_DIRTY_RATIO = 20;

    static final long DIRTY_BACKGROUND_RATIO = 10;
    /** HPAGE_PMD_SIZE in kB: Hugepagesize. */
    static final long HPAGE_PMD_KB = 2048;

    /** vm_commit_limit(): no hugetlb pages and no swap in the model. */
    public static long commitLimitPages(ZonedPageAllocatorMetric b) {
        return b.totalramPages() * OVERCOMMIT_RATIO / 100;
    }

    /** /proc/meminfo (meminfo_proc_show, hugetlb_report_meminfo, arch_report_meminfo): every line of 6.18. */
    public static String meminfo(ZonedPageAllocatorMetric b, Machine m) {
        long sreclaimable = m.nodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B) >>> 12;
        long sunreclaim = m.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B) >>> 12;
        StringBuilder sb = new StringBuilder();
        showValKb(sb, "MemTotal:", b.totalramPages());
        showValKb(sb, "MemFree:", b.nrFreePages());
        showValKb(sb, "MemAvailable:", memAvailable(b, m));
        // No page cache, anon memory, LRU lists or swap in the model.
        for (String key : new String[] {
            "Buffers:",
            "Cached:",
            "SwapCached:",
            "Active:",
            "Inactive:",
            "Active(anon):",
            "Inactive(anon):",
            "Active(file):",
            "Inactive(file):",
            "Unevictable:",
            "Mlocked:",
            "SwapTotal:",
            "SwapFree:",
            "Zswap:",
            "Zswapped:",
            "Dirty:",
            "Writeback:"
        }) {
            showValKb(sb, key, 0);
        }
        showValKb(sb, "AnonPages:", m.nodeStat(NodeStat.NR_ANON_MAPPED));
        showValKb(sb, "Mapped:", 0);
        showValKb(sb, "Shmem:", m.nodeStat(NodeStat.NR_SHMEM));
        showValKb(sb, "KReclaimable:", sreclaimable);
        showValKb(sb, "Slab:", sreclaimable + sunreclaim);
        showValKb(sb, "SReclaimable:", sreclaimable);
        showValKb(sb, "SUnreclaim:", sunreclaim);
        sb.append(String.format(Locale.ROOT, "KernelStack:    %8d kB\n", m.nodeStat(NodeStat.NR_KERNEL_STACK_KB)));
        showValKb(sb, "PageTables:", m.nodeStat(NodeStat.NR_PAGETABLE));
        for (String key : new String[] {"SecPageTables:", "NFS_Unstable:", "Bounce:", "WritebackTmp:"}) {
            showValKb(sb, key, 0);
        }
        showValKb(sb, "CommitLimit:", m.overcommit().commitLimitPages());
        showValKb(sb, "Committed_AS:", m.overcommit().committedPages());
        sb.append(String.format(Locale.ROOT, "VmallocTotal:   %8d kB\n", VMALLOC_TOTAL_KB));
        showValKb(sb, "VmallocUsed:", m.globalStat(GlobalStat.VMALLOC_PAGES));
        showValKb(sb, "VmallocChunk:", 0);
        showValKb(sb, "Percpu:", m.globalStat(GlobalStat.PERCPU_PAGES));
        for (String key : new String[] {
            "AnonHugePages:", "ShmemHugePages:", "ShmemPmdMapped:", "FileHugePages:", "FilePmdMapped:", "Balloon:"
        }) {
            showValKb(sb, key, 0);
        }
        sb.append(String.format(
                Locale.ROOT,
                "HugePages_Total:   %5d\nHugePages_Free:    %5d\nHugePages_Rsvd:    %5d\n"
                        + "HugePages_Surp:    %5d\nHugepagesize:   %8d kB\n",
                0,
                0,
                0,
                0,
                HPAGE_PMD_KB));
        sb.append(String.format(Locale.ROOT, "Hugetlb:        %8d kB\n", 0));
        sb.append(String.format(Locale.ROOT, "DirectMap4k:    %8d kB\n", m.globalStat(GlobalStat.DIRECT_MAP_4K) << 2));
        sb.append(String.format(Locale.ROOT, "DirectMap2M:    %8d kB\n", m.globalStat(GlobalStat.DIRECT_MAP_2M) << 11));
        sb.append(String.format(Locale.ROOT, "DirectMap1G:    %8d kB\n", m.globalStat(GlobalStat.DIRECT_MAP_1G) << 20));
        return sb.toString();
    }

    /**
     * global_dirty_limits(): {background, dirty} thresholds in pages from global_dirtyable_memory()
     * (free pages above totalreserve_pages, plus file pages, of which the model has none) and the
     * default ratios, converted per PAGE_SIZE as domain_dirty_limits() does.
     */
    static long[] dirtyLimits(ZonedPageAllocatorMetric b) {
        long free = b.nrFreePages();
        long available = free - Math.min(free, b.totalreservePages()) + 1;
        long ratio = VM_DIRTY_RATIO * 4096 / 100;
        long bgRatio = DIRTY_BACKGROUND_RATIO * 4096 / 100;
        long thresh = ratio * available / 4096;
        long bgThresh = bgRatio * available / 4096;
        if (bgThresh >= thresh) {
            bgThresh = thresh / 2;
        }
        return new long[] {bgThresh, thresh};
    }

    private static final VmEvent[] VM_EVENTS = VmEvent.values();

    /**
     * A zone-independent vm_event_item's value: pgfree, the compaction and migration counters, and
     * the fault and OOM events the process model counts ({@link VmEvent}) are modelled; the rest are 0.
     */
    private static long vmEvent(ZonedPageAllocatorMetric b, Machine m, String event) {
        if ("pgfree".equals(event)) {
            return b.pgfree();
        }
        for (VmEvent e : VM_EVENTS) {
            if (e.vmstatName().equals(event)) {
                return m.vmEvent(e);
            }
        }
        for (int e = 0; e < CompactionMetric.NR_EVENTS; e++) {
            if (CompactionMetric.EVENT_NAMES[e].equals(event)) {
                return b.compaction().event(e);
            }
        }
        return 0;
    }

    /** /proc/vmstat (vmstat_start, vmstat_show): every item of vmstat_text[] of 6.18, in its order. */
    public static String vmstat(ZonedPageAllocatorMetric b, Machine m) {
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < ZONE_STAT_NAMES.length; n++) {
            long sum = 0;
            for (int i = 0; i < b.nrZones(); i++) {
                sum += zoneStat(b.zone(i), n);
            }
            line(sb, ZONE_STAT_NAMES[n], sum);
        }
        for (int n = 0; n < NUMA_NAMES.length; n++) {
            long sum = 0;
            for (int i = 0; i < b.nrZones(); i++) {
                sum += b.zone(i).numaEvent(n);
            }
            line(sb, NUMA_NAMES[n], sum);
        }
        appendNodeStats(sb, m, "%s %d\n");
        long[] dirty = dirtyLimits(b);
        line(sb, "nr_dirty_threshold", dirty[1]);
        line(sb, "nr_dirty_background_threshold", dirty[0]);
        line(sb, "nr_memmap_pages", m.globalStat(GlobalStat.MEMMAP_PAGES));
        line(sb, "nr_memmap_boot_pages", m.globalStat(GlobalStat.MEMMAP_BOOT_PAGES));
        for (String event : VM_EVENT_NAMES) {
            if (!event.endsWith("%s")) {
                line(sb, event, vmEvent(b, m, event));
                continue;
            }
            for (int i = 0; i < b.nrZones(); i++) {
                ZoneMetric z = b.zone(i);
                String name =
                        String.format(Locale.ROOT, event, z.type().procName().toLowerCase(Locale.ROOT));
                line(sb, name, event.startsWith("pgalloc_") ? z.pgalloc() : 0);
            }
        }
        // vmstat_show's deprecated counter, printed after the last item.
        line(sb, "nr_unstable", 0);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, long value) {
        sb.append(name).append(' ').append(value).append('\n');
    }

    /** lowmem_reserve_ratio as proc_dointvec prints an array: tab-separated. */
    static String lowmemReserveRatio(ZonedPageAllocatorMetric b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ZoneType.COUNT; i++) {
            if (i > 0) {
                sb.append('\t');
            }
            sb.append(b.lowmemReserveRatio(i));
        }
        return sb.append('\n').toString();
    }

    /** /sys/kernel/debug/extfrag/unusable_index (unusable_show_print). */
    public static String unusableIndex(ZonedPageAllocatorMetric b) {
        return perOrderIndex(b, false);
    }

    /** /sys/kernel/debug/extfrag/extfrag_index (extfrag_show_print). */
    public static String extfragIndex(ZonedPageAllocatorMetric b) {
        return perOrderIndex(b, true);
    }

    /** One line per populated zone with {@link Fragmentation}'s index per order. */
    private static String perOrderIndex(ZonedPageAllocatorMetric b, boolean extfrag) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.nrZones(); i++) {
            ZoneMetric z = b.zone(i);
            if (!z.populated()) {
                continue;
            }
            sb.append("Node ")
                    .append(z.node())
                    .append(", zone ")
                    .append(zoneName(z))
                    .append(' ');
            Fragmentation.FreeBlocks free = Fragmentation.FreeBlocks.of(z);
            int[] index = extfrag ? Fragmentation.extfragIndex(free) : Fragmentation.unusableIndex(free);
            for (int v : index) {
                sb.append(extfrag ? Fragmentation.formatExtfrag(v) : Fragmentation.formatUnusable(v))
                        .append(' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
