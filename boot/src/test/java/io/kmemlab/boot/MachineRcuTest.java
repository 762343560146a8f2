package io.kmemlab.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.Rcu;
import io.kmemlab.mm.VirtualClock;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SLUB, SLAB and SLOB defer their TYPESAFE_BY_RCU frees through the machine's one RCU, with the
 * layer's kfree_rcu in the same queue: one grace-period model, one barrier.
 */
class MachineRcuTest {
    private static final int OBJECTS = 200;

    /** A booted kernel with RCU work of the allocator's own and one kfree_rcu pending. */
    private record Pending(
            Machine machine, SlabLayer layer, KmemCache cache, long queuedAtJiffies, long slabBytesBefore) {}

    private static Pending queueRcuWork(String allocator) {
        Kernel kernel = Kernel.boot(List.of("mem=64M", "nr_cpus=2", "slab=" + allocator))
                .kernel();
        Machine m = kernel.machine();
        SlabLayer layer = kernel.slab();
        m.clock().advance(1_000_000_000L);
        layer.timerTick(m.clock().nanos());
        assertThat(m.rcu().pending()).as("boot leaves nothing waiting").isZero();

        KmemCache c = layer.kmemCacheCreate("rcu_shared", 64, SlabFlags.TYPESAFE_BY_RCU, KmemCacheArgs.NONE);
        long[] objs = new long[OBJECTS];
        for (int i = 0; i < OBJECTS; i++) {
            objs[i] = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            assertThat(objs[i]).isNotZero();
        }
        long k = layer.kmalloc(1, 96, Gfp.GFP_KERNEL, 0);
        long before = slabBytes(m);
        for (long o : objs) {
            assertThat(layer.kmemCacheFree(0, c, o, 0)).isTrue();
        }
        layer.kmemCacheShrink(c);
        layer.kfreeRcu(1, k, 0);
        return new Pending(m, layer, c, m.clock().jiffies(), before);
    }

    private static long slabBytes(Machine m) {
        return m.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B) + m.nodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B);
    }

    @ParameterizedTest
    @ValueSource(strings = {"slub", "slab", "slob"})
    void allocatorsRcuFrees_andKfreeRcu_waitInTheMachinesOneQueue_andOneBarrierRunsThemAll(String allocator) {
        Pending p = queueRcuWork(allocator);
        Rcu rcu = p.machine().rcu();
        assertThat(p.layer().rcuPending()).as("the kfree_rcu object").isEqualTo(1);
        assertThat(rcu.pending())
                .as("the allocator's own callbacks wait beside it")
                .isGreaterThan(1);
        assertThat(slabBytes(p.machine())).as("pages wait for the grace period").isEqualTo(p.slabBytesBefore());

        rcu.barrier();

        assertThat(rcu.pending()).isZero();
        assertThat(p.layer().rcuPending()).isZero();
        assertThat(slabBytes(p.machine())).as("the deferred pages are back").isLessThan(p.slabBytesBefore());
        assertThat(p.layer().kmemCacheDestroy(p.cache())).isTrue();
        assertThat(p.layer().validate()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"slub", "slab", "slob"})
    void everyAllocatorsGracePeriod_endsAtTheSameJiffy(String allocator) {
        Pending p = queueRcuWork(allocator);
        Machine m = p.machine();
        long due = VirtualClock.nanosOfJiffies(p.queuedAtJiffies() + Rcu.GP_DELAY_JIFFIES);

        m.clock().set(due - 1);
        p.layer().timerTick(m.clock().nanos());
        assertThat(m.rcu().pending()).isGreaterThan(1);

        m.clock().set(due);
        p.layer().timerTick(m.clock().nanos());
        assertThat(m.rcu().pending())
                .as("SLOB's and SLAB's and SLUB's callbacks all ran")
                .isZero();
        assertThat(slabBytes(m)).isLessThan(p.slabBytesBefore());
        assertThat(p.layer().kmemCacheDestroy(p.cache())).isTrue();
    }

    @Test
    void synchronizeRcu_runsSlobsPerObjectCallbacks_andSlubAndSlabsPerSlabOnes() {
        Map<String, Long> invoked = new HashMap<>();
        for (String a : List.of("slub", "slab", "slob")) {
            Pending p = queueRcuWork(a);
            long before = p.machine().rcu().invoked();
            p.machine().rcu().synchronize();
            invoked.put(a, p.machine().rcu().invoked() - before);
        }
        // SLOB defers each object; SLUB and SLAB defer whole slabs (64-byte objects: 4 KiB slabs)
        assertThat(invoked.get("slob")).isEqualTo(OBJECTS + 1L);
        assertThat(invoked.get("slub")).isBetween(2L, (long) OBJECTS);
        assertThat(invoked.get("slab")).isBetween(2L, (long) OBJECTS);
    }
}
