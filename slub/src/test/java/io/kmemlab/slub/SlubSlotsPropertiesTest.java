package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.slab.SlabSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random allocations and frees on two CPUs, with and without sheaves: after every operation the
 * picture of the slab it touched agrees with what the test holds and with SLUB's own counts —
 * every held object on it is {@code A} and no other slot is, the freelists name only free slots,
 * each once, and the slab's inuse counts everything not on its own freelist.
 */
class SlubSlotsPropertiesTest {

    @Property(tries = 30)
    void slots_agreeWithTheHeldObjectsAndTheSlabsCounts(@ForAll long seed, @ForAll boolean sheaves) {
        SplittableRandom rnd = new SplittableRandom(seed);
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = layer.kmemCacheCreate(
                "sp",
                192,
                SlabFlags.NO_MERGE,
                KmemCacheArgs.builder().sheafCapacity(sheaves ? 8 : 0).build());
        List<Long> held = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            int cpu = rnd.nextInt(2);
            long touched;
            if (held.isEmpty() || rnd.nextInt(3) != 0) {
                touched = layer.kmemCacheAlloc(cpu, c, Gfp.GFP_KERNEL, 0);
                held.add(touched);
            } else {
                touched = held.remove(rnd.nextInt(held.size()));
                assertThat(layer.kmemCacheFree(cpu, c, touched, 0)).isTrue();
            }
            SlabSlots s = layer.allocator().slabSlots(touched);
            if (s == null) {
                continue; // the free emptied and released the slab
            }
            check(s, held);
        }
    }

    private static void check(SlabSlots s, List<Long> held) {
        long end = s.base() + (long) s.objects() * s.size();
        int mine = 0;
        for (long p : held) {
            if (p >= s.base() && p < end) {
                mine++;
                assertThat(s.slots().charAt(s.indexOf(p))).isEqualTo(SlabSlots.ALLOCATED);
            }
        }
        assertThat(s.slots().chars().filter(ch -> ch == SlabSlots.ALLOCATED).count())
                .isEqualTo(mine);
        boolean[] seen = new boolean[s.objects()];
        for (int i : s.freelist()) {
            assertThat(seen[i]).isFalse();
            seen[i] = true;
            assertThat(s.slots().charAt(i)).isEqualTo(SlabSlots.FREE);
        }
        for (int i : s.cpuFreelist()) {
            assertThat(seen[i]).isFalse();
            seen[i] = true;
            assertThat(s.slots().charAt(i)).isEqualTo(SlabSlots.CPU_FREE);
        }
        assertThat(s.inuse()).isEqualTo(s.objects() - s.freelist().length);
    }
}
