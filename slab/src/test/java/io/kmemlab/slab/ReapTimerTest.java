package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.VirtualClock;
import org.junit.jupiter.api.Test;

/** The reap timer: round_jiffies_relative() with the 3-jiffy per-CPU skew, HZ 250. */
class ReapTimerTest {
    private static final long J0 = VirtualClock.INITIAL_JIFFIES;

    @Test
    void initialJiffies_isMinus300SecondsAsUnsignedInt() {
        assertThat(J0).isEqualTo(4294892296L);
        assertThat(VirtualClock.jiffies(0)).isEqualTo(J0);
        assertThat(VirtualClock.jiffies(1_000_000_000L)).isEqualTo(J0 + 250);
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
            assertThat(t.slab.nextReap(cpu) - J0).isBetween(1L, 2L * VirtualClock.HZ);
        }
        assertThat(t.slab.nextReap(1)).isEqualTo(t.slab.nextReap(0) - 3);
    }

    @Test
    void nanosOfJiffies_isTheFirstInstantOfThatJiffy() {
        for (long j = J0 + 1; j < J0 + 5000; j += 13) {
            long t = VirtualClock.nanosOfJiffies(j);
            assertThat(VirtualClock.jiffies(t)).isEqualTo(j);
            assertThat(VirtualClock.jiffies(t - 1)).isEqualTo(j - 1);
        }
        // Due from the start: no instant to wait for.
        assertThat(VirtualClock.nanosOfJiffies(J0)).isEqualTo(Long.MIN_VALUE);
        assertThat(VirtualClock.nanosOfJiffies(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void tick_betweenReaps_changesNothing_andTheReapStillRunsWhenDue() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        long due = Math.min(t.slab.nextReap(0), t.slab.nextReap(1));
        long before0 = t.slab.nextReap(0);
        long before1 = t.slab.nextReap(1);
        for (long ns = 0; ns < VirtualClock.nanosOfJiffies(due); ns += 1_000_000) {
            t.slab.tick(ns);
        }
        assertThat(t.slab.nextReap(0)).isEqualTo(before0);
        assertThat(t.slab.nextReap(1)).isEqualTo(before1);
        t.slab.tick(VirtualClock.nanosOfJiffies(due));
        // the CPU that was due has its next reap REAPTIMEOUT_AC (about 2 s) later
        assertThat(Math.max(t.slab.nextReap(0) - before0, t.slab.nextReap(1) - before1))
                .isBetween(
                        (long) ClassicSlabAllocator.REAPTIMEOUT_AC - VirtualClock.HZ / 4 - 6,
                        (long) ClassicSlabAllocator.REAPTIMEOUT_AC + VirtualClock.HZ);
    }
}
