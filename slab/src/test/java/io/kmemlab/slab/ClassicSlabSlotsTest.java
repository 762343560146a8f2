package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The slab picture {@code --step} draws ({@link SlabSlots}) under SLAB: the objects the caller
 * holds are allocated, the objects a refill parked in the CPU's array are neither theirs nor on
 * the slab's free list, and the free list shows exactly the free slots.
 */
class ClassicSlabSlotsTest {
    private final SlabTestMachine t = SlabTestMachine.of(64L << 20, 1);

    @Test
    void slots_heldObjectsAllocated_refilledObjectsInTheArray_restOnTheFreelist() {
        KmemCache c = t.create("cs", 256, 0, SlabFlags.NO_MERGE);
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0));
        }
        SlabSlots s = t.slab.slabSlots(held.get(0));
        assertThat(s.cache()).isEqualTo("cs");
        for (long p : held) {
            if (p - s.base() >= 0 && p - s.base() < (long) s.objects() * s.size()) {
                assertThat(s.slots().charAt(s.indexOf(p))).isEqualTo(SlabSlots.ALLOCATED);
            }
        }
        long allocated =
                s.slots().chars().filter(ch -> ch == SlabSlots.ALLOCATED).count();
        long inArrays = s.slots().chars().filter(ch -> ch == SlabSlots.ARRAY).count();
        long free = s.slots().chars().filter(ch -> ch == SlabSlots.FREE).count();
        assertThat(allocated + inArrays).isEqualTo(s.inuse());
        assertThat(inArrays).as("a refill moves a batch into the CPU's array").isPositive();
        assertThat(free).isEqualTo(s.objects() - s.inuse());
        Set<Integer> freeSlots = new TreeSet<>();
        for (int i = 0; i < s.objects(); i++) {
            if (s.slots().charAt(i) == SlabSlots.FREE) {
                freeSlots.add(i);
            }
        }
        Set<Integer> onList = new TreeSet<>();
        for (int i : s.freelist()) {
            onList.add(i);
        }
        assertThat(onList).isEqualTo(freeSlots);
        assertThat(s.freelist()).hasSize((int) free);
    }
}
