package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sheaf and barn state machines of 6.18 (opt-in) against the kernel's rules
 * (sheaves-compaction.md §2.3–§2.7, slub.md §10): fixed sequences and the counters they must leave.
 * A 256-byte cache on a 2-CPU machine has order-0 slabs of 16 objects; capacity 32 is
 * maple_node's.
 */
class SlubSheavesTest {

    private static KmemCache sheafCache(SlabLayer layer, int size, int capacity) {
        return layer.kmemCacheCreate(
                "sheafy",
                size,
                0,
                KmemCacheArgs.builder().sheafCapacity(capacity).build());
    }

    private static SlubCache slub(KmemCache c) {
        return (SlubCache) c.impl();
    }

    /** The counters a test names, as the sysfs files print their sums. */
    private static Map<String, Long> counters(SlabLayer layer, String cache, String... names) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String n : names) {
            String text = layer.machine().vfs().read("/sys/kernel/slab/" + cache + "/" + n);
            m.put(n, Long.parseLong(text.trim().split(" ")[0]));
        }
        return m;
    }

    @Test
    void creation_mainSheafPerCpu_kmallocedFromTheBucketOfItsSize() {
        SlabLayer layer = SlubTesting.boot(2);
        SlubCache k512 = slub(layer.kmallocSlab(512, Gfp.GFP_KERNEL));
        long before = k512.liveObjects();
        KmemCache c = sheafCache(layer, 256, 32);
        VirtualFs vfs = layer.machine().vfs();
        assertThat(vfs.read("/sys/kernel/slab/sheafy/sheaf_capacity")).isEqualTo("32\n");
        assertThat(vfs.read("/sys/kernel/slab/kmalloc-64/sheaf_capacity")).isEqualTo("0\n");
        assertThat(counters(layer, "sheafy", "sheaf_alloc")).containsEntry("sheaf_alloc", 2L);
        // 32 + 8 × 32 = 288 bytes: two kmalloc-512 objects more in use
        assertThat(k512.liveObjects() - before).isEqualTo(2);
        assertThat(slub(c).sheaves.main)
                .allSatisfy(s -> assertThat(s.capacity()).isEqualTo(32));
        assertThat(c.impl().geometry()).containsEntry("sheaf_capacity", "32");
    }

    @Test
    void firstAlloc_refillsANewSheafThroughTheCpuSlab_thenPopsIt() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = sheafCache(layer, 256, 32);
        long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        assertThat(p).isNotZero();
        assertThat(counters(
                        layer,
                        "sheafy",
                        "alloc_cpu_sheaf",
                        "barn_get",
                        "barn_get_fail",
                        "sheaf_alloc",
                        "sheaf_refill",
                        "alloc_fastpath",
                        "alloc_slowpath",
                        "alloc_slab",
                        "deactivate_bypass"))
                .containsExactly(
                        Map.entry("alloc_cpu_sheaf", 1L),
                        Map.entry("barn_get", 0L),
                        Map.entry("barn_get_fail", 1L),
                        // two at creation, one for the refill (no spare, no empty barn sheaf)
                        Map.entry("sheaf_alloc", 3L),
                        Map.entry("sheaf_refill", 32L),
                        // the refill's bulk allocation: 2 × (1 slow + 15 from the cpu freelist)
                        Map.entry("alloc_fastpath", 30L),
                        Map.entry("alloc_slowpath", 2L),
                        Map.entry("alloc_slab", 2L),
                        Map.entry("deactivate_bypass", 1L));
        SlubSheaves sh = slub(c).sheaves;
        assertThat(sh.main[0].size).isEqualTo(31);
        assertThat(sh.spare[0].size).as("the old empty main is the spare").isZero();
        // the slabs count the 31 objects in the sheaf as allocated
        assertThat(c.impl().metric().activeObjs()).isEqualTo(32);
        assertThat(c.impl().metric().allocSlowpath())
                .as("a sheaf hit that had to refill the sheaf touched the slabs: one slow allocation")
                .isEqualTo(1);
        assertThat(c.impl().metric().allocFastpath()).isZero();
        assertThat(c.impl().metric().sheafObjects()).isEqualTo(31);
        layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        assertThat(c.impl().metric().allocFastpath()).isEqualTo(1);
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void atomicAlloc_doesNotRefill_fallsBackToTheCpuSlab() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = sheafCache(layer, 256, 32);
        long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_ATOMIC, 0);
        assertThat(p).isNotZero();
        assertThat(counters(layer, "sheafy", "alloc_cpu_sheaf", "barn_get_fail", "sheaf_refill", "alloc_slowpath"))
                .containsExactly(
                        Map.entry("alloc_cpu_sheaf", 0L),
                        Map.entry("barn_get_fail", 1L),
                        Map.entry("sheaf_refill", 0L),
                        Map.entry("alloc_slowpath", 1L));
    }

    @Test
    void frees_fillMain_thenSpare_thenTheBarn_untilTheFullLimit() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = sheafCache(layer, 256, 4);
        // 4 objects per sheaf: 12 sheaves' worth of frees on CPU 0 from objects allocated on CPU 1
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 4 * 14; i++) {
            objs.add(layer.kmemCacheAlloc(1, c, Gfp.GFP_KERNEL, 0));
        }
        layer.kmemCacheShrink(c);
        SlubSheaves sh = slub(c).sheaves;
        assertThat(sh.main[1].size).isZero();
        for (int i = 0; i < 4; i++) {
            layer.kmemCacheFree(0, c, objs.get(i), 0);
        }
        assertThat(sh.main[0].size).isEqualTo(4);
        assertThat(sh.spare[0]).isNull();
        // main full, no spare, no empty barn sheaf: allocate one (the full main becomes the spare)
        layer.kmemCacheFree(0, c, objs.get(4), 0);
        assertThat(sh.spare[0].size).isEqualTo(4);
        assertThat(sh.main[0].size).isEqualTo(1);
        for (int i = 5; i < 8; i++) {
            layer.kmemCacheFree(0, c, objs.get(i), 0);
        }
        // both full: each next full main goes into the barn (a new empty sheaf each time)
        for (int i = 8; i < 8 + 4 * 10; i++) {
            layer.kmemCacheFree(0, c, objs.get(i), 0);
        }
        assertThat(sh.barnFull()).isEqualTo(SlubSheaves.MAX_FULL_SHEAVES);
        for (int i = 48; i < 52; i++) {
            layer.kmemCacheFree(0, c, objs.get(i), 0);
        }
        assertThat(sh.barnFull()).isEqualTo(SlubSheaves.MAX_FULL_SHEAVES);
        assertThat(counters(
                        layer,
                        "sheafy",
                        "free_cpu_sheaf",
                        "barn_put",
                        "barn_put_fail",
                        "sheaf_flush",
                        "free_fastpath",
                        "free_slowpath"))
                .containsExactly(
                        Map.entry("free_cpu_sheaf", 52L),
                        Map.entry("barn_put", 10L),
                        // the 11th full sheaf does not fit: the full spare is flushed to the slabs
                        Map.entry("barn_put_fail", 1L),
                        Map.entry("sheaf_flush", 4L),
                        Map.entry("free_fastpath", 0L),
                        Map.entry("free_slowpath", 4L));
        assertThat(layer.allocator().validate()).isEmpty();
        // and the allocation side drains it back: main, spare, then the barn's full sheaves
        long got = 0;
        long fails = counters(layer, "sheafy", "barn_get_fail").get("barn_get_fail");
        // main 4, spare 4, ten full barn sheaves of 4
        for (int i = 0; i < 48; i++) {
            got += layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0) != 0 ? 1 : 0;
        }
        assertThat(got).isEqualTo(48);
        assertThat(counters(layer, "sheafy", "alloc_cpu_sheaf").get("alloc_cpu_sheaf"))
                .isEqualTo(56 + 48);
        assertThat(counters(layer, "sheafy", "barn_get").get("barn_get")).isEqualTo(10);
        assertThat(counters(layer, "sheafy", "barn_get_fail").get("barn_get_fail"))
                .isEqualTo(fails);
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void kfreeRcu_batchesIntoTheRcuSheaf_whichGoesToTheBarnAfterTheGracePeriod() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = sheafCache(layer, 256, 4);
        long[] objs = new long[5];
        for (int i = 0; i < objs.length; i++) {
            objs[i] = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        }
        SlubSheaves sh = slub(c).sheaves;
        int pendingBefore = layer.machine().rcu().pending();
        for (int i = 0; i < 3; i++) {
            layer.kfreeRcu(0, objs[i], 0);
        }
        assertThat(sh.rcuFree[0].size).isEqualTo(3);
        assertThat(layer.machine().rcu().pending())
                .as("no call_rcu until the sheaf is full")
                .isEqualTo(pendingBefore);
        layer.kfreeRcu(0, objs[3], 0);
        assertThat(sh.rcuFree[0]).isNull();
        assertThat(layer.machine().rcu().pending()).isEqualTo(pendingBefore + 1);
        layer.machine().rcu().barrier();
        assertThat(sh.barnFull()).isEqualTo(1);
        assertThat(counters(layer, "sheafy", "free_rcu_sheaf", "barn_put"))
                .containsExactly(Map.entry("free_rcu_sheaf", 4L), Map.entry("barn_put", 1L));
        // kvfree_rcu_barrier hands over a partial rcu_free sheaf too
        layer.kfreeRcu(0, objs[4], 0);
        layer.kvfreeRcuBarrier();
        assertThat(sh.rcuFree[0]).isNull();
        assertThat(sh.barnFull()).isEqualTo(2);
        assertThat(layer.allocator().validate()).isEmpty();
        // a cache without sheaves keeps the classic kfree_rcu
        KmemCache plain = layer.kmemCacheCreate("plain", 256, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long q = layer.kmemCacheAlloc(0, plain, Gfp.GFP_KERNEL, 0);
        layer.kfreeRcu(0, q, 0);
        assertThat(layer.rcuPending()).isEqualTo(1);
    }

    @Test
    void prefill_fromTheSpare_theBarn_oversize_andReturn() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = sheafCache(layer, 256, 8);
        SlubCache sc = slub(c);
        SlubSheaves sh = sc.sheaves;
        // no spare: the slow path (BARN_GET_FAIL, an empty barn has nothing) and a refill
        SlubSheaves.Sheaf p = sh.prefill(0, Gfp.GFP_KERNEL, 5);
        assertThat(p.size).isEqualTo(8);
        long a = SlubSheaves.allocFromSheaf(p);
        assertThat(sc.ownsObject(a)).isTrue();
        sh.returnSheaf(0, Gfp.GFP_KERNEL, p);
        assertThat(sh.spare[0])
                .as("returned with no spare: it becomes the spare")
                .isSameAs(p);
        SlubSheaves.Sheaf q = sh.prefill(0, Gfp.GFP_KERNEL, 8);
        assertThat(q).as("the spare is taken (fast)").isSameAs(p);
        assertThat(q.size).isEqualTo(8);
        SlubSheaves.Sheaf big = sh.prefill(0, Gfp.GFP_KERNEL, 20);
        assertThat(big.capacity()).isEqualTo(20);
        assertThat(big.size).isEqualTo(20);
        SlubSheaves.Sheaf bigger = sh.refill(0, Gfp.GFP_KERNEL, q, 30);
        assertThat(bigger.capacity()).isEqualTo(30);
        sh.returnSheaf(0, Gfp.GFP_KERNEL, big);
        sh.returnSheaf(0, Gfp.GFP_KERNEL, bigger);
        assertThat(counters(
                        layer,
                        "sheafy",
                        "sheaf_prefill_fast",
                        "sheaf_prefill_slow",
                        "sheaf_prefill_oversize",
                        "sheaf_return_fast",
                        "sheaf_return_slow"))
                .containsExactly(
                        Map.entry("sheaf_prefill_fast", 1L),
                        Map.entry("sheaf_prefill_slow", 1L),
                        Map.entry("sheaf_prefill_oversize", 2L),
                        // q went back when it was replaced by the oversize one: no spare then
                        Map.entry("sheaf_return_fast", 2L),
                        Map.entry("sheaf_return_slow", 0L));
        layer.kmemCacheFree(0, c, a, 0);
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void debugCache_getsNoSheaves_andNeverMerges() {
        SlabLayer layer = SlubTesting.boot(2, "slub_debug=F,sheafy");
        KmemCache c = sheafCache(layer, 256, 32);
        assertThat(slub(c).sheaves).isNull();
        assertThat(layer.machine().vfs().read("/sys/kernel/slab/sheafy/sheaf_capacity"))
                .isEqualTo("0\n");
    }

    @Test
    void sheafCaches_neverMerge_andOthersDoNotMergeIntoThem() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache a = sheafCache(layer, 200, 32);
        KmemCache b = layer.kmemCacheCreate(
                "sheafy2", 200, 0, KmemCacheArgs.builder().sheafCapacity(32).build());
        KmemCache d = layer.kmemCacheCreate("plain200", 200, 0, KmemCacheArgs.NONE);
        assertThat(b).isNotSameAs(a);
        assertThat(d).isNotSameAs(a).isNotSameAs(b);
        assertThat(layer.sysfsName(a)).isEqualTo("sheafy");
        assertThat(layer.unmergeable(a)).isTrue();
    }

    @Test
    void destroy_flushesEverySheaf_andGivesTheStructuresBack() {
        SlabLayer layer = SlubTesting.boot(2);
        SlubCache k512 = slub(layer.kmallocSlab(512, Gfp.GFP_KERNEL));
        long before = k512.liveObjects();
        KmemCache c = sheafCache(layer, 256, 32);
        long[] objs = new long[40];
        for (int i = 0; i < objs.length; i++) {
            objs[i] = layer.kmemCacheAlloc(i & 1, c, Gfp.GFP_KERNEL, 0);
        }
        for (int i = 0; i < objs.length; i++) {
            if (i % 3 == 0) {
                layer.kfreeRcu(0, objs[i], 0);
            } else {
                layer.kmemCacheFree(i & 1, c, objs[i], 0);
            }
        }
        assertThat(layer.kmemCacheDestroy(c)).isTrue();
        assertThat(k512.liveObjects()).isEqualTo(before);
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void sheafPaths_allocateNoJavaObjects() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = sheafCache(layer, 256, 32);
        long[] objs = new long[100];
        for (int round = 0; round < 1000; round++) {
            cycle(layer, c, objs);
        }
        long before = allocatedBytes();
        for (int round = 0; round < 1000; round++) {
            cycle(layer, c, objs);
        }
        // 1000 rounds x 200 operations through main, spare and barn: anything per operation > 200 KiB
        assertThat(allocatedBytes() - before).isLessThan(4096);
        assertThat(counters(layer, "sheafy", "barn_get").get("barn_get")).isPositive();
    }

    private static void cycle(SlabLayer layer, KmemCache c, long[] objs) {
        for (int i = 0; i < objs.length; i++) {
            objs[i] = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        }
        for (int i = 0; i < objs.length; i++) {
            layer.kmemCacheFree(0, c, objs[i], 0);
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
