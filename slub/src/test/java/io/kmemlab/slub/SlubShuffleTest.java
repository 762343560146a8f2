package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * shuffle_freelist (CONFIG_SLAB_FREELIST_RANDOM): a new slab's freelist is the cache's random_seq
 * walked cyclically from one random start, each index an object of the slab. kmemlab has two
 * walks — the call-free one for order-0 slabs with their page bytes kept and no setup_object
 * work, the general one for the rest (a constructor, a larger order) — and both must give the
 * kernel's order.
 */
class SlubShuffleTest {

    /** The object indices of the first slab of {@code k}, in freelist order. */
    private static List<Integer> freelistOrder(SlabLayer layer, KmemCache k) {
        SlubCache c = (SlubCache) k.impl();
        long first = layer.kmemCacheAlloc(0, k, Gfp.GFP_KERNEL, 0);
        int id = c.slabOf(first);
        long base = c.slabBase(id) + c.redLeftPad;
        List<Integer> order = new ArrayList<>();
        order.add((int) ((first - base) / c.size));
        int guard = c.t.objects[id];
        for (long p = c.cpus[0].freelist; p != 0 && guard-- > 0; p = c.getFreepointer(id, p)) {
            order.add((int) ((p - base) / c.size));
        }
        return order;
    }

    private static void assertCyclicWalkOfRandomSeq(SlubCache c, List<Integer> order, int objects) {
        int[] seq = c.randomSeq;
        assertThat(seq).as("%s has a random_seq", c.name()).isNotNull();
        assertThat(order).as("every object of the slab once").hasSize(objects).doesNotHaveDuplicates();
        int start = -1;
        for (int pos = 0; pos < seq.length && start < 0; pos++) {
            boolean all = true;
            for (int k = 0; k < order.size() && all; k++) {
                all = seq[(pos + k) % seq.length] == order.get(k);
            }
            if (all) {
                start = pos;
            }
        }
        assertThat(start)
                .as("%s: freelist %s is random_seq from some start", c.name(), order)
                .isNotNegative();
    }

    @Test
    void orderZeroSlabWithKeptPageBytes_takesRandomSeqFromOneStart() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache k = layer.kmemCacheCreate("sh_plain", 64, 0, SlabFlags.NO_MERGE, null, 0, 0, -1);
        SlubCache c = (SlubCache) k.impl();
        assertThat(c.geo.order()).isZero();
        List<Integer> order = freelistOrder(layer, k);
        assertCyclicWalkOfRandomSeq(c, order, c.geo.objects());
        List<Integer> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertThat(order).as("shuffled, not address order").isNotEqualTo(sorted);
    }

    @Test
    void slabWithAConstructor_takesTheGeneralWalk_sameRule() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache k = layer.kmemCacheCreate(
                "sh_ctor", 64, 0, SlabFlags.NO_MERGE, (mem, obj, size) -> mem.writeU32(obj, 0x5a5a5a5a), 0, 0, -1);
        SlubCache c = (SlubCache) k.impl();
        assertCyclicWalkOfRandomSeq(c, freelistOrder(layer, k), c.geo.objects());
    }

    @Test
    void slabOfHigherOrder_takesTheGeneralWalk_sameRule() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache k = layer.kmemCacheCreate("sh_big", 1024, 0, SlabFlags.NO_MERGE, null, 0, 0, -1);
        SlubCache c = (SlubCache) k.impl();
        assertThat(c.geo.order()).isPositive();
        assertCyclicWalkOfRandomSeq(c, freelistOrder(layer, k), c.geo.objects());
    }
}
