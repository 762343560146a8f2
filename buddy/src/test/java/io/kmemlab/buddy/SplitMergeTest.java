package io.kmemlab.buddy;

import static io.kmemlab.buddy.BuddyAllocator.MIGRATE_MOVABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.PageAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Split (expand) and merge (__free_one_page) for every order, and the head/tail placement rules.
 * The machines stop before init_per_zone_wmark_min, so the boot pagesets (high 0, batch 1) pass
 * every page straight through the pcp and the buddy lists are observed directly.
 */
class SplitMergeTest {
    private static final int MOVABLE_GFP = Gfp.GFP_HIGHUSER_MOVABLE;

    /** One free order-10 block at pfn 1024 of a 16 MiB machine, nothing else. */
    private static BuddyAllocator oneMaxBlock() {
        return TestBoot.of(16L << 20).free(1024, 2048).noWatermarks().boot();
    }

    private static long[] buddyinfo(BuddyAllocator b) {
        long[] n = new long[BuddyAllocator.NR_PAGE_ORDERS];
        for (int o = 0; o < n.length; o++) {
            n[o] = b.zone(ZoneType.DMA).nrFree(o);
        }
        return n;
    }

    @ParameterizedTest(name = "order {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void alloc_fromMaxOrderBlock_keepsLowestPartAndPutsUpperHalvesOnEachLowerOrder(int order) {
        BuddyAllocator b = oneMaxBlock();
        int pfn = b.allocPages(0, MOVABLE_GFP, order);
        assertThat(pfn).isEqualTo(1024);
        long[] expected = new long[BuddyAllocator.NR_PAGE_ORDERS];
        for (int o = order; o < PageAllocator.MAX_PAGE_ORDER; o++) {
            expected[o] = 1;
            assertThat(b.freeListPfns(ZoneType.DMA, o, MIGRATE_MOVABLE)).containsExactly(1024 + (1 << o));
        }
        assertThat(buddyinfo(b)).containsExactly(expected);
        assertThat(b.zone(ZoneType.DMA).nrFreePages()).isEqualTo(1024 - (1 << order));
        assertThat(b.machine().frames().refcount(pfn)).isEqualTo(1);
        assertThat(b.validate()).isEmpty();

        assertThat(b.freePages(0, pfn, order)).isTrue();
        long[] merged = new long[BuddyAllocator.NR_PAGE_ORDERS];
        merged[10] = 1;
        assertThat(buddyinfo(b)).containsExactly(merged);
        assertThat(b.freeListPfns(ZoneType.DMA, 10, MIGRATE_MOVABLE)).containsExactly(1024);
        assertThat(b.validate()).isEmpty();
    }

