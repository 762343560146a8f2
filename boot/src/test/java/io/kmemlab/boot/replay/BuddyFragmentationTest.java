package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.cli.ReplayCommandTest;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.page.PageAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuddyFragmentationTest {

    @Test
    void indices_matchVmstatFormulas() {
        // 8 free order-0 pages and one free order-2 block: 12 free pages in 9 blocks.
        long[] nrFree = new long[11];
        nrFree[0] = 8;
        nrFree[2] = 1;
        BuddyFragmentation f = BuddyFragmentation.of(nrFree);
        assertThat(f.freePages()).isEqualTo(12);
        // unusable_free_index(1) = (12 - (2 << 1)) * 1000 / 12 = 666; order 2: (12 - 4) * 1000 / 12 = 666;
        // order 3: no suitable block: 1000.
        assertThat(f.unusable()[0]).isZero();
        assertThat(f.unusable()[1]).isEqualTo(666);
        assertThat(f.unusable()[2]).isEqualTo(666);
        assertThat(f.unusable()[3]).isEqualTo(1000);
        // __fragmentation_index: -1000 while a block fits; order 3: 1000 - (1000 + 12000 / 8) / 9 = 723.
        assertThat(f.extfrag()[2]).isEqualTo(-1000);
        assertThat(f.extfrag()[3]).isEqualTo(723);
        assertThat(f.unusableRow()).startsWith("0.000 0.666 0.666 1.000");
        assertThat(f.extfragRow()).startsWith("-1.000 -1.000 -1.000  0.723");
    }

    @Test
    void noFreeMemory_isFullyUnusable_andExtfragZero() {
        BuddyFragmentation f = BuddyFragmentation.of(new long[11]);
        assertThat(f.unusable()[0]).isEqualTo(1000);
        assertThat(f.extfrag()[0]).isZero();
    }

    @Test
    void negativeExtfrag_isPrintedAsDebugfsPrintsIt_notAsItsAbsoluteValue() {
        // One free order-0 page: __fragmentation_index(1) = 1000 - 1500 = -500. The report used to
        // print it as "0.500" (Math.abs of the remainder), which reads as a positive index.
        BuddyFragmentation f = BuddyFragmentation.of(new long[] {1});
        assertThat(f.extfrag()[1]).isEqualTo(-500);
        assertThat(f.extfragRow()).startsWith("-1.000  0.-500  0.-250  0.-125  0.-62 ");
    }

    @Test
    void zoneLines_areTheExtfragRowsOfDebugfs() {
        long[] nrFree = new long[11];
        nrFree[0] = 8;
        nrFree[2] = 1;
        BuddyFragmentation.Zone z = new BuddyFragmentation.Zone(0, "DMA32", BuddyFragmentation.of(nrFree));
        // unusable_show_print: "Node %d, zone %8s " then "%d.%03d " per order; extfrag: "%2d.%03d ".
        assertThat(z.unusableLine())
                .isEqualTo("Node 0, zone    DMA32 0.000 0.666 0.666 1.000 1.000 1.000 1.000 "
                        + "1.000 1.000 1.000 1.000 ");
        // order 4: 1000 - (1000 + 12000 / 16) / 9 = 806; order 10: 1000 - (1000 + 11) / 9 = 888.
        assertThat(z.extfragLine())
                .isEqualTo("Node 0, zone    DMA32 -1.000 -1.000 -1.000  0.723  0.806  0.848  0.869 "
                        + " 0.879  0.884  0.887  0.888 ");
    }

    @Test
    void perZone_afterChurn_equalsTheKernelsOwnDebugfsFiles_andSumsToTheSummary() {
        ReplayTarget t = ReplayCommandTest.KERNEL.boot("slub", List.of("mem=64M", "nr_cpus=2"));
        PageAllocator pa = t.machine().pageAllocator();
        // Fragment DMA32: many order-0..3 blocks, every other one freed again.
        List<int[]> held = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int order = i % 4;
            int pfn = pa.allocPages(i % 2, Gfp.GFP_KERNEL, order);
            if (pfn != PageAllocator.NO_PAGE) {
                held.add(new int[] {pfn, order});
            }
        }
        for (int i = 0; i < held.size(); i += 2) {
            pa.freePages(0, held.get(i)[0], held.get(i)[1]);
        }
        pa.freePages(0, pa.allocPages(0, Gfp.GFP_DMA, 0), 0);
        List<BuddyFragmentation.Zone> zones = BuddyFragmentation.perZone(pa.metric());
        assertThat(zones).extracting(BuddyFragmentation.Zone::zone).containsExactly("DMA", "DMA32");
        StringBuilder unusable = new StringBuilder();
        StringBuilder extfrag = new StringBuilder();
        long free = 0;
        for (BuddyFragmentation.Zone z : zones) {
            unusable.append(z.unusableLine()).append('\n');
            extfrag.append(z.extfragLine()).append('\n');
            free += z.frag().freePages();
        }
        assertThat(unusable.toString()).isEqualTo(t.machine().vfs().read("/sys/kernel/debug/extfrag/unusable_index"));
        assertThat(extfrag.toString()).isEqualTo(t.machine().vfs().read("/sys/kernel/debug/extfrag/extfrag_index"));
        assertThat(zones.get(1).frag().unusable()[3]).isPositive();
        assertThat(free).isEqualTo(BuddyFragmentation.of(pa.metric()).freePages());
    }

    @Test
    void perZone_ofAPageAllocatorWithoutZones_isEmpty() {
        ReplayTarget t = SimpleSlabAllocator.factory(16L << 20, 1).boot("simple", List.of());
        assertThat(BuddyFragmentation.perZone(t.machine().pageAllocator().metric()))
                .isEmpty();
    }
}
