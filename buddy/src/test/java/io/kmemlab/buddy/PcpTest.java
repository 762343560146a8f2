package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.PcpMetric;
import io.kmemlab.mm.page.ZoneMetric;
import io.kmemlab.mm.trace.EventType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-CPU page lists on a kernel-like 64 MiB machine with 2 CPUs. Worked by hand: DMA32 managed
 * 12288, min_free_kbytes 3148 (THP: 787 buffer pages / 20 … ), DMA32 min 599 low 748 high 897,
 * batch 3, high_min 374, high_max 768.
 */
class PcpTest {
    private BuddyAllocator b;
    private ZoneMetric dma32;

    @BeforeEach
    void boot() {
        b = TestBoot.kernelLike(64L << 20, 2);
        dma32 = b.zone(ZoneType.DMA32);
    }

    @AfterEach
    void validate() {
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void boot_pcpSizesFollowTheFormulas() {
        assertThat(b.minFreeKbytes()).isEqualTo(3148);
        assertThat(dma32.watermark(BuddyAllocator.WMARK_MIN)).isEqualTo(599);
        assertThat(dma32.watermark(BuddyAllocator.WMARK_LOW)).isEqualTo(748);
        assertThat(dma32.watermark(BuddyAllocator.WMARK_HIGH)).isEqualTo(897);
        PcpMetric p = dma32.pcp(1);
        assertThat(new int[] {p.batch(), p.highMin(), p.highMax(), p.high(), p.count()})
                .containsExactly(3, 374, 768, 0, 0);
    }

    @Test
    void firstAlloc_refillsABatchInAscendingOrder_andHandsOutTheHead() {
        int pfn = b.allocPages(0, Gfp.GFP_KERNEL, 0);
        // the unmovable request claims DMA32's first order-10 block; three pages arrive in order
        assertThat(pfn).isEqualTo(4096);
        assertThat(b.pcpListPfns(ZoneType.DMA32, 0, 0)).containsExactly(4097, 4098);
        PcpMetric p = dma32.pcp(0);
        assertThat(p.count()).isEqualTo(2);
        assertThat(p.high()).isEqualTo(377);
        assertThat(p.allocFactor()).isEqualTo(1);
        // the pages on the pcp are not free: NR_FREE_PAGES lost the whole batch
        assertThat(dma32.nrFreePages()).isEqualTo(12288 - 3);
        assertThat(dma32.pgalloc()).isEqualTo(1);
        assertThat(dma32.numaEvent(0)).isEqualTo(1);
    }

    @Test
    void emptyList_refillGrowsWithAllocFactor() {
        for (int i = 0; i < 3; i++) {
            assertThat(b.allocPages(0, Gfp.GFP_KERNEL, 0)).isEqualTo(4096 + i);
        }
        assertThat(b.allocPages(0, Gfp.GFP_KERNEL, 0)).isEqualTo(4099);
        // batch 3 << alloc_factor 1 = 6 pages
        assertThat(b.pcpListPfns(ZoneType.DMA32, 0, 0)).containsExactly(4100, 4101, 4102, 4103, 4104);
        assertThat(dma32.pcp(0).allocFactor()).isEqualTo(2);
        assertThat(dma32.pcp(0).high()).isEqualTo(383);
    }

    @Test
    void free_goesToTheHeadOfThePcpList_andIsReusedFirst() {
        int a = b.allocPages(0, Gfp.GFP_KERNEL, 0);
        long free = dma32.nrFreePages();
        assertThat(b.freePages(0, a, 0)).isTrue();
        assertThat(b.pcpListPfns(ZoneType.DMA32, 0, 0)).startsWith(a);
        assertThat(dma32.nrFreePages()).isEqualTo(free);
        assertThat(dma32.pcp(0).allocFactor()).isZero();
        assertThat(b.pgfree()).isGreaterThan(0);
        assertThat(b.allocPages(0, Gfp.GFP_KERNEL, 0)).isEqualTo(a);
    }

    @Test
    void freesBeyondHigh_bulkFreeTheColdestPages_andDrainEmptiesEverything() {
        List<String> drains = new ArrayList<>();
        b.machine().tracer().setEnabled(EventType.MM_PAGE_PCPU_DRAIN, true);
        b.machine().tracer().addSink(drains::add);
        int[] pages = new int[1000];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = b.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
            assertThat(pages[i]).isPositive();
        }
        for (int pfn : pages) {
            b.freePages(1, pfn, 0);
            PcpMetric p = dma32.pcp(1);
            assertThat(p.count()).isLessThanOrEqualTo(p.highMax());
        }
        assertThat(drains).isNotEmpty();
        assertThat(b.validate()).isEmpty();
        long managed = dma32.managedPages();
        assertThat(dma32.nrFreePages() + dma32.pcp(0).count() + dma32.pcp(1).count())
                .isEqualTo(managed);
        b.drainAll();
        assertThat(b.pcpPages()).isZero();
        assertThat(dma32.nrFreePages()).isEqualTo(managed);
    }

