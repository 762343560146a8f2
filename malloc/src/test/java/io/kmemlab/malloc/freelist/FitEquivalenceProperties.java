package io.kmemlab.malloc.freelist;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.malloc.ArrayUserSpace;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * What the list orders promise, as properties over random programs: under an ascending size order
 * best fit is first fit (the same blocks and the same number of elements examined, which is why
 * its search stops at the first fit), and under a descending order worst fit chooses what first fit
 * chooses, examining only the head.
 */
class FitEquivalenceProperties {

    private static void lockstep(FreeListAllocator x, FreeListAllocator y, long seed, boolean sameCounts) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] px = new long[64];
        long[] py = new long[64];
        for (int i = 0; i < 3000; i++) {
            int k = r.nextInt(px.length);
            if (px[k] == 0) {
                long size = 1 + r.nextInt(r.nextInt(10) == 0 ? 5000 : 200);
                px[k] = x.malloc(size);
                py[k] = y.malloc(size);
                assertThat(px[k]).as("op %d: malloc(%d)", i, size).isEqualTo(py[k]);
                if (sameCounts) {
                    assertThat(x.lastSearched()).as("op %d", i).isEqualTo(y.lastSearched());
                } else {
                    assertThat(x.lastSearched()).as("op %d: only the head", i).isLessThanOrEqualTo(1);
                }
            } else {
                x.free(px[k]);
                y.free(py[k]);
                px[k] = 0;
                py[k] = 0;
            }
        }
        assertThat(x.validate()).isEmpty();
        assertThat(y.validate()).isEmpty();
    }

    @Property(tries = 30)
    void bestFitUnderAscendingSizes_isFirstFit(@ForAll long seed) {
        lockstep(
                new FreeListAllocator(
                        new ArrayUserSpace(), FreeListOptions.of(FitPolicy.BEST).withOrder(ListOrder.SIZE_ASCENDING)),
                new FreeListAllocator(
                        new ArrayUserSpace(),
                        FreeListOptions.of(FitPolicy.FIRST).withOrder(ListOrder.SIZE_ASCENDING)),
                seed,
                true);
    }

    @Property(tries = 30)
    void worstFitUnderDescendingSizes_choosesTheHead(@ForAll long seed) {
        lockstep(
                new FreeListAllocator(
                        new ArrayUserSpace(),
                        FreeListOptions.of(FitPolicy.WORST).withOrder(ListOrder.SIZE_DESCENDING)),
                new FreeListAllocator(
                        new ArrayUserSpace(),
                        FreeListOptions.of(FitPolicy.FIRST).withOrder(ListOrder.SIZE_DESCENDING)),
                seed,
                false);
    }
}
