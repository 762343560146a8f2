package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PfnList;
import io.kmemlab.mm.slab.HeapMetric;
import io.kmemlab.mm.slab.KmemCache;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** slob_alloc / slob_page_alloc / slob_free on the heap, through kmem_cache and kmalloc. */
class SlobHeapTest {
    private final SlobFixture f = new SlobFixture();

    @AfterEach
    void consistent() {
        f.assertValid();
    }

    /**
     * Five 16-byte (8-unit) headerless objects at units 32, 40, 48, 56, 64 of a fresh page: the
     * first 32 units hold the cache's own struct kmem_cache (64 bytes from kmem_cache_boot).
     */
    private long[] fiveObjects(KmemCache c) {
        long[] o = new long[5];
        for (int i = 0; i < 5; i++) {
            o[i] = f.alloc(c);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(SlobFixture.unitOffset(o[i])).isEqualTo(32 + 8 * i);
        }
        assertThat(f.blocks(o[0])).containsExactly("72:1976");
        return o;
    }

    @Test
    void freshPage_isOneFreeBlockAtTheHeadOfTheList() {
        long obj = f.kmalloc(100);
        int pfn = Addr.virtToPfn(obj);

        assertThat(f.frames().test(pfn, PageFrames.PG_SLAB)).isTrue();
        assertThat(f.heap.list(SlobList.SMALL).first()).isEqualTo(pfn);
        // kmalloc(100): a 108-byte (54-unit) block, payload after the 8-byte header
        assertThat(Addr.offsetInPage(obj)).isEqualTo(8);
        assertThat(f.heap.pageUnits(pfn)).isEqualTo(2048 - 54);
        assertThat(f.blocks(obj)).containsExactly("54:1994");
        assertThat(f.machine.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B)).isEqualTo(4096);
    }

    @Test
    void kmalloc64_onFreshPage_leavesA28UnitAlignmentFragmentInFront() {
        long obj = f.kmalloc(64);
        int pfn = Addr.virtToPfn(obj);

        // the 72-byte block starts at page offset 56 so that block + 8 is 64-aligned
        assertThat(Addr.offsetInPage(obj)).isEqualTo(64);
        assertThat(f.blocks(obj)).containsExactly("0:28", "64:1984");
        // the fragment still counts as free: sp->units drops by the 36 allocated units only
        assertThat(f.heap.pageUnits(pfn)).isEqualTo(2048 - 36);
        assertThat(f.machine.mem().readU32(obj - 8)).isEqualTo(64);
    }

    @Test
    void fragment_isUsedByALaterSmallRequest() {
        long big = f.kmalloc(64);
        long small = f.kmalloc(16);

        // kmalloc(16): a 24-byte (12-unit) block whose payload must be 16-aligned, so it goes
        // into the 28-unit fragment at unit 4, splitting it again
        assertThat(Addr.offsetInPage(small)).isEqualTo(16);
        assertThat(f.blocks(big)).containsExactly("0:4", "16:12", "64:1984");
    }

    @Test
    void free_beforeHead_notAdjacent_becomesTheNewHead() {
        KmemCache c = f.cache("t16", 16, 0, 0);
        long[] o = fiveObjects(c);

        f.free(c, o[1]);

        assertThat(f.heap.pageFreelist(Addr.virtToPfn(o[1]))).isEqualTo(40);
        assertThat(f.blocks(o[0])).containsExactly("40:8", "72:1976");
    }

    @Test
    void free_beforeHead_adjacent_mergesWithTheHead() {
        KmemCache c = f.cache("t16", 16, 0, 0);
        long[] o = fiveObjects(c);

        f.free(c, o[4]);

        assertThat(f.heap.pageFreelist(Addr.virtToPfn(o[4]))).isEqualTo(64);
        assertThat(f.blocks(o[0])).containsExactly("64:1984");
    }

    @Test
    void free_betweenBlocks_adjacentToNeither_isLinkedAlone() {
        KmemCache c = f.cache("t16", 16, 0, 0);
        long[] o = fiveObjects(c);
        f.free(c, o[1]);

        f.free(c, o[3]);

        assertThat(f.blocks(o[0])).containsExactly("40:8", "56:8", "72:1976");
    }

    @Test
    void free_adjacentToNext_mergesWithNext() {
        KmemCache c = f.cache("t16", 16, 0, 0);
        long[] o = fiveObjects(c);
        f.free(c, o[1]);

        f.free(c, o[4]);

        assertThat(f.blocks(o[0])).containsExactly("40:8", "64:1984");
    }

    @Test
    void free_adjacentToPrevious_mergesWithPrevious() {
        KmemCache c = f.cache("t16", 16, 0, 0);
        long[] o = fiveObjects(c);
        f.free(c, o[1]);

        f.free(c, o[2]);

        assertThat(f.blocks(o[0])).containsExactly("40:16", "72:1976");
    }

    @Test
    void free_adjacentToBoth_mergesAllThree() {
        KmemCache c = f.cache("t16", 16, 0, 0);
        long[] o = fiveObjects(c);
        f.free(c, o[1]);
        f.free(c, o[3]);

        f.free(c, o[2]);

        assertThat(f.blocks(o[0])).containsExactly("40:24", "72:1976");
        assertThat(f.heap.pageUnits(Addr.virtToPfn(o[0]))).isEqualTo(2048 - 32 - 16);
    }

    @Test
    void free_lastBlockOfPage_afterTheLastFreeBlock_doesNotMergePastThePageEnd() {
        KmemCache c = f.cache("t16", 16, 0, 0);
        // after the 32-unit descriptor, 252 objects fill the page
        long[] o = new long[252];
        for (int i = 0; i < o.length; i++) {
            o[i] = f.alloc(c);
        }
        int pfn = Addr.virtToPfn(o[0]);
        assertThat(Addr.virtToPfn(o[251])).isEqualTo(pfn);
        assertThat(SlobFixture.unitOffset(o[251])).isEqualTo(2040);
        assertThat(f.heap.pageList(pfn)).isNull();
        f.free(c, o[0]);

        f.free(c, o[251]);

        assertThat(f.blocks(o[0])).containsExactly("32:8", "2040:8");
    }

    @Test
    void free_lastObject_returnsThePageToThePageAllocator() {
        KmemCache c = f.cache("t16", 16, 0, 0);
        long before = f.pages.allocatedPages();
        long a = f.alloc(c);
        long b = f.alloc(c);
        int pfn = Addr.virtToPfn(a);
        assertThat(f.pages.allocatedPages()).isEqualTo(before);

        f.free(c, a);
        f.free(c, b);

        // the cache's own descriptor (64 bytes from kmem_cache_boot) keeps the page alive
        assertThat(f.heap.isHeapPage(pfn)).isTrue();
        f.layer.kmemCacheDestroy(c);
        assertThat(f.heap.isHeapPage(pfn)).isFalse();
        assertThat(f.frames().test(pfn, PageFrames.PG_SLAB)).isFalse();
        assertThat(f.pages.allocatedPages()).isEqualTo(before - 1);
        assertThat(f.heap.heapPages()).isZero();
        assertThat(f.machine.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B)).isZero();
    }

    @Test
    void kmallocThenKfree_onEmptyHeap_returnsThePage() {
        long obj = f.kmalloc(300);
        assertThat(f.pages.allocatedPages()).isEqualTo(1);

        assertThat(f.kfree(obj)).isTrue();

        assertThat(f.pages.allocatedPages()).isZero();
        assertThat(f.heap.heapPagesFreed()).isEqualTo(1);
    }

    @Test
    void listSelection_followsTheRequestPlusHeader() {
        int small = Addr.virtToPfn(f.kmalloc(247)); // 255 bytes
        int medium = Addr.virtToPfn(f.kmalloc(248)); // 256 bytes
        int medium2 = Addr.virtToPfn(f.kmalloc(1015)); // 1023 bytes
        int large = Addr.virtToPfn(f.kmalloc(1016)); // 1024 bytes

        assertThat(f.heap.pageList(small)).isEqualTo(SlobList.SMALL);
        assertThat(f.heap.pageList(medium)).isEqualTo(SlobList.MEDIUM);
        assertThat(medium2).isEqualTo(medium);
        assertThat(f.heap.pageList(large)).isEqualTo(SlobList.LARGE);
        assertThat(List.of(small, medium, large)).doesNotHaveDuplicates();
    }

    @Test
    void noPageFits_freshPageGoesToTheHead_andSuccessRotatesTheListToItsPage() {
        KmemCache c = f.cache("t200", 200, 0, 0);
        List<Long> objs = new ArrayList<>();
        // 100-unit objects: 20 fill a page to 48 free units (16 on the first page, which also
        // holds the 32-unit descriptor of the cache)
        while (f.heap.heapPages() < 3
                || f.heap.pageUnits(f.heap.list(SlobList.SMALL).first()) >= 100) {
            objs.add(f.alloc(c));
        }
        PfnList small = f.heap.list(SlobList.SMALL);
        int p3 = small.first();
        int p2 = small.next(p3);
        int p1 = small.next(p2);
        assertThat(List.of(p1, p2, p3)).isSorted();
        long inP1 =
                objs.stream().filter(o -> Addr.virtToPfn(o) == p1).findFirst().orElseThrow();
        f.free(c, inP1);
        assertThat(order(small)).containsExactly(p3, p2, p1);

        long again = f.alloc(c);

        assertThat(again).isEqualTo(inP1);
        // list_rotate_to_front: the cyclic order is kept, the scan now starts at p1
        assertThat(order(small)).containsExactly(p1, p3, p2);
    }

    @Test
    void freeIntoFullPage_pageRejoinsTheHeadOfTheListOfTheBlockSize() {
        KmemCache c = f.cache("t2048", 2048, 0, 0); // 1024 units, large list: two fill a page
        long a = f.alloc(c);
        long b = f.alloc(c);
        long d = f.alloc(c);
        int full = Addr.virtToPfn(a);
        assertThat(Addr.virtToPfn(b)).isEqualTo(full);
        assertThat(f.heap.pageList(full)).isNull();
        int other = Addr.virtToPfn(d);
        assertThat(f.heap.list(SlobList.LARGE).first()).isEqualTo(other);

        f.free(c, a);

        assertThat(f.heap.list(SlobList.LARGE).first()).isEqualTo(full);
        assertThat(f.heap.pageUnits(full)).isEqualTo(1024);
        assertThat(f.heap.pageFreelist(full)).isEqualTo(SlobFixture.unitOffset(a));
    }

    @Test
    void validate_findsAFreeBlockWhoseSizeNoLongerMatchesThePageUnits() {
        long obj = f.kmalloc(100);
        long freeBlock = obj + 100;
        assertThat(f.blocks(obj)).containsExactly("54:1994");

        f.machine.mem().writeU16(freeBlock, 1000);

        assertThat(f.slob.validate())
                .containsExactly(String.format(
                        "slob page pfn:0x%x: free blocks hold 1000 units but sp->units is 1994", Addr.virtToPfn(obj)));
        f.machine.mem().writeU16(freeBlock, 1994);
    }

    @Test
    void validate_findsAPageOnTheWrongList() {
        long obj = f.kmalloc(100);
        int pfn = Addr.virtToPfn(obj);
        f.heap.list(SlobList.SMALL).remove(pfn);
        f.heap.list(SlobList.LARGE).addHead(pfn);

        assertThat(f.slob.validate())
                .contains(
                        String.format("slob page pfn:0x%x: not on the small list it names", pfn),
                        String.format("slob: pfn:0x%x on the large list is not a large SLOB page", pfn));
        f.heap.list(SlobList.LARGE).remove(pfn);
        f.heap.list(SlobList.SMALL).addHead(pfn);
    }

    private static List<Integer> order(PfnList list) {
        List<Integer> out = new ArrayList<>();
        for (int p = list.first(); p != PageFrames.NIL; p = list.next(p)) {
            out.add(p);
        }
        return out;
    }

    @Test
    void heapMetric_isTheSlabSpiFaceOfTheHeap_inBytes() {
        f.kmalloc(100);
        long second = f.kmalloc(300);
        f.layer.kfree(0, second, f.callSite);
        HeapMetric h = f.slob.heapMetric();
        assertThat(h).isSameAs(f.heap);
        assertThat(h.freeBytes())
                .isEqualTo(f.heap.freeUnits() * SlobBlock.SLOB_UNIT)
                .isPositive();
        assertThat(h.largestFreeBytes()).isEqualTo((long) f.heap.largestFreeBlock() * SlobBlock.SLOB_UNIT);
        assertThat(h.freeBlocks()).isEqualTo(f.heap.freeBlocks());
        assertThat(h.heapPages()).isEqualTo(f.heap.heapPages()).isPositive();
        assertThat(h.externalFragmentation()).isEqualTo(1.0 - (double) f.heap.largestFreeBlock() / f.heap.freeUnits());
    }
}
