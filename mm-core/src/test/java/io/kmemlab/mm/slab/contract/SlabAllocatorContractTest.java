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
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabInfoRow;
import io.kmemlab.mm.slab.SlabLayer;
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

    private boolean ownership() {
        return ownsSlabs();
    }

    private KmemCache create(String name, int size, int flags) {
        KmemCache c = layer.kmemCacheCreate(name, size, flags | SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
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
            assertThat(p % c.impl().align()).as("aligned to %d", c.impl().align()).isZero();
            Long below = live.floorKey(p);
            assertThat(below == null || below + 100 <= p).as("no overlap below %x", p).isTrue();
            Long above = live.ceilingKey(p);
            assertThat(above == null || p + 100 <= above).as("no overlap above %x", p).isTrue();
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
            assertThat(machine.mem().allEqual(objs.get(i), i & 0xff, 64)).as("object %d", i).isTrue();
        }
    }

    @Test
    void freeAllThenShrinkAndDestroy_returnsEveryPage() {
        fx.shrinkAll();
        long baseline = fx.pages.allocatedPages();
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
        assertThat(fx.pages.allocatedPages()).isEqualTo(baseline);
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
        KmemCache c = layer.kmemCacheCreate("contract_ctor", 48, SlabFlags.NO_MERGE,
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
        assertThat(machine.dmesg().text()).contains("kmem_cache_free: Wrong slab cache. contract_b but object is from contract_a");
        assertThat(machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE)).isEqualTo(1);
        assertThat(layer.kmemCacheDestroy(a)).as("the object went back to contract_a").isTrue();
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
}
