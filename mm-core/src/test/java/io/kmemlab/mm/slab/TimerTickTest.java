package io.kmemlab.mm.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.testing.SimplePageAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** timerTick ends an RCU grace period only when enough virtual time has passed. */
class TimerTickTest {

    @Test
    void timerTick_endsAGracePeriodEveryTenMillisecondsOfVirtualTime() {
        Machine m = SimplePageAllocator.machine(64L << 20, 1);
        List<Long> ran = new ArrayList<>();
        SlabAllocator noop = new RecordingAllocator();
        SlabLayer layer = new SlabLayer(m, noop);
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
        assertThat(((RecordingAllocator) noop).ticks).isEqualTo(4);
    }

    /** An allocator that only counts its ticks. */
    private static final class RecordingAllocator implements SlabAllocator {
        int ticks;

        @Override
        public String name() {
            return "recording";
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
        public SlabCache cacheOfSlab(int headPfn) {
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
}
