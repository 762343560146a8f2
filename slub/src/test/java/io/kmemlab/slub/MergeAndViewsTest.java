package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.slab.Ctor;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.testing.Golden;
import io.kmemlab.mm.trace.EventType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merging, sysfs names and attributes, /proc/slabinfo and tracepoint text. */
class MergeAndViewsTest {

    @Test
    void merge_similarCachesShareOneSlotAndSysfsUniqueId() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache foo = layer.kmemCacheCreate("foo", 64, 0, KmemCacheArgs.NONE);
        KmemCache bar = layer.kmemCacheCreate("bar", 60, 0, KmemCacheArgs.NONE);
        assertThat(bar).isSameAs(foo);
        assertThat(foo.refcount()).isEqualTo(2);
        VirtualFs vfs = layer.machine().vfs();
        assertThat(vfs.read("/sys/kernel/slab/:0000064/aliases")).isEqualTo("1\n");
        assertThat(vfs.read("/sys/kernel/slab/foo/slab_size")).isEqualTo("64\n");
        assertThat(vfs.read("/sys/kernel/slab/bar/object_size")).isEqualTo("64\n");
        assertThat(layer.slabinfo()).contains("\nfoo ").doesNotContain("\nbar ");
        KmemCache acct = layer.kmemCacheCreate("acct", 1280, SlabFlags.ACCOUNT, KmemCacheArgs.NONE);
        assertThat(acct).isNotSameAs(foo);
        assertThat(vfs.exists("/sys/kernel/slab/:A-0001280/slab_size")).isTrue();
        KmemCache rcl =
                layer.kmemCacheCreate("rcl", 16, SlabFlags.RECLAIM_ACCOUNT | SlabFlags.ACCOUNT, KmemCacheArgs.NONE);
        assertThat(layer.sysfsName(rcl)).isEqualTo(":aA-0000016");
        assertThat(layer.kmemCacheDestroy(bar)).isTrue();
        assertThat(foo.refcount()).isEqualTo(1);
        assertThat(layer.kmemCacheDestroy(foo)).isTrue();
        assertThat(vfs.exists("/sys/kernel/slab/:0000064/slab_size")).isFalse();
    }

    @Test
    void merge_refusedForCtorDebugUsercopyAndNomerge() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache base = layer.kmemCacheCreate("base", 64, 0, KmemCacheArgs.NONE);
        Ctor ctor = (mem, obj, size) -> mem.fill(obj, 1, size);
        assertThat(layer.kmemCacheCreate(
                        "c1", 64, 0, KmemCacheArgs.builder().ctor(ctor).build()))
                .isNotSameAs(base);
        assertThat(layer.kmemCacheCreate("c2", 64, SlabFlags.RED_ZONE, KmemCacheArgs.NONE))
                .isNotSameAs(base);
        assertThat(layer.kmemCacheCreate(
                        "c3", 64, 0, KmemCacheArgs.builder().usercopy(0, 8).build()))
                .isNotSameAs(base);
        assertThat(layer.kmemCacheCreate("c4", 60, 0, KmemCacheArgs.NONE)).isSameAs(base);
        // 64 - 56 = 8 is not < 8: too much waste to share
        assertThat(layer.kmemCacheCreate("c5", 56, 0, KmemCacheArgs.NONE)).isNotSameAs(base);
        SlabLayer nomerge = SlubTesting.boot(2, "slab_nomerge");
        KmemCache a = nomerge.kmemCacheCreate("a", 64, 0, KmemCacheArgs.NONE);
        assertThat(nomerge.kmemCacheCreate("b", 64, 0, KmemCacheArgs.NONE)).isNotSameAs(a);
        assertThat(nomerge.machine().vfs().exists("/sys/kernel/slab/a/slab_size"))
                .isTrue();
    }

    @Test
    void create_invalidArgumentsReportedKernelStyle() {
        SlabLayer layer = SlubTesting.boot(2);
        assertThat(layer.kmemCacheCreate("zero", 0, 0, KmemCacheArgs.NONE)).isNull();
        assertThat(layer.kmemCacheCreate("huge", 5L << 20, 0, KmemCacheArgs.NONE))
                .isNull();
        assertThat(layer.kmemCacheCreate(
                        "odd", 64, 0, KmemCacheArgs.builder().align(24).build()))
                .isNull();
        assertThat(layer.kmemCacheCreate(
                        "fpo", 64, 0, KmemCacheArgs.builder().freeptrOffset(8).build()))
                .isNull();
        assertThat(layer.machine().dmesg().text()).contains("__kmem_cache_create_args(fpo) failed with error -22");
    }

    @Test
    void sysfsAttributes_kmalloc96AfterSomeAllocations_golden() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache k96 = layer.find("kmalloc-96");
        long fastBefore = ((SlubCache) k96.impl()).statSum(SlubStat.ALLOC_FASTPATH);
        List<Long> objs = new ArrayList<>();
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
        Golden.assertMatches("sysfs-kmalloc-96.txt", sb.toString());
        // CPU 1 had no kmalloc-96 slab: 50 allocations with 42 objects per slab are 2 slow, 48 fast;
        // CPU 0 continued the slab that boot's random_seq arrays started
        SlubCache k = (SlubCache) k96.impl();
        assertThat(k.statOf(1, SlubStat.ALLOC_FASTPATH)).isEqualTo(48);
        assertThat(k.statOf(1, SlubStat.ALLOC_SLOWPATH)).isEqualTo(2);
        assertThat(k.statSum(SlubStat.ALLOC_FASTPATH) - fastBefore).isEqualTo(97);
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void sysfsWrites_shrinkValidateStatsAndTunables() {
        SlabLayer layer = SlubTesting.boot(2);
        VirtualFs vfs = layer.machine().vfs();
        assertThat(vfs.write("/sys/kernel/slab/kmalloc-64/shrink", "1")).isNull();
        assertThat(vfs.write("/sys/kernel/slab/kmalloc-64/shrink", "2")).isEqualTo("EINVAL");
        assertThat(vfs.write("/sys/kernel/slab/kmalloc-64/validate", "1")).isEqualTo("EINVAL");
        assertThat(vfs.write("/sys/kernel/slab/kmalloc-64/min_partial", "7")).isNull();
        assertThat(vfs.read("/sys/kernel/slab/kmalloc-64/min_partial")).isEqualTo("7\n");
        assertThat(vfs.write("/sys/kernel/slab/kmalloc-64/cpu_partial", "30")).isNull();
        assertThat(vfs.read("/sys/kernel/slab/kmalloc-64/cpu_partial")).isEqualTo("30\n");
        assertThat(vfs.write("/sys/kernel/slab/kmalloc-64/alloc_fastpath", "0")).isNull();
        assertThat(vfs.read("/sys/kernel/slab/kmalloc-64/alloc_fastpath")).isEqualTo("0\n");
        assertThat(vfs.node("/sys/kernel/slab/kmalloc-64/order").mode()).isEqualTo(0400);
        assertThat(vfs.node("/sys/kernel/slab/kmalloc-64/validate").mode()).isEqualTo(0600);
        SlabLayer dbg = SlubTesting.boot(2, "slub_debug=F,kmalloc-64");
        assertThat(dbg.machine().vfs().write("/sys/kernel/slab/kmalloc-64/validate", "1"))
                .isNull();
        assertThat(dbg.machine().vfs().write("/sys/kernel/slab/kmalloc-64/cpu_partial", "5"))
                .isEqualTo("EINVAL");
    }

    @Test
    void slabinfo_afterWorkload_golden() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c =
                layer.kmemCacheCreate("very_long_cache_name_here", 200, SlabFlags.HWCACHE_ALIGN, KmemCacheArgs.NONE);
        for (int i = 0; i < 50; i++) {
            layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            layer.kmalloc(1, 100 + i, Gfp.GFP_KERNEL, 0);
        }
        Golden.assertMatches("slabinfo-workload.txt", layer.machine().vfs().read("/proc/slabinfo"));
    }

    @Test
    void tracepoints_slabEventsText_golden() {
        SlabLayer layer = SlubTesting.boot(2);
        layer.machine().tracer().enable("kmem:kmalloc,kmem:kfree,kmem:kmem_cache_alloc,kmem:kmem_cache_free");
        List<String> lines = new ArrayList<>();
        layer.machine().tracer().addSink(lines::add);
        long site = layer.machine().symbols().intern("do_sys_open", 0x4d, 0x220);
        KmemCache c = layer.kmemCacheCreate(
                "filp_test", 256, SlabFlags.HWCACHE_ALIGN | SlabFlags.ACCOUNT, KmemCacheArgs.NONE);
        layer.machine().clock().advance(1_234_567_000L);
        long a = layer.kmalloc(0, 70, Gfp.GFP_KERNEL, site);
        long b = layer.kmemCacheAlloc(1, c, Gfp.GFP_KERNEL, site);
        long big = layer.kmalloc(0, 20000, Gfp.GFP_KERNEL_ACCOUNT, site);
        layer.kfree(0, a, site);
        layer.kmemCacheFree(1, c, b, site);
        layer.kfree(0, big, site);
        layer.kfree(0, 0, site);
        Golden.assertMatches("trace-slab-events.txt", String.join("\n", lines) + "\n");
        assertThat(lines.get(1)).contains("bytes_req=70 bytes_alloc=96 gfp_flags=GFP_KERNEL node=-1 accounted=false");
    }

    @Test
    void debugBoot_kmalloc96BytesAllocIsDebugSlot() {
        SlabLayer layer = SlubTesting.boot(2, "slub_debug");
        layer.machine().tracer().setEnabled(EventType.KMALLOC, true);
        List<String> lines = new ArrayList<>();
        layer.machine().tracer().addSink(lines::add);
        long p = layer.kmalloc(0, 70, Gfp.GFP_KERNEL, 0);
        assertThat(lines.get(0)).contains("bytes_req=70 bytes_alloc=224");
        // kmalloc red zone of the request: bytes 70..95 are 0xcc
        assertThat(layer.machine().mem().allEqual(p + 70, 0xcc, 26)).isTrue();
        assertThat(layer.ksize(p)).isEqualTo(96);
        layer.kfree(0, p, 0);
        assertThat(layer.find("kmalloc-96").impl().validate()).isZero();
    }
}
