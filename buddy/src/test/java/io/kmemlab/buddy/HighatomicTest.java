package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.ZoneMetric;
import org.junit.jupiter.api.Test;

/** The highatomic reserve (buddy.md §2.7): made by GFP_ATOMIC high-order slow-path successes. */
class HighatomicTest {

    @Test
    void gfpToAllocFlags_atomicHighOrder_getsHighatomicAndReserves() {
        int flags = BuddyAllocator.gfpToAllocFlags(Gfp.GFP_ATOMIC, 1);
        assertThat(flags & BuddyAllocator.ALLOC_HIGHATOMIC).isNotZero();
        assertThat(flags & BuddyAllocator.ALLOC_MIN_RESERVE).isNotZero();
        assertThat(flags & BuddyAllocator.ALLOC_NON_BLOCK).isNotZero();
        assertThat(flags & BuddyAllocator.ALLOC_CPUSET).isZero();
        assertThat(BuddyAllocator.gfpToAllocFlags(Gfp.GFP_ATOMIC, 0) & BuddyAllocator.ALLOC_HIGHATOMIC)
                .isZero();
        assertThat(BuddyAllocator.gfpToAllocFlags(Gfp.GFP_KERNEL, 3))
                .isEqualTo(BuddyAllocator.ALLOC_WMARK_MIN | BuddyAllocator.ALLOC_CPUSET | BuddyAllocator.ALLOC_KSWAPD);
        assertThat(BuddyAllocator.gfpToAllocFlags(Gfp.GFP_NOWAIT | Gfp.__GFP_NOMEMALLOC, 2)
                        & BuddyAllocator.ALLOC_NON_BLOCK)
                .isZero();
    }

    @Test
    void atomicHighOrderBelowLowWatermark_reservesItsPageblock_andKernelRequestUnreservesIt() {
        BuddyAllocator b = TestBoot.kernelLike(256L << 20, 1);
        ZoneMetric dma32 = b.zone(ZoneType.DMA32);
        // a movable user allocation may go down to the min watermark of every zone
        while (b.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_NOWARN, 0) >= 0) {
            assertThat(dma32.nrReservedHighatomic()).isZero();
        }
        assertThat(dma32.nrFreePages()).isLessThanOrEqualTo(dma32.watermark(BuddyAllocator.WMARK_MIN));
        long before = dma32.nrReservedHighatomic();
        int pfn = -1;
        for (int i = 0; i < 64 && dma32.nrReservedHighatomic() == before; i++) {
            pfn = b.allocPages(0, Gfp.GFP_ATOMIC | Gfp.__GFP_NOWARN, 2);
        }
        assertThat(dma32.nrReservedHighatomic()).isEqualTo(512);
        assertThat(b.pageblockMigratetype(pfn)).isEqualTo(BuddyAllocator.MIGRATE_HIGHATOMIC);
        assertThat(dma32.nrFreeHighatomic()).isPositive();
        assertThat(dma32.pageblockCount(BuddyAllocator.MIGRATE_HIGHATOMIC)).isEqualTo(1);
        assertThat(b.validate()).isEmpty();
        // a GFP_KERNEL order-0 request that fails everywhere else gives the reserve back
        while (b.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 0) >= 0) {
            assertThat(b.validate()).isEmpty();
            if (dma32.nrReservedHighatomic() == 0) {
                break;
            }
        }
        assertThat(dma32.nrReservedHighatomic()).isZero();
        assertThat(b.validate()).isEmpty();
    }
}
