package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.Rcu;
import io.kmemlab.mm.VirtualClock;
import io.kmemlab.mm.slab.Ctor;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.trace.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** kmem_cache on SLOB: slob_alloc_node, kmem_cache_free, the RCU footer, no merging. */
class SlobCacheTest {
    private final SlobFixture f = new SlobFixture();

    @AfterEach
    void consistent() {
        f.assertValid();
    }

    @Test
    void size_isNotRoundedToTheAlignment_andBytesAllocIsWholeUnits() {
        f.machine.tracer().setEnabled(EventType.KMEM_CACHE_ALLOC, true);
        KmemCache c = f.cache("odd13", 13, 0, 0);
        f.trace.clear();

        long a = f.alloc(c);
        long b = f.alloc(c);

        assertThat(c.impl().size()).isEqualTo(14);
        assertThat(c.align()).isEqualTo(8);
        // a 7-unit block with no header; the next object is 8-aligned, after a 1-unit fragment
        assertThat(b - a).isEqualTo(16);
        assertThat(f.blocks(a)).first().isEqualTo((SlobFixture.unitOffset(a) + 7) + ":1");
        assertThat(f.trace.get(0)).contains("name=odd13 bytes_req=13 bytes_alloc=14 gfp_flags=GFP_KERNEL");
    }

    @Test
    void ksize_onKmemCacheMemory_isRefused() {
        KmemCache c = f.cache("c64", 64, 0, 0);

        assertThat(c.impl().ksize(f.alloc(c))).isEqualTo(-1);
    }

    @Test
    void ctor_runsOnEveryAllocation() {
        int[] calls = {0};
        Ctor ctor = (PhysMem mem, long obj, int size) -> {
            calls[0]++;
            mem.fill(obj, 0x5a, size);
        };
        KmemCache c = f.layer.kmemCacheCreate("ctor48", 48, 0, 0, ctor, 0, 0, KmemCache.NO_FREEPTR_OFFSET);

        long a = f.alloc(c);
        f.free(c, a);
        long b = f.alloc(c);

        assertThat(b).isEqualTo(a);
        assertThat(calls[0]).isEqualTo(2);
        assertThat(f.machine.mem().allEqual(b, 0x5a, 48)).isTrue();
    }

    @Test
    void ctorWithGfpZero_warnsOnce_andStillConstructs() {
        Ctor ctor = (PhysMem mem, long obj, int size) -> mem.fill(obj, 0x11, size);
        KmemCache c = f.layer.kmemCacheCreate("ctorzero", 32, 0, 0, ctor, 0, 0, KmemCache.NO_FREEPTR_OFFSET);

        long a = f.layer.kmemCacheAlloc(1, c, Gfp.GFP_KERNEL | Gfp.__GFP_ZERO, f.callSite);
        f.layer.kmemCacheAlloc(1, c, Gfp.GFP_KERNEL | Gfp.__GFP_ZERO, f.callSite);

        assertThat(f.machine.dmesg().reportCount(io.kmemlab.mm.ReportKind.WARN)).isEqualTo(1);
        assertThat(f.machine.dmesg().text())
                .contains(
                        "WARNING: CPU: 1 PID: 0 at mm/slob.c slob_alloc_node: __GFP_ZERO with a constructor (cache ctorzero)");
        assertThat(f.machine.mem().allEqual(a, 0x11, 32)).isTrue();
    }

    @Test
    void sameGeometry_isNeverMerged() {
        KmemCache a = f.cache("twin-a", 96, 0, 0);
        KmemCache b = f.cache("twin-b", 96, 0, 0);

        assertThat(f.slob.aliasFinder()).isNull();
        assertThat(a).isNotSameAs(b);
        assertThat(a.refcount()).isEqualTo(1);
    }

    @Test
    void hwcacheAlign_placesObjectsOnCacheLines() {
        KmemCache c = f.cache("hw", 40, 0, SlabFlags.HWCACHE_ALIGN);

        long a = f.alloc(c);
        long b = f.alloc(c);

        assertThat(c.align()).isEqualTo(64);
        assertThat(a % 64).isZero();
        assertThat(b - a).isEqualTo(64);
    }

