package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reap timer: round_jiffies_relative() with the 3-jiffy per-CPU skew, HZ 250. */
class ReapTimerTest {
    private static final long J0 = ClassicSlabAllocator.INITIAL_JIFFIES;

    @Test
    void initialJiffies_isMinus300SecondsAsUnsignedInt() {
        assertThat(J0).isEqualTo(4294892296L);
        assertThat(ClassicSlabAllocator.jiffies(0)).isEqualTo(J0);
        assertThat(ClassicSlabAllocator.jiffies(1_000_000_000L)).isEqualTo(J0 + 250);
    }

    @Test
    void roundJiffies_roundsDownWithinAQuarterSecond_andSkewsEachCpuByThree() {
        // J0 + 250 = 4294892546, 46 past a whole second: rounded down to 4294892500
        assertThat(ClassicSlabAllocator.roundJiffiesRelative(250, 0, J0)).isEqualTo(204);
        // CPU 1 rounds J0 + 250 + 3 down and subtracts its skew again
        assertThat(ClassicSlabAllocator.roundJiffiesRelative(250, 1, J0)).isEqualTo(201);
        // 100 past a whole second (> HZ/4): rounded up
        long now = 4294892500L + 100 - 500;
        assertThat(now + ClassicSlabAllocator.roundJiffiesRelative(500, 0, now)).isEqualTo(4294892750L);
    }

    @Test
    void roundJiffies_alwaysInTheFuture() {
        for (long now = J0; now < J0 + 2000; now += 7) {
            for (int cpu = 0; cpu < 8; cpu++) {
                assertThat(ClassicSlabAllocator.roundJiffiesRelative(ClassicSlabAllocator.REAPTIMEOUT_AC, cpu, now))
                        .isPositive();
            }
        }
    }

    @Test
    void bootStartsEveryCpuTimerAboutOneSecondOut() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 4);
        for (int cpu = 0; cpu < 4; cpu++) {
            assertThat(t.slab.nextReap(cpu) - J0).isBetween(1L, 2L * ClassicSlabAllocator.HZ);
        }
        assertThat(t.slab.nextReap(1)).isEqualTo(t.slab.nextReap(0) - 3);
    }
}