    /**
     * A drain under a free's pcp lock runs with preemption off twice (pcp_spin_lock) and zone->lock
     * taken with irqs off: "d..3." in every drain line, whether the free took the per-CPU fast
     * path or the batched one, and the count is back to 0 after each call.
     */
    @Test
    void drainsFromFrees_runWithIrqsOffAtPreemptDepthThree_andLeaveTheCountAtZero() {
        List<String> drains = new ArrayList<>();
        b.machine().tracer().setEnabled(EventType.MM_PAGE_PCPU_DRAIN, true);
        b.machine().tracer().addSink(drains::add);
        int[] pages = new int[1200];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = b.allocPages(0, Gfp.GFP_KERNEL, 0);
            assertThat(b.machine().cpus().traceContext(0)).isZero();
        }
        for (int i = 0; i < 600; i++) {
            assertThat(b.freePages(1, pages[i], 0)).isTrue();
            assertThat(b.machine().cpus().traceContext(1)).isZero();
        }
        int fromSingleFrees = drains.size();
        assertThat(fromSingleFrees).isPositive();
        int[] rest = java.util.Arrays.copyOfRange(pages, 600, pages.length);
        assertThat(b.freePagesBatch(1, rest, new int[rest.length], rest.length)).isEqualTo(rest.length);
        assertThat(b.machine().cpus().traceContext(1)).isZero();
        assertThat(drains.size()).isGreaterThan(fromSingleFrees);
        java.util.regex.Pattern flags = java.util.regex.Pattern.compile("\\] (\\S+) ");
        for (String line : drains) {
            java.util.regex.Matcher m = flags.matcher(line);
            assertThat(m.find()).as(line).isTrue();
            assertThat(m.group(1)).as(line).isEqualTo("d..3.");
        }
    }

    @Test
    void thpOrder_hasItsOwnPcpList() {
        assertThat(b.nrPcpLists()).isEqualTo(14);
        int pfn = b.allocPages(0, Gfp.GFP_TRANSHUGE_LIGHT | Gfp.__GFP_COMP, 9);
        assertThat(pfn & 511).isZero();
        b.freePages(0, pfn, 9);
        assertThat(b.pcpListPfns(ZoneType.DMA32, 0, 13)).containsExactly(pfn);
        assertThat(dma32.pcp(0).count()).isEqualTo(512);
    }

    @Test
    void withoutThp_order9BypassesThePcp() {
        b = TestBoot.of(64L << 20)
                .config(BuddyConfig.defaults().withTransparentHugepage(false))
                .boot();
        assertThat(b.nrPcpLists()).isEqualTo(12);
        int pfn = b.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 9);
        b.freePages(0, pfn, 9);
        assertThat(b.pcpPages()).isZero();
    }

    @Test
    void percpuPagelistHighFraction_setsHighMinEqualHighMax() {
        assertThat(b.setPercpuPagelistHighFraction(7)).isEqualTo("EINVAL");
        assertThat(b.setPercpuPagelistHighFraction(8)).isNull();
        PcpMetric p = dma32.pcp(0);
        assertThat(p.highMin()).isEqualTo(768).isEqualTo(p.highMax());
    }

    @Test
    void vmstatRefresh_decaysHighByAnEighthTowardsHighMin_andFreesTheExcess() {
        int[] pages = new int[600];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = b.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
        }
        for (int pfn : pages) {
            b.freePages(0, pfn, 0);
        }
        PcpMetric p = dma32.pcp(0);
        int high = p.high();
        int count = p.count();
        assertThat(high).isGreaterThan(p.highMin());
        b.vmstatRefresh(0);
        int expected = Math.max(Math.max(count - (3 << 5), high - (high >> 3)), p.highMin());
        assertThat(p.high()).isEqualTo(expected);
        assertThat(p.count()).isLessThanOrEqualTo(p.high());
        for (int i = 0; i < 50 && b.vmstatRefresh(0); i++) {
            assertThat(b.validate()).isEmpty();
        }
        assertThat(p.high()).isEqualTo(p.highMin());
    }
}
