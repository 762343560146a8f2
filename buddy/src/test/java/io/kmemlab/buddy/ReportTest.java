package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Dmesg;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad frees (bad_page) and allocation failures (warn_alloc) in the kernel's words. */
class ReportTest {
    private BuddyAllocator b;
    private Dmesg dmesg;

    @BeforeEach
    void boot() {
        b = TestBoot.kernelLike(16L << 20, 2);
        dmesg = b.machine().dmesg();
        b.machine().cpus().setCurrent(0, "insmod", 412);
    }

    private String badFree(int pfn, int order) {
        long mark = dmesg.sequence();
        long before = dmesg.reportCount(ReportKind.BAD_PAGE);
        List<String> v0 = b.validate();
        long free = b.nrFreePages();
        assertThat(b.freePages(0, pfn, order)).isFalse();
        assertThat(dmesg.reportCount(ReportKind.BAD_PAGE)).isEqualTo(before + 1);
        assertThat(b.nrFreePages()).isEqualTo(free);
        assertThat(b.validate()).isEqualTo(v0).isEmpty();
        StringBuilder sb = new StringBuilder();
        for (String line : dmesg.since(mark)) {
            sb.append(line.substring(line.indexOf("] ") + 2)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void doubleFree_ofABuddyPage_reportsNonzeroMapcount() {
        int pfn = b.allocPages(0, Gfp.GFP_KERNEL, 4);
        assertThat(b.freePages(0, pfn, 4)).isTrue();
        Golden.assertMatches("bad_page_double_free.txt", badFree(pfn, 4));
    }

    @Test
    void freeOfAReservedPage_reportsFlagsCheckAtFree() {
        String text = badFree(0x10, 0);
        assertThat(text).startsWith("BUG: Bad page state in process insmod  pfn:00010\n");
        assertThat(text).contains("flags: 0x800(reserved|node=0|zone=0)");
        assertThat(text).endsWith("page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set\n");
    }

    @Test
    void freeOfATailPage_reportsPageTail() {
        int head = b.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_COMP, 2);
        assertThat(badFree(head + 1, 0)).endsWith("page dumped because: VM_BUG_ON_PAGE(PageTail(page))\n");
        assertThat(b.freePages(0, head, 2)).isTrue();
    }

    @Test
    void freeWithTheWrongOrder_ofACompoundPage_reportsCompoundOrder() {
        int head = b.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_COMP, 2);
        assertThat(badFree(head, 3))
                .endsWith("page dumped because: VM_BUG_ON_PAGE(compound && compound_order(page) != order)\n");
        assertThat(badFree(head, 1)).contains("page: refcount:1 mapcount:0");
    }

    @Test
    void freeWithTheWrongOrder_ofAPlainBlock_namesBothOrders() {
        int pfn = b.allocPages(0, Gfp.GFP_KERNEL, 1);
        assertThat(badFree(pfn, 0)).endsWith("page dumped because: order 0 differs from the allocated order 1\n");
    }

    @Test
    void freeOfAPageInsideAFreeBlock_reportsZeroRefcount() {
        int free = b.freeListPfns(ZoneType.DMA, 10, BuddyAllocator.MIGRATE_MOVABLE)[0];
        assertThat(badFree(free + 3, 0)).endsWith("page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)\n");
    }

    @Test
    void freeOfAPageOnAPcpList_reportsZeroRefcount() {
        int a = b.allocPages(0, Gfp.GFP_KERNEL, 0);
        int c = b.allocPages(0, Gfp.GFP_KERNEL, 0);
        b.freePages(0, a, 0);
        if (b.machine().frames().test(a, PageFrames.PG_PCP)) {
            assertThat(badFree(a, 0)).contains("page_ref_count(page) == 0");
        }
        assertThat(b.freePages(0, c, 0)).isTrue();
    }

    @Test
    void freeOutsideMemory_reportsWithoutAPageDump() {
        assertThat(badFree(1 << 20, 0))
                .isEqualTo(
                        "BUG: Bad page state in process insmod  pfn:100000\npage dumped because: pfn_valid(pfn) failed\n");
        assertThat(badFree(-5, 0)).contains("pfn_valid(pfn) failed");
    }

    @Test
    void freeOfASlabPage_reportsNonzeroMapcount() {
        int pfn = b.allocPages(0, Gfp.GFP_KERNEL, 0);
        b.machine().frames().set(pfn, PageFrames.PG_SLAB);
        assertThat(badFree(pfn, 0)).contains("page_type: f5(slab)").endsWith("nonzero mapcount\n");
    }

    @Test
    void sharedPage_freeDropsOneReference() {
        int pfn = b.allocPages(0, Gfp.GFP_KERNEL, 0);
        b.machine().frames().setRefcount(pfn, 2);
        assertThat(b.freePages(0, pfn, 0)).isTrue();
        assertThat(b.machine().frames().refcount(pfn)).isEqualTo(1);
        assertThat(b.freePages(0, pfn, 0)).isTrue();
        assertThat(b.machine().frames().refcount(pfn)).isZero();
    }

    @Test
    void orderAboveMax_warnsUnlessNowarn_andFails() {
        long mark = dmesg.sequence();
        assertThat(b.allocPages(0, Gfp.GFP_KERNEL, 11)).isEqualTo(-1);
        assertThat(dmesg.reportCount(ReportKind.WARN)).isEqualTo(1);
        assertThat(dmesg.since(mark).get(0))
                .contains(
                        "WARNING: CPU: 0 PID: 412 at mm/page_alloc.c __alloc_frozen_pages_noprof: order:11 > MAX_PAGE_ORDER (10)");
        assertThat(b.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 11)).isEqualTo(-1);
        assertThat(dmesg.reportCount(ReportKind.WARN)).isEqualTo(1);
        assertThat(b.allocFailures()).isEqualTo(2);
    }

