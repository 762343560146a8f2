package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabLayer;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The alloc/free fast paths allocate no Java objects (traces and debugging off). */
class SlubHotPathTest {

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void fastPaths_allocateNoJavaObjects() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = layer.kmemCacheCreate("hot", 64, 0, KmemCacheArgs.NONE);
        long[] objs = new long[32];
        for (int round = 0; round < 2000; round++) {
            batch(layer, c, objs);
        }
        long before = allocatedBytes();
        for (int round = 0; round < 2000; round++) {
            batch(layer, c, objs);
        }
        long used = allocatedBytes() - before;
        // 2000 rounds x 128 operations: anything per operation would be > 256 KiB
        assertThat(used).isLessThan(4096);
        assertThat(SlubCacheStats.fast(c)).isGreaterThan(0);
    }

    /**
     * kmem_cache_cpu keeps the cpu slab's page bytes and bounds beside it for the fast paths; every
     * change of cpu slab refreshes them (checked by the invariants after slabs came and went), and
     * the invariants catch kept bounds that are not the slab's.
     */
    @Test
    void cpuSlab_keepsTheBoundsAndPageBytesOfItsSlab_throughSlabChanges() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = layer.kmemCacheCreate("kcc", 192, 0, KmemCacheArgs.NONE);
        SlubCache s = (SlubCache) c.impl();
        long[] objs = new long[700];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < objs.length; i++) {
                objs[i] = layer.kmemCacheAlloc(i & 1, c, Gfp.GFP_KERNEL, 0);
            }
            assertThat(s.checkInvariants()).isEmpty();
            for (int i = 0; i < objs.length; i += 2) {
                assertThat(layer.kmemCacheFree(i % 3 == 0 ? 1 : 0, c, objs[i], 0))
                        .isTrue();
            }
            assertThat(s.checkInvariants()).isEmpty();
            for (int i = 1; i < objs.length; i += 2) {
                assertThat(layer.kmemCacheFree(0, c, objs[i], 0)).isTrue();
            }
            assertThat(s.checkInvariants()).isEmpty();
        }
        long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        SlubCache.CpuSlab cpu0 = s.cpus[0];
        assertThat(cpu0.slab).isNotEqualTo(SlubCache.NIL);
        assertThat(p - cpu0.first).isBetween(0L, cpu0.span - 1);
        cpu0.span += 192;
        assertThat(s.checkInvariants()).anyMatch(m -> m.contains("keeps bounds or page bytes of slab"));
        cpu0.span -= 192;
        assertThat(s.checkInvariants()).isEmpty();
        assertThat(layer.kmemCacheFree(0, c, p, 0)).isTrue();
    }

    @Test
    void orderThreeSlabs_freePointersThroughTheMemoryBlock_allocateNoJavaObjects() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = layer.kmemCacheCreate("hot1k", 1024, 0, KmemCacheArgs.NONE);
        assertThat(c.impl().order())
                .as("a multi-page slab: free pointers go through the block")
                .isPositive();
        long[] objs = new long[100];
        for (int round = 0; round < 500; round++) {
            cacheBatch(layer, c, objs);
        }
        long before = allocatedBytes();
        for (int round = 0; round < 500; round++) {
            cacheBatch(layer, c, objs);
        }
        // 500 rounds x 200 operations: anything per operation would be > 100 KiB
        assertThat(allocatedBytes() - before).isLessThan(4096);
        assertThat(layer.allocator().validate()).isEmpty();
    }

    private static void cacheBatch(SlabLayer layer, KmemCache c, long[] objs) {
        for (int i = 0; i < objs.length; i++) {
            objs[i] = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        }
        for (int i = 0; i < objs.length; i++) {
            layer.kmemCacheFree(0, c, objs[i], 0);
        }
    }

    private static void batch(SlabLayer layer, KmemCache c, long[] objs) {
        for (int i = 0; i < objs.length; i++) {
            objs[i] = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        }
        for (int i = 0; i < objs.length; i++) {
            layer.kmemCacheFree(0, c, objs[i], 0);
        }
        for (int i = 0; i < objs.length; i++) {
            objs[i] = layer.kmalloc(0, 64, Gfp.GFP_KERNEL, 0);
        }
        for (int i = 0; i < objs.length; i++) {
            layer.kfree(0, objs[i], 0);
        }
    }

    /** Access to the fast-path counter. */
    static final class SlubCacheStats {
        static long fast(KmemCache c) {
            return ((SlubCache) c.impl()).statSum(SlubStat.ALLOC_FASTPATH);
        }
    }
}
