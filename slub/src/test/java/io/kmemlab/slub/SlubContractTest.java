package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.AliasFinder;
import io.kmemlab.mm.slab.KmallocCaches;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabinfoWriter;
import io.kmemlab.mm.slab.contract.SlabAllocatorContractTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The slab contract suite run against SLUB with the reference configuration. */
class SlubContractTest extends SlabAllocatorContractTest {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlubAllocatorProvider().create(machine, Map.of());
    }

    @Test
    void hooks_readOnlySlabinfo_commonMerging_kmallocCaches() {
        assertThat(layer.allocator().slabinfo()).isSameAs(SlabinfoWriter.READ_ONLY);
        assertThat(machine.vfs().node("/proc/slabinfo").mode()).isEqualTo(0400);
        assertThat(layer.aliasFinder()).isSameAs(AliasFinder.COMMON);
        assertThat(layer.kmallocBackend()).isInstanceOf(KmallocCaches.class);
        KmemCache a = layer.kmemCacheCreate("slub_twin_a", 200, 0, KmemCacheArgs.NONE);
        KmemCache b = layer.kmemCacheCreate("slub_twin_b", 200, 0, KmemCacheArgs.NONE);
        assertThat(b).as("SLUB merges").isSameAs(a);
        assertThat(a.refcount()).isEqualTo(2);
        assertThat(layer.sysfsName(a))
                .as("a merged cache's sysfs directory is its unique id")
                .startsWith(":");
        KmemCache c = layer.kmemCacheCreate(
                "slub_twin_c", 200, 0, KmemCacheArgs.builder().align(8).build());
        assertThat(c).isSameAs(a);
        KmemCache d = layer.kmemCacheCreate("slub_twin_d", 192, 0, KmemCacheArgs.NONE);
        KmemCache e = layer.kmemCacheCreate(
                "slub_twin_e", 192, 0, KmemCacheArgs.builder().align(64).build());
        assertThat(e)
                .as("SLUB merges without SLAB's alignment rule (the slot is a multiple of 64)")
                .isSameAs(d);
        long p = layer.kmemCacheAlloc(0, b, Gfp.GFP_KERNEL, 0);
        assertThat(layer.kmemCacheFree(0, a, p, 0)).isTrue();
    }

    @Test
    void hooks_slabNomerge_leavesTheAliasFinderOut() {
        Machine m = new Machine(io.kmemlab.mm.MachineConfig.of(64L << 20, 2));
        m.setPageAllocator(new io.kmemlab.mm.testing.SimplePageAllocator(m));
        SlabAllocator slub = new SlubAllocatorProvider().create(m, Map.of("slab_nomerge", ""));
        assertThat(slub.aliasFinder()).isNull();
    }
}
