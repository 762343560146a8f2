package io.kmemlab.buddy;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MigrateType;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.Fragmentation;
import io.kmemlab.mm.page.PcpMetric;
import io.kmemlab.mm.page.ZoneMetric;
import io.kmemlab.mm.page.ZonedPageAllocatorMetric;
import java.util.Locale;
import java.util.function.LongSupplier;

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
        vfs.register("/proc/sys/vm/min_free_kbytes", 0644, () -> metric.minFreeKbytes() + "\n",
                text -> writeInts(text, 1, v -> b.setMinFreeKbytes(v[0])));
        vfs.register("/proc/sys/vm/watermark_scale_factor", 0644, () -> metric.watermarkScaleFactor() + "\n",
                text -> writeInts(text, 1, v -> b.setWatermarkScaleFactor(v[0])));
        vfs.register("/proc/sys/vm/lowmem_reserve_ratio", 0644, () -> lowmemReserveRatio(metric),
                text -> writeInts(text, ZoneType.COUNT, b::setLowmemReserveRatio));
        vfs.register("/proc/sys/vm/percpu_pagelist_high_fraction", 0644,
                () -> metric.percpuPagelistHighFraction() + "\n",
                text -> writeInts(text, 1, v -> b.setPercpuPagelistHighFraction(v[0])));
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
            sb.append("Node ").append(z.node()).append(", zone ").append(zoneName(z)).append(' ');
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
        sb.append("Pages per block:  ").append(BuddyAllocator.PAGEBLOCK_NR_PAGES).append('\n');
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
                sb.append(String.format(Locale.ROOT, "Node %4d, zone %8s, type %12s ", z.node(),
                        z.type().procName(), MigrateType.of(mt).procName()));
                for (int o = 0; o < BuddyAllocator.NR_PAGE_ORDERS; o++) {
                    long n = z.nrFree(o, mt);
                    boolean overflow = n >= FREELIST_WALK_CAP;
                    sb.append(String.format(Locale.ROOT, "%s%6d ", overflow ? ">" : "",
                            overflow ? FREELIST_WALK_CAP : n));
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
            sb.append("Node ").append(z.node()).append(", zone ").append(zoneName(z)).append(' ');
            for (int mt = 0; mt < MigrateType.COUNT; mt++) {
                sb.append(String.format(Locale.ROOT, "%12d ", z.pageblockCount(mt)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The node stat items the model keeps, in enum node_stat_item order, as vmstat names them. */
    private static void appendNodeStats(StringBuilder sb, Machine m, String fmt) {
        sb.append(String.format(Locale.ROOT, fmt, "nr_slab_reclaimable",
                m.nodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B) >>> 12));
        sb.append(String.format(Locale.ROOT, fmt, "nr_slab_unreclaimable",
                m.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B) >>> 12));
        sb.append(String.format(Locale.ROOT, fmt, "nr_kernel_stack", m.nodeStat(NodeStat.NR_KERNEL_STACK_KB)));
        sb.append(String.format(Locale.ROOT, fmt, "nr_page_table_pages", m.nodeStat(NodeStat.NR_PAGETABLE)));
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
            sb.append(String.format(Locale.ROOT, "\n      %-12s %d", "nr_free_pages", z.nrFreePages()));
            sb.append(String.format(Locale.ROOT, "\n      %-12s %d", "nr_free_pages_blocks", z.nrFreePagesBlocks()));
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

    /** /proc/meminfo: the lines the model keeps, in the kernel's order. */
    public static String meminfo(ZonedPageAllocatorMetric b, Machine m) {
        long sreclaimable = m.nodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B) >>> 12;
        long sunreclaim = m.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B) >>> 12;
        StringBuilder sb = new StringBuilder();
        showValKb(sb, "MemTotal:", b.totalramPages());
        showValKb(sb, "MemFree:", b.nrFreePages());
        showValKb(sb, "MemAvailable:", memAvailable(b, m));
        showValKb(sb, "KReclaimable:", sreclaimable);
        showValKb(sb, "Slab:", sreclaimable + sunreclaim);
        showValKb(sb, "SReclaimable:", sreclaimable);
        showValKb(sb, "SUnreclaim:", sunreclaim);
        sb.append(String.format(Locale.ROOT, "KernelStack:    %8d kB\n", m.nodeStat(NodeStat.NR_KERNEL_STACK_KB)));
        showValKb(sb, "PageTables:", m.nodeStat(NodeStat.NR_PAGETABLE));
        return sb.toString();
    }

    /** /proc/vmstat: the counters the model keeps, in vmstat_text[] order. */
    public static String vmstat(ZonedPageAllocatorMetric b, Machine m) {
        StringBuilder sb = new StringBuilder();
        long freeBlocks = 0;
        long[] numa = new long[NUMA_NAMES.length];
        for (int i = 0; i < b.nrZones(); i++) {
            ZoneMetric z = b.zone(i);
            freeBlocks += z.nrFreePagesBlocks();
            for (int n = 0; n < numa.length; n++) {
                numa[n] += z.numaEvent(n);
            }
        }
        line(sb, "nr_free_pages", b::nrFreePages);
        line(sb, "nr_free_pages_blocks", freeBlocks);
        for (int n = 0; n < numa.length; n++) {
            line(sb, NUMA_NAMES[n], numa[n]);
        }
        appendNodeStats(sb, m, "%s %d\n");
        for (int i = 0; i < b.nrZones(); i++) {
            ZoneMetric z = b.zone(i);
            line(sb, "pgalloc_" + z.type().procName().toLowerCase(Locale.ROOT), z.pgalloc());
        }
        line(sb, "pgfree", b.pgfree());
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, long value) {
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void line(StringBuilder sb, String name, LongSupplier value) {
        line(sb, name, value.getAsLong());
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
            sb.append("Node ").append(z.node()).append(", zone ").append(zoneName(z)).append(' ');
            Fragmentation.FreeBlocks free = Fragmentation.FreeBlocks.of(z);
            int[] index = extfrag ? Fragmentation.extfragIndex(free) : Fragmentation.unusableIndex(free);
            for (int v : index) {
                sb.append(extfrag ? Fragmentation.formatExtfrag(v) : Fragmentation.formatUnusable(v)).append(' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
