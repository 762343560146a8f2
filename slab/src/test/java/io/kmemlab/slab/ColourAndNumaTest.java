package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Colouring of successive slabs (slab.md §6) and remote frees through alien arrays (§10.3). */
class ColourAndNumaTest {

    @Test
    void successiveSlabs_cycleColourOffsetsStartingAtOne() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        KmemCache c = t.create("xfs_rui_item", 696, 0, 0);
        ClassicSlabCache s = t.impl(c);
        assertThat(s.geometryRecord().colour()).isEqualTo(8);
        Map<Integer, Long> offsets = new LinkedHashMap<>();
        for (int i = 0; i < 11 * 10; i++) {
            long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            int head = t.machine.frames().compoundHead(Addr.virtToPfn(p));
            int id = t.machine.frames().priv(head);
            offsets.putIfAbsent(head, t.slab.table().sMem[id] - Addr.pfnToVirt(head));
        }
        assertThat(new ArrayList<>(offsets.values()).subList(0, 10))
                .containsExactly(64L, 128L, 192L, 256L, 320L, 384L, 448L, 0L, 64L, 128L);
        assertThat(s.validateProblems()).isEmpty();
    }

    @Test
    void remoteFree_parksInAlienArray_andOverflowDrainsToHomeNode() {
        SlabTestMachine t = new SlabTestMachine(64L << 20, 2, 2, SlabSettings.DEFAULT);
        assertThat(t.slab.useAlienCaches()).isTrue();
        assertThat(t.slab.cpuToNode(0)).isZero();
        assertThat(t.slab.cpuToNode(1)).isEqualTo(1);
        KmemCache c = t.create("test64", 64, 0, 0);
        ClassicSlabCache s = t.impl(c);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            objs.add(t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0));
        }
        // CPU 1 (node 1) frees node-0 objects: 12 fit in node 1's alien array for node 0
        for (int i = 0; i < 12; i++) {
            t.layer.kmemCacheFree(1, c, objs.get(i), 0);
        }
        ArrayCache alien = s.nodes[1].alien[0];
        assertThat(alien.limit).isEqualTo(12);
        assertThat(alien.avail).isEqualTo(12);
        assertThat(s.cpuArray(1).avail).isZero();
        assertThat(s.stats.nodeFrees).isEqualTo(12);
        // the 13th overflows: the 12 go to node 0's shared array (room 480), the new one is parked
        t.layer.kmemCacheFree(1, c, objs.get(12), 0);
        assertThat(s.stats.nodeOverflow).isEqualTo(1);
        assertThat(alien.avail).isEqualTo(1);
        assertThat(s.nodes[0].shared.avail).isEqualTo(12);
        assertThat(s.validateProblems()).isEmpty();
        // a reap on CPU 1 whose reap node is 0 drains the alien array
        long due = t.slab.nextReap(1);
        t.machine.clock().set(ArrayCacheBehaviourTest.nanosAt(due));
        t.slab.tick(t.machine.clock().nanos());
        assertThat(alien.avail).isZero();
        assertThat(s.validateProblems()).isEmpty();
    }

    @Test
    void outOfMemoryOnNuma_exactNodeGrowIsQuiet_fallbackReportsOnce() {
        SlabTestMachine t = new SlabTestMachine(16L << 20, 2, 2, SlabSettings.DEFAULT);
        KmemCache c = t.create("fill", 4000, 0, 0);
        long n = 0;
        while (t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0) != 0) {
            n++;
        }
        assertThat(n).isPositive();
        // the __GFP_THISNODE | __GFP_NOWARN attempt is silent; the fallback's own attempt reports
        assertThat(t.machine.dmesg().reportCount(io.kmemlab.mm.ReportKind.PAGE_ALLOC_FAILURE))
                .isEqualTo(1);
        assertThat(t.impl(c).validateProblems()).isEmpty();
    }

    @Test
    void noaliencache_remoteFreeGoesStraightToHomeNodeSlabs() {
        SlabTestMachine t = new SlabTestMachine(64L << 20, 2, 2, SlabSettings.DEFAULT.withNoAlienCache(true));
        KmemCache c = t.create("test64", 64, 0, 0);
        ClassicSlabCache s = t.impl(c);
        long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        long freeBefore = s.nodes[0].freeObjects;
        t.layer.kmemCacheFree(1, c, p, 0);
        assertThat(s.nodes[1].alien).isNull();
        assertThat(s.nodes[0].freeObjects).isEqualTo(freeBefore + 1);
        assertThat(s.validateProblems()).isEmpty();
    }
}
