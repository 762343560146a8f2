package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.testing.SimplePageAllocator;
import io.kmemlab.slob.SlobFitComparison.Op;
import io.kmemlab.slob.SlobFitComparison.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlobFitComparisonTest {

    /** Many small objects, every other one freed, then bigger ones that must fit the holes. */
    private static List<Op> holesThenBiggerObjects() {
        List<Op> ops = new ArrayList<>();
        int id = 0;
        for (int i = 0; i < 300; i++) {
            ops.add(Op.kmalloc(id++, 24 + (i % 5) * 40));
        }
        for (int i = 0; i < 300; i += 2) {
            ops.add(Op.kfree(i));
        }
        for (int i = 0; i < 150; i++) {
            ops.add(Op.kmalloc(id++, 60 + (i % 3) * 50));
        }
        return ops;
    }

    @Test
    void compare_runsEveryPolicyOnTheSameOps_andReportsTheHeap() {
        List<Result> results =
                SlobFitComparison.compare(() -> SimplePageAllocator.machine(16L << 20, 1), holesThenBiggerObjects());

        assertThat(results).extracting(Result::fit).containsExactly(SlobFit.values());
        long live = results.get(0).liveBytes();
        for (Result r : results) {
            assertThat(r.liveBytes()).isEqualTo(live);
            assertThat(r.failures()).isZero();
            assertThat(r.rejected()).isZero();
            assertThat(r.peakHeapPages()).isGreaterThanOrEqualTo(r.heapPages());
            // the live bytes plus their headers must fit in the pages used
            assertThat(r.heapPages() * 4096 - r.freeUnits() * 2).isGreaterThanOrEqualTo(live);
            assertThat(r.externalFragmentation()).isBetween(0.0, 1.0);
        }
        // the policies really do place blocks differently on this workload (first 11, next 11,
        // best 10, worst 13 pages)
        assertThat(results.stream().map(Result::heapPages).distinct().count()).isGreaterThanOrEqualTo(3);
        assertThat(results.get(SlobFit.BEST.ordinal()).heapPages())
                .isLessThan(results.get(SlobFit.WORST.ordinal()).heapPages());
    }

    @Test
    void randomWorkload_isReproducible_andRunsUnderEveryPolicy() {
        List<Op> ops = SlobFitComparison.randomWorkload(42, 2000, 2000);

        assertThat(SlobFitComparison.randomWorkload(42, 2000, 2000)).isEqualTo(ops);
        assertThat(ops).hasSize(2000);
        List<Result> results = SlobFitComparison.compare(() -> SimplePageAllocator.machine(16L << 20, 1), ops);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.failures()).isZero();
            assertThat(r.liveBytes()).isEqualTo(results.get(0).liveBytes()).isPositive();
        });
    }

    @Test
    void firstFit_twoKmallocsOneFree_leavesTheFragmentAndTheTail() {
        List<Result> results = SlobFitComparison.compare(
                () -> SimplePageAllocator.machine(16L << 20, 1),
                List.of(Op.kmalloc(0, 100), Op.kmalloc(1, 100), Op.kfree(0)));

        // kmalloc(100) twice: [0,54) and, after a 2-unit alignment fragment, [56,110); freeing the
        // first merges it with the fragment: free blocks of 56 and 1938 units
        Result first = results.get(SlobFit.FIRST.ordinal());
        assertThat(first.heapPages()).isEqualTo(1);
        assertThat(first.liveBytes()).isEqualTo(100);
        assertThat(first.freeUnits()).isEqualTo(1994);
        assertThat(first.freeBlocks()).isEqualTo(2);
        assertThat(first.largestFreeBlock()).isEqualTo(1938);
        assertThat(first.externalFragmentation())
                .isCloseTo(1 - 1938 / 1994.0, org.assertj.core.data.Offset.offset(1e-12));
    }
}
