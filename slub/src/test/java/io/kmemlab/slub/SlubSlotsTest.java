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
import org.junit.jupiter.api.Test;

/**
 * The slab picture {@code --step} draws ({@link SlabSlots}) against what SLUB then does: the cpu
 * freelist it shows is the order the next allocations come back in, the allocated slots are the
 * objects the test holds, and a slab taken off the CPU shows its own freelist.
 */
class SlubSlotsTest {

    @Test
    void cpuFreelist_isTheOrderOfTheNextAllocations() {
        SlabLayer layer = SlubTesting.boot(1, "slab_freelist_random=on");
        KmemCache c = layer.kmemCacheCreate("ss", 256, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long first = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        SlabSlots s = layer.allocator().slabSlots(first);
        assertThat(s.cache()).isEqualTo("ss");
        assertThat(s.where()).isEqualTo("cpu slab of CPU 0");
        assertThat(s.objects()).isEqualTo(16);
        assertThat(s.slots().charAt(s.indexOf(first))).isEqualTo(SlabSlots.ALLOCATED);
        assertThat(s.cpuFreelist()).hasSize(15);
        for (int expected : s.cpuFreelist()) {
            long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            assertThat(s.indexOf(p)).isEqualTo(expected);
            assertThat(p).isEqualTo(s.base() + (long) expected * s.size());
        }
        SlabSlots full = layer.allocator().slabSlots(first);
        assertThat(full.slots()).isEqualTo("A".repeat(16));
        assertThat(full.cpuFreelist()).isEmpty();
        assertThat(full.freelist()).isEmpty();
    }

    @Test
    void freesToASlabOffTheCpu_showOnItsOwnFreelistNewestFirst() {
        SlabLayer layer = SlubTesting.boot(1);
        KmemCache c = layer.kmemCacheCreate("ss", 256, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            // the 17th allocation takes a second slab: the first is full and off the CPU
            objs.add(layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0));
        }
        long a = objs.get(3);
        long b = objs.get(7);
        assertThat(layer.kmemCacheFree(0, c, a, 0)).isTrue();
        assertThat(layer.kmemCacheFree(0, c, b, 0)).isTrue();
        SlabSlots s = layer.allocator().slabSlots(a);
        assertThat(s.where()).isNotEqualTo("cpu slab of CPU 0");
        assertThat(s.inuse()).isEqualTo(14);
        // __slab_free pushes on the slab's freelist: the last freed is the head
        assertThat(s.freelist()).containsExactly(s.indexOf(b), s.indexOf(a));
        assertThat(s.slots().chars().filter(ch -> ch == SlabSlots.FREE).count()).isEqualTo(2);
        assertThat(s.slots().charAt(s.indexOf(a))).isEqualTo(SlabSlots.FREE);
    }

    @Test
    void anAddressOnNoSlab_hasNoPicture() {
        SlabLayer layer = SlubTesting.boot(1);
        assertThat(layer.allocator().slabSlots(0)).isNull();
        assertThat(layer.allocator()
                        .slabSlots(io.kmemlab.mm.Addr.pfnToVirt(layer.machine().nrFrames() - 1)))
                .isNull();
    }
}
