package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.ZoneMetric;
import org.junit.jupiter.api.Test;

/** The allocation path: zonelist walk, lowmem_reserve, compound and zeroed pages, boot frees. */
class AllocPathTest {

    @Test
    void gfpZone_limitsTheZonelistWalk() {
        BuddyAllocator b = TestBoot.kernelLike((4L << 30) + (64L << 20), 2);
        PageFrames f = b.machine().frames();
        assertThat(f.zone(b.allocPages(0, Gfp.GFP_KERNEL, 0))).isEqualTo(ZoneType.NORMAL.ordinal());
        assertThat(f.zone(b.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_DMA32, 0))).isEqualTo(ZoneType.DMA32.ordinal());
        assertThat(f.zone(b.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_DMA, 3))).isEqualTo(ZoneType.DMA.ordinal());
        assertThat(f.zone(b.allocPages(1, Gfp.GFP_HIGHUSER_MOVABLE, 0))).isEqualTo(ZoneType.NORMAL.ordinal());
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void normalRequests_fallingBack_leaveTheLowmemReserveOfLowerZones() {
        int normal = ZoneType.MAX_DMA32_PFN;
        BuddyAllocator b = TestBoot.of((4L << 30) + (64L << 20))
                .cpus(1)
                .free(0x100, ZoneType.MAX_DMA_PFN)
                .free(ZoneType.MAX_DMA_PFN, ZoneType.MAX_DMA_PFN + 8192)
                .free(normal, normal + 16384)
                .boot();
        ZoneMetric dma = b.zone(ZoneType.DMA);
        ZoneMetric dma32 = b.zone(ZoneType.DMA32);
        assertThat(dma32.lowmemReserve(ZoneType.NORMAL.ordinal())).isEqualTo(16384 / 256);
        assertThat(dma.lowmemReserve(ZoneType.NORMAL.ordinal())).isEqualTo((8192 + 16384) / 256);
        while (b.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 0) >= 0) {
            assertThat(dma32.nrFreePages()).isGreaterThan(dma32.lowmemReserve(ZoneType.NORMAL.ordinal()));
        }
        assertThat(dma.nrFreePages())
                .isGreaterThan(
                        dma.lowmemReserve(ZoneType.NORMAL.ordinal()) + dma.watermark(BuddyAllocator.WMARK_MIN) / 2);
        // a DMA32 request is not held back by the Normal reserve
        assertThat(b.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_DMA32 | Gfp.__GFP_NOWARN, 0))
                .isNotNegative();
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void gfpZero_zeroesEveryByte_andCompoundMarksTheTails() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 1);
        int pfn = b.allocPages(0, Gfp.GFP_KERNEL, 2);
        b.machine().mem().fill(Addr.pfnToVirt(pfn), 0x6b, 4 * Addr.PAGE_SIZE);
        b.freePages(0, pfn, 2);
        int again = b.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_ZERO | Gfp.__GFP_COMP, 2);
        assertThat(again).isEqualTo(pfn);
        assertThat(b.machine().mem().allEqual(Addr.pfnToVirt(pfn), 0, 4 * Addr.PAGE_SIZE))
                .isTrue();
        PageFrames f = b.machine().frames();
        assertThat(f.test(pfn, PageFrames.PG_HEAD)).isTrue();
        assertThat(f.compoundHead(pfn + 3)).isEqualTo(pfn);
        assertThat(f.refcount(pfn)).isEqualTo(1);
        b.freePages(0, pfn, 2);
        assertThat(f.test(pfn + 3, PageFrames.PG_TAIL)).isFalse();
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void buildZonelists_returnsPresentPagesWhileWatermarksAreZero() {
        io.kmemlab.mm.Machine m = new io.kmemlab.mm.Machine(io.kmemlab.mm.MachineConfig.of(64L << 20, 2));
        BuddyAllocator b = new BuddyAllocator(m, BuddyConfig.defaults());
        b.initZone(ZoneType.DMA, 1, 4096, 3998);
        b.initZone(ZoneType.DMA32, 4096, 16384, 12288);
        assertThat(b.buildZonelists()).isEqualTo(3998 + 12288);
        assertThat(b.mobilityGroupingDisabled()).isFalse();
        assertThat(m.frames().test(100, PageFrames.PG_RESERVED)).isTrue();
        assertThat(b.pageblockMigratetype(0)).isEqualTo(BuddyAllocator.MIGRATE_UNMOVABLE);
        assertThat(b.pageblockMigratetype(512)).isEqualTo(BuddyAllocator.MIGRATE_MOVABLE);
    }

    @Test
    void freeReservedPage_addsOneManagedPage_andRejectsUnreservedPages() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        ZoneMetric dma = b.zone(ZoneType.DMA);
        long managed = dma.managedPages();
        long free = dma.nrFreePages();
        long total = b.totalramPages();
        b.freeReservedPage(0x50);
        assertThat(dma.managedPages()).isEqualTo(managed + 1);
        assertThat(dma.nrFreePages() + dma.pcp(0).count()).isEqualTo(free + 1);
        assertThat(b.totalramPages()).isEqualTo(total + 1);
        b.freeReservedPage(0x50);
        assertThat(b.machine().dmesg().reportCount(ReportKind.WARN)).isEqualTo(1);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void bootChunks_countManagedAndPgfree_andEmitMmPageFree() {
        BuddyAllocator b =
                TestBoot.of(16L << 20).free(1024, 2048).noWatermarks().boot();
        assertThat(b.zone(ZoneType.DMA).managedPages()).isEqualTo(1024);
        assertThat(b.pgfree()).isEqualTo(1024);
        java.util.List<String> lines = new java.util.ArrayList<>();
        b.machine().tracer().setEnabled(io.kmemlab.mm.trace.EventType.MM_PAGE_FREE, true);
        b.machine().tracer().addSink(lines::add);
        b.freeBootChunk(2048, 10);
        assertThat(lines).singleElement().asString().endsWith("mm_page_free: page=ffffea0000020000 pfn=0x800 order=10");
        assertThat(b.freeListPfns(ZoneType.DMA, 10, BuddyAllocator.MIGRATE_MOVABLE))
                .containsExactly(1024, 2048);
    }

    @Test
    void shuffle_placesFreedMaxOrderBlocksBySeededCoinFlips() {
        BuddyConfig shuffled = BuddyConfig.defaults().withShuffle(true);
        int[] first = null;
        for (int run = 0; run < 2; run++) {
            BuddyAllocator b =
                    TestBoot.of(64L << 20).config(shuffled).noWatermarks().boot();
            int[] got = new int[6];
            for (int i = 0; i < got.length; i++) {
                got[i] = b.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 10);
            }
            for (int pfn : got) {
                b.freePages(0, pfn, 10);
            }
            int[] list = b.freeListPfns(ZoneType.DMA32, 10, BuddyAllocator.MIGRATE_MOVABLE);
            if (first == null) {
                first = list;
            } else {
                assertThat(list).containsExactly(first);
            }
        }
    }

    @Test
    void drainCpu_emptiesOnlyThatCpu() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        int a = b.allocPages(0, Gfp.GFP_KERNEL, 0);
        int c = b.allocPages(1, Gfp.GFP_KERNEL, 0);
        ZoneMetric dma32 = b.zone(ZoneType.DMA32);
        assertThat(dma32.pcp(0).count()).isPositive();
        assertThat(dma32.pcp(1).count()).isPositive();
        b.drainCpu(0);
        assertThat(dma32.pcp(0).count()).isZero();
        assertThat(dma32.pcp(1).count()).isPositive();
        b.freePages(0, a, 0);
        b.freePages(1, c, 0);
        assertThat(b.validate()).isEmpty();
    }
}
