package io.kmemlab.mm.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MachineConfig;
import io.kmemlab.mm.Rcu;
import io.kmemlab.mm.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The common layer drives the machine's RCU from the timer tick; kfree_rcu has its own barrier. */
class RcuCallbackTest {
    /** An allocator with no caches: only the layer's RCU queue is exercised. */
    private static final class NoCaches implements SlabAllocator {
        long ticks;

        @Override
        public String name() {
            return "none";
        }

        @Override
        public KmallocLimits kmallocLimits() {
            return KmallocLimits.SLUB_6_18;
        }

        @Override
        public void kmemCacheInit(Machine machine, SlabLayer layer) {}

        @Override
        public SlabCache createCache(KmemCache descriptor) {
            return null;
        }

        @Override
        public SlabCache ownerOf(long obj) {
            return null;
        }

        @Override
        public void tick(long nowNanos) {
            ticks++;
        }

        @Override
        public List<String> validate() {
            return List.of();
        }
    }

    private final NoCaches allocator = new NoCaches();
    private final SlabLayer layer = new SlabLayer(new Machine(MachineConfig.of(16L << 20, 2)), allocator);
    private final List<Long> ran = new ArrayList<>();

    @Test
    void timerTick_runsTheMachinesDueRcuCallbacksFirst_thenTheAllocatorsPeriodicWork() {
        Machine m = layer.machine();
        long[] ticksWhenRun = {-1};
        m.rcu()
                .callRcu(
                        0,
                        (cpu, arg, aux) -> {
                            ran.add(arg);
                            ticksWhenRun[0] = allocator.ticks;
                        },
                        7);
        long due = VirtualClock.nanosOfJiffies(m.clock().jiffies() + Rcu.GP_DELAY_JIFFIES);

        m.clock().set(due - 1);
        layer.timerTick(m.clock().nanos());
        assertThat(ran).isEmpty();

        m.clock().set(due);
        layer.timerTick(m.clock().nanos());
        assertThat(ran).containsExactly(7L);
        assertThat(ticksWhenRun[0]).as("RCU before the allocator's tick").isEqualTo(1);
        assertThat(allocator.ticks)
                .as("the allocator's own periodic work runs on every timer tick")
                .isEqualTo(2);
    }

    @Test
    void kvfreeRcuBarrier_leavesOtherCallbacksToTheirGracePeriod() {
        Machine m = layer.machine();
        m.rcu().callRcu(0, (cpu, arg, aux) -> ran.add(arg), 8);

        layer.kvfreeRcuBarrier();

        assertThat(ran).isEmpty();
        assertThat(m.rcu().pending()).isEqualTo(1);
        assertThat(layer.rcuPending()).as("no kfree_rcu objects").isZero();
    }
}
