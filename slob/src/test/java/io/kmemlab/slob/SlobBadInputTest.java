package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabFlags;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mistakes real SLOB would not notice: each is reported, counted, leaves the heap consistent,
 * and the allocator carries on.
 */
class SlobBadInputTest {
    private final SlobFixture f = new SlobFixture();

    @AfterEach
    void consistent() {
        f.assertValid();
    }

    private List<String> reportsOf(Runnable r) {
        long mark = f.machine.dmesg().sequence();
        r.run();
        return f.machine.dmesg().since(mark).stream()
                .map(l -> l.substring(l.indexOf("] ") + 2))
                .toList();
    }

    @Test
    void kfreeTwice_isReportedAsDoubleFree_andTheHeapIsUnchanged() {
        long a = f.kmalloc(40);
        long keep = f.kmalloc(40);
        f.kfree(a);
        List<String> before = f.blocks(keep);

        List<String> lines = reportsOf(() -> assertThat(f.kfree(a)).isFalse());

        assertThat(lines)
                .containsExactly(String.format(
                        "slob: kfree: double free of %s: its header at %s lies in a free block of page pfn:0x%x",
                        Addr.hex(a), Addr.hex(a - 8), Addr.virtToPfn(a)));
        assertThat(f.machine.dmesg().reportCount(ReportKind.SLAB_CORRUPTION)).isEqualTo(1);
        assertThat(f.blocks(keep)).isEqualTo(before);
        assertThat(f.heap.rejected()).isEqualTo(1);
        assertThat(f.kmalloc(40)).isEqualTo(a);
    }

    @Test
    void kmemCacheFreeTwice_isReportedAsDoubleFree() {
        KmemCache c = f.cache("obj32", 32, 0, 0);
        long a = f.alloc(c);
        f.alloc(c);
        f.free(c, a);

        List<String> lines = reportsOf(() -> assertThat(f.free(c, a)).isFalse());

        assertThat(lines)
                .containsExactly(String.format(
                        "slob: kmem_cache_free: double free of %s: its 16 units overlap the free block at %s (16 units)"
                                + " in page pfn:0x%x",
                        Addr.hex(a), Addr.hex(a), Addr.virtToPfn(a)));
        assertThat(f.machine.dmesg().reportCount(ReportKind.SLAB_CORRUPTION)).isEqualTo(1);
    }