    @Test
    void invalidGfpZoneCombination_warnsAndFails() {
        assertThat(b.allocPages(0, Gfp.__GFP_DMA | Gfp.__GFP_DMA32, 0)).isEqualTo(-1);
        assertThat(dmesg.reportCount(ReportKind.WARN)).isEqualTo(1);
        assertThat(b.allocPages(0, Gfp.__GFP_MOVABLE | Gfp.__GFP_RECLAIMABLE, 0))
                .isEqualTo(-1);
        assertThat(dmesg.reportCount(ReportKind.WARN)).isEqualTo(2);
    }

    @Test
    void exhaustedMemory_printsPageAllocationFailureWithFreeAreas() {
        int got = 0;
        while (b.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 10) >= 0) {
            got++;
        }
        assertThat(got).isEqualTo(3);
        assertThat(dmesg.reportCount(ReportKind.PAGE_ALLOC_FAILURE)).isZero();
        long mark = dmesg.sequence();
        assertThat(b.allocPages(0, Gfp.GFP_KERNEL, 10)).isEqualTo(-1);
        assertThat(dmesg.reportCount(ReportKind.PAGE_ALLOC_FAILURE)).isEqualTo(1);
        StringBuilder sb = new StringBuilder();
        for (String line : dmesg.since(mark)) {
            sb.append(line.substring(line.indexOf("] ") + 2)).append('\n');
        }
        Golden.assertMatches("page_allocation_failure.txt", sb.toString());
        assertThat(sb.toString())
                .startsWith("insmod: page allocation failure: order:10, mode:0xcc0(GFP_KERNEL), nodemask=(null)\n");
    }

    @Test
    void repeatedFailures_areRateLimitedLikeWarnAlloc_butAllCounted() {
        while (b.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 10) >= 0) {
            // use up every order-10 block
        }
        long mark = dmesg.sequence();
        for (int i = 0; i < 34; i++) {
            assertThat(b.allocPages(0, Gfp.GFP_KERNEL, 10)).isEqualTo(-1);
        }
        assertThat(dmesg.reportCount(ReportKind.PAGE_ALLOC_FAILURE)).isEqualTo(34);
        long printed = dmesg.since(mark).stream()
                .filter(l -> l.contains("page allocation failure"))
                .count();
        assertThat(printed).isEqualTo(10);
        // after the 5 s interval the next report prints, preceded by the suppressed count
        b.machine().clock().advance(5_000_000_001L);
        mark = dmesg.sequence();
        assertThat(b.allocPages(0, Gfp.GFP_KERNEL, 10)).isEqualTo(-1);
        assertThat(dmesg.since(mark).get(0)).endsWith("warn_alloc: 24 callbacks suppressed");
        assertThat(dmesg.since(mark).get(1)).contains("page allocation failure: order:10");
        assertThat(dmesg.reportCount(ReportKind.PAGE_ALLOC_FAILURE)).isEqualTo(35);
    }
}
