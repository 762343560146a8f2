package io.kmemlab.buddy;

import static io.kmemlab.buddy.BuddyAllocator.MIGRATE_MOVABLE;
import static io.kmemlab.buddy.BuddyAllocator.MIGRATE_UNMOVABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.trace.EventType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Migrate-type fallback: claim versus steal (buddy.md §2.5), with mm_page_alloc_extfrag. */
class FallbackTest {
    private static final int MOVABLE = Gfp.GFP_HIGHUSER_MOVABLE;
    private static final int UNMOVABLE = Gfp.GFP_KERNEL;

    /** One free pageblock-pair (order-10 block at 1024), boot pagesets, extfrag traced. */
    private static BuddyAllocator machine(List<String> lines) {
        BuddyAllocator b =
                TestBoot.of(16L << 20).free(1024, 2048).noWatermarks().boot();
        b.machine().tracer().setEnabled(EventType.MM_PAGE_ALLOC_EXTFRAG, true);
        b.machine().tracer().addSink(lines::add);
        return b;
    }

    private static String fields(String line) {
        return line.substring(line.indexOf("mm_page_alloc_extfrag: "));
    }

    @Test
    void unmovableRequest_onlyMovableMaxOrderBlock_claimsEveryPageblockOfIt() {
        List<String> lines = new ArrayList<>();
        BuddyAllocator b = machine(lines);
        assertThat(b.allocPages(0, UNMOVABLE, 0)).isEqualTo(1024);
        assertThat(b.pageblockMigratetype(1024)).isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(b.pageblockMigratetype(1536)).isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(b.freeListPfns(ZoneType.DMA, 9, MIGRATE_UNMOVABLE)).containsExactly(1536);
        assertThat(b.zone(ZoneType.DMA).nrFree(9, MIGRATE_MOVABLE)).isZero();
        assertThat(lines).hasSize(1);
        assertThat(fields(lines.get(0)))
                .endsWith("pfn=0x400 alloc_order=0 fallback_order=10 pageblock_order=9"
                        + " alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1");
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void movableRequest_onlySmallUnmovableBlocks_stealsWithoutChangingThePageblock() {
        List<String> lines = new ArrayList<>();
        BuddyAllocator b = machine(lines);
        b.allocPages(0, UNMOVABLE, 0);
        for (int order = 9; order >= 4; order--) {
            assertThat(b.allocPages(0, UNMOVABLE, order)).isEqualTo(1024 + (1 << order));
        }
        lines.clear();
        // left: 1025 (o0), 1026 (o1), 1028 (o2), 1032 (o3), all unmovable; orders < 4 never claim
        assertThat(b.allocPages(0, MOVABLE, 0)).isEqualTo(1025);
        assertThat(b.pageblockMigratetype(1024)).isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(lines).hasSize(1);
        assertThat(fields(lines.get(0)))
                .endsWith("pfn=0x401 alloc_order=0 fallback_order=0 pageblock_order=9"
                        + " alloc_migratetype=1 fallback_migratetype=0 fragmenting=1 change_ownership=0");
        // a steal of a larger block leaves the halves on the fallback type's lists
        assertThat(b.allocPages(0, MOVABLE, 0)).isEqualTo(1026);
        assertThat(b.freeListPfns(ZoneType.DMA, 0, MIGRATE_UNMOVABLE)).containsExactly(1027);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void unmovableRequest_smallBlockInPageblockFullOfMovablePages_stealsAfterFailedClaim() {
        List<String> lines = new ArrayList<>();
        BuddyAllocator b =
                TestBoot.of(16L << 20).free(1024, 1536).noWatermarks().boot();
        b.machine().tracer().setEnabled(EventType.MM_PAGE_ALLOC_EXTFRAG, true);
        b.machine().tracer().addSink(lines::add);
        for (int order = 8; order >= 4; order--) {
            b.allocPages(0, MOVABLE, order);
        }
        // 496 movable pages in use, 16 free (1520, o4): alike = 512 - (16 + 496) = 0 < 256
        assertThat(b.allocPages(0, UNMOVABLE, 0)).isEqualTo(1520);
        assertThat(b.pageblockMigratetype(1024)).isEqualTo(MIGRATE_MOVABLE);
        assertThat(b.freeListPfns(ZoneType.DMA, 3, MIGRATE_MOVABLE)).containsExactly(1528);
        assertThat(lines).hasSize(1);
        assertThat(fields(lines.get(0)))
                .endsWith("alloc_order=0 fallback_order=4 pageblock_order=9"
                        + " alloc_migratetype=0 fallback_migratetype=1 fragmenting=1 change_ownership=0");
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void unmovableRequest_pageblockHalfFree_claimsThePageblock() {
        List<String> lines = new ArrayList<>();
        BuddyAllocator b =
                TestBoot.of(16L << 20).free(1024, 1536).noWatermarks().boot();
        b.machine().tracer().setEnabled(EventType.MM_PAGE_ALLOC_EXTFRAG, true);
        b.machine().tracer().addSink(lines::add);
        int[] got = new int[4];
        for (int i = 0, order = 8; order >= 5; order--, i++) {
            got[i] = b.allocPages(0, MOVABLE, order);
        }
        // give back 1024 (o8) and 1280 (o7): they cannot merge, 416 pages are free
        b.freePages(0, got[0], 8);
        b.freePages(0, got[1], 7);
        assertThat(b.allocPages(0, UNMOVABLE, 0)).isEqualTo(1504);
        assertThat(b.pageblockMigratetype(1024)).isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(b.zone(ZoneType.DMA).nrFree(8, MIGRATE_UNMOVABLE)).isEqualTo(1);
        assertThat(b.zone(ZoneType.DMA).nrFree(7, MIGRATE_UNMOVABLE)).isEqualTo(1);
        // claimed via the largest suitable block (o8 at 1024) and served by __rmqueue_smallest
        assertThat(fields(lines.get(0)))
                .endsWith("alloc_order=0 fallback_order=8 pageblock_order=9"
                        + " alloc_migratetype=0 fallback_migratetype=1 fragmenting=1 change_ownership=1");
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void movableRequest_largeUnmovableBlock_claimsWhenOrderAtLeastFour() {
        List<String> lines = new ArrayList<>();
        BuddyAllocator b = machine(lines);
        b.allocPages(0, UNMOVABLE, 0);
        for (int order = 9; order >= 5; order--) {
            b.allocPages(0, UNMOVABLE, order);
        }
        lines.clear();
        // 1040 (o4) is the largest free unmovable block: 16 free pages, 0 movable -> no claim,
        // then the steal takes the smallest block, 1025 (o0)
        assertThat(b.allocPages(0, MOVABLE, 0)).isEqualTo(1025);
        assertThat(lines).hasSize(1);
        assertThat(fields(lines.get(0))).contains("fallback_order=0");
        assertThat(b.pageblockMigratetype(1024)).isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void nofragment_normalRequest_goesToDma32RatherThanClaimLessThanAPageblockOfNormal() {
        // 4 GiB + 4 MiB: Normal is [1M, 1M + 1024), two movable pageblocks
        BuddyAllocator b = TestBoot.of((4L << 30) + (4L << 20)).cpus(1).boot();
        int normal = ZoneType.MAX_DMA32_PFN;
        assertThat(b.allocPages(0, MOVABLE, 8)).isEqualTo(normal);
        assertThat(b.allocPages(0, MOVABLE, 8)).isEqualTo(normal + 256);
        assertThat(b.allocPages(0, MOVABLE, 8)).isEqualTo(normal + 512);
        b.freePages(0, normal + 256, 8);
        // Normal now has free blocks only inside partly used pageblocks
        int pfn = b.allocPages(0, UNMOVABLE, 0);
        assertThat(pfn).isLessThan(normal).isGreaterThanOrEqualTo(ZoneType.MAX_DMA_PFN);
        assertThat(b.pageblockMigratetype(normal)).isEqualTo(MIGRATE_MOVABLE);
        assertThat(b.pageblockMigratetype(pfn)).isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void nofragment_everyZoneWouldFragment_retriesWithoutItAndStealsInNormal() {
        // only Normal's 1024 pages are free
        BuddyAllocator b = TestBoot.of((4L << 30) + (4L << 20))
                .cpus(1)
                .free(ZoneType.MAX_DMA32_PFN, ZoneType.MAX_DMA32_PFN + 1024)
                .boot();
        int normal = ZoneType.MAX_DMA32_PFN;
        b.allocPages(0, MOVABLE | Gfp.__GFP_NOWARN, 8);
        b.allocPages(0, MOVABLE | Gfp.__GFP_NOWARN, 8);
        b.allocPages(0, MOVABLE | Gfp.__GFP_NOWARN, 8);
        int pfn = b.allocPages(0, UNMOVABLE | Gfp.__GFP_NOWARN, 0);
        // the NOFRAGMENT pass finds nothing anywhere; the retry claims Normal's second pageblock
        // (256 free + 0 alike >= 256) and the pcp refill takes its free block from the bottom
        assertThat(pfn).isEqualTo(normal + 768);
        assertThat(b.pageblockMigratetype(normal + 512)).isEqualTo(MIGRATE_UNMOVABLE);
        assertThat(b.pageblockMigratetype(normal)).isEqualTo(MIGRATE_MOVABLE);
        assertThat(b.validate()).isEmpty();
    }
}
