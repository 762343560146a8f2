package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.trace.EventType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kmalloc through the common layer with SLUB behind it (kmalloc-and-slab-common.md §3–§10). */
class KmallocSlubTest {
    private static final int[] CLASSES = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};

    /** The reference rule stated independently: the smallest class that holds the request. */
    private static String expectedName(int size) {
        for (int c : CLASSES) {
            if (size <= c) {
                return c >= 1024 ? (c >> 10) + "k" : Integer.toString(c);
            }
        }
        throw new AssertionError(size);
    }

    @Test
    void everySize1To8192_everyType_mapsToKernelCache() {
        SlabLayer layer = SlubTesting.boot(2);
        int[][] gfps = {
            {Gfp.GFP_KERNEL},
            {Gfp.GFP_ATOMIC},
            {Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE},
            {Gfp.GFP_KERNEL_ACCOUNT},
            {Gfp.GFP_KERNEL | Gfp.__GFP_DMA},
            {Gfp.GFP_KERNEL | Gfp.__GFP_DMA | Gfp.__GFP_RECLAIMABLE | Gfp.__GFP_ACCOUNT},
            {Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE | Gfp.__GFP_ACCOUNT},
        };
        String[] prefixes = {
            "kmalloc-", "kmalloc-", "kmalloc-rcl-", "kmalloc-cg-", "dma-kmalloc-", "dma-kmalloc-", "kmalloc-rcl-"
        };
        for (int g = 0; g < gfps.length; g++) {
            for (int size = 1; size <= 8192; size++) {
                KmemCache s = layer.kmallocSlab(size, gfps[g][0]);
                assertThat(s.name())
                        .as("size %d gfp %s", size, Gfp.format(gfps[g][0]))
                        .isEqualTo(prefixes[g] + expectedName(size));
            }
        }
    }

    @Test
    void everySize1To512_everyType_kmallocTakesTheObjectFromThatCache() {
        // the small sizes go through the flat table, the others through kmalloc_caches[][]: both
        // must land on the cache kmallocSlab names, with its bytes_alloc, and kfree must take it back
        SlabLayer layer = SlubTesting.boot(2);
        int[] gfps = {
            Gfp.GFP_KERNEL,
            Gfp.GFP_ATOMIC,
            Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE,
            Gfp.GFP_KERNEL_ACCOUNT,
            Gfp.GFP_KERNEL | Gfp.__GFP_DMA,
            Gfp.GFP_KERNEL | Gfp.__GFP_ZERO
        };
        for (int gfp : gfps) {
            for (int size = 1; size <= 512; size++) {
                KmemCache s = layer.kmallocSlab(size, gfp);
                long p = layer.kmalloc(0, size, gfp, 0);
                assertThat(layer.allocator().ownerOf(p).descriptor().name())
                        .as("size %d gfp %s", size, Gfp.format(gfp))
                        .isEqualTo(s.name());
                assertThat(layer.kmallocBytesAlloc()).isEqualTo(s.impl().size());
                assertThat(layer.kfree(0, p, 0)).isTrue();
            }
        }
        assertThat(layer.machine().dmesg().totalReports()).isZero();
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void kmalloc70_servedByKmalloc96_ksize96() {
        SlabLayer layer = SlubTesting.boot(2);
        long p = layer.kmalloc(0, 70, Gfp.GFP_KERNEL, 0);
        assertThat(layer.ksize(p)).isEqualTo(96);
        assertThat(layer.kmallocSizeRoundup(70)).isEqualTo(96);
        assertThat(layer.kmallocSizeRoundup(8193)).isEqualTo(16384);
        assertThat(layer.kmallocSizeRoundup(5L << 20)).isEqualTo(5L << 20);
        assertThat(layer.kfree(0, p, 0)).isTrue();
    }

    @Test
    void kmallocZero_returnsZeroSizePtr_kfreeOfItAndNullAreNoOps() {
        SlabLayer layer = SlubTesting.boot(2);
        assertThat(layer.kmalloc(0, 0, Gfp.GFP_KERNEL, 0)).isEqualTo(Addr.ZERO_SIZE_PTR);
        assertThat(layer.kfree(0, Addr.ZERO_SIZE_PTR, 0)).isTrue();
        assertThat(layer.kfree(0, 0, 0)).isTrue();
        assertThat(layer.ksize(Addr.ZERO_SIZE_PTR)).isZero();
        assertThat(layer.machine().dmesg().totalReports()).isZero();
    }

    @Test
    void largeKmalloc_goesToPagesAndAccountsUnreclaimable() {
        SlabLayer layer = SlubTesting.boot(2);
        long before = layer.machine().nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B);
        long p = layer.kmalloc(0, 8193, Gfp.GFP_KERNEL, 0);
        assertThat(p & 4095).isZero();
        assertThat(layer.ksize(p)).isEqualTo(16384);
        assertThat(layer.machine().nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B) - before)
                .isEqualTo(16384);
        assertThat(layer.kfree(0, p, 0)).isTrue();
        assertThat(layer.machine().nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B)).isEqualTo(before);
    }

    @Test
    void largeKmallocVariableSize_tracesTwice_constantOnce() {
        SlabLayer layer = SlubTesting.boot(2);
        List<String> lines = new ArrayList<>();
        layer.machine().tracer().addSink(lines::add);
        layer.machine().tracer().setEnabled(EventType.KMALLOC, true);
        long site = layer.machine().symbols().intern("test_caller", 0x10, 0x100);
        long p = layer.kmalloc(0, 10000, Gfp.GFP_KERNEL, site);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("call_site=__kmalloc_noprof+").contains("bytes_req=10000 bytes_alloc=16384");
        assertThat(lines.get(1)).contains("call_site=test_caller+0x10/0x100");
        lines.clear();
        long q = layer.kmallocConstant(0, 10000, Gfp.GFP_KERNEL, site);
        assertThat(lines).hasSize(1);
        layer.kfree(0, p, site);
        layer.kfree(0, q, site);
    }

    @Test
    void kmallocArray_overflow_returnsNullSilently() {
        SlabLayer layer = SlubTesting.boot(2);
        assertThat(layer.kmallocArray(0, 1L << 62, 8, Gfp.GFP_KERNEL, 0)).isZero();
        assertThat(layer.kcalloc(0, -1L, 2, Gfp.GFP_KERNEL, 0)).isZero();
        assertThat(layer.machine().dmesg().totalReports()).isZero();
        long p = layer.kcalloc(0, 10, 12, Gfp.GFP_KERNEL, 0);
        assertThat(layer.ksize(p)).isEqualTo(128);
        assertThat(layer.machine().mem().allEqual(p, 0, 120)).isTrue();
    }

    @Test
    void kmallocBeyondMaxSize_warnsAndFails() {
        SlabLayer layer = SlubTesting.boot(2);
        assertThat(layer.kmalloc(0, (4L << 20) + 1, Gfp.GFP_KERNEL, 0)).isZero();
        assertThat(layer.machine().dmesg().reportCount(ReportKind.WARN)).isEqualTo(1);
        assertThat(layer.kmalloc(0, 4L << 20, Gfp.GFP_KERNEL, 0)).isNotZero();
    }

    @Test
    void kzalloc_zeroesObject() {
        SlabLayer layer = SlubTesting.boot(2);
        long p = layer.kmalloc(0, 64, Gfp.GFP_KERNEL, 0);
        layer.machine().mem().fill(p, 0xee, 64);
        layer.kfree(0, p, 0);
        long q = layer.kzalloc(0, 64, Gfp.GFP_KERNEL, 0);
        assertThat(q).isEqualTo(p);
        assertThat(layer.machine().mem().allEqual(q, 0, 64)).isTrue();
    }

    @Test
    void krealloc_rules() {
        SlabLayer layer = SlubTesting.boot(2);
        long p = layer.kmalloc(0, 40, Gfp.GFP_KERNEL, 0);
        layer.machine().mem().fill(p, 0x11, 40);
        assertThat(layer.krealloc(0, p, 64, Gfp.GFP_KERNEL, 0)).isEqualTo(p);
        long q = layer.krealloc(0, p, 65, Gfp.GFP_KERNEL, 0);
        assertThat(q).isNotEqualTo(p);
        assertThat(layer.ksize(q)).isEqualTo(96);
        assertThat(layer.machine().mem().allEqual(q, 0x11, 40)).isTrue();
        assertThat(layer.krealloc(0, q, 0, Gfp.GFP_KERNEL, 0)).isEqualTo(Addr.ZERO_SIZE_PTR);
        long r = layer.krealloc(0, 0, 100, Gfp.GFP_KERNEL, 0);
        assertThat(layer.ksize(r)).isEqualTo(128);
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void kfreeOfNonSlabAddress_reportedNotAKmallocAllocation() {
        SlabLayer layer = SlubTesting.boot(2);
        int pfn = layer.machine().pageAllocator().allocPages(0, Gfp.GFP_KERNEL, 0);
        assertThat(layer.kfree(0, Addr.pfnToVirt(pfn), 0)).isFalse();
        assertThat(layer.machine().dmesg().text()).contains("page dumped because: Not a kmalloc allocation");
        assertThat(layer.kfree(0, 0x1234, 0)).isFalse();
        assertThat(layer.machine().dmesg().reportCount(ReportKind.SLAB_BAD_FREE))
                .isEqualTo(2);
    }

    @Test
    void kfreeOfInteriorPointer_reportedInvalidObjectPointer() {
        SlabLayer layer = SlubTesting.boot(2);
        long p = layer.kmalloc(0, 64, Gfp.GFP_KERNEL, 0);
        assertThat(layer.kfree(0, p + 8, 0)).isFalse();
        assertThat(layer.machine().dmesg().text())
                .contains("BUG kmalloc-64 (Not tainted): Invalid object pointer 0x" + Long.toHexString(p + 8));
        assertThat(layer.kfree(0, p, 0)).isTrue();
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void destroyKmallocCache_refused() {
        SlabLayer layer = SlubTesting.boot(2);
        assertThat(layer.kmemCacheDestroy(layer.find("kmalloc-64"))).isFalse();
        assertThat(layer.kmemCacheDestroy(layer.find("kmem_cache"))).isFalse();
        assertThat(layer.kmalloc(0, 64, Gfp.GFP_KERNEL, 0)).isNotZero();
    }

    @Test
    void highmemGfp_isFixedUpWithWarning() {
        SlabLayer layer = SlubTesting.boot(2);
        long p = layer.kmalloc(1, 3000, Gfp.GFP_KERNEL | Gfp.__GFP_HIGHMEM, 0);
        assertThat(p).isNotZero();
        assertThat(layer.machine().dmesg().text())
                .contains("Unexpected gfp: 0x2 (__GFP_HIGHMEM). Fixing up to gfp: 0xcc0 (GFP_KERNEL). Fix your code!");
    }

    @Test
    void outOfMemory_slabAllocationFailsWithSlubWarning() {
        SlabLayer layer = SlubTesting.boot(16L << 20, 2);
        KmemCache c = layer.kmemCacheCreate("oom_cache", 4000, 0, io.kmemlab.mm.slab.KmemCacheArgs.NONE);
        long last = 1;
        int n = 0;
        while (last != 0 && n < 100000) {
            last = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            n++;
        }
        assertThat(last).isZero();
        assertThat(layer.machine().dmesg().text())
                .contains("SLUB: Unable to allocate memory on CPU 0 (of node 0) on node -1, gfp=0xcc0(GFP_KERNEL)")
                .contains("  cache: oom_cache, object size: 4000, buffer size: 4000, default order: 3, min order: 0");
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void naiveDoubleFree_hardenedFreelistBugs() {
        SlabLayer layer = SlubTesting.boot(2);
        long p = layer.kmalloc(0, 64, Gfp.GFP_KERNEL, 0);
        assertThat(layer.kfree(0, p, 0)).isTrue();
        assertThat(layer.kfree(0, p, 0)).isFalse();
        assertThat(layer.machine().dmesg().reportCount(ReportKind.BUG)).isEqualTo(1);
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void ksize_referenceExamples_inodeCacheAndVmAreaStruct() {
        SlabLayer layer = SlubTesting.boot(2);
        io.kmemlab.mm.slab.Ctor initOnce = new io.kmemlab.mm.slab.Ctor() {
            @Override
            public void construct(io.kmemlab.mm.PhysMem mem, long obj, int size) {
                mem.fill(obj, 0, size);
            }

            @Override
            public String symbol() {
                return "init_once+0x0/0x10";
            }
        };
        KmemCache inode = layer.kmemCacheCreate(
                "inode_cache",
                616,
                SlabFlags.RECLAIM_ACCOUNT,
                io.kmemlab.mm.slab.KmemCacheArgs.builder().ctor(initOnce).build());
        long i = layer.kmemCacheAlloc(0, inode, Gfp.GFP_KERNEL, 0);
        assertThat(layer.ksize(i)).isEqualTo(624);
        assertThat(layer.machine().vfs().read("/sys/kernel/slab/inode_cache/ctor"))
                .isEqualTo("init_once+0x0/0x10\n");
        KmemCache vma = layer.kmemCacheCreate(
                "vm_area_struct",
                192,
                SlabFlags.TYPESAFE_BY_RCU | SlabFlags.HWCACHE_ALIGN | SlabFlags.ACCOUNT,
                io.kmemlab.mm.slab.KmemCacheArgs.builder().freeptrOffset(40).build());
        assertThat(vma.impl().size()).isEqualTo(192);
        assertThat(vma.impl().objsPerSlab()).isEqualTo(21);
        long v = layer.kmemCacheAlloc(0, vma, Gfp.GFP_KERNEL, 0);
        assertThat(layer.ksize(v)).isEqualTo(192);
        assertThat(layer.machine().vfs().read("/sys/kernel/slab/vm_area_struct/destroy_by_rcu"))
                .isEqualTo("1\n");
        assertThat(layer.allocator().validate()).isEmpty();
    }
}
