package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONFIG_SLAB_FREELIST_RANDOM (slab.md §7), opt-in through {@link SlabSettings}. */
class FreelistRandomTest {

    private static List<Long> firstSlabOrder(SlabSettings settings) {
        SlabTestMachine t = new SlabTestMachine(64L << 20, 2, 1, settings);
        KmemCache c = t.create("rnd64", 64, 0, 0);
        ClassicSlabCache s = t.impl(c);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < s.objsPerSlab(); i++) {
            out.add(Addr.offsetInPage(t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0)) + 0L);
        }
        assertThat(s.nodes[0].totalSlabs).isEqualTo(1);
        assertThat(s.validateProblems()).isEmpty();
        return out;
    }

    @Test
    void randomFreelist_handsOutEveryObjectOnce_inAShuffledDeterministicOrder() {
        SlabSettings rnd = SlabSettings.DEFAULT.withFreelistRandom(true);
        List<Long> a = firstSlabOrder(rnd);
        assertThat(a).doesNotHaveDuplicates().hasSize(64);
        assertThat(a).allMatch(off -> off % 64 == 0);
        List<Long> plain = firstSlabOrder(SlabSettings.DEFAULT);
        assertThat(a).isNotEqualTo(plain).containsExactlyInAnyOrderElementsOf(plain);
        // the same machine seed gives the same order
        assertThat(firstSlabOrder(rnd)).isEqualTo(a);
    }

    @Test
    void objfreelistHost_isTheLastObjectTakenFromTheSlab() {
        SlabTestMachine t = new SlabTestMachine(64L << 20, 2, 1, SlabSettings.DEFAULT.withFreelistRandom(true));
        KmemCache c = t.create("rnd64", 64, 0, 0);
        ClassicSlabCache s = t.impl(c);
        long first = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        int head = t.machine.frames().compoundHead(Addr.virtToPfn(first));
        int id = t.machine.frames().priv(head);
        long host = t.slab.table().freelist[id];
        assertThat(host).isNotZero();
        for (int i = 1; i < 16; i++) {
            t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        }
        // the second refill takes the remaining 48, the host last: it is on top of the array
        long next = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        assertThat(next).isEqualTo(host);
        assertThat(t.slab.table().freelist[id]).isZero();
        assertThat(s.validateProblems()).isEmpty();
    }
}
