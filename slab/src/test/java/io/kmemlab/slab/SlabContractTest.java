package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.AliasFinder;
import io.kmemlab.mm.slab.KmallocCaches;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabCacheMetric;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabinfoWriter;
import io.kmemlab.mm.slab.contract.SlabAllocatorContractTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The slab contract suite run against SLAB with the default boot words. */
class SlabContractTest extends SlabAllocatorContractTest {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlabProvider().create(machine, Map.of());
    }

    @Test
    void slabinfoWriter_acceptsTunables_andTheMetricAndTheRowShowThem() {
        SlabinfoWriter w = layer.allocator().slabinfo();
        assertThat(w.mode()).isEqualTo(0600);
        assertThat(w.writable()).isTrue();
        assertThat(w.statistics()).isFalse();
        KmemCache c = layer.kmemCacheCreate("slab_tune", 256, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        assertThat(machine.vfs().write("/proc/slabinfo", "slab_tune 32 16 4\n")).isNull();
        SlabCacheMetric m = c.impl().metric();
        assertThat(m.limit()).isEqualTo(32);
        assertThat(m.batchcount()).isEqualTo(16);
        assertThat(m.sharedFactor()).isEqualTo(4);
        assertThat(machine.vfs().read("/proc/slabinfo"))
                .containsPattern("\nslab_tune +\\d+ +\\d+ +256 +\\d+ +\\d+ : tunables +32 +16 +4 : slabdata ");
        assertThat(w.write("slab_tune 1 2 0"))
                .as("batchcount above limit: accepted, ignored")
                .isNull();
        assertThat(m.limit()).isEqualTo(32);
        assertThat(w.write("slab_tune x")).isEqualTo("EINVAL");
        assertThat(layer.kmemCacheFree(0, c, p, 0)).isTrue();
    }

    @Test
    void hooks_alignmentDividingMerges_kmallocCaches() {
        assertThat(layer.aliasFinder()).isSameAs(AliasFinder.ALIGNMENT_DIVIDES);
        assertThat(layer.kmallocBackend()).isInstanceOf(KmallocCaches.class);
        KmemCache a = layer.kmemCacheCreate("slab_twin_a", 192, 0, KmemCacheArgs.NONE);
        KmemCache b = layer.kmemCacheCreate("slab_twin_b", 188, 0, KmemCacheArgs.NONE);
        assertThat(b).as("SLAB merges when the alignment divides").isSameAs(a);
        KmemCache c = layer.kmemCacheCreate(
                "slab_twin_c", 192, 0, KmemCacheArgs.builder().align(64).build());
        assertThat(c).as("an alignment the cache's does not honour").isNotSameAs(a);
    }
}
