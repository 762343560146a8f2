package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.KmallocCaches;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabCacheMetric;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.contract.SlabAllocatorContractTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The slab contract suite against SLOB, with the kernel's documented SLOB exceptions: objects
 * live on pages shared by every cache (no ownership, no wrong-cache check, no per-cache
 * reclaimable accounting), no /proc/slabinfo, and kmem_cache_destroy cannot tell whether objects
 * remain.
 */
class SlobContractTest extends SlabAllocatorContractTest {

    @Override
    protected SlabAllocator createAllocator(Machine m) {
        return new SlobAllocatorProvider().create(m, Map.of());
    }

    @Override
    protected boolean accountsReclaimableSeparately() {
        return false;
    }

    @Override
    protected boolean detectsLiveObjectsAtDestroy() {
        return false;
    }

    @Override
    protected boolean ownsSlabs() {
        return false;
    }

    @Test
    void slobExceptions_noSlabinfo_noOwnership_noMerging_noKsizeOnCacheObjects() {
        KmemCache a = layer.kmemCacheCreate("slob_a", 80, 0, KmemCacheArgs.NONE);
        KmemCache b = layer.kmemCacheCreate("slob_b", 80, 0, KmemCacheArgs.NONE);
        long p = layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);

        assertThat(machine.vfs().exists("/proc/slabinfo")).isFalse();
        assertThat(machine.vfs().isDirectory("/sys/kernel/slab")).isFalse();
        assertThat(layer.allocator().ownerOf(p)).isNull();
        assertThat(fx.ownerOf(p)).isNull();
        assertThat(b).isNotSameAs(a);
        assertThat(a.impl().ksize(p)).isEqualTo(-1);
        assertThat(layer.kmemCacheFree(0, a, p, 0)).isTrue();
    }

    @Test
    void hooks_noSlabinfoWriter_noAliasFinder_itsOwnKmallocBackend_noPathCounters() {
        assertThat(layer.allocator().slabinfo()).isNull();
        assertThat(layer.aliasFinder()).isNull();
        assertThat(layer.kmallocBackend()).isSameAs(layer.allocator()).isNotInstanceOf(KmallocCaches.class);
        KmemCache a = layer.kmemCacheCreate("slob_hook", 80, 0, KmemCacheArgs.NONE);
        long p = layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        SlabCacheMetric m = a.impl().metric();
        assertThat(m.allocFastpath()).isEqualTo(-1);
        assertThat(m.freeSlowpath()).isEqualTo(-1);
        assertThat(m.numObjs()).as("objects are the heap's, not the cache's").isZero();
        assertThat(m.objSize()).isEqualTo(a.impl().size());
        // kmalloc's bytes_alloc is the heap block: the 8-byte header and the payload in 2-byte units
        long q = layer.kmalloc(0, 13, Gfp.GFP_KERNEL, 0);
        assertThat(layer.kmallocBytesAlloc()).isEqualTo(22);
        assertThat(layer.ksize(q)).isEqualTo(14);
        assertThat(layer.kfree(0, q, 0)).isTrue();
        assertThat(layer.kmemCacheFree(0, a, p, 0)).isTrue();
    }

    @Test
    void slobExceptions_reclaimableCachesCountAsUnreclaimable() {
        KmemCache c = layer.kmemCacheCreate("slob_rcl", 512, SlabFlags.RECLAIM_ACCOUNT, KmemCacheArgs.NONE);
        long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);

        assertThat(machine.nodeStat(io.kmemlab.mm.NodeStat.NR_SLAB_RECLAIMABLE_B))
                .isZero();
        assertThat(machine.nodeStat(io.kmemlab.mm.NodeStat.NR_SLAB_UNRECLAIMABLE_B))
                .isPositive();
        layer.kmemCacheFree(0, c, p, 0);
    }
}
