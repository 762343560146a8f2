package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.slab.SlabState;
import io.kmemlab.mm.trace.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** __do_kmalloc_node, kfree, __ksize and the bootstrap under SLOB. */
class SlobKmallocTest {
    private final SlobFixture f = new SlobFixture();

    @AfterEach
    void consistent() {
        f.assertValid();
    }

    @Test
    void ksize_ofKmalloc11_is12() {
        assertThat(f.layer.ksize(f.kmalloc(11))).isEqualTo(12);
    }

    @Test
    void ksize_ofKmalloc100_is100() {
        assertThat(f.layer.ksize(f.kmalloc(100))).isEqualTo(100);
    }

    @Test
    void ksize_isTheRequestRoundedUpToTwoBytes_forEverySmallSize() {
        for (int size = 1; size < Addr.PAGE_SIZE - 8; size += 37) {
            long obj = f.kmalloc(size);
            assertThat(f.layer.ksize(obj)).as("ksize(kmalloc(%d))", size).isEqualTo((size + 1) & ~1);
            f.kfree(obj);
        }
    }

    @Test
    void kmalloc_headerHoldsTheRequestedSize_asAnUnsignedInt() {
        long obj = f.kmalloc(777);

        assertThat(f.machine.mem().readU32(obj - 8)).isEqualTo(777);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32, 64, 128, 256, 512, 1024, 2048})
    void kmalloc_powerOfTwo_isNaturallyAligned(int size) {
        f.kmalloc(24); // disturb the page so alignment has work to do
        long obj = f.kmalloc(size);

        assertThat(obj % size).isZero();
        assertThat(f.layer.ksize(obj)).isEqualTo(size);
    }

    @Test
    void kmalloc_otherSizes_areEightByteAligned() {
        for (int size : new int[] {1, 3, 9, 24, 100, 1000, 3000}) {
            assertThat(f.kmalloc(size) % 8).as("kmalloc(%d)", size).isZero();
        }
    }

    @Test
    void kmalloc_tracepoint_reportsTheRequestPlusHeaderAsBytesAlloc() {
        f.machine.tracer().setEnabled(EventType.KMALLOC, true);

        f.kmalloc(100);

        assertThat(f.trace)
                .singleElement()
                .asString()
                .contains("kmalloc: call_site=slob_test+0x10/0x80")
                .contains("bytes_req=100 bytes_alloc=108 gfp_flags=GFP_KERNEL node=-1 accounted=false");
    }

    @Test
    void kmalloc_4087_isTheLargestHeapRequest() {
        long obj = f.kmalloc(4087);

        assertThat(f.heap.isHeapPage(Addr.virtToPfn(obj))).isTrue();
        assertThat(Addr.offsetInPage(obj)).isEqualTo(8);
        assertThat(f.layer.ksize(obj)).isEqualTo(4088);
    }

    @Test
    void kmalloc_4088_takesAnOrder0PageWithoutGfpComp() {
        f.machine.tracer().setEnabled(EventType.KMALLOC, true);

        long obj = f.kmalloc(4088);

        int pfn = Addr.virtToPfn(obj);
        assertThat(Addr.offsetInPage(obj)).isZero();
        assertThat(f.heap.isHeapPage(pfn)).isFalse();
        assertThat(f.frames().test(pfn, PageFrames.PG_HEAD)).isFalse();
        assertThat(f.layer.ksize(obj)).isEqualTo(4096);
        assertThat(f.trace)
                .singleElement()
                .asString()
                .contains("bytes_req=4088 bytes_alloc=4096 gfp_flags=GFP_KERNEL ");
        assertThat(f.machine.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B)).isEqualTo(4096);
    }

    @Test
    void kmalloc_5000_takesACompoundOrder1Page_andKfreeGivesItBack() {
        f.machine.tracer().setEnabled(EventType.KMALLOC, true);
        long obj = f.kmalloc(5000);
        int pfn = Addr.virtToPfn(obj);

        assertThat(f.frames().test(pfn, PageFrames.PG_HEAD)).isTrue();
        assertThat(f.layer.ksize(obj)).isEqualTo(8192);
        assertThat(f.heap.bigPages()).isEqualTo(2);
        assertThat(f.trace.get(0)).contains("bytes_req=5000 bytes_alloc=8192 gfp_flags=GFP_KERNEL|__GFP_COMP ");
        assertThat(f.machine.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B)).isEqualTo(8192);

        assertThat(f.kfree(obj)).isTrue();

        assertThat(f.pages.allocatedPages()).isZero();
        assertThat(f.heap.bigPages()).isZero();
        assertThat(f.machine.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B)).isZero();
    }

    @Test
    void kzalloc_zeroesTheRequestOnAReusedBlock() {
        long a = f.kmalloc(200);
        f.kmalloc(8);
        f.machine.mem().fill(a, 0xab, 200);
        f.kfree(a);

        long b = f.layer.kzalloc(0, 200, Gfp.GFP_KERNEL, f.callSite);

        assertThat(b).isEqualTo(a);
        assertThat(f.machine.mem().allEqual(b, 0, 200)).isTrue();
        assertThat(f.machine.mem().readU32(b - 8)).isEqualTo(200);
    }

    @Test
    void kmalloc0_isZeroSizePtr_andTakesNothing() {
        assertThat(f.kmalloc(0)).isEqualTo(Addr.ZERO_SIZE_PTR);
        assertThat(f.heap.heapPages()).isZero();
        assertThat(f.kfree(Addr.ZERO_SIZE_PTR)).isTrue();
    }

    @Test
    void kmallocTooBig_failsThroughThePageAllocator() {
        long before = f.machine.dmesg().totalReports();

        assertThat(f.kmalloc(8L << 20)).isZero();

        assertThat(f.machine.dmesg().totalReports()).isGreaterThan(before);
        assertThat(f.heap.bigPages()).isZero();
        assertThat(f.machine.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B)).isZero();
    }

    @Test
    void everyCpu_takesTheOneGlobalSlobLock() {
        long before = f.heap.lockAcquisitions();

        long a = f.layer.kmalloc(0, 100, Gfp.GFP_KERNEL, f.callSite); // fresh page: scan + prepare
        long b = f.layer.kmalloc(1, 100, Gfp.GFP_KERNEL, f.callSite);
        f.layer.kfree(1, a, f.callSite);
        f.layer.kfree(0, b, f.callSite);

        assertThat(f.heap.lockAcquisitions() - before).isEqualTo(5);
        assertThat(f.heap.lock().name()).isEqualTo("slob_lock");
        assertThat(f.heap.lock().isLocked()).isFalse();
    }

    @Test
    void kmallocOfSizeMax_failsWithAReport_andHoldsNothing() {
        assertThat(f.kmalloc(-1L)).isZero();

        assertThat(f.machine.dmesg().totalReports()).isEqualTo(1);
        assertThat(f.pages.allocatedPages()).isZero();
    }

    @Test
    void bootstrap_reachesFullThroughInitLate_andHasNoSlabinfo() {
        assertThat(f.layer.state()).isEqualTo(SlabState.FULL);
        assertThat(f.machine.vfs().exists("/proc/slabinfo")).isFalse();
        assertThat(f.machine.vfs().exists(SlobAllocator.VIEW_PATH)).isTrue();
        assertThat(f.layer.caches()).isEmpty();
        assertThat(f.slob.kmemCacheBoot().name()).isEqualTo("kmem_cache");
        assertThat(f.slob.kmemCacheBoot().refcount()).isEqualTo(-1);
        assertThat(f.slob.kmallocLimits().maxCacheSize()).isEqualTo(4096);
        assertThat(f.slob.kmallocLimits().shiftHigh()).isEqualTo(12);

        var m = io.kmemlab.mm.testing.SimplePageAllocator.machine(16L << 20, 1);
        var layer = new io.kmemlab.mm.slab.SlabLayer(m, new SlobAllocator(m, SlobSettings.DEFAULT));
        new SlobAllocator(m, SlobSettings.DEFAULT).kmemCacheInit(m, layer);
        assertThat(layer.state()).isEqualTo(SlabState.UP);
        layer.init();
        assertThat(layer.state()).isEqualTo(SlabState.FULL);
    }
}
