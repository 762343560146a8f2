package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.testing.Golden;
import io.kmemlab.mm.trace.EventType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The /proc, debugfs and sysctl views against golden files and the reference's example lines. */
class ViewsTest {

    /** 64 MiB, 2 CPUs, a fixed little workload, slab counters set as the slab layer would. */
    private static BuddyAllocator workload() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        Machine m = b.machine();
        BuddyViews.register(m.vfs(), b, m);
        int[] orders = {0, 0, 1, 3, 9, 0, 2, 5, 10, 0};
        int[] gfps = {
            Gfp.GFP_KERNEL,
            Gfp.GFP_HIGHUSER_MOVABLE,
            Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE,
            Gfp.GFP_ATOMIC,
            Gfp.GFP_TRANSHUGE_LIGHT,
            Gfp.GFP_DMA,
            Gfp.GFP_KERNEL | Gfp.__GFP_COMP,
            Gfp.GFP_KERNEL,
            Gfp.GFP_HIGHUSER_MOVABLE,
            Gfp.GFP_KERNEL
        };
        int[] pfns = new int[orders.length];
        for (int i = 0; i < orders.length; i++) {
            pfns[i] = b.allocPages(i & 1, gfps[i], orders[i]);
            assertThat(pfns[i]).isNotNegative();
        }
        b.freePages(0, pfns[1], 0);
        b.freePages(1, pfns[4], 9);
        b.freePages(0, pfns[7], 5);
        m.addNodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B, 123L * 4096);
        m.addNodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B, 456L * 4096 + 100);
        m.addNodeStat(NodeStat.NR_KERNEL_STACK_KB, 1664);
        m.addNodeStat(NodeStat.NR_PAGETABLE, 77);
        assertThat(b.validate()).isEmpty();
        return b;
    }

    private static String read(BuddyAllocator b, String path) {
        VirtualFs vfs = b.machine().vfs();
        assertThat(vfs.exists(path)).as(path).isTrue();
        return vfs.read(path);
    }

    @Test
    void buddyinfo_afterBoot_showsTheReferenceDmaLine() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        String text = BuddyViews.buddyinfo(b);
        assertThat(text.split("\n")[0])
                .isEqualTo(
                        "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 ");
        assertThat(text.split("\n")[1])
                .isEqualTo(
                        "Node 0, zone    DMA32      0      0      0      0      0      0      0      0      0      0     12 ");
        assertThat(text.split("\n")).hasSize(2);
    }

    @Test
    void pagetypeinfo_afterBoot_dmaHasOneUnmovableAndSevenMovableBlocks() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        String text = BuddyViews.pagetypeinfo(b);
        assertThat(text)
                .startsWith("Page block order: 9\nPages per block:  512\n\n"
                        + "Free pages count per migrate type at order       0      1      2      3      4      5"
                        + "      6      7      8      9     10 \n");
        assertThat(text)
                .contains("\nNumber of blocks type     Unmovable      Movable  Reclaimable   HighAtomic"
                        + "      Isolate \n");
        assertThat(text)
                .contains("Node 0, zone      DMA            1            7            0            0"
                        + "            0 \n");
        assertThat(text)
                .contains("Node    0, zone      DMA, type    Unmovable      0      0      0      0"
                        + "      0      0      0      0      1      0      0 \n");
    }

    @Test
    void goldenViews_afterAWorkload() {
        BuddyAllocator b = workload();
        Golden.assertMatches("buddyinfo.txt", read(b, "/proc/buddyinfo"));
        Golden.assertMatches("pagetypeinfo.txt", read(b, "/proc/pagetypeinfo"));
        Golden.assertMatches("zoneinfo.txt", read(b, "/proc/zoneinfo"));
        Golden.assertMatches("meminfo.txt", read(b, "/proc/meminfo"));
        Golden.assertMatches("vmstat.txt", read(b, "/proc/vmstat"));
        Golden.assertMatches("unusable_index.txt", read(b, "/sys/kernel/debug/extfrag/unusable_index"));
        Golden.assertMatches("extfrag_index.txt", read(b, "/sys/kernel/debug/extfrag/extfrag_index"));
        assertThat(b.machine().vfs().node("/proc/pagetypeinfo").mode()).isEqualTo(0400);
        StringBuilder sysctl = new StringBuilder();
        for (String f : new String[] {
            "min_free_kbytes", "watermark_scale_factor", "lowmem_reserve_ratio", "percpu_pagelist_high_fraction"
        }) {
            sysctl.append("== /proc/sys/vm/").append(f).append('\n').append(read(b, "/proc/sys/vm/" + f));
        }
        Golden.assertMatches("sysctl_vm.txt", sysctl.toString());
    }

    @Test
    void zoneinfo_unpopulatedZones_stopAfterProtection() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        String text = BuddyViews.zoneinfo(b, b.machine());
        assertThat(text)
                .endsWith("Node 0, zone  Movable\n  pages free     0\n        boost    0\n"
                        + "        min      32\n        low      32\n        high     32\n        promo    32\n"
                        + "        spanned  0\n        present  0\n        managed  0\n        cma      0\n"
                        + "        protection: (0, 0, 0, 0, 0)\n"
                        + "Node 0, zone   Device\n  pages free     0\n        boost    0\n"
                        + "        min      0\n        low      0\n        high     0\n        promo    0\n"
                        + "        spanned  0\n        present  0\n        managed  0\n        cma      0\n"
                        + "        protection: (0, 0, 0, 0, 0)\n");
        assertThat(text).contains("\n  node_unreclaimable:  0\n  start_pfn:           1\n");
        assertThat(text)
                .contains("\n      nr_free_pages 3840\n      nr_free_pages_blocks 3584\n"
                        + "      nr_zone_inactive_anon 0\n      nr_zone_active_anon 0\n      nr_zone_inactive_file 0\n"
                        + "      nr_zone_active_file 0\n      nr_zone_unevictable 0\n      nr_zone_write_pending 0\n"
                        + "      nr_mlock     0\n      nr_zspages   0\n      nr_free_cma  0\n"
                        + "      numa_hit     0\n");
        assertThat(text.indexOf("per-node stats")).isEqualTo(text.lastIndexOf("per-node stats"));
    }

    @Test
    void meminfo_widthsAndMemAvailable() {
        BuddyAllocator b = workload();
        String text = read(b, "/proc/meminfo");
        assertThat(text).contains("SReclaimable:        492 kB\n");
        assertThat(text).contains("SUnreclaim:         1824 kB\n");
        assertThat(text).contains("Slab:               2316 kB\n");
        assertThat(text).contains("KernelStack:        1664 kB\n");
        long avail = b.nrFreePages()
                - b.totalreservePages()
                + (123
                        - Math.min(
                                123 / 2,
                                b.zone(0).watermark(1)
                                        + b.zone(1).watermark(1)
                                        + b.zone(2).watermark(1)
                                        + 32
                                        + 0));
        assertThat(BuddyViews.memAvailable(b, b.machine())).isEqualTo(Math.max(0, avail));
        // CommitLimit is half of MemTotal (no swap, no hugetlb); VmallocTotal is x86-64's 4-level constant.
        assertThat(text).contains(String.format("CommitLimit:    %8d kB\n", b.totalramPages() / 2 * 4));
        assertThat(text).contains("VmallocTotal:   34359738367 kB\n");
        assertThat(text).contains("HugePages_Total:       0\nHugePages_Free:        0\n");
        assertThat(text).contains("Hugepagesize:       2048 kB\nHugetlb:               0 kB\n");
    }

    @Test
    void extfragIndex_formatsMinusOneAndFractions() {
        // The formulas are Fragmentation's (mm-core, FragmentationTest); here the view's rows.
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        assertThat(BuddyViews.extfragIndex(b).split("\n")[0])
                .isEqualTo("Node 0, zone      DMA "
                        + "-1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 ");
        assertThat(BuddyViews.unusableIndex(b).split("\n")[0])
                .isEqualTo("Node 0, zone      DMA "
                        + "0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.066 0.200 ");
    }

    @Test
    void tracepoints_goldenLines() {
        BuddyAllocator b = TestBoot.kernelLike(16L << 20, 2);
        Machine m = b.machine();
        List<String> lines = new ArrayList<>();
        m.tracer().enable("kmem:mm_page_*");
        m.tracer().addSink(lines::add);
        m.cpus().setCurrent(1, "bash", 1234);
        m.clock().set(12_345_678_901_000L);
        int a = b.allocPages(1, Gfp.GFP_KERNEL | Gfp.__GFP_ZERO, 0);
        int c = b.allocPages(1, Gfp.GFP_HIGHUSER_MOVABLE, 4);
        b.freePages(1, a, 0);
        b.freePages(1, c, 4);
        for (int i = 0; i < 3; i++) {
            assertThat(b.allocPages(1, Gfp.GFP_ATOMIC | Gfp.__GFP_NOWARN, 10)).isNotNegative();
        }
        assertThat(b.allocPages(1, Gfp.GFP_ATOMIC | Gfp.__GFP_NOWARN, 10)).isNegative();
        b.drainAll();
        Golden.assertMatches("trace_mm_page.txt", String.join("\n", lines) + "\n");
        assertThat(lines)
                .anyMatch(l -> l.contains(" mm_page_alloc: page=0000000000000000 pfn=0x0 order=10"
                        + " migratetype=0 gfp_flags=GFP_ATOMIC|__GFP_NOWARN"));
        // The pcp refill runs under zone->lock with irqs off, inside the pcp lock: "d..3.", as on 6.18.
        assertThat(lines.get(0))
                .startsWith("            bash-1234    [001] d..3. 12345.678901: mm_page_alloc_zone_locked: ");
        for (EventType t : new EventType[] {
            EventType.MM_PAGE_ALLOC,
            EventType.MM_PAGE_FREE,
            EventType.MM_PAGE_ALLOC_ZONE_LOCKED,
            EventType.MM_PAGE_PCPU_DRAIN,
            EventType.MM_PAGE_ALLOC_EXTFRAG
        }) {
            assertThat(lines).as(t.eventName()).anyMatch(l -> l.contains(" " + t.eventName() + ": "));
        }
    }
}
