package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.slab.KmallocIndex;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SLUB of 7.1.5 ({@code slub_version=7.1}): which caches get sheaves and with what capacity
 * (sheaves-compaction.md §2.2), no per-CPU slabs in sysfs (§2.13), the 26 counters, merging, and
 * the accounting consequences (§2.14), with golden counters for fixed sequences.
 */
class Slub71Test {

    private static SlabLayer boot71() {
        return SlubTesting.boot(2, "slub_version=7.1");
    }

    private static SlubCache slub(KmemCache c) {
        return (SlubCache) c.impl();
    }

    private static String read(SlabLayer layer, String path) {
        return layer.machine().vfs().read(path);
    }

    private static Map<String, Long> counters(SlabLayer layer, String cache, String... names) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(
                    n,
                    Long.parseLong(read(layer, "/sys/kernel/slab/" + cache + "/" + n)
                            .trim()
                            .split(" ")[0]));
        }
        return m;
    }

    @Test
    void version_word_parses_andRefusesOthers() {
        assertThat(SlubConfig.parse(Map.of("slub_version", "7.1")).version()).isEqualTo(SlubVersion.V7_1);
        assertThat(SlubConfig.parse(Map.of("slub_version", "7.1.5")).version()).isEqualTo(SlubVersion.V7_1);
        assertThat(SlubConfig.parse(Map.of()).version()).isEqualTo(SlubVersion.V6_18);
        assertThatThrownBy(() -> SlubConfig.parse(Map.of("slub_version", "6.19")))
                .hasMessageContaining("slub_version=6.19");
    }

    @Test
    void kmallocCaches_capacityByStride_roundedToFillTheSheafsBucket() {
        SlabLayer layer = boot71();
        Map<String, String> expected = new LinkedHashMap<>();
        for (String n : List.of("8", "16", "32", "64", "96", "128", "192")) {
            expected.put("kmalloc-" + n, "60\n");
        }
        expected.put("kmalloc-256", "28\n");
        expected.put("kmalloc-512", "28\n");
        expected.put("kmalloc-1k", "12\n");
        expected.put("kmalloc-2k", "12\n");
        expected.put("kmalloc-4k", "4\n");
        expected.put("kmalloc-8k", "4\n");
        expected.put("kmalloc-cg-64", "60\n");
        expected.put("kmem_cache", "0\n");
        expected.put("kmem_cache_node", "0\n");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(read(layer, "/sys/kernel/slab/" + e.getKey() + "/sheaf_capacity"))
                    .as(e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void defaultCapacity_isTheFormula_forEveryStride() {
        SlabLayer layer = boot71();
        SlubAllocator a = SlubTesting.slub(layer);
        for (int size = 8; size <= 8192; size += 8) {
            int base = size >= 4096 ? 4 : size >= 1024 ? 12 : size >= 256 ? 26 : 60;
            int bytes = 32 + 8 * base;
            int bucket = KmallocIndex.sizeOf(layer.kmallocIndex().index(bytes));
            assertThat(a.defaultSheafCapacity(size, 0)).as("size %d", size).isEqualTo((bucket - 32) / 8);
        }
        assertThat(a.defaultSheafCapacity(256, 32))
                .as("a requested capacity is a floor")
                .isEqualTo(32);
        assertThat(a.defaultSheafCapacity(192, 32)).isEqualTo(60);
    }

    @Test
    void mapleNodeStays32_vmAreaStructBecomes60_debugAndNoleaktraceGetNone() {
        SlabLayer layer = SlubTesting.boot(2, "slub_version=7.1", "slub_debug=P,dbg");
        KmemCache maple = layer.kmemCacheCreate(
                "maple_node",
                256,
                0,
                KmemCacheArgs.builder().align(256).sheafCapacity(32).build());
        KmemCache vma = layer.kmemCacheCreate(
                "vm_area_struct",
                192,
                SlabFlags.HWCACHE_ALIGN | SlabFlags.TYPESAFE_BY_RCU | SlabFlags.ACCOUNT,
                KmemCacheArgs.builder().freeptrOffset(64).sheafCapacity(32).build());
        KmemCache dbg = layer.kmemCacheCreate("dbg", 256, 0, KmemCacheArgs.NONE);
        KmemCache leak = layer.kmemCacheCreate("kmemleak_object", 248, SlabFlags.NOLEAKTRACE, KmemCacheArgs.NONE);
        assertThat(slub(maple).sheafCapacity()).isEqualTo(32);
        assertThat(slub(vma).sheafCapacity()).isEqualTo(60);
        assertThat(slub(dbg).sheafCapacity()).isZero();
        assertThat(slub(leak).sheafCapacity()).isZero();
    }

    @Test
    void sysfs_noCpuSlabs_cpuPartialReadsZeroAndTakesOnlyZero_26Counters() {
        SlabLayer layer = boot71();
        KmemCache c = layer.kmemCacheCreate("s71", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        for (int i = 0; i < 100; i++) {
            layer.kmemCacheAlloc(i & 1, c, Gfp.GFP_KERNEL, 0);
        }
        VirtualFs vfs = layer.machine().vfs();
        String d = "/sys/kernel/slab/s71/";
        assertThat(vfs.read(d + "cpu_partial")).isEqualTo("0\n");
        assertThat(vfs.read(d + "slabs_cpu_partial")).isEqualTo("0(0)\n");
        assertThat(vfs.read(d + "cpu_slabs")).isEqualTo("0\n");
        assertThat(vfs.write(d + "cpu_partial", "0")).isNull();
        assertThat(vfs.write(d + "cpu_partial", "30")).isEqualTo("EINVAL");
        int present = 0;
        for (SlubStat s : SlubStat.values()) {
            assertThat(vfs.exists(d + s.fileName())).as(s.fileName()).isEqualTo(!s.removedIn7());
            present += s.removedIn7() ? 0 : 1;
        }
        assertThat(present).isEqualTo(26);
        assertThat(vfs.exists(d + "alloc_cpu_sheaf")).isFalse();
        assertThat(vfs.exists(d + "cpu_partial_alloc")).isFalse();
        // 6.18 keeps all 43
        SlabLayer old = SlubTesting.boot(2);
        assertThat(old.machine().vfs().exists("/sys/kernel/slab/kmalloc-64/alloc_cpu_sheaf"))
                .isTrue();
        assertThat(old.machine().vfs().read("/sys/kernel/slab/kmalloc-64/cpu_partial"))
                .isNotEqualTo("0\n");
    }

    @Test
    void firstAlloc_refillsFromANewSlab_leftoversToThePartialHead_objectsInSheavesCountActive() {
        SlabLayer layer = boot71();
        KmemCache c = layer.kmemCacheCreate("s71", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        assertThat(c.impl().objsPerSlab()).isEqualTo(64);
        long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        assertThat(p).isNotZero();
        assertThat(counters(
                        layer,
                        "s71",
                        "alloc_fastpath",
                        "alloc_slowpath",
                        "barn_get",
                        "barn_get_fail",
                        "sheaf_alloc",
                        "sheaf_refill",
                        "alloc_slab"))
                .containsExactly(
                        Map.entry("alloc_fastpath", 1L),
                        Map.entry("alloc_slowpath", 0L),
                        Map.entry("barn_get", 0L),
                        Map.entry("barn_get_fail", 1L),
                        Map.entry("sheaf_alloc", 3L),
                        Map.entry("sheaf_refill", 60L),
                        Map.entry("alloc_slab", 1L));
        // one object in use by the caller, 59 in the main sheaf: 60 active, 4 free on the partial slab
        assertThat(layer.slabinfo()).containsPattern("\ns71 +60 +64 +64 ");
        assertThat(read(layer, "/sys/kernel/slab/s71/partial")).isEqualTo("1 N0=1\n");
        assertThat(read(layer, "/sys/kernel/slab/s71/objects_partial")).isEqualTo("60 N0=60\n");
        assertThat(layer.kmemCacheFree(0, c, p, 0)).isTrue();
        layer.kmemCacheShrink(c);
        assertThat(counters(layer, "s71", "free_fastpath", "free_slowpath", "sheaf_flush", "sheaf_free"))
                .containsExactly(
                        Map.entry("free_fastpath", 1L),
                        // flushes are not the callers' frees in 7.x
                        Map.entry("free_slowpath", 0L),
                        Map.entry("sheaf_flush", 60L),
                        // the spare (the old empty main)
                        Map.entry("sheaf_free", 1L));
        assertThat(c.impl().metric().numSlabs()).isZero();
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void refill_takesWholePartialSlabs_theOneWithLeftoversBackAtTheTail() {
        SlabLayer layer = boot71();
        KmemCache c = layer.kmemCacheCreate("s71", 1024, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        SlubCache s = slub(c);
        assertThat(s.sheafCapacity()).isEqualTo(12);
        int per = c.impl().objsPerSlab();
        // fill four slabs through CPU 1, then free some of each slab's objects on CPU 1 so that the
        // main sheaf fills and spills to slabs; then empty CPU 1's sheaves
        long[] objs = new long[per * 4];
        for (int i = 0; i < objs.length; i++) {
            objs[i] = layer.kmemCacheAlloc(1, c, Gfp.GFP_KERNEL, 0);
        }
        s.flushAll();
        s.sheaves.shrinkBarns();
        for (int i = 0; i < objs.length; i++) {
            if (i % 16 < 5) {
                layer.kmemCacheFree(1, c, objs[i], 0);
            }
        }
        // flushes the sheaves and sorts the partial list, fewest free objects first
        layer.kmemCacheShrink(c);
        long partialBefore = s.nrPartial;
        assertThat(partialBefore).isGreaterThanOrEqualTo(2);
        // what refill_objects must do: collect slabs from the head until their free objects cover
        // 12, then use them in reverse (list_add); the rest of a used slab goes to the tail, a slab
        // not needed at all back to the head
        List<Integer> collected = new java.util.ArrayList<>();
        long covered = 0;
        for (int id = s.partialHead; id != SlubCache.NIL && covered < 12; id = s.t.next[id]) {
            covered += s.t.objects[id] - s.t.slab[id].inuse;
            collected.add(id);
        }
        int need = 12;
        int tailSlab = SlubCache.NIL;
        int back = 0;
        for (int i = collected.size() - 1; i >= 0; i--) {
            int id = collected.get(i);
            int free = s.t.objects[id] - s.t.slab[id].inuse;
            if (need == 0) {
                back++;
                continue;
            }
            int take = Math.min(free, need);
            need -= take;
            if (free > take) {
                tailSlab = id;
                back++;
            }
        }
        long allocSlab = s.statSum(SlubStat.ALLOC_SLAB);
        long refilled = s.statSum(SlubStat.SHEAF_REFILL);
        long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        assertThat(p).isNotZero();
        assertThat(s.statSum(SlubStat.ALLOC_SLAB))
                .as("served from partial slabs")
                .isEqualTo(allocSlab);
        assertThat(s.statSum(SlubStat.SHEAF_REFILL) - refilled).isEqualTo(12);
        assertThat(collected).hasSizeGreaterThan(1);
        assertThat(s.nrPartial).isEqualTo(partialBefore - collected.size() + back);
        if (tailSlab != SlubCache.NIL) {
            assertThat(s.partialTail).isEqualTo(tailSlab);
        }
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void bootCaches_haveNoSheaves_everyAllocIsASlowpathOfOneObject() {
        SlabLayer layer = boot71();
        SlubCache kc = slub(layer.find("kmem_cache"));
        assertThat(kc.sheaves).isNull();
        long slow = kc.statSum(SlubStat.ALLOC_SLOWPATH);
        KmemCache a = layer.kmemCacheCreate("a71", 100, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        assertThat(a).isNotNull();
        assertThat(kc.statSum(SlubStat.ALLOC_SLOWPATH)).isEqualTo(slow + 1);
        assertThat(kc.statSum(SlubStat.ALLOC_FASTPATH)).isZero();
        assertThat(read(layer, "/sys/kernel/slab/kmem_cache/cpu_slabs")).isEqualTo("0\n");
    }

    @Test
    void merging_cachesWithSheavesMerge_butNotThoseThatAskForACapacity() {
        SlabLayer layer = boot71();
        KmemCache a = layer.kmemCacheCreate("m_a", 200, 0, KmemCacheArgs.NONE);
        KmemCache b = layer.kmemCacheCreate("m_b", 200, 0, KmemCacheArgs.NONE);
        assertThat(b).isSameAs(a);
        assertThat(slub(a).sheafCapacity()).isEqualTo(60);
        KmemCache asks = layer.kmemCacheCreate(
                "m_c", 200, 0, KmemCacheArgs.builder().sheafCapacity(16).build());
        assertThat(asks).isNotSameAs(a);
        assertThat(layer.kmemCacheCreate("m_d", 200, 0, KmemCacheArgs.NONE)).isSameAs(a);
    }

    @Test
    void sheavesAreKmallocObjects_soTheKmallocCachesHoldMoreThanIn618() {
        SlabLayer v618 = SlubTesting.boot(2);
        SlabLayer v71 = boot71();
        long in618 = slub(v618.find("kmalloc-512")).liveObjects();
        long in71 = slub(v71.find("kmalloc-512")).liveObjects();
        // every kmalloc cache of 192 bytes or less has two 512-byte main sheaves (capacity 60)
        assertThat(in71 - in618).isGreaterThanOrEqualTo(2L * 7);
        long bytes = 0;
        for (KmemCache k : v71.caches()) {
            bytes += k.impl().metric().sheafBytes();
        }
        assertThat(bytes).isPositive();
    }

    @Test
    void kfreeRcu_ofEveryCache_triesTheRcuSheaf_aCacheWithoutSheavesCountsAFail() {
        SlabLayer layer = boot71();
        long p = layer.kmalloc(0, 64, Gfp.GFP_KERNEL, 0);
        layer.kfreeRcu(0, p, 0);
        assertThat(counters(layer, "kmalloc-64", "free_rcu_sheaf")).containsEntry("free_rcu_sheaf", 1L);
        SlubCache kc = slub(layer.find("kmem_cache"));
        long q = kc.alloc(0, Gfp.GFP_KERNEL, kc.objectSize(), 0);
        layer.kfreeRcu(0, q, 0);
        assertThat(kc.statSum(SlubStat.FREE_RCU_SHEAF_FAIL)).isEqualTo(1);
        assertThat(layer.rcuPending()).isEqualTo(1);
        layer.kvfreeRcuBarrier();
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void hotPaths_allocateNoJavaObjects() {
        SlabLayer layer = boot71();
        KmemCache c = layer.kmemCacheCreate("hot71", 64, 0, KmemCacheArgs.NONE);
        long[] objs = new long[32];
        for (int round = 0; round < 2000; round++) {
            batch(layer, c, objs);
        }
        long before = allocatedBytes();
        for (int round = 0; round < 2000; round++) {
            batch(layer, c, objs);
        }
        assertThat(allocatedBytes() - before).isLessThan(4096);
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

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** The same sequence as MergeAndViewsTest's 6.18 golden, under 7.1: every attribute's text. */
    @Test
    void sysfsAttributes_kmalloc96AfterSomeAllocations_golden() {
        SlabLayer layer = boot71();
        List<Long> objs = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            objs.add(layer.kmalloc(i % 2, 80, Gfp.GFP_KERNEL, 0));
        }
        for (int i = 0; i < 100; i += 3) {
            layer.kfree(1, objs.get(i), 0);
        }
        VirtualFs vfs = layer.machine().vfs();
        StringBuilder sb = new StringBuilder();
        for (String f : vfs.list("/sys/kernel/slab/kmalloc-96")) {
            String v = vfs.read("/sys/kernel/slab/kmalloc-96/" + f);
            sb.append(f).append(": ").append(v.isEmpty() ? "\n" : v);
        }
        io.kmemlab.mm.testing.Golden.assertMatches("sysfs-kmalloc-96-v7.1.txt", sb.toString());
    }

    /** A sheaf cache of 6.18 (maple_node's arguments) after a fixed sequence: the sheaf counters' text. */
    @Test
    void sysfsAttributes_618SheafCache_golden() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = layer.kmemCacheCreate(
                "maple_node",
                256,
                0,
                KmemCacheArgs.builder().align(256).sheafCapacity(32).build());
        List<Long> objs = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            objs.add(layer.kmemCacheAlloc(i % 2, c, Gfp.GFP_KERNEL, 0));
        }
        for (int i = 0; i < 200; i += 2) {
            layer.kmemCacheFree((i / 2) % 2, c, objs.get(i), 0);
        }
        for (int i = 1; i < 40; i += 2) {
            layer.kfreeRcu(0, objs.get(i), 0);
        }
        layer.kvfreeRcuBarrier();
        VirtualFs vfs = layer.machine().vfs();
        StringBuilder sb = new StringBuilder();
        for (String f : vfs.list("/sys/kernel/slab/maple_node")) {
            String v = vfs.read("/sys/kernel/slab/maple_node/" + f);
            sb.append(f).append(": ").append(v.isEmpty() ? "\n" : v);
        }
        io.kmemlab.mm.testing.Golden.assertMatches("sysfs-maple_node-sheaves.txt", sb.toString());
        assertThat(layer.allocator().validate()).isEmpty();
    }
}
