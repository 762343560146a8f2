package io.kmemlab.slub;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.testing.Golden;
import org.junit.jupiter.api.Test;

/** Golden files for each slab_debug report kind, from a fixed boot (seed 0, 2 CPUs). */
class SlubReportGoldenTest {

    private static String reportsOf(SlabLayer layer, long mark) {
        return String.join("\n", layer.machine().dmesg().since(mark)) + "\n";
    }

    private static KmemCache cache(SlabLayer layer, String name, int size, int flags) {
        return layer.kmemCacheCreate(name, size, flags | SlabFlags.NO_USER_FLAGS, KmemCacheArgs.NONE);
    }

    @Test
    void rightRedzoneOverwritten_report() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache s = cache(layer, "TestSlub_RZ_alloc", 64, SlabFlags.RED_ZONE);
        long p = layer.kmemCacheAlloc(0, s, Gfp.GFP_KERNEL, 0);
        layer.machine().mem().writeU8(p + 64, 0x12);
        long mark = layer.machine().dmesg().sequence();
        s.impl().validate();
        Golden.assertMatches("report-right-redzone.txt", reportsOf(layer, mark));
    }

    @Test
    void poisonOverwritten_withTracks_report() {
        SlabLayer layer = SlubTesting.boot(2, "slub_debug=FZPU,test_cache");
        KmemCache s = layer.kmemCacheCreate("test_cache", 64, 0, KmemCacheArgs.NONE);
        long site = layer.machine().symbols().intern("test_alloc_fn", 0x2a, 0x80);
        long freeSite = layer.machine().symbols().intern("test_free_fn", 0x11, 0x40);
        layer.machine().clock().advance(5_000_000_000L);
        long p = layer.kmemCacheAlloc(1, s, Gfp.GFP_KERNEL, site);
        layer.machine().clock().advance(2_000_000_000L);
        layer.kmemCacheFree(0, s, p, freeSite);
        layer.machine().mem().writeU8(p + 3, 0x00);
        long mark = layer.machine().dmesg().sequence();
        s.impl().validate();
        Golden.assertMatches("report-poison-tracks.txt", reportsOf(layer, mark));
    }

    @Test
    void freechainCorrupt_report() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache s = cache(layer, "TestSlub_next_ptr_free", 64, SlabFlags.POISON);
        SlubCache c = (SlubCache) s.impl();
        long p = layer.kmemCacheAlloc(0, s, Gfp.GFP_KERNEL, 0);
        layer.kmemCacheFree(0, s, p, 0);
        PhysMem mem = layer.machine().mem();
        mem.writeU8(p + c.offset, ~mem.readU8(p + c.offset) & 0xff);
        long mark = layer.machine().dmesg().sequence();
        s.impl().validate();
        Golden.assertMatches("report-freechain-corrupt.txt", reportsOf(layer, mark));
    }

    @Test
    void objectAlreadyFree_report() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache s = cache(layer, "TestSlub_double_free", 64, SlabFlags.CONSISTENCY_CHECKS);
        long p = layer.kmemCacheAlloc(0, s, Gfp.GFP_KERNEL, 0);
        layer.kmemCacheAlloc(0, s, Gfp.GFP_KERNEL, 0);
        layer.kmemCacheFree(0, s, p, 0);
        long mark = layer.machine().dmesg().sequence();
        layer.kmemCacheFree(0, s, p, 0);
        Golden.assertMatches("report-object-already-free.txt", reportsOf(layer, mark));
    }

    @Test
    void leakDestroy_report() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache s = cache(layer, "TestSlub_leak_destroy", 64, SlabFlags.NO_MERGE);
        layer.kmemCacheAlloc(0, s, Gfp.GFP_KERNEL, 0);
        long mark = layer.machine().dmesg().sequence();
        layer.kmemCacheDestroy(s);
        Golden.assertMatches("report-leak-destroy.txt", reportsOf(layer, mark));
    }

    @Test
    void paddingOverwritten_report() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache s = cache(layer, "TestSlub_pad", 64, SlabFlags.POISON);
        SlubCache c = (SlubCache) s.impl();
        long p = layer.kmemCacheAlloc(0, s, Gfp.GFP_KERNEL, 0);
        int id = c.slabOf(p);
        long end = c.slabBase(id) + 4096;
        layer.machine().mem().writeU8(end - 10, 0x77);
        long mark = layer.machine().dmesg().sequence();
        s.impl().validate();
        Golden.assertMatches("report-padding.txt", reportsOf(layer, mark));
    }

    @Test
    void wrongCache_report() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache a = layer.kmemCacheCreate("cache_a", 100, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        KmemCache b = layer.kmemCacheCreate("cache_b", 100, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long p = layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        long mark = layer.machine().dmesg().sequence();
        layer.kmemCacheFree(0, b, p, 0);
        Golden.assertMatches("report-wrong-cache.txt", reportsOf(layer, mark));
    }

    @Test
    void allocAndFreeTraces_debugfs_golden() {
        SlabLayer layer = SlubTesting.boot(2, "slub_debug=U,kmalloc-*");
        long a = layer.machine().symbols().intern("alloc_a", 0x10, 0x100);
        long b = layer.machine().symbols().intern("alloc_b", 0x22, 0x80);
        java.util.List<Long> objs = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            layer.machine().clock().advance(10_000_000L);
            objs.add(layer.kmalloc(i % 2, 40, Gfp.GFP_KERNEL, i < 5 ? a : b));
        }
        layer.kfree(0, objs.get(0), b);
        layer.machine().clock().advance(1_000_000_000L);
        var vfs = layer.machine().vfs();
        String text = "alloc_traces:\n" + vfs.read("/sys/kernel/debug/slab/kmalloc-64/alloc_traces")
                + "free_traces:\n" + vfs.read("/sys/kernel/debug/slab/kmalloc-64/free_traces")
                + "kmalloc-128 alloc_traces:\n" + vfs.read("/sys/kernel/debug/slab/kmalloc-128/alloc_traces");
        Golden.assertMatches("debugfs-traces.txt", text);
        org.assertj.core.api.Assertions.assertThat(text).contains("      4 alloc_a+0x10/0x100 waste=96/24");
    }

    @Test
    void kmallocRedzone_report() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache s =
                cache(layer, "TestSlub_RZ_kmalloc", 32, SlabFlags.KMALLOC | SlabFlags.STORE_USER | SlabFlags.RED_ZONE);
        long p = layer.kmallocFromCache(
                0, s, 18, Gfp.GFP_KERNEL, layer.machine().symbols().intern("kunit_caller", 8, 64));
        layer.machine().mem().writeU8(p + 18, 0xab);
        layer.machine().mem().writeU8(p + 19, 0xab);
        long mark = layer.machine().dmesg().sequence();
        s.impl().validate();
        Golden.assertMatches("report-kmalloc-redzone.txt", reportsOf(layer, mark));
    }

    @Test
    void writeToFreeObject_caughtAtAllocation_marksSlabUsed_report() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache s = cache(
                layer,
                "TestSlub_alloc_check",
                64,
                SlabFlags.CONSISTENCY_CHECKS | SlabFlags.POISON | SlabFlags.RED_ZONE);
        long p = layer.kmemCacheAlloc(0, s, Gfp.GFP_KERNEL, 0);
        layer.kmemCacheFree(0, s, p, 0);
        layer.machine().mem().writeU8(p - 3, 0x00);
        layer.machine().mem().writeU8(p + 10, 0x00);
        long mark = layer.machine().dmesg().sequence();
        long q = layer.kmemCacheAlloc(0, s, Gfp.GFP_KERNEL, 0);
        Golden.assertMatches("report-alloc-check.txt", reportsOf(layer, mark));
        org.assertj.core.api.Assertions.assertThat(q)
                .as("a fresh slab serves the allocation")
                .isNotZero()
                .isNotEqualTo(p);
        org.assertj.core.api.Assertions.assertThat(((SlubCache) s.impl()).errors)
                .isEqualTo(5);
    }
}
