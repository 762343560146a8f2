package io.kmemlab.mm.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MachineConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The common layer's call_rcu model: a grace period ends at tick or rcu_barrier. */
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
    void tick_runsCallbacksQueuedBeforeIt_inOrder_andThoseTheyQueueWaitForTheNext() {
        SlabLayer.RcuCallback requeue = (cpu, arg) -> {
            ran.add(arg);
            layer.callRcu(cpu, (c, a) -> ran.add(a), arg + 100);
        };
        layer.callRcu(1, (cpu, arg) -> ran.add(arg), 1);
        layer.callRcu(0, requeue, 2);
        assertThat(layer.rcuCallbacksPending()).isEqualTo(2);
        assertThat(ran).isEmpty();

        layer.tick(0);

        assertThat(ran).containsExactly(1L, 2L);
        assertThat(layer.rcuCallbacksPending()).isEqualTo(1);
        assertThat(allocator.ticks).isEqualTo(1);

        layer.tick(0);

        assertThat(ran).containsExactly(1L, 2L, 102L);
        assertThat(layer.rcuCallbacksPending()).isZero();
    }

    @Test
    void rcuBarrier_runsEverythingIncludingCallbacksQueuedByCallbacks() {
        for (int i = 0; i < 40; i++) {
            long n = i;
            layer.callRcu(0, (cpu, arg) -> {
                ran.add(arg);
                if (arg < 1000) {
                    layer.callRcu(cpu, (c, a) -> ran.add(a), arg + 1000);
                }
            }, n);
        }

        layer.rcuBarrier();

        assertThat(ran).hasSize(80);
        assertThat(ran.subList(0, 40)).isSorted();
        assertThat(ran.get(40)).isEqualTo(1000L);
        assertThat(layer.rcuCallbacksPending()).isZero();
        assertThat(allocator.ticks).isZero();
    }

    @Test
    void timerTick_endsAGracePeriodOnlyEveryTenMillisecondsOfVirtualTime() {
        layer.callRcu(0, (cpu, arg) -> ran.add(arg), 7);

        layer.timerTick(SlabLayer.RCU_GRACE_PERIOD_NANOS - 1);
        assertThat(ran).isEmpty();
        assertThat(layer.rcuCallbacksPending()).isEqualTo(1);

        layer.timerTick(SlabLayer.RCU_GRACE_PERIOD_NANOS);
        assertThat(ran).containsExactly(7L);

        layer.callRcu(0, (cpu, arg) -> ran.add(arg), 8);
        layer.timerTick(SlabLayer.RCU_GRACE_PERIOD_NANOS + 1_000);
        assertThat(ran).containsExactly(7L);
        layer.timerTick(2 * SlabLayer.RCU_GRACE_PERIOD_NANOS);
        assertThat(ran).containsExactly(7L, 8L);
        assertThat(allocator.ticks).as("the allocator's own periodic work runs on every timer tick").isEqualTo(4);
    }
}
