package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabState;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /proc/slabinfo under SLAB (slab.md §13, §10.4) and the bootstrap (§11). */
class SlabinfoTest {

    @Test
    void afterBoot_slabinfoMatchesGolden() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        Golden.assertMatches("slabinfo-boot-64M-2cpu.txt", t.machine.vfs().read("/proc/slabinfo"));
    }

    @Test
    void boot_reachesFull_rowOrderEndsWithKmalloc128ThenKmemCache() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        assertThat(t.layer.state()).isEqualTo(SlabState.FULL);
        List<String> lines = Arrays.asList(t.layer.slabinfo().split("\n"));
        List<String> names = lines.subList(2, lines.size()).stream()
                .map(l -> l.split(" +")[0])
                .toList();
        assertThat(names.get(0)).isEqualTo("dma-kmalloc-4M");
        assertThat(names.subList(names.size() - 6, names.size()))
                .containsExactly("kmalloc-192", "kmalloc-96", "kmalloc-64", "kmalloc-32", "kmalloc-128", "kmem_cache");
        assertThat(names).contains("dma-kmalloc-96", "kmalloc-rcl-32").doesNotContain("kmalloc-cg-32", "kmalloc-16");
        assertThat(t.machine.vfs().node("/proc/slabinfo").mode()).isEqualTo(0600);
    }

    @Test
    void smallMachine_slabMaxOrderStaysZero() {
        SlabTestMachine t = SlabTestMachine.of(32L << 20, 2);
        assertThat(t.slab.slabMaxOrder()).isZero();
        KmemCache c = t.create("big2240", 2240, 0, 0);
        assertThat(t.impl(c).objsPerSlab()).isEqualTo(1);
        SlabTestMachine big = SlabTestMachine.of(64L << 20, 2);
        assertThat(big.slab.slabMaxOrder()).isEqualTo(1);
        assertThat(big.impl(big.create("big2240", 2240, 0, 0)).objsPerSlab()).isEqualTo(3);
    }

    @Test
    void slabMaxOrderWord_overridesMemoryRule() {
        SlabTestMachine t =
                new SlabTestMachine(64L << 20, 2, 1, SlabProvider.parse(java.util.Map.of("slab_max_order", "0")));
        assertThat(t.slab.slabMaxOrder()).isZero();
        SlabTestMachine t3 =
                new SlabTestMachine(64L << 20, 2, 1, SlabProvider.parse(java.util.Map.of("slab_max_order", "99")));
        assertThat(t3.slab.slabMaxOrder()).isEqualTo(10);
    }

    @Test
    void twoNodes_kmemCacheRowIsTheReferenceRow() {
        // slab.md §14: kmem_cache 320 12 1 : tunables 54 27 8 on the two-node 5.4 machine
        SlabTestMachine t = new SlabTestMachine(64L << 20, 2, 2, SlabSettings.DEFAULT);
        assertThat(t.row("kmem_cache"))
                .matches("kmem_cache +\\d+ +\\d+ +320 +12 +1 : tunables +54 +27 +8 : slabdata .*");
    }

    @Test
    void twoNodeWorkload_slabinfoMatchesGolden() {
        SlabTestMachine t = new SlabTestMachine(64L << 20, 4, 2, SlabSettings.DEFAULT.withDebug(true));
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        java.util.List<Long> live = new java.util.ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            int cpu = r.nextInt(4);
            if (live.isEmpty() || r.nextInt(5) < 3) {
                live.add(t.layer.kmalloc(cpu, 1 + r.nextInt(2048), Gfp.GFP_KERNEL, 0));
            } else {
                assertThat(t.layer.kfree(cpu, live.remove(r.nextInt(live.size())), 0))
                        .isTrue();
            }
            if (i % 400 == 0) {
                t.machine.clock().advance(1_000_000_000L);
                t.layer.timerTick(t.machine.clock().nanos());
            }
        }
        Golden.assertMatches("slabinfo-2node-debug-workload.txt", t.layer.slabinfo());
        assertThat(t.layer.validate()).isZero();
        assertThat(t.machine.dmesg().totalReports()).isZero();
    }

    @Test
    void objectTooLargeForAnySlab_failsWithE2big() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        // 4 MiB − 4 bytes plus two red-zone words no longer fit an order-10 slab
        assertThat(t.create("huge", (4 << 20) - 4, 0, io.kmemlab.mm.slab.SlabFlags.RED_ZONE))
                .isNull();
        assertThat(t.machine.dmesg().text()).contains("kmem_cache_create(huge) failed with error -7");
        assertThat(t.layer.find("huge")).isNull();
    }

    @Test
    void oneCpu_noSharedArrays() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 1);
        assertThat(t.row("kmalloc-64")).contains(": tunables  120   60    0 :");
    }

    @Test
    void rowCountsArrayObjectsAsActive() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        KmemCache c = t.create("test64", 64, 0, 0);
        t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        // 16 objects left the slab (1 allocated, 15 on CPU 0's array)
        assertThat(t.row("test64"))
                .isEqualTo(
                        "test64                16     64     64   64    1 : tunables  120   60    8 : slabdata      1      1      0");
    }

    @Test
    void write_changesTunables_andRejectsMalformedLinesWithEinval() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        KmemCache c = t.create("test64", 64, 0, 0);
        ClassicSlabCache s = t.impl(c);
        assertThat(t.machine.vfs().write("/proc/slabinfo", "test64 32 16 4\n")).isNull();
        assertThat(s.tunables()).isEqualTo(new Tunables(32, 16, 4));
        assertThat(t.row("test64")).contains(": tunables   32   16    4 :");
        assertThat(s.nodes[0].shared.limit).isEqualTo(64);
        assertThat(s.nodes[0].freeLimit).isEqualTo(3 * 16 + 64);
        // out of range: accepted, nothing changes
        for (String bad : List.of("test64 0 1 0", "test64 4 0 0", "test64 4 5 0", "test64 4 2 -1")) {
            assertThat(t.machine.vfs().write("/proc/slabinfo", bad)).as(bad).isNull();
            assertThat(s.tunables()).isEqualTo(new Tunables(32, 16, 4));
        }
        // malformed, unknown cache, too long: EINVAL
        for (String bad : List.of(
                "test64", "test64 1 2", "test64 a b c", "nosuchcache 8 4 0", "test64 8 4 0 " + "x".repeat(200))) {
            assertThat(t.machine.vfs().write("/proc/slabinfo", bad)).as(bad).isEqualTo("EINVAL");
        }
        assertThat(s.validateProblems()).isEmpty();
    }

    @Test
    void retune_returnsArrayObjectsToSlabs() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        KmemCache c = t.create("test64", 64, 0, 0);
        ClassicSlabCache s = t.impl(c);
        long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        assertThat(s.cpuArray(0).avail).isEqualTo(15);
        assertThat(t.machine.vfs().write("/proc/slabinfo", "test64 60 30 8")).isNull();
        assertThat(s.cpuArray(0).avail).isZero();
        assertThat(t.row("test64")).contains("    1     64 ");
        t.layer.kmemCacheFree(0, c, p, 0);
        assertThat(s.validateProblems()).isEmpty();
    }

    @Test
    void debugBoot_showsStatisticsColumns() {
        SlabTestMachine t = new SlabTestMachine(64L << 20, 2, 1, SlabSettings.DEFAULT.withDebug(true));
        KmemCache c = t.create("dbg64", 64, 0, 0);
        long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        t.layer.kmemCacheFree(0, c, p, 0);
        String info = t.layer.slabinfo();
        assertThat(info).startsWith("slabinfo - version: 2.1 (statistics)\n");
        // 64 + 24 debug bytes = 88-byte slots; limit capped at 32
        assertThat(t.row("dbg64"))
                .isEqualTo("dbg64                 16     46     88   46    1 : tunables   32   16    8"
                        + " : slabdata      1      1      0 : globalstat      16     16     1    0    0    0    0    0    0"
                        + " : cpustat      0      1      1      0");
    }
}
