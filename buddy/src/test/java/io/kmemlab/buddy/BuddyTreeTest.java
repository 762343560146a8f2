package io.kmemlab.buddy;

import static io.kmemlab.buddy.BuddyAllocator.MIGRATE_MOVABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.BuddyTree;
import io.kmemlab.mm.page.BuddyTree.State;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.page.ZoneMetric;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The split tree {@code --step} draws ({@link BuddyTree}) and the free-list walk it prints
 * ({@link ZoneMetric#freeListPfns}) against the buddy algorithm's own rules: an allocation from one
 * free order-10 block keeps the lowest part and leaves each upper half free at every lower order
 * (expand()), and freeing it merges everything back (__free_one_page).
 */
class BuddyTreeTest {
    private static final int MOVABLE_GFP = Gfp.GFP_HIGHUSER_MOVABLE;

    /** One free order-10 block at pfn 1024 of a 16 MiB machine; boot pagesets pass pages through. */
    private static BuddyAllocator oneMaxBlock() {
        return TestBoot.of(16L << 20).free(1024, 2048).noWatermarks().boot();
    }

    @ParameterizedTest(name = "order {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void path_afterAllocFromMaxBlock_allocatedBlockWithAFreeBuddyAtEveryOrderBelowTheTop(int order) {
        BuddyAllocator b = oneMaxBlock();
        int pfn = b.allocPages(0, MOVABLE_GFP, order);
        assertThat(pfn).isEqualTo(1024);
        List<BuddyTree.Level> path = BuddyTree.path(b.machine().frames(), pfn, order);
        assertThat(path).hasSize(PageAllocator.MAX_PAGE_ORDER - order + 1);
        for (BuddyTree.Level l : path) {
            int o = l.block().order();
            assertThat(l.block().pfn()).isEqualTo(1024);
            if (o == order) {
                assertThat(l.block().state()).isEqualTo(State.ALLOCATED);
            } else {
                // above the allocated block: split, its pages the allocation's and its buddies' below
                assertThat(l.block().state()).isEqualTo(State.SPLIT);
                assertThat(l.block().usedPages()).isEqualTo(1 << order);
                assertThat(l.block().freePages()).isEqualTo((1 << o) - (1 << order));
            }
            if (o == PageAllocator.MAX_PAGE_ORDER) {
                assertThat(l.buddy()).isNull();
            } else {
                assertThat(l.buddy().pfn()).isEqualTo(1024 + (1 << o));
                assertThat(l.buddy().state()).isEqualTo(State.FREE);
            }
        }
    }

    @ParameterizedTest(name = "order {0}")
    @ValueSource(ints = {0, 3, 9})
    void path_afterFree_everyLevelIsPartOfTheMergedMaxBlock(int order) {
        BuddyAllocator b = oneMaxBlock();
        int pfn = b.allocPages(0, MOVABLE_GFP, order);
        assertThat(b.freePages(0, pfn, order)).isTrue();
        List<BuddyTree.Level> path = BuddyTree.path(b.machine().frames(), pfn, order);
        assertThat(path.get(0).block().state()).isEqualTo(State.FREE);
        for (BuddyTree.Level l : path.subList(1, path.size())) {
            assertThat(l.block().state()).isEqualTo(State.IN_FREE);
            assertThat(l.block().holderPfn()).isEqualTo(1024);
            assertThat(l.block().holderOrder()).isEqualTo(PageAllocator.MAX_PAGE_ORDER);
            assertThat(l.buddy().state()).isEqualTo(State.IN_FREE);
        }
    }

    @Test
    void path_twoNeighbours_buddyOfOneIsTheOtherAllocatedBlock() {
        BuddyAllocator b = oneMaxBlock();
        int first = b.allocPages(0, MOVABLE_GFP, 2);
        int second = b.allocPages(0, MOVABLE_GFP, 2);
        // expand() left 1028-1031 free at order 2: the second allocation takes it
        assertThat(second).isEqualTo(first + 4);
        BuddyTree.Level bottom = BuddyTree.path(b.machine().frames(), second, 2).get(8);
        assertThat(bottom.block().state()).isEqualTo(State.ALLOCATED);
        assertThat(bottom.buddy().pfn()).isEqualTo(first);
        assertThat(bottom.buddy().state()).isEqualTo(State.ALLOCATED);
        BuddyTree.Node parent =
                BuddyTree.path(b.machine().frames(), second, 2).get(7).block();
        assertThat(parent.state()).isEqualTo(State.SPLIT);
        assertThat(parent.usedPages()).isEqualTo(8);
        assertThat(parent.freePages()).isZero();
        BuddyTree.Node inside = BuddyTree.node(b.machine().frames(), second + 2, 1);
        assertThat(inside.state()).isEqualTo(State.IN_ALLOCATED);
        assertThat(inside.holderPfn()).isEqualTo(second);
        assertThat(inside.holderOrder()).isEqualTo(2);
    }

    @Test
    void path_pageOnAPcpList_isPcp() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 1);
        int pfn = b.allocPages(0, Gfp.GFP_KERNEL, 0);
        assertThat(b.freePages(0, pfn, 0)).isTrue();
        assertThat(b.machine().frames().test(pfn, io.kmemlab.mm.PageFrames.PG_PCP))
                .as("an order-0 free goes to the pcp list")
                .isTrue();
        BuddyTree.Level bottom = BuddyTree.path(b.machine().frames(), pfn, 0).get(10);
        assertThat(bottom.block().state()).isEqualTo(State.PCP);
    }

    @Test
    void freeListPfns_isTheListHeadFirst_cutAtTheArrayLength() {
        BuddyAllocator b = oneMaxBlock();
        int[] pfns = new int[4];
        for (int i = 0; i < 6; i++) {
            b.allocPages(0, MOVABLE_GFP, 0);
        }
        ZoneMetric z = b.zone(ZoneType.DMA);
        for (int o = 0; o < BuddyAllocator.NR_PAGE_ORDERS; o++) {
            int[] all = b.freeListPfns(ZoneType.DMA, o, MIGRATE_MOVABLE);
            int n = z.freeListPfns(o, MIGRATE_MOVABLE, pfns);
            assertThat(n).isEqualTo(Math.min(all.length, pfns.length));
            for (int i = 0; i < n; i++) {
                assertThat(pfns[i]).isEqualTo(all[i]);
            }
        }
    }
}
