package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The machine's RCU: grace periods on the virtual clock's jiffies, barriers, order, pending queries. */
class RcuTest {
    private final VirtualClock clock = new VirtualClock();
    private final Rcu rcu = new Rcu(clock);
    private final List<Long> ran = new ArrayList<>();
    private final List<Integer> ranOn = new ArrayList<>();
    private final Rcu.Callback record = (cpu, arg, aux) -> {
        ran.add(arg);
        ranOn.add(cpu);
    };

    /** Moves the clock to {@code nanos} and delivers the timer interrupt. */
    private void tickAt(long nanos) {
        clock.set(nanos);
        rcu.tick();
    }

    @Test
    void jiffies_countHzPerSecondFromInitialJiffies() {
        assertThat(VirtualClock.HZ).isEqualTo(250);
        assertThat(clock.jiffies()).isEqualTo(VirtualClock.INITIAL_JIFFIES);
        clock.set(1_000_000_000L);
        assertThat(clock.jiffies()).isEqualTo(VirtualClock.INITIAL_JIFFIES + VirtualClock.HZ);
        for (long j = VirtualClock.INITIAL_JIFFIES + 1; j < VirtualClock.INITIAL_JIFFIES + 600; j += 7) {
            long t = VirtualClock.nanosOfJiffies(j);
            assertThat(VirtualClock.jiffies(t)).isEqualTo(j);
            assertThat(VirtualClock.jiffies(t - 1)).isEqualTo(j - 1);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 3_999_999, 4_000_000, 4_000_001, 7_654_321, 1_000_000_000_123L})
    void callRcu_becomesDueAtTheThirdJiffyBoundaryAfterIt_notOneNanosecondEarlier(long queuedAt) {
        clock.set(queuedAt);
        rcu.callRcu(0, record, 1);
        long due = VirtualClock.nanosOfJiffies(clock.jiffies() + Rcu.GP_DELAY_JIFFIES);
        assertThat(due - queuedAt)
                .as("8 to 12 ms at HZ 250")
                .isGreaterThan(2 * VirtualClock.NANOS_PER_JIFFY)
                .isLessThanOrEqualTo(3 * VirtualClock.NANOS_PER_JIFFY);
        assertThat(rcu.nextDueJiffies()).isEqualTo(VirtualClock.jiffies(due));

        tickAt(due - 1);
        assertThat(ran).isEmpty();
        assertThat(rcu.pending()).isEqualTo(1);

        tickAt(due);
        assertThat(ran).containsExactly(1L);
        assertThat(rcu.pending()).isZero();
        assertThat(rcu.nextDueJiffies()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void tick_withoutTheClockMoving_runsNothing() {
        rcu.callRcu(0, record, 1);
        for (int i = 0; i < 5; i++) {
            rcu.tick();
        }
        assertThat(ran).isEmpty();
        assertThat(rcu.pending()).isEqualTo(1);
    }

    @Test
    void tick_runsDueCallbacksOldestFirst_onTheirCpu_andLeavesLaterOnesQueued() {
        rcu.callRcu(1, record, 10);
        rcu.callRcu(0, record, 11);
        clock.set(VirtualClock.nanosOfJiffies(clock.jiffies() + 1));
        rcu.callRcu(3, record, 12);

        tickAt(VirtualClock.nanosOfJiffies(VirtualClock.INITIAL_JIFFIES + Rcu.GP_DELAY_JIFFIES));
        assertThat(ran).containsExactly(10L, 11L);
        assertThat(ranOn).containsExactly(1, 0);
        assertThat(rcu.pending()).isEqualTo(1);

        tickAt(VirtualClock.nanosOfJiffies(VirtualClock.INITIAL_JIFFIES + 1 + Rcu.GP_DELAY_JIFFIES));
        assertThat(ran).containsExactly(10L, 11L, 12L);
        assertThat(ranOn).containsExactly(1, 0, 3);
        assertThat(rcu.invoked()).isEqualTo(3);
        assertThat(rcu.queued()).isEqualTo(3);
    }

    @Test
    void tick_aCallbackQueuedByACallback_waitsForItsOwnGracePeriod() {
        Rcu.Callback requeue = (cpu, arg, aux) -> {
            ran.add(arg);
            rcu.callRcu(cpu, record, arg + 100);
        };
        rcu.callRcu(0, requeue, 2);
        long due = VirtualClock.nanosOfJiffies(clock.jiffies() + Rcu.GP_DELAY_JIFFIES);

        tickAt(due);
        assertThat(ran).containsExactly(2L);
        assertThat(rcu.pending()).isEqualTo(1);

        tickAt(VirtualClock.nanosOfJiffies(VirtualClock.jiffies(due) + Rcu.GP_DELAY_JIFFIES) - 1);
        assertThat(ran).containsExactly(2L);
        tickAt(VirtualClock.nanosOfJiffies(VirtualClock.jiffies(due) + Rcu.GP_DELAY_JIFFIES));
        assertThat(ran).containsExactly(2L, 102L);
    }

    @Test
    void callbacks_passBothWords() {
        long[] seen = new long[2];
        rcu.callRcu(
                2,
                (cpu, arg, aux) -> {
                    seen[0] = arg;
                    seen[1] = aux;
                },
                0xffff888000001000L,
                96);
        rcu.barrier();
        assertThat(seen).containsExactly(0xffff888000001000L, 96L);
    }

    @Test
    void barrier_runsEverythingInOrder_includingCallbacksQueuedByCallbacks_withoutTheClockMoving() {
        Rcu.Callback chain = (cpu, arg, aux) -> {
            ran.add(arg);
            if (arg < 1000) {
                rcu.callRcu(cpu, record, arg + 1000);
            }
        };
        for (int i = 0; i < 40; i++) {
            rcu.callRcu(0, chain, i);
        }

        rcu.barrier();

        assertThat(ran).hasSize(80);
        assertThat(ran.subList(0, 40)).isSorted();
        assertThat(ran.subList(40, 80)).isSorted().startsWith(1000L);
        assertThat(rcu.pending()).isZero();
        assertThat(clock.nanos()).isZero();
    }

    @Test
    void barrierOfOneKind_runsOnlyThatKind_andTheOthersKeepTheirGracePeriod() {
        List<Long> other = new ArrayList<>();
        Rcu.Callback otherKind = (cpu, arg, aux) -> other.add(arg);
        for (int i = 0; i < 10; i++) {
            rcu.callRcu(0, (i & 1) == 0 ? record : otherKind, i);
        }
        Rcu.Callback queuesMore = (cpu, arg, aux) -> rcu.callRcu(0, record, 99);
        rcu.callRcu(0, queuesMore, 50);

        rcu.barrier(record);

        assertThat(ran).containsExactly(0L, 2L, 4L, 6L, 8L);
        assertThat(other).isEmpty();
        assertThat(rcu.pending()).isEqualTo(6);
        assertThat(rcu.pending(otherKind)).isEqualTo(5);
        assertThat(rcu.pending(record)).isZero();

        tickAt(VirtualClock.nanosOfJiffies(VirtualClock.INITIAL_JIFFIES + Rcu.GP_DELAY_JIFFIES));
        assertThat(other).containsExactly(1L, 3L, 5L, 7L, 9L);
        assertThat(rcu.pending()).as("the callback queued by queuesMore waits").isEqualTo(1);
        assertThat(rcu.isPending(record, 99)).isTrue();

        rcu.barrier(record);
        assertThat(ran).endsWith(99L);
        assertThat(rcu.pending()).isZero();
    }

    @Test
    void isPending_findsTheExactKindAndArgument_untilItHasRun() {
        Rcu.Callback otherKind = (cpu, arg, aux) -> {};
        rcu.callRcu(0, record, 0x1000);
        rcu.callRcu(0, otherKind, 0x2000);

        assertThat(rcu.isPending(record, 0x1000)).isTrue();
        assertThat(rcu.isPending(record, 0x2000)).isFalse();
        assertThat(rcu.isPending(otherKind, 0x1000)).isFalse();
        assertThat(rcu.isPending(otherKind, 0x2000)).isTrue();

        rcu.barrier(record);
        assertThat(rcu.isPending(record, 0x1000)).isFalse();
        assertThat(rcu.isPending(otherKind, 0x2000)).isTrue();
        List<Long> visited = new ArrayList<>();
        rcu.forEachPending(otherKind, (arg, aux) -> visited.add(arg));
        assertThat(visited).containsExactly(0x2000L);
    }

    @Test
    void synchronize_movesTheClockToTheEndOfAGracePeriod_andRunsWhatIsDue() {
        clock.set(1_234_567);
        rcu.callRcu(0, record, 1);
        long before = clock.jiffies();

        rcu.synchronize();

        assertThat(clock.jiffies()).isEqualTo(before + Rcu.GP_DELAY_JIFFIES);
        assertThat(clock.nanos()).isEqualTo(VirtualClock.nanosOfJiffies(before + Rcu.GP_DELAY_JIFFIES));
        assertThat(ran).containsExactly(1L);
    }

    @Test
    void manyCallbacks_growTheRing_andKeepFifoOrderAcrossTheWrap() {
        SplittableRandom r = new SplittableRandom(7);
        long next = 0;
        long expected = 0;
        for (int round = 0; round < 200; round++) {
            int n = r.nextInt(0, 40);
            for (int i = 0; i < n; i++) {
                rcu.callRcu(0, record, next++);
            }
            clock.advance(r.nextLong(0, 6 * VirtualClock.NANOS_PER_JIFFY));
            rcu.tick();
            for (long v : ran) {
                assertThat(v).isEqualTo(expected++);
            }
            ran.clear();
            assertThat(rcu.pending()).isEqualTo((int) (next - expected));
        }
        rcu.barrier();
        assertThat(ran).hasSize((int) (next - expected));
        assertThat(rcu.invoked()).isEqualTo(next);
    }

    @Test
    void queueingAndRunning_allocateNoJavaObjects_onceTheRingHasGrown() {
        long[] sum = {0};
        Rcu.Callback add = (cpu, arg, aux) -> sum[0] += arg + aux;
        Runnable round = () -> {
            for (int i = 0; i < 1000; i++) {
                rcu.callRcu(i & 3, add, i, 1);
            }
            clock.advance(Rcu.GP_DELAY_JIFFIES * VirtualClock.NANOS_PER_JIFFY);
            rcu.tick();
        };
        for (int warm = 0; warm < 50; warm++) {
            round.run();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int r = 0; r < 100; r++) {
            round.run();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(rcu.pending()).isZero();
        assertThat(sum[0]).isEqualTo(150L * (999L * 1000 / 2 + 1000));
        assertThat(allocated)
                .as("bytes allocated by 100 000 call_rcu and their callbacks")
                .isLessThan(4096);
    }

    @Test
    void callRcu_withoutACallback_isABug() {
        assertThatThrownBy(() -> rcu.callRcu(0, null, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void machine_hasOneRcuOnItsOwnClock() {
        Machine m = new Machine(MachineConfig.of(16L << 20, 2));
        assertThat(m.rcu()).isSameAs(m.rcu());
        m.rcu().callRcu(0, record, 5);
        m.clock().advance(Rcu.GP_DELAY_JIFFIES * VirtualClock.NANOS_PER_JIFFY);
        m.rcu().tick();
        assertThat(ran).containsExactly(5L);
    }
}