    @Test
    void kfreeOfAPageNobodyKmalloced_isReportedAndThePageIsKept() {
        int pfn = f.pages.allocPages(0, Gfp.GFP_KERNEL, 0);
        long addr = Addr.pfnToVirt(pfn);

        List<String> lines = reportsOf(() -> assertThat(f.kfree(addr + 128)).isFalse());

        assertThat(lines)
                .containsExactly(String.format(
                        "slob: kfree: invalid free of %s: not SLOB or kmalloc memory (pfn:0x%x)",
                        Addr.hex(addr + 128), pfn));
        assertThat(f.machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE)).isEqualTo(1);
        assertThat(f.pages.freePages(0, pfn, 0)).isTrue();
    }

    @Test
    void kfreeWithACorruptedSizeHeader_isReported() {
        long a = f.kmalloc(40);
        f.machine.mem().writeU32(a - 8, 5000);

        List<String> lines = reportsOf(() -> assertThat(f.kfree(a)).isFalse());

        assertThat(lines)
                .containsExactly(String.format(
                        "slob: kfree: corrupted size header 5000 at %s of object %s", Addr.hex(a - 8), Addr.hex(a)));
        assertThat(f.machine.dmesg().reportCount(ReportKind.SLAB_CORRUPTION)).isEqualTo(1);
    }

    @Test
    void kfreeWithAHeaderSizeThatRunsPastThePage_isReported() {
        long a = f.kmalloc(40);
        long last = f.kmalloc(3000);
        assertThat(Addr.virtToPfn(last)).isNotEqualTo(Addr.virtToPfn(a));
        long tail = f.kmalloc(2000);
        f.machine.mem().writeU32(tail - 8, 4000);

        assertThat(f.kfree(tail)).isFalse();
        assertThat(f.machine.dmesg().reportCount(ReportKind.SLAB_CORRUPTION)).isEqualTo(1);
    }

    @Test
    void kfreeOfAMisalignedPointer_isReported() {
        long a = f.kmalloc(40);

        assertThat(f.kfree(a + 4)).isFalse();

        assertThat(f.machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE)).isEqualTo(1);
    }

    @Test
    void kfreeInsideABigKmalloc_isReported_andTheStartStillFrees() {
        long a = f.kmalloc(10_000);

        assertThat(f.kfree(a + 4096)).isFalse();
        assertThat(f.kfree(a)).isTrue();

        assertThat(f.machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE)).isEqualTo(1);
        assertThat(f.pages.allocatedPages()).isZero();
    }

    @Test
    void kfreeOfBigKmemCacheMemory_isReported() {
        KmemCache c = f.cache("big", 6000, 0, 0);
        long a = f.alloc(c);

        List<String> lines = reportsOf(() -> assertThat(f.kfree(a)).isFalse());

        assertThat(lines)
                .containsExactly("slob: kfree: invalid free of " + Addr.hex(a)
                        + ": kmem_cache_alloc memory (use kmem_cache_free)");
        assertThat(f.free(c, a)).isTrue();
    }

    @Test
    void kmemCacheFreeOfAMisalignedObject_isReported() {
        KmemCache c = f.cache("obj64", 64, 64, 0);
        long a = f.alloc(c);

        List<String> lines = reportsOf(() -> assertThat(f.free(c, a + 8)).isFalse());

        assertThat(lines)
                .containsExactly(
                        "slob: kmem_cache_free: invalid free of " + Addr.hex(a + 8) + " to obj64: not aligned to 64");
    }

    @Test
    void kmemCacheFreeOfAnAddressOffTheHeap_isReported() {
        KmemCache c = f.cache("obj64", 64, 0, 0);
        int pfn = f.pages.allocPages(0, Gfp.GFP_KERNEL, 0);

        assertThat(f.free(c, Addr.pfnToVirt(pfn))).isFalse();

        assertThat(f.machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE)).isEqualTo(1);
    }

    @Test
    void rcuDoubleFree_whileWaitingForTheGracePeriod_isReported() {
        KmemCache c = f.cache("rcu32", 32, 0, SlabFlags.TYPESAFE_BY_RCU);
        long a = f.alloc(c);
        f.free(c, a);

        List<String> lines = reportsOf(() -> assertThat(f.free(c, a)).isFalse());

        assertThat(lines)
                .containsExactly("slob: kmem_cache_free: double free of " + Addr.hex(a)
                        + " in rcu32: already waiting for an RCU grace period");
        assertThat(f.slob.rcuPending()).isEqualTo(1);
    }

    @Test
    void rcuFooterOverwrittenBeforeTheCallback_isReported_andTheCacheSizeIsUsed() {
        KmemCache c = f.cache("rcu32", 32, 0, SlabFlags.TYPESAFE_BY_RCU);
        long a = f.alloc(c);
        int pfn = Addr.virtToPfn(a);
        int units = f.heap.pageUnits(pfn);
        f.free(c, a);
        f.machine.mem().writeU32(a + 32 + 16, 7);

        f.machine.rcu().barrier();

        assertThat(f.machine.dmesg().reportCount(ReportKind.SLAB_CORRUPTION)).isEqualTo(1);
        assertThat(f.heap.pageUnits(pfn)).isEqualTo(units + 28);
    }

    @Test
    void corruptedFreeBlockHeader_takesThePageOffTheLists_andAllocationCarriesOn() {
        long a = f.kmalloc(40);
        int pfn = Addr.virtToPfn(a);
        // the free block after the object: make it point backwards
        long freeBlock = a + 40;
        f.machine.mem().writeU16(freeBlock, 10);
        f.machine.mem().writeU16(freeBlock + 2, 1);

        long b = f.kmalloc(40);

        assertThat(Addr.virtToPfn(b)).isNotEqualTo(pfn);
        assertThat(f.machine.dmesg().reportCount(ReportKind.SLAB_CORRUPTION)).isEqualTo(1);
        assertThat(f.heap.pageList(pfn)).isNull();
        assertThat(f.kfree(a)).isFalse();
        assertThat(f.machine.dmesg().reportCount(ReportKind.SLAB_CORRUPTION)).isEqualTo(2);
        assertThat(f.slob.validate()).isEmpty();
    }

    @Test
    void ksize_ofAFreedOrForeignPointer_isMinusOne() {
        long a = f.kmalloc(40);
        f.kmalloc(40);
        f.kfree(a);

        assertThat(f.layer.ksize(a)).isEqualTo(-1);
        assertThat(f.layer.ksize(Addr.pfnToVirt(f.pages.allocPages(0, Gfp.GFP_KERNEL, 0))))
                .isEqualTo(-1);
    }
}
