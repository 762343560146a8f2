package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ZoneType;
import org.junit.jupiter.api.Test;

/** validate() finds corruption planted on purpose (as lib/slub_kunit.c does for SLUB). */
class ValidateTest {

    @Test
    void strayPageBuddyOnAnAllocatedPage_isReported() {
        BuddyAllocator b = TestBoot.kernelLike(16L << 20, 1);
        int pfn = b.allocPages(0, Gfp.GFP_KERNEL, 3);
        assertThat(b.validate()).isEmpty();
        b.machine().frames().set(pfn, PageFrames.PG_BUDDY);
        assertThat(b.validate()).singleElement().asString().contains("pfn " + pfn + " marked free but on no list");
        b.machine().frames().clear(pfn, PageFrames.PG_BUDDY);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void freeHeadWithoutPageBuddyOrWithTheWrongOrder_isReported() {
        BuddyAllocator b = TestBoot.kernelLike(16L << 20, 1);
        int head = b.freeListPfns(ZoneType.DMA, 10, BuddyAllocator.MIGRATE_MOVABLE)[0];
        b.machine().frames().setOrder(head, 9);
        assertThat(b.validate()).anyMatch(s -> s.contains("pfn " + head + " on order-10 list lacks PG_BUDDY/order"));
        b.machine().frames().setOrder(head, 10);
        b.machine().frames().clear(head, PageFrames.PG_BUDDY);
        assertThat(b.validate()).anyMatch(s -> s.contains("lacks PG_BUDDY"));
    }

    @Test
    void pcpPageWithoutItsMarker_isReported() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 1);
        b.allocPages(0, Gfp.GFP_KERNEL, 0);
        int onPcp = b.pcpListPfns(ZoneType.DMA32, 0, 0)[0];
        b.machine().frames().clear(onPcp, PageFrames.PG_PCP);
        assertThat(b.validate()).singleElement().asString().contains("pcp page " + onPcp + " without PG_PCP");
    }
}