    @ParameterizedTest(name = "order {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void allocEveryBlockOfAnOrder_thenFreeInRandomOrder_mergesBackToOneMaxBlock(int order) {
        BuddyAllocator b = oneMaxBlock();
        int n = 1 << (PageAllocator.MAX_PAGE_ORDER - order);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int pfn = b.allocPages(0, MOVABLE_GFP, order);
            assertThat(pfn).isBetween(1024, 2047);
            assertThat(pfn & ((1 << order) - 1)).isZero();
            got.add(pfn);
        }
        // the lowest part is always kept, so the blocks come out in ascending order
        for (int i = 0; i < n; i++) {
            assertThat(got.get(i)).isEqualTo(1024 + (i << order));
        }
        assertThat(b.zone(ZoneType.DMA).nrFreePages()).isZero();
        assertThat(b.allocPages(0, MOVABLE_GFP | Gfp.__GFP_NOWARN, order)).isEqualTo(PageFrames.NIL);
        SplittableRandom rnd = new SplittableRandom(order);
        // independent model: free blocks as a set, merged by hand
        long[] model = new long[BuddyAllocator.NR_PAGE_ORDERS];
        java.util.TreeMap<Integer, Integer> free = new java.util.TreeMap<>();
        while (!got.isEmpty()) {
            int pfn = got.remove(rnd.nextInt(got.size()));
            assertThat(b.freePages(1, pfn, order)).isTrue();
            int p = pfn;
            int o = order;
            while (o < 10 && free.containsKey(p ^ (1 << o)) && free.get(p ^ (1 << o)) == o) {
                free.remove(p ^ (1 << o));
                model[o]--;
                p &= ~(1 << o);
                o++;
            }
            free.put(p, o);
            model[o]++;
            assertThat(buddyinfo(b)).containsExactly(model);
        }
        assertThat(model[10]).isEqualTo(1);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void free_buddyMergeLikely_queuesAtTail_otherwiseHead() {
        BuddyAllocator b = oneMaxBlock();
        // A: 1024 (o3) leaves o3=[1032] o4=[1040] … o9=[1536]
        assertThat(b.allocPages(0, MOVABLE_GFP, 3)).isEqualTo(1024);
        // B: 1032 empties o3
        assertThat(b.allocPages(0, MOVABLE_GFP, 3)).isEqualTo(1032);
        // C: splits 1040 (o4): 1048 to the head of o3
        assertThat(b.allocPages(0, MOVABLE_GFP, 3)).isEqualTo(1040);
        assertThat(b.freeListPfns(ZoneType.DMA, 3, MIGRATE_MOVABLE)).containsExactly(1048);
        // D: free 1024: its buddy 1032 is in use and so is 1040 (the o4 buddy of 1024): head
        b.freePages(0, 1024, 3);
        assertThat(b.freeListPfns(ZoneType.DMA, 3, MIGRATE_MOVABLE)).containsExactly(1024, 1048);
        // E: an unrelated order-4 block reaches the o4 list first
        b.freeBootChunk(2096, 4);
        assertThat(b.freeListPfns(ZoneType.DMA, 4, MIGRATE_MOVABLE)).containsExactly(2096);
        // F: free 1040: merges with 1048 into 1040 (o4); 1024's o5 buddy 1056 is free: tail
        b.freePages(0, 1040, 3);
        assertThat(b.freeListPfns(ZoneType.DMA, 4, MIGRATE_MOVABLE)).containsExactly(2096, 1040);
        // G: free 1032: merges 1024+1032, +1040, +1056, … back to the order-10 block
        b.freePages(0, 1032, 3);
        assertThat(b.freeListPfns(ZoneType.DMA, 10, MIGRATE_MOVABLE)).containsExactly(1024);
        assertThat(b.freeListPfns(ZoneType.DMA, 4, MIGRATE_MOVABLE)).containsExactly(2096);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void bootFrees_queueAtTail_inFreeOrder() {
        BuddyAllocator b = TestBoot.of(16L << 20).wholeMemory().noWatermarks().boot();
        assertThat(b.freeListPfns(ZoneType.DMA, 10, MIGRATE_MOVABLE)).containsExactly(0, 1024, 2048, 3072);
    }

    @Test
    void expand_putsUpperHalvesAtTheHead() {
        BuddyAllocator b = TestBoot.of(16L << 20).wholeMemory().noWatermarks().boot();
        // order-9 list is empty; two allocations of order 8 split block 0 then block 1024
        assertThat(b.allocPages(0, MOVABLE_GFP, 9)).isEqualTo(0);
        assertThat(b.allocPages(0, MOVABLE_GFP, 10)).isEqualTo(1024);
        assertThat(b.allocPages(0, MOVABLE_GFP, 9)).isEqualTo(512);
        assertThat(b.allocPages(0, MOVABLE_GFP, 0)).isEqualTo(2048);
        b.freePages(0, 0, 9);
        // 0 freed with its buddy 512 in use: head, in front of 2560 from the split
        assertThat(b.freeListPfns(ZoneType.DMA, 9, MIGRATE_MOVABLE)).containsExactly(0, 2560);
        assertThat(b.allocPages(0, MOVABLE_GFP, 0)).isEqualTo(2049);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void maxOrderBlocks_mergeAcrossPageblocksOfMergeableTypes_retypingTheBuddy() {
        BuddyAllocator b = oneMaxBlock();
        // an unmovable order-9 request claims the whole order-10 block (both pageblocks)
        int lo = b.allocPages(0, Gfp.GFP_KERNEL, 9);
        assertThat(lo).isEqualTo(1024);
        assertThat(b.pageblockMigratetype(1536)).isEqualTo(BuddyAllocator.MIGRATE_UNMOVABLE);
        int hi = b.allocPages(0, MOVABLE_GFP, 9);
        assertThat(hi).isEqualTo(1536);
        assertThat(b.pageblockMigratetype(1536)).isEqualTo(BuddyAllocator.MIGRATE_MOVABLE);
        b.freePages(0, hi, 9);
        b.freePages(0, lo, 9);
        // the freed unmovable block merges with its movable buddy, which takes its type
        assertThat(b.freeListPfns(ZoneType.DMA, 10, BuddyAllocator.MIGRATE_UNMOVABLE))
                .containsExactly(1024);
        assertThat(b.pageblockMigratetype(1536)).isEqualTo(BuddyAllocator.MIGRATE_UNMOVABLE);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void pageBuddyAndOrder_areKeptInPageFrames() {
        BuddyAllocator b = oneMaxBlock();
        PageFrames f = b.machine().frames();
        assertThat(f.test(1024, PageFrames.PG_BUDDY)).isTrue();
        assertThat(f.order(1024)).isEqualTo(10);
        assertThat(f.test(1025, PageFrames.PG_BUDDY)).isFalse();
        b.allocPages(0, MOVABLE_GFP, 2);
        assertThat(f.test(1024, PageFrames.PG_BUDDY)).isFalse();
        assertThat(f.test(1028, PageFrames.PG_BUDDY)).isTrue();
        assertThat(f.order(1028)).isEqualTo(2);
        assertThat(f.zone(1028)).isEqualTo(ZoneType.DMA.ordinal());
    }
}
