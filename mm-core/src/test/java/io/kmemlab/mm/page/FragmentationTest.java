package io.kmemlab.mm.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.page.Fragmentation.ContigPageInfo;
import io.kmemlab.mm.page.Fragmentation.FreeBlocks;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FragmentationTest {
    private static final int ORDERS = Fragmentation.NR_PAGE_ORDERS;

    private static long[] free(long... nrFreeByOrder) {
        long[] a = new long[ORDERS];
        System.arraycopy(nrFreeByOrder, 0, a, 0, nrFreeByOrder.length);
        return a;
    }

    @Test
    void contigPageInfo_countsPagesBlocksAndSuitableBlocks() {
        // 8 order-0 pages and one order-2 block: 12 pages in 9 blocks; the order-2 block holds
        // two order-1 blocks and four order-0 ones.
        FreeBlocks z = FreeBlocks.of(free(8, 0, 1));
        assertThat(Fragmentation.fillContigPageInfo(z, 0)).isEqualTo(new ContigPageInfo(12, 9, 12));
        assertThat(Fragmentation.fillContigPageInfo(z, 1)).isEqualTo(new ContigPageInfo(12, 9, 2));
        assertThat(Fragmentation.fillContigPageInfo(z, 2)).isEqualTo(new ContigPageInfo(12, 9, 1));
        assertThat(Fragmentation.fillContigPageInfo(z, 3)).isEqualTo(new ContigPageInfo(12, 9, 0));
    }

    @Test
    void eightSmallAndOneOrder2Block_handWorked() {
        FreeBlocks z = FreeBlocks.of(free(8, 0, 1));
        // unusable_free_index: order 1: (12 - (2 << 1)) * 1000 / 12 = 666; order 2: (12 - 4) * 1000 / 12 = 666;
        // order 3 and up: no suitable block, 1000.
        assertThat(Fragmentation.unusableIndex(z))
                .containsExactly(0, 666, 666, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000);
        // __fragmentation_index: -1000 while a block fits; order n ≥ 3: 1000 - (1000 + 12000 / 2^n) / 9,
        // e.g. order 3: 1000 - 2500 / 9 = 723, order 10: 1000 - (1000 + 11) / 9 = 888.
        assertThat(Fragmentation.extfragIndex(z))
                .containsExactly(-1000, -1000, -1000, 723, 806, 848, 869, 879, 884, 887, 888);
        assertThat(Fragmentation.freePages(z)).isEqualTo(12);
    }

    @Test
    void tenOrder0Blocks_askingForOrder2_isFragmentation650() {
        ContigPageInfo info = Fragmentation.fillContigPageInfo(FreeBlocks.of(free(10)), 2);
        // 1000 - (1000 + 10 * 1000 / 4) / 10 = 1000 - 350 = 650; every free page unusable for order 2.
        assertThat(Fragmentation.fragmentationIndex(2, info)).isEqualTo(650);
        assertThat(Fragmentation.unusableFreeIndex(2, info)).isEqualTo(1000);
    }

    @Test
    void oneLonePage_givesTheKernelsNegativeIndex_printedAsTheKernelPrintsIt() {
        // A single free order-0 page: order 1: 1000 - (1000 + 500) / 1 = -500; order 3: 1000 - 1125 = -125.
        // The kernel does not clamp, and "%2d.%03d" of -125 / 1000, -125 % 1000 is " 0.-125".
        int[] extfrag = Fragmentation.extfragIndex(FreeBlocks.of(free(1)));
        assertThat(extfrag[0]).isEqualTo(-1000);
        assertThat(extfrag[1]).isEqualTo(-500);
        assertThat(extfrag[3]).isEqualTo(-125);
        assertThat(Fragmentation.formatExtfrag(-125)).isEqualTo(" 0.-125");
        assertThat(Fragmentation.formatExtfrag(-1000)).isEqualTo("-1.000");
        assertThat(Fragmentation.formatExtfrag(723)).isEqualTo(" 0.723");
        assertThat(Fragmentation.formatUnusable(1000)).isEqualTo("1.000");
        assertThat(Fragmentation.formatUnusable(66)).isEqualTo("0.066");
    }

    @Test
    void noFreeMemory_isFullyUnusable_andExtfragZero() {
        FreeBlocks none = FreeBlocks.of(new long[0]);
        for (int order = 0; order < ORDERS; order++) {
            ContigPageInfo info = Fragmentation.fillContigPageInfo(none, order);
            assertThat(Fragmentation.unusableFreeIndex(order, info)).isEqualTo(1000);
            assertThat(Fragmentation.fragmentationIndex(order, info)).isZero();
        }
    }

    @Test
    void onlyMaxOrderBlocks_noFragmentationAtAnyOrder() {
        long[] a = new long[ORDERS];
        a[ORDERS - 1] = 3;
        assertThat(Fragmentation.unusableIndex(FreeBlocks.of(a))).containsOnly(0);
        assertThat(Fragmentation.extfragIndex(FreeBlocks.of(a))).containsOnly(Fragmentation.SUITABLE_BLOCK_FREE);
    }

    @Test
    void orderAboveMaxPageOrder_isZero_asTheKernelsWarnOnce() {
        ContigPageInfo info = new ContigPageInfo(1, 1, 0);
        assertThat(Fragmentation.fragmentationIndex(ORDERS, info)).isZero();
    }

    @Test
    void divisionIsUnsigned_asDivU64() {
        // free_pages * 1000 above 2^63 (but below 2^64): div_u64 still divides the true product. A
        // signed division would see a negative dividend and answer 1422 instead of 500.
        long pages = 10_000_000_000_000_000L;
        ContigPageInfo info = new ContigPageInfo(pages, pages, 0);
        // 1000 - (1000 + 10^19 / 2) / 10^16 = 1000 - 500
        assertThat(Fragmentation.fragmentationIndex(1, info)).isEqualTo(500);
        long signed = 1000 - (1000 + pages * 1000 / 2) / pages;
        assertThat(signed).isEqualTo(1422);
        // unusable: (10^16 - 0) * 1000 / 10^16 = 1000 only when divided unsigned.
        assertThat(Fragmentation.unusableFreeIndex(1, info)).isEqualTo(1000);
    }

    /** Every zone of up to 2 free blocks per order over orders 0…4 (and one big block), every order. */
    @Test
    void exhaustive_smallZones_agreeWithABlockListReference() {
        int checked = 0;
        int[] digits = new int[6];
        for (int combo = 0; combo < 729; combo++) {
            int c = combo;
            for (int i = 0; i < digits.length; i++) {
                digits[i] = c % 3;
                c /= 3;
            }
            long[] nrFree = new long[ORDERS];
            for (int o = 0; o < 5; o++) {
                nrFree[o] = digits[o];
            }
            nrFree[ORDERS - 1] = digits[5] == 2 ? 1 : 0;
            nrFree[7] = digits[5] == 1 ? 1 : 0;
            List<Integer> blocks = new ArrayList<>();
            for (int o = 0; o < ORDERS; o++) {
                for (long k = 0; k < nrFree[o]; k++) {
                    blocks.add(o);
                }
            }
            int[] unusable = Fragmentation.unusableIndex(FreeBlocks.of(nrFree));
            int[] extfrag = Fragmentation.extfragIndex(FreeBlocks.of(nrFree));
            for (int order = 0; order < ORDERS; order++) {
                assertThat(unusable[order])
                        .as("unusable %s order %d", blocks, order)
                        .isEqualTo(referenceUnusable(blocks, order));
                assertThat(extfrag[order])
                        .as("extfrag %s order %d", blocks, order)
                        .isEqualTo(referenceExtfrag(blocks, order));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(729 * ORDERS);
    }

    /** The pages in blocks too small for the order, in thousandths of the free pages (floor). */
    private static int referenceUnusable(List<Integer> blocks, int order) {
        long free = 0;
        long tooSmall = 0;
        for (int o : blocks) {
            free += 1L << o;
            if (o < order) {
                tooSmall += 1L << o;
            }
        }
        if (free == 0) {
            return 1000;
        }
        return BigInteger.valueOf(tooSmall)
                .multiply(BigInteger.valueOf(1000))
                .divide(BigInteger.valueOf(free))
                .intValueExact();
    }

    /** The vmstat formula in exact integers, from the list of blocks rather than per-order counts. */
    private static int referenceExtfrag(List<Integer> blocks, int order) {
        if (blocks.isEmpty()) {
            return 0;
        }
        long free = 0;
        for (int o : blocks) {
            if (o >= order) {
                return -1000;
            }
            free += 1L << o;
        }
        BigInteger perRequest =
                BigInteger.valueOf(free).multiply(BigInteger.valueOf(1000)).shiftRight(order);
        return 1000
                - perRequest
                        .add(BigInteger.valueOf(1000))
                        .divide(BigInteger.valueOf(blocks.size()))
                        .intValueExact();
    }

    @Test
    void unusableFreeIndex_fromTheFreeAreas_sameAsThroughContigPageInfo() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int round = 0; round < 500; round++) {
            long[] nrFree = new long[Fragmentation.NR_PAGE_ORDERS];
            for (int o = 0; o < nrFree.length; o++) {
                nrFree[o] = r.nextInt(4) == 0 ? 0 : r.nextLong(1, 5000);
            }
            FreeBlocks z = FreeBlocks.of(round == 0 ? new long[0] : nrFree);
            for (int order = 0; order < Fragmentation.NR_PAGE_ORDERS; order++) {
                assertThat(Fragmentation.unusableFreeIndex(z, order))
                        .isEqualTo(Fragmentation.unusableFreeIndex(order, Fragmentation.fillContigPageInfo(z, order)));
            }
        }
    }
}
