package io.kmemlab.mm.slab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.slab.Ctor;
import io.kmemlab.mm.slab.KmallocCaches;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabCacheMetric;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabInfoRow;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.slab.SlabinfoWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every object allocator (SLUB, SLAB, SLOB) must show through the common slab
 * layer. Subclass it in the allocator's module and implement {@link #createAllocator}:
 *
 * <pre>
 * class SlubContractTest extends SlabAllocatorContractTest {
 *     protected SlabAllocator createAllocator(Machine m) {
 *         return new SlubAllocatorProvider().create(m, Map.of());
 *     }
 * }
 * </pre>
 *
 * Each test boots its own machine ({@link SimplePageAllocator} underneath); after every test the
 * allocator's {@code validate()} must be empty and every cache's {@code validate()} must count 0
 * errors. Override {@link #cpus()} or {@link #memBytes()} to change the machine.
 */
public abstract class SlabAllocatorContractTest {
    protected SlabContractFixture fx;
    protected SlabLayer layer;
    protected Machine machine;

    /** The allocator under test for a fresh machine. */
    protected abstract SlabAllocator createAllocator(Machine machine);

    protected long memBytes() {
        return 64L << 20;
    }

    protected int cpus() {
        return 2;
    }

    /**
     * False for allocators that do not keep RECLAIM_ACCOUNT objects on separately accounted pages
     * (SLOB shares its pages between caches).
     */
    protected boolean accountsReclaimableSeparately() {
        return true;
    }

    /**
     * False for allocators whose {@code __kmem_cache_shutdown} cannot tell whether objects remain
     * (SLOB returns 0), so kmem_cache_destroy with live objects succeeds without a report.
     */
    protected boolean detectsLiveObjectsAtDestroy() {
        return true;
    }

    @BeforeEach
    void bootContractMachine() {
        fx = new SlabContractFixture(memBytes(), cpus(), this::createAllocator);
        layer = fx.layer;
        machine = fx.machine;
    }

    @AfterEach
    void validateAfterEveryTest() {
        assertThat(layer.allocator().validate()).as("allocator invariants").isEmpty();
        assertThat(layer.validate()).as("slab errors counted by validate").isZero();
    }

    /**
     * False for allocators whose objects live on no per-cache slab (SLOB: one heap for all
     * caches), so that no cache owns an object's page.
     */
    protected boolean ownsSlabs() {
        return true;
    }

    /**
     * True where the allocator keeps per-CPU structures in kmalloc caches (7.x SLUB's sheaves): a
     * structure freed and allocated again may land on another slab, so after freeing everything the
     * kmalloc caches may hold their objects on more pages than before. Then the page check becomes:
     * every cache holds exactly the objects it held before.
     */
    protected boolean kmallocCachesMayFragment() {
        return false;
    }

    /** The creation arguments of the suite's own caches (SLUB runs it with sheaves too). */
    protected KmemCacheArgs cacheArgs() {
        return KmemCacheArgs.NONE;
    }

    private boolean ownership() {
        return ownsSlabs();
    }

    private KmemCache create(String name, int size, int flags) {
        KmemCache c = layer.kmemCacheCreate(name, size, flags | SlabFlags.NO_MERGE, cacheArgs());
        assertThat(c).as("cache %s", name).isNotNull();
        return c;
    }

    @Test
    void boot_reachesFullWithKmallocCaches() {
        assertThat(layer.state().compareTo(io.kmemlab.mm.slab.SlabState.UP)).isGreaterThanOrEqualTo(0);
        if (layer.kmallocBackend() instanceof KmallocCaches) {
            assertThat(layer.find("kmalloc-64")).isNotNull();
        }
    }

    @Test
    void alloc_returnsDistinctAlignedNonOverlappingObjectsInOwnSlabs() {
        KmemCache c = create("contract_objs", 100, SlabFlags.HWCACHE_ALIGN);
        TreeMap<Long, Long> live = new TreeMap<>();
        for (int i = 0; i < 500; i++) {
            long p = layer.kmemCacheAlloc(i % cpus(), c, Gfp.GFP_KERNEL, 0);
            assertThat(p).isNotZero();
            assertThat(p % c.impl().align())
                    .as("aligned to %d", c.impl().align())
                    .isZero();
            Long below = live.floorKey(p);
            assertThat(below == null || below + 100 <= p)
                    .as("no overlap below %x", p)
                    .isTrue();
            Long above = live.ceilingKey(p);
            assertThat(above == null || p + 100 <= above)
                    .as("no overlap above %x", p)
                    .isTrue();
            live.put(p, 100L);
            if (ownership()) {
                assertThat(fx.ownerOf(p)).isSameAs(c);
            }
        }
        for (long p : live.keySet()) {
            assertThat(layer.kmemCacheFree(0, c, p, 0)).isTrue();
        }
        assertThat(layer.kmemCacheDestroy(c)).isTrue();
    }

    @Test
    void objectBytes_surviveOtherAllocationsAndFrees() {
        KmemCache c = create("contract_bytes", 64, 0);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long p = layer.kmemCacheAlloc(i % cpus(), c, Gfp.GFP_KERNEL, 0);
            machine.mem().fill(p, i & 0xff, 64);
            objs.add(p);
        }
        for (int i = 0; i < 200; i += 2) {
            layer.kmemCacheFree(i % cpus(), c, objs.get(i), 0);
        }
        for (int i = 0; i < 100; i++) {
            layer.kmemCacheAlloc(i % cpus(), c, Gfp.GFP_KERNEL, 0);
        }
        for (int i = 1; i < 200; i += 2) {
            assertThat(machine.mem().allEqual(objs.get(i), i & 0xff, 64))
                    .as("object %d", i)
                    .isTrue();
        }
    }

    @Test
    void freeAllThenShrinkAndDestroy_returnsEveryPage() {
        fx.shrinkAll();
        long baseline = fx.pages.allocatedPages();
        java.util.Map<String, Long> active = fx.activeObjects();
        KmemCache c = create("contract_pages", 300, 0);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            objs.add(layer.kmemCacheAlloc(i % cpus(), c, Gfp.GFP_KERNEL, 0));
        }
        assertThat(fx.pages.allocatedPages()).isGreaterThan(baseline);
        for (int i = 0; i < objs.size(); i++) {
            layer.kmemCacheFree((i + 1) % cpus(), c, objs.get(i), 0);
        }
        layer.kmemCacheShrink(c);
        assertThat(layer.kmemCacheDestroy(c)).isTrue();
        fx.shrinkAll();
        if (kmallocCachesMayFragment()) {
            assertThat(fx.activeObjects()).isEqualTo(active);
        } else {
            assertThat(fx.pages.allocatedPages()).isEqualTo(baseline);
        }
    }

    @Test
    void kmalloc_everySizeClassFitsAndFrees() {
        List<Long> objs = new ArrayList<>();
        for (long size = 1; size <= 16384; size = size * 3 / 2 + 1) {
            long p = layer.kmalloc(0, size, Gfp.GFP_KERNEL, 0);
            assertThat(p).as("kmalloc(%d)", size).isNotZero();
            assertThat(layer.ksize(p)).as("ksize of kmalloc(%d)", size).isGreaterThanOrEqualTo(size);
            machine.mem().fill(p, 0x77, size);
            objs.add(p);
        }
        for (long p : objs) {
            assertThat(layer.kfree(1, p, 0)).isTrue();
        }
    }

    @Test
    void kmallocZeroAndKfreeNull_areHarmless() {
        assertThat(layer.kmalloc(0, 0, Gfp.GFP_KERNEL, 0)).isEqualTo(Addr.ZERO_SIZE_PTR);
        assertThat(layer.kfree(0, Addr.ZERO_SIZE_PTR, 0)).isTrue();
        assertThat(layer.kfree(0, 0, 0)).isTrue();
        assertThat(machine.dmesg().totalReports()).isZero();
    }

    @Test
    void kzalloc_returnsZeroedMemory() {
        long p = layer.kmalloc(0, 200, Gfp.GFP_KERNEL, 0);
        machine.mem().fill(p, 0xff, 200);
        layer.kfree(0, p, 0);
        for (int i = 0; i < 50; i++) {
            long q = layer.kzalloc(0, 200, Gfp.GFP_KERNEL, 0);
            assertThat(machine.mem().allEqual(q, 0, 200)).isTrue();
        }
    }

    @Test
    void ctor_constructsNewObjects() {
        Ctor ctor = (mem, obj, size) -> mem.fill(obj, 0x3c, size);
        KmemCache c = layer.kmemCacheCreate(
                "contract_ctor",
                48,
                SlabFlags.NO_MERGE,
                KmemCacheArgs.builder().ctor(ctor).build());
        long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        assertThat(machine.mem().allEqual(p, 0x3c, 48)).isTrue();
        layer.kmemCacheFree(0, c, p, 0);
    }

    @Test
    void wrongCacheFree_isReportedAndFreedToTheRealCache() {
        if (!ownership()) {
            return;
        }
        KmemCache a = create("contract_a", 80, 0);
        KmemCache b = create("contract_b", 80, 0);
        long p = layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        assertThat(layer.kmemCacheFree(0, b, p, 0)).isTrue();
        assertThat(machine.dmesg().text())
                .contains("kmem_cache_free: Wrong slab cache. contract_b but object is from contract_a");
        assertThat(machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE)).isEqualTo(1);
        assertThat(layer.kmemCacheDestroy(a))
                .as("the object went back to contract_a")
                .isTrue();
    }

    @Test
    void destroyWithLiveObjects_isReportedAndKeepsCache() {
        KmemCache c = create("contract_leak", 64, 0);
        long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        if (!detectsLiveObjectsAtDestroy()) {
            assertThat(layer.kmemCacheDestroy(c)).isTrue();
            assertThat(machine.dmesg().reportCount(ReportKind.SLAB_LEAK)).isZero();
            assertThat(layer.find("contract_leak")).isNull();
            return;
        }
        assertThat(layer.kmemCacheDestroy(c)).isFalse();
        assertThat(machine.dmesg().reportCount(ReportKind.SLAB_LEAK)).isEqualTo(1);
        assertThat(layer.find("contract_leak")).isSameAs(c);
        assertThat(layer.kmemCacheFree(0, c, p, 0)).isTrue();
        assertThat(layer.kmemCacheDestroy(c)).isTrue();
        assertThat(layer.find("contract_leak")).isNull();
    }

    @Test
    void slabinfo_countsAddUp() {
        if (layer.allocator().slabinfo() == null) {
            return;
        }
        KmemCache c = create("contract_info", 128, 0);
        for (int i = 0; i < 77; i++) {
            layer.kmemCacheAlloc(i % cpus(), c, Gfp.GFP_KERNEL, 0);
        }
        SlabInfoRow r = c.impl().slabinfo();
        assertThat(r.activeObjs()).isGreaterThanOrEqualTo(77);
        assertThat(r.numObjs()).isGreaterThanOrEqualTo(r.activeObjs());
        assertThat(r.numObjs()).isEqualTo(r.numSlabs() * r.objPerSlab());
        assertThat(r.activeSlabs()).isLessThanOrEqualTo(r.numSlabs());
        assertThat(layer.slabinfo()).contains("\ncontract_info ");
    }

    @Test
    void reclaimableCache_accountsReclaimableSlabBytes() {
        if (!accountsReclaimableSeparately()) {
            return;
        }
        long before = machine.nodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B);
        KmemCache c = create("contract_rcl", 512, SlabFlags.RECLAIM_ACCOUNT);
        long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        assertThat(machine.nodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B)).isGreaterThan(before);
        layer.kmemCacheFree(0, c, p, 0);
        layer.kmemCacheShrink(c);
        assertThat(layer.kmemCacheDestroy(c)).isTrue();
        assertThat(machine.nodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B)).isEqualTo(before);
    }

    @Test
    void shrink_keepsLiveObjectsIntact() {
        KmemCache c = create("contract_shrink", 256, 0);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long p = layer.kmemCacheAlloc(i % cpus(), c, Gfp.GFP_KERNEL, 0);
            machine.mem().fill(p, 0x5c, 256);
            objs.add(p);
        }
        for (int i = 0; i < 300; i++) {
            if (i % 7 != 0) {
                layer.kmemCacheFree(0, c, objs.get(i), 0);
            }
        }
        layer.kmemCacheShrink(c);
        for (int i = 0; i < 300; i += 7) {
            assertThat(machine.mem().allEqual(objs.get(i), 0x5c, 256)).isTrue();
            assertThat(layer.kmemCacheFree(1, c, objs.get(i), 0)).isTrue();
        }
    }

    // --- hooks ----------------------------------------------------------------------------

    @Test
    void slabinfoHook_decidesWhetherTheFileExists_itsMode_andWhetherItTakesWrites() {
        SlabinfoWriter w = layer.allocator().slabinfo();
        if (w == null) {
            assertThat(machine.vfs().exists("/proc/slabinfo")).isFalse();
            assertThat(machine.vfs().write("/proc/slabinfo", "kmalloc-64 1 1 1"))
                    .isEqualTo("ENOENT");
            return;
        }
        assertThat(machine.vfs().node("/proc/slabinfo").mode()).isEqualTo(w.mode());
        assertThat(machine.vfs().read("/proc/slabinfo"))
                .startsWith(w.statistics() ? SlabLayer.SLABINFO_HEADER_STATISTICS : SlabLayer.SLABINFO_HEADER);
        if (!w.writable()) {
            assertThat(machine.vfs().write("/proc/slabinfo", "kmalloc-64 1 1 1"))
                    .isEqualTo("EIO");
        } else {
            assertThat(machine.vfs().write("/proc/slabinfo", "no_such_cache 1 1 1"))
                    .isEqualTo("EINVAL");
        }
    }

    @Test
    void aliasFinder_decidesWhetherTwinCachesShareOneCache() {
        KmemCache a = layer.kmemCacheCreate("contract_twin_a", 200, 0, KmemCacheArgs.NONE);
        assertThat(a).isNotNull();
        if (layer.aliasFinder() == null) {
            assertThat(layer.unmergeable(a)).isTrue();
        }
        // debugging flags (slab_debug=, SLAB's DEBUG red zones) make a cache unmergeable too
        boolean neverMerge = (layer.allocator().kmemCacheFlags(0, "contract_twin_b") & SlabFlags.NEVER_MERGE) != 0;
        boolean merges = !layer.unmergeable(a) && !neverMerge;
        KmemCache b = layer.kmemCacheCreate("contract_twin_b", 200, 0, KmemCacheArgs.NONE);
        assertThat(b).isNotNull();
        assertThat(b == a).as("merged").isEqualTo(merges);
        assertThat(layer.find("contract_twin_b")).isSameAs(b);
        long p = layer.kmemCacheAlloc(0, b, Gfp.GFP_KERNEL, 0);
        assertThat(layer.kmemCacheFree(0, b, p, 0)).isTrue();
        assertThat(layer.kmemCacheDestroy(b)).isTrue();
        assertThat(layer.kmemCacheDestroy(a)).isTrue();
        assertThat(layer.find("contract_twin_a")).isNull();
    }

    @Test
    void ownerOf_namesTheCacheOfEveryObject_orNoneWhereCachesOwnNoSlabs() {
        KmemCache a = create("contract_own_a", 96, 0);
        KmemCache b = create("contract_own_b", 96, 0);
        for (int i = 0; i < 100; i++) {
            long p = layer.kmemCacheAlloc(i % cpus(), a, Gfp.GFP_KERNEL, 0);
            if (ownership()) {
                assertThat(layer.allocator().ownerOf(p)).isSameAs(a.impl());
                assertThat(a.impl().ownerOf(p)).isSameAs(a.impl());
                assertThat(b.impl().ownerOf(p))
                        .as("cache_from_obj finds the real owner")
                        .isSameAs(a.impl());
            } else {
                assertThat(layer.allocator().ownerOf(p)).isNull();
                assertThat(b.impl().ownerOf(p))
                        .as("no check without per-cache slabs")
                        .isSameAs(b.impl());
            }
            assertThat(layer.kmemCacheFree(i % cpus(), a, p, 0)).isTrue();
        }
        assertThat(a.impl().ownerOf(0x1000)).as("outside memory").isNull();
        assertThat(layer.allocator().ownerOf(-1L)).isNull();
        assertThat(machine.dmesg().text()).doesNotContain("BUG").doesNotContain("WARNING");
    }

    @Test
    void kmallocBackend_reportsTheBytesEachKmallocTook() {
        layer.kmalloc(0, 8, Gfp.GFP_KERNEL, 0);
        assertThat(layer.kmalloc(0, 0, Gfp.GFP_KERNEL, 0)).isEqualTo(Addr.ZERO_SIZE_PTR);
        assertThat(layer.kmallocBytesAlloc()).as("kmalloc(0)").isZero();
        long[] sizes = {1, 7, 8, 9, 13, 64, 96, 100, 192, 200, 1000, 4000, 4096, 5000, 8192, 12_000, 70_000};
        for (long size : sizes) {
            long p = layer.kmalloc(1, size, Gfp.GFP_KERNEL, 0);
            assertThat(p).as("kmalloc(%d)", size).isNotZero();
            long bytesAlloc = layer.kmallocBytesAlloc();
            long ksize = layer.ksize(p);
            assertThat(ksize).as("ksize(kmalloc(%d))", size).isGreaterThanOrEqualTo(size);
            assertThat(bytesAlloc).as("bytes_alloc of kmalloc(%d)", size).isGreaterThanOrEqualTo(ksize);
            if (layer.kmallocBackend() instanceof KmallocCaches
                    && size <= layer.kmallocIndex().limits().maxCacheSize()) {
                assertThat(bytesAlloc)
                        .as("the kmalloc cache's slot")
                        .isEqualTo(
                                layer.kmallocSlab(size, Gfp.GFP_KERNEL).impl().size());
            }
            if (size > 2 * Addr.PAGE_SIZE) {
                assertThat(bytesAlloc).as("whole pages").isEqualTo((long) Addr.PAGE_SIZE << Addr.getOrder(size));
            }
            assertThat(layer.kfree(1, p, 0)).isTrue();
        }
    }

    // --- metrics ----------------------------------------------------------------------------

    @Test
    void metric_equalsTheSlabinfoRowOfEveryCache() {
        KmemCache c = create("contract_metric", 300, 0);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            objs.add(layer.kmemCacheAlloc(i % cpus(), c, Gfp.GFP_KERNEL, 0));
            objs.add(layer.kmalloc(i % cpus(), 32 + i % 700, Gfp.GFP_KERNEL, 0));
        }
        for (int i = 0; i < objs.size(); i += 3) {
            if (i % 2 == 0) {
                layer.kmemCacheFree(i % cpus(), c, objs.get(i), 0);
            } else {
                layer.kfree(i % cpus(), objs.get(i), 0);
            }
        }
        String text = machine.vfs().read("/proc/slabinfo");
        if (text == null) {
            assertThat(layer.allocator().slabinfo()).isNull();
            return;
        }
        java.util.Map<String, long[]> rows = new java.util.HashMap<>();
        String[] lines = text.split("\n");
        for (int i = 2; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            // name active num objsize objperslab pagesperslab : tunables l b s : slabdata a n sa [...]
            assertThat(f[6]).isEqualTo(":");
            assertThat(f[11]).isEqualTo(":");
            rows.put(f[0], new long[] {
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                Long.parseLong(f[4]),
                Long.parseLong(f[5]),
                Long.parseLong(f[8]),
                Long.parseLong(f[9]),
                Long.parseLong(f[10]),
                Long.parseLong(f[13]),
                Long.parseLong(f[14]),
                Long.parseLong(f[15])
            });
        }
        assertThat(rows).hasSize(layer.caches().size());
        for (KmemCache k : layer.caches()) {
            SlabCacheMetric m = k.impl().metric();
            assertThat(m.name()).isEqualTo(k.name());
            assertThat(rows.get(k.name()))
                    .as("/proc/slabinfo row of %s", k.name())
                    .containsExactly(
                            m.activeObjs(),
                            m.numObjs(),
                            m.objSize(),
                            m.objPerSlab(),
                            m.pagesPerSlab(),
                            m.limit(),
                            m.batchcount(),
                            m.sharedFactor(),
                            m.activeSlabs(),
                            m.numSlabs(),
                            m.sharedAvail());
        }
        SlabCacheMetric m = c.impl().metric();
        assertThat(m.numObjs()).isPositive();
        assertThat(m.partialSlabs()).isBetween(0L, m.numSlabs());
        assertThat(m.cpuSlabs()).isBetween(0L, m.numSlabs());
    }

    @Test
    void metric_countsEveryAllocAndFreeOnExactlyOnePath_whereTheAllocatorSplitsThem() {
        KmemCache c = create("contract_paths", 128, 0);
        SlabCacheMetric m = c.impl().metric();
        if (m.allocFastpath() < 0) {
            assertThat(m.allocSlowpath()).isEqualTo(-1);
            assertThat(m.freeFastpath()).isEqualTo(-1);
            assertThat(m.freeSlowpath()).isEqualTo(-1);
            return;
        }
        long allocs0 = m.allocFastpath() + m.allocSlowpath();
        long frees0 = m.freeFastpath() + m.freeSlowpath();
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            objs.add(layer.kmemCacheAlloc(i % cpus(), c, Gfp.GFP_KERNEL, 0));
        }
        for (int i = 0; i < 700; i++) {
            assertThat(layer.kmemCacheFree((i / 3) % cpus(), c, objs.get(i), 0)).isTrue();
        }
        assertThat(m.allocFastpath() + m.allocSlowpath() - allocs0).isEqualTo(1000);
        assertThat(m.freeFastpath() + m.freeSlowpath() - frees0).isEqualTo(700);
        assertThat(m.allocSlowpath())
                .as("the first allocation takes the slow path")
                .isPositive();
    }
}
