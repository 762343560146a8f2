package io.kmemlab.malloc.freelist;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.malloc.ArrayUserSpace;
import io.kmemlab.malloc.BoundaryTagHeap.TagLayout;
import io.kmemlab.malloc.UserCost;
import io.kmemlab.mm.user.HeapView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which block each policy and order chooses, and how many elements it examines, on one crafted
 * heap: free blocks of 112, 48, 208 and 80 bytes between allocated 32-byte separators, then the
 * free tail of the heap.
 */
class FreeListAllocatorTest {

    private ArrayUserSpace space;

    /** The allocator with the crafted heap; returns the free blocks' addresses in address order. */
    private FreeListAllocator crafted(FreeListOptions options, long[] holes) {
        space = new ArrayUserSpace();
        FreeListAllocator a = new FreeListAllocator(space, options);
        long[] sizes = {100, 24, 40, 24, 200, 24, 60, 24};
        long[] p = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            p[i] = a.malloc(sizes[i]);
        }
        for (int i = 0; i < sizes.length; i += 2) {
            a.free(p[i]);
            holes[i / 2] = p[i] - 8;
        }
        assertThat(a.validate()).isEmpty();
        return a;
    }

    private static List<Long> freeSizes(HeapView v) {
        List<Long> sizes = new ArrayList<>();
        v.forEachFree((list, addr, size) -> sizes.add(size));
        return sizes;
    }

    @Test
    void eachPolicy_choosesItsBlock_andCountsItsSearch() {
        long[] holes = new long[4];
        FreeListAllocator first = crafted(FreeListOptions.of(FitPolicy.FIRST), holes);
        assertThat(freeSizes(first)).startsWith(112L, 48L, 208L, 80L).hasSize(5);
        assertThat(first.malloc(40) - 8).isEqualTo(holes[0]);
        assertThat(first.lastSearched()).isEqualTo(1);

        FreeListAllocator best = crafted(FreeListOptions.of(FitPolicy.BEST), holes);
        long before = space.nowNanos();
        assertThat(best.malloc(40) - 8).as("the exact 48-byte hole").isEqualTo(holes[1]);
        assertThat(best.lastSearched()).as("an unsorted list is searched whole").isEqualTo(5);
        assertThat(space.nowNanos() - before)
                .as("the search is charged to user time")
                .isEqualTo(UserCost.CALL_NANOS + 5 * UserCost.ELEMENT_NANOS);

        FreeListAllocator worst = crafted(FreeListOptions.of(FitPolicy.WORST), holes);
        long tail = worst.malloc(40) - 8;
        assertThat(tail).isGreaterThan(holes[3]);
        assertThat(worst.lastSearched()).isEqualTo(5);

        FreeListAllocator next = crafted(FreeListOptions.of(FitPolicy.NEXT), holes);
        // the rover is where the last allocation split the tail: it starts (and ends) there
        assertThat(next.malloc(40) - 8).isGreaterThan(holes[3]);
        assertThat(next.lastSearched()).isEqualTo(1);
        // a request the tail cannot take goes round from the rover to the head
        assertThat(next.malloc(5000)).isNotZero();
        assertThat(next.validate()).isEmpty();
    }

    @Test
    void sortedOrders_stopTheSearchWhereTheOrderAllows() {
        long[] holes = new long[4];
        FreeListAllocator asc = crafted(FreeListOptions.of(FitPolicy.BEST).withOrder(ListOrder.SIZE_ASCENDING), holes);
        assertThat(freeSizes(asc)).startsWith(48L, 80L, 112L, 208L);
        assertThat(asc.malloc(60) - 8).as("the 80-byte hole").isEqualTo(holes[3]);
        assertThat(asc.lastSearched()).isEqualTo(2);

        FreeListAllocator desc =
                crafted(FreeListOptions.of(FitPolicy.BEST).withOrder(ListOrder.SIZE_DESCENDING), holes);
        assertThat(freeSizes(desc)).endsWith(208L, 112L, 80L, 48L);
        assertThat(desc.malloc(100) - 8).as("the 112-byte hole").isEqualTo(holes[0]);
        assertThat(desc.lastSearched())
                .as("tail, 208, 112, then 80 is too small")
                .isEqualTo(4);

        FreeListAllocator worst =
                crafted(FreeListOptions.of(FitPolicy.WORST).withOrder(ListOrder.SIZE_DESCENDING), holes);
        assertThat(worst.malloc(40) - 8).isGreaterThan(holes[3]);
        assertThat(worst.lastSearched()).isEqualTo(1);
        assertThat(worst.validate()).isEmpty();
        assertThat(desc.validate()).isEmpty();
        assertThat(asc.validate()).isEmpty();
    }

    @Test
    void insertFrontAndBack_keepTheOrderOfFrees() {
        long[] holes = new long[4];
        FreeListAllocator front = crafted(FreeListOptions.of(FitPolicy.FIRST).withOrder(ListOrder.INSERT_FRONT), holes);
        assertThat(freeSizes(front))
                .containsExactly(80L, 208L, 48L, 112L, freeSizes(front).get(4));
        FreeListAllocator back = crafted(FreeListOptions.of(FitPolicy.FIRST).withOrder(ListOrder.INSERT_BACK), holes);
        assertThat(freeSizes(back).subList(1, 5)).containsExactly(112L, 48L, 208L, 80L);
    }

    @Test
    void coalescing_mergesNeighbours_andOffLeavesThem() {
        for (boolean on : new boolean[] {true, false}) {
            ArrayUserSpace s = new ArrayUserSpace();
            FreeListAllocator a = new FreeListAllocator(
                    s, FreeListOptions.of(FitPolicy.FIRST).withLayout(new TagLayout(8, 16, 0, 4096, on)));
            long p = a.malloc(40);
            long q = a.malloc(40);
            long r = a.malloc(40);
            a.malloc(40);
            a.free(p);
            a.free(r);
            a.free(q);
            assertThat(freeSizes(a).get(0)).isEqualTo(on ? 144L : 48L);
            assertThat(a.length()).isEqualTo(on ? 2 : 4);
            assertThat(a.validate()).isEmpty();
        }
    }

    @Test
    void headerAndSplitThreshold_shapeTheBlocks() {
        ArrayUserSpace s = new ArrayUserSpace();
        FreeListAllocator a = new FreeListAllocator(
                s, FreeListOptions.of(FitPolicy.FIRST).withLayout(new TagLayout(32, 16, 256, 4096, true)));
        long p = a.malloc(1);
        assertThat(p % 16).isZero();
        assertThat(a.usableSize(p))
                .as("block of 64 (32 header + 24 + 8), 32 usable")
                .isEqualTo(32);
        long q = a.malloc(500);
        a.malloc(1);
        a.free(q);
        // a 40-byte request (an 80-byte block) in the 544-byte hole leaves 464 >= 256: split
        long r = a.malloc(40);
        assertThat(r).isEqualTo(q);
        assertThat(a.usableSize(r)).isEqualTo(48);
        // now the 464-byte hole: a 300-byte request (336) would leave 128 < 256: the whole block
        long t = a.malloc(300);
        assertThat(a.usableSize(t)).isEqualTo(464 - 32);
        assertThat(a.validate()).isEmpty();
    }

    @Test
    void validate_findsABrokenListLinkAndAFooter() {
        long[] holes = new long[4];
        FreeListAllocator a = crafted(FreeListOptions.of(FitPolicy.FIRST), holes);
        long link = holes[1] + 8;
        long saved = space.readU64(link);
        space.writeU64(link, holes[1] + 16);
        assertThat(a.validate()).anySatisfy(l -> assertThat(l).contains("is not a free block of the heap"));
        space.writeU64(link, saved);
        long footer = holes[2] + 208 - 8;
        space.writeU64(footer, 99);
        assertThat(a.validate()).anySatisfy(l -> assertThat(l).contains("footer"));
        space.writeU64(footer, 208);
        assertThat(a.validate()).isEmpty();
        assertThat(space.alive()).isTrue();
    }

    @Test
    void freeNextToACorruptedBoundaryTag_abortsTheProcessAsGlibcDoes() {
        ArrayUserSpace s = new ArrayUserSpace();
        FreeListAllocator a = new FreeListAllocator(s, FreeListOptions.of(FitPolicy.FIRST));
        long p = a.malloc(40);
        long q = a.malloc(40);
        a.malloc(40);
        a.free(p);
        s.writeU64(q - 8 - 8, 0x1234);
        a.free(q);
        assertThat(s.alive()).isFalse();
        assertThat(s.stderr()).anySatisfy(l -> assertThat(l).startsWith("free(): corrupted size vs. prev_size"));

        ArrayUserSpace t = new ArrayUserSpace();
        FreeListAllocator b = new FreeListAllocator(t, FreeListOptions.of(FitPolicy.FIRST));
        long x = b.malloc(40);
        long y = b.malloc(40);
        b.malloc(40);
        t.writeU64(y - 8, 7);
        b.free(x);
        assertThat(t.alive()).isFalse();
        assertThat(t.stderr()).anySatisfy(l -> assertThat(l).startsWith("free(): invalid next size (normal)"));
    }

    @Test
    @Timeout(10)
    void aListLinkOverwrittenIntoACycle_endsTheSearch_insteadOfHangingIt() {
        for (FitPolicy policy : FitPolicy.values()) {
            long[] holes = new long[4];
            FreeListAllocator a = crafted(FreeListOptions.of(policy), holes);
            // the 48-byte hole's next link now points back at the 112-byte hole: a cycle
            space.writeU64(holes[1] + 8, holes[0]);
            assertThat(a.malloc(3000)).as(policy + ": served from a grown heap").isNotZero();
            assertThat(a.lastSearched()).isLessThanOrEqualTo(a.length());
            a.free(a.malloc(10));
            assertThat(a.validate()).as(policy.name()).isNotEmpty();
            assertThat(space.alive()).isTrue();
        }
    }

    @Test
    void heapGrowsByBrk_andAFailedBrkIsAFailedMalloc() {
        ArrayUserSpace s = new ArrayUserSpace().brkLimit(64 * 1024);
        FreeListAllocator a = new FreeListAllocator(s, FreeListOptions.of(FitPolicy.BEST));
        long p = a.malloc(10_000);
        assertThat(p).isNotZero();
        assertThat(a.metric().heapBytes()).isEqualTo(s.brkAddress() - s.startBrk());
        assertThat(a.malloc(100_000)).isZero();
        assertThat(a.metric().failures()).isEqualTo(1);
        assertThat(a.validate()).isEmpty();
    }
}