    @Test
    void typesafeByRcu_addsTheFooter_andFreesOnlyAfterAGracePeriod() {
        KmemCache c = f.cache("rcu40", 40, 0, SlabFlags.TYPESAFE_BY_RCU);
        long a = f.alloc(c);
        int pfn = Addr.virtToPfn(a);
        int unitsBefore = f.heap.pageUnits(pfn);

        f.free(c, a);

        assertThat(c.impl().size()).isEqualTo(64);
        assertThat(f.machine.mem().readU32(a + 40 + 16)).isEqualTo(64);
        assertThat(f.slob.rcuPending()).isEqualTo(1);
        assertThat(f.heap.pageUnits(pfn)).isEqualTo(unitsBefore);

        long due = VirtualClock.nanosOfJiffies(f.machine.clock().jiffies() + Rcu.GP_DELAY_JIFFIES);
        f.machine.clock().set(due - 1);
        f.layer.timerTick(f.machine.clock().nanos());
        assertThat(f.slob.rcuPending()).isEqualTo(1);

        f.machine.clock().set(due);
        f.layer.timerTick(f.machine.clock().nanos());
        assertThat(f.slob.rcuPending()).isZero();
        assertThat(f.heap.pageUnits(pfn)).isEqualTo(unitsBefore + 32);
    }

    @Test
    void typesafeByRcu_theMachinesSynchronizeRcu_letsTheNextAllocationReuseTheObject() {
        KmemCache c = f.cache("rcu40", 40, 0, SlabFlags.TYPESAFE_BY_RCU);
        long a = f.alloc(c);
        f.free(c, a);
        f.machine.rcu().synchronize();

        long b = f.alloc(c);

        assertThat(b).isEqualTo(a);
        assertThat(f.slob.rcuPending()).isZero();
    }

    @Test
    void typesafeByRcu_destroyRunsTheBarrier_andTheHeapEmpties() {
        KmemCache c = f.cache("rcu40", 40, 0, SlabFlags.TYPESAFE_BY_RCU);
        f.free(c, f.alloc(c));

        assertThat(f.layer.kmemCacheDestroy(c)).isTrue();

        assertThat(f.slob.rcuPending()).isZero();
        assertThat(f.heap.heapPages()).isZero();
        assertThat(f.pages.allocatedPages()).isZero();
    }

    @Test
    void pageSizedObjects_comeFromThePageAllocatorWithoutGfpComp() {
        KmemCache c = f.cache("big5000", 5000, 0, 0);
        long before = f.pages.allocatedPages();

        long a = f.alloc(c);

        assertThat(Addr.offsetInPage(a)).isZero();
        assertThat(f.heap.isHeapPage(Addr.virtToPfn(a))).isFalse();
        assertThat(f.frames().test(Addr.virtToPfn(a), io.kmemlab.mm.PageFrames.PG_HEAD))
                .isFalse();
        assertThat(f.pages.allocatedPages()).isEqualTo(before + 2);
        assertThat(f.free(c, a)).isTrue();
        assertThat(f.pages.allocatedPages()).isEqualTo(before);
    }

    @Test
    void gfpZero_zeroesTheObject() {
        KmemCache c = f.cache("z32", 32, 0, 0);
        long a = f.alloc(c);
        f.machine.mem().fill(a, 0xff, 32);
        f.free(c, f.alloc(c));
        f.free(c, a);

        long b = f.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL | Gfp.__GFP_ZERO, f.callSite);

        assertThat(f.machine.mem().allEqual(b, 0, 32)).isTrue();
    }

    @Test
    void shrinkAndShutdown_cannotTellAboutLiveObjects() {
        KmemCache c = f.cache("leaky", 24, 0, 0);
        long a = f.alloc(c);

        c.impl().shrink();
        boolean destroyed = f.layer.kmemCacheDestroy(c);

        assertThat(destroyed).isTrue();
        assertThat(f.machine.dmesg().totalReports()).isZero();
        assertThat(f.heap.isHeapPage(Addr.virtToPfn(a))).isTrue();
    }
}
