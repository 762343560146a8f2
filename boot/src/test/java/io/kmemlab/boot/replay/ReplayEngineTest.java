package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.cli.ReplayCommandTest;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.trace.read.KmemTraceReader;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import io.kmemlab.mm.trace.read.TraceLine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayEngineTest {
    private static final String P = "              sh-16387   [000] .....   470.9";

    private static ReplayEngine replay(String text, ReplayOptions options) throws IOException {
        ReplayTarget t = SimpleSlabAllocator.factory(64L << 20, 2).boot("simple", List.of());
        ReplayEngine e = new ReplayEngine(t, options);
        try (KmemTraceReader r = new KmemTraceReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                TraceInputFormat.FTRACE,
                t.machine().symbols())) {
            TraceLine l = new TraceLine();
            while (r.next(l)) {
                e.apply(l);
            }
        }
        e.finish();
        return e;
    }

    private static String line(int us, String event) {
        return P + String.format("%05d", us) + ": " + event + "\n";
    }

    private static void assertIdentity(ReplayStats s) {
        assertThat(s.applied() + s.skipped() + s.malformed()).isEqualTo(s.eventsRead());
    }

    @Test
    void allocThenFree_appliesBoth_andMemoryReturns() throws IOException {
        ReplayEngine e = replay(
                line(
                                1,
                                "kmem_cache_alloc: call_site=alloc_inode+0xa3/0xd0 ptr=000000002a057dc5 "
                                        + "name=inode_cache bytes_req=616 bytes_alloc=624 gfp_flags=GFP_KERNEL node=-1 accounted=true")
                        + line(
                                2,
                                "kmalloc: call_site=alloc_pipe_info+0x5d/0x230 ptr=00000000dfae8be8 bytes_req=176 "
                                        + "bytes_alloc=192 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=-1 accounted=true")
                        + line(3, "kmem_cache_free: call_site=x+0x0/0x1 ptr=000000002a057dc5 name=inode_cache")
                        + line(4, "kfree: call_site=x+0x0/0x1 ptr=00000000dfae8be8"),
                ReplayOptions.DEFAULT);
        ReplayStats s = e.stats();
        assertThat(s.eventsRead()).isEqualTo(4);
        assertThat(s.applied()).isEqualTo(4);
        assertThat(s.allocations()).isEqualTo(2);
        assertThat(s.frees()).isEqualTo(2);
        assertThat(s.bytesReq()).isEqualTo(616 + 176);
        // inode_cache 616 → 624 needs the free pointer outside (a constructor); kmalloc-cg-192.
        assertThat(s.bytesAlloc()).isEqualTo(624 + 192);
        assertThat(s.liveObjects()).isZero();
        assertThat(s.peakSlabBytes()).isPositive();
        // line 2 took a second slab (kmalloc-cg-192): the peak.
        assertThat(s.peakLine()).isEqualTo(2);
        assertThat(e.machine().cpus().comm(0)).isEqualTo("sh");
        assertThat(e.machine().clock().nanos()).isEqualTo(470_900_004_000L);
        assertThat(e.slab().find("inode_cache")).isNotNull();
        assertIdentity(s);
    }

    @Test
    void unmatchedAndDoubleFrees_skippedCountedAndReported() throws IOException {
        StringBuilder t = new StringBuilder();
        t.append(line(
                1, "kmalloc: call_site=a+0x0/0x1 ptr=0000000000001000 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL"));
        t.append(line(2, "kfree: call_site=a+0x0/0x1 ptr=0000000000001000"));
        t.append(line(3, "kfree: call_site=a+0x0/0x1 ptr=0000000000001000"));
        for (int i = 0; i < 1000; i++) {
            t.append(line(4, "kfree: call_site=a+0x0/0x1 ptr=" + String.format("%016x", 0x90000L + i * 8)));
        }
        t.append(line(5, "kfree: call_site=a+0x0/0x1 ptr=0000000000000000"));
        ReplayEngine e = replay(t.toString(), ReplayOptions.DEFAULT);
        ReplayStats s = e.stats();
        assertThat(s.doubleFrees()).isEqualTo(1);
        assertThat(s.unmatchedFrees()).isEqualTo(1000);
        assertThat(s.nullFrees()).isEqualTo(1);
        assertThat(s.applied()).isEqualTo(3);
        assertThat(e.machine().dmesg().reportCount(ReportKind.BAD_INPUT)).isEqualTo(1);
        assertIdentity(s);
    }

    /**
     * kmem_cache_free name=dentry of an object the trace allocated from filp: counted, reported as
     * cache_from_obj does, and freed to filp (its slab empties); a free that names the right cache is
     * not counted, and neither is one whose allocation named no cache (5.12…6.1 kernels put name= on
     * kmem_cache_free before kmem_cache_alloc had it).
     */
    @Test
    void kmemCacheFree_ofAnotherCachesObject_countedReportedAndFreedToItsCache() throws IOException {
        String t = line(
                        1,
                        "kmem_cache_alloc: call_site=alloc_empty_file+0x3c/0x110 ptr=00000000e03adb79 name=filp "
                                + "bytes_req=184 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=true")
                + line(
                        2,
                        "kmem_cache_alloc: call_site=d_alloc+0x3c/0x110 ptr=00000000e03a0000 name=dentry "
                                + "bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=true")
                + line(3, "kmem_cache_free: call_site=__fput+0x1/0x20 ptr=00000000e03adb79 name=dentry")
                + line(4, "kmem_cache_free: call_site=d_free+0x1/0x20 ptr=00000000e03a0000 name=dentry")
                + line(
                        5,
                        "kmem_cache_alloc: call_site=old+0x1/0x20 ptr=0000000000007000 bytes_req=64 bytes_alloc=64 "
                                + "gfp_flags=GFP_KERNEL")
                + line(6, "kmem_cache_free: call_site=old+0x1/0x20 ptr=0000000000007000 name=names_cache");
        ReplayEngine e = replay(t, ReplayOptions.DEFAULT);
        ReplayStats s = e.stats();
        assertThat(s.wrongCacheFrees()).isEqualTo(1);
        assertThat(s.frees()).isEqualTo(3);
        assertThat(s.applied()).isEqualTo(6);
        assertThat(s.liveObjects()).isZero();
        assertThat(e.slab().find("filp").impl().slabinfo().activeObjs()).isZero();
        assertThat(e.machine().dmesg().reportCount(ReportKind.SLAB_BAD_FREE)).isEqualTo(1);
        assertThat(s.reports()).containsEntry("slab_bad_free", 1L);
        assertThat(String.join("\n", s.dmesg()))
                .contains("kmem_cache_free: Wrong slab cache. dentry but object is from filp\n")
                .contains("WARNING: CPU: 0 PID: 16387 at cache_from_obj called from __fput+");
        assertIdentity(s);
    }

    @Test
    void wrongCacheFrees_afterTheFirstTen_onlyCounted() throws IOException {
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            String ptr = String.format("%016x", 0x5000L + i * 0x100);
            t.append(line(
                    1,
                    "kmem_cache_alloc: call_site=a+0x0/0x1 ptr=" + ptr + " name=filp bytes_req=184 "
                            + "bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false"));
            t.append(line(2, "kmem_cache_free: call_site=a+0x0/0x1 ptr=" + ptr + " name=dentry"));
        }
        ReplayEngine e = replay(t.toString(), ReplayOptions.DEFAULT);
        assertThat(e.stats().wrongCacheFrees()).isEqualTo(25);
        assertThat(e.stats().reports()).containsEntry("slab_bad_free", 25L);
        assertThat(e.stats().dmesg().stream().filter(l -> l.contains("Wrong slab cache")))
                .hasSize(10);
        assertThat(e.stats().liveObjects()).isZero();
    }

    /** The replay's dmesg is what it printed. */
    @Test
    void dmesg_holdsTheLinesOfTheReplayOnly() throws IOException {
        ReplayEngine e = replay(
                line(
                                1,
                                "kmalloc: call_site=a+0x0/0x1 ptr=0000000000001000 bytes_req=8 bytes_alloc=8 "
                                        + "gfp_flags=GFP_KERNEL")
                        + line(2, "kfree: call_site=a+0x0/0x1 ptr=0000000000001000")
                        + line(3, "kfree: call_site=a+0x0/0x1 ptr=0000000000001000"),
                ReplayOptions.DEFAULT);
        assertThat(e.stats().dmesg()).hasSize(1);
        assertThat(e.stats().dmesg().get(0))
                .endsWith("replay: line 3: double free of kfree ptr=0000000000001000 (not applied)");
    }

    @Test
    void failedInTrace_duplicateLargeKmalloc_pageEventsOff_otherEvents_malformed() throws IOException {
        String t = line(
                        1,
                        "kmalloc: call_site=a+0x0/0x1 ptr=0000000000000000 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL")
                // 6.18 prints two kmalloc events for one large non-constant kmalloc.
                + line(
                        2,
                        "kmalloc: call_site=__kmalloc_noprof+0x1/0x2 ptr=0000000000002000 bytes_req=12000 bytes_alloc=16384 gfp_flags=GFP_KERNEL")
                + line(
                        3,
                        "kmalloc: call_site=caller+0x1/0x2 ptr=0000000000002000 bytes_req=12000 bytes_alloc=16384 gfp_flags=GFP_KERNEL")
                + line(4, "mm_page_alloc: page=00000000deadbeef pfn=0x1000 order=0 migratetype=0 gfp_flags=GFP_KERNEL")
                + line(
                        5,
                        "mm_page_alloc_zone_locked: page=000000008e46d238 pfn=0x1247e1 order=0 migratetype=0 percpu_refill=1")
                + line(6, "sched_switch: prev_comm=sh")
                + line(
                        7,
                        "kmalloc: call_site=a+0x0/0x1 ptr=0000000000003000 bytes_req=-1 bytes_alloc=8 gfp_flags=GFP_KERNEL")
                + "garbage line\n";
        ReplayStats s = replay(t, ReplayOptions.DEFAULT).stats();
        assertThat(s.skipReasons())
                .containsEntry(SkipReason.FAILED_IN_TRACE, 1L)
                .containsEntry(SkipReason.DUPLICATE_LARGE_KMALLOC, 1L)
                .containsEntry(SkipReason.PAGE_EVENT, 1L)
                .containsEntry(SkipReason.BUDDY_INTERNAL, 1L)
                .containsEntry(SkipReason.OTHER_EVENT, 1L);
        assertThat(s.otherEvents()).containsEntry("sched_switch", 1L);
        assertThat(s.malformed()).isEqualTo(2);
        assertThat(s.malformedSamples()).containsExactly("line 7: negative bytes_req", "line 8: no [cpu] field");
        assertThat(s.applied()).isEqualTo(1);
        // 12000 bytes → an order-2 block from the page allocator.
        assertThat(s.bytesAlloc()).isEqualTo(16384);
        assertIdentity(s);
    }

    @Test
    void absurdSize_isAppliedAsAnAllocationFailure() throws IOException {
        ReplayEngine e = replay(
                line(
                                1,
                                "kmalloc: call_site=a+0x0/0x1 ptr=0000000000001000 bytes_req=18446744073709551615 "
                                        + "bytes_alloc=0 gfp_flags=GFP_KERNEL")
                        + line(2, "kfree: call_site=a+0x0/0x1 ptr=0000000000001000"),
                ReplayOptions.DEFAULT);
        ReplayStats s = e.stats();
        assertThat(s.failures()).isEqualTo(1);
        assertThat(s.skipReasons()).containsEntry(SkipReason.FAILED_IN_REPLAY, 1L);
        assertThat(e.machine().dmesg().reportCount(ReportKind.WARN)).isEqualTo(1);
        assertIdentity(s);
    }

    @Test
    void pageEvents_applied_batchedDuplicateSkipped() throws IOException {
        String t = line(
                        1,
                        "mm_page_alloc: page=00000000deadbeef pfn=0x10d66f order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE")
                + line(
                        2,
                        "mm_page_alloc: page=00000000deadbee0 pfn=0x10d670 order=2 migratetype=0 gfp_flags=GFP_KERNEL")
                + line(3, "mm_page_free: page=00000000deadbeef pfn=0x10d66f order=0")
                + line(4, "mm_page_free_batched: page=00000000deadbeef pfn=0x10d66f order=0")
                + line(5, "mm_page_free: page=00000000deadbeef pfn=0x99 order=0");
        ReplayEngine e = replay(t, ReplayOptions.DEFAULT.withPageEvents(true));
        ReplayStats s = e.stats();
        assertThat(s.applied()).isEqualTo(3);
        assertThat(s.skipReasons())
                .containsEntry(SkipReason.DUPLICATE_BATCHED_FREE, 1L)
                .containsEntry(SkipReason.UNMATCHED_PAGE_FREE, 1L);
        // The order-2 block is a page event, not slab memory.
        assertThat(s.finalSlabBytes()).isZero();
        assertIdentity(s);
    }

    @Test
    void cacheCreatedOnFirstSight_withShapeReproducingSlubSlot() throws IOException {
        // anon_vma: 96 → 104 under SLUB needs the free pointer outside (a constructor).
        ReplayEngine e = replay(
                line(
                        1,
                        "kmem_cache_alloc: call_site=a+0x0/0x1 ptr=0000000000001000 name=anon_vma "
                                + "bytes_req=96 bytes_alloc=104 gfp_flags=GFP_KERNEL node=-1 accounted=true"),
                ReplayOptions.DEFAULT);
        assertThat(e.slab().find("anon_vma").objectSize()).isEqualTo(96);
        assertThat(e.slab().find("anon_vma").ctor()).isNotNull();
        assertThat(e.stats().cachesCreated()).isEqualTo(1);
        assertThat(e.stats().cachesSlotMismatch()).isZero();
    }

    @Test
    void cpuBeyondMachine_isFolded() throws IOException {
        ReplayStats s = replay(
                        "  sh-1 [005] ..... 1.000000: kmalloc: call_site=a+0x0/0x1 ptr=0000000000001000 bytes_req=8 "
                                + "bytes_alloc=8 gfp_flags=GFP_KERNEL\n",
                        ReplayOptions.DEFAULT)
                .stats();
        assertThat(s.foldedCpuEvents()).isEqualTo(1);
        assertThat(s.applied()).isEqualTo(1);
    }

    @Test
    void allocAtLivePointer_freesTheLostObjectFirst() throws IOException {
        String a = "kmalloc: call_site=a+0x0/0x1 ptr=0000000000001000 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL";
        ReplayStats s = replay(line(1, a) + line(2, a), ReplayOptions.DEFAULT).stats();
        assertThat(s.implicitFrees()).isEqualTo(1);
        assertThat(s.liveObjects()).isEqualTo(1);
    }

    @Test
    void manyUnmatchedFrees_countedWithoutGrowingTheMaps() {
        ReplayTarget t = SimpleSlabAllocator.factory(64L << 20, 2).boot("simple", List.of());
        ReplayEngine e = new ReplayEngine(t, ReplayOptions.DEFAULT);
        TraceLine l = new TraceLine();
        for (long i = 1; i <= 1_000_000; i++) {
            l.setEvent(io.kmemlab.mm.trace.read.TraceOp.KFREE, i, "sh", 1, 0, i * 1000)
                    .setObject(0, i << 4, null, 0, 0, 0);
            e.apply(l);
        }
        ReplayStats s = e.finish();
        assertThat(s.unmatchedFrees()).isEqualTo(1_000_000);
        assertThat(s.liveObjects()).isZero();
        assertThat(e.mapEntries()).isZero();
        assertIdentity(s);
    }

    @Test
    void manyPagesAllocatedAndFreed_pageMapStaysBoundedByLivePages() {
        ReplayTarget t = ReplayCommandTest.KERNEL.boot("slub", List.of("mem=64M", "nr_cpus=2"));
        ReplayEngine e = new ReplayEngine(t, ReplayOptions.DEFAULT.withPageEvents(true));
        TraceLine l = new TraceLine();
        long n = (1L << 20) + 200_000;
        long line = 0;
        for (long pfn = 1; pfn <= n; pfn++) {
            // Every pfn of the trace is a new one (a big traced machine): alloc, then free.
            l.setEvent(io.kmemlab.mm.trace.read.TraceOp.MM_PAGE_ALLOC, ++line, "sh", 1, 0, line * 1000)
                    .setObject(0, 0, null, 0, 0, io.kmemlab.mm.Gfp.GFP_KERNEL)
                    .setPage(pfn, 0, io.kmemlab.mm.Gfp.GFP_KERNEL);
            e.apply(l);
            l.setEvent(io.kmemlab.mm.trace.read.TraceOp.MM_PAGE_FREE, ++line, "sh", 1, 0, line * 1000)
                    .setObject(0, 0, null, 0, 0, 0)
                    .setPage(pfn, 0, 0);
            e.apply(l);
        }
        // 6.18's free_unref_folios prints mm_page_free_batched after mm_page_free: still recognised.
        l.setEvent(io.kmemlab.mm.trace.read.TraceOp.MM_PAGE_FREE_BATCHED, ++line, "sh", 1, 0, line * 1000)
                .setObject(0, 0, null, 0, 0, 0)
                .setPage(n, 0, 0);
        e.apply(l);
        ReplayStats s = e.finish();
        assertThat(s.applied()).isEqualTo(2 * n);
        assertThat(s.failures()).isZero();
        assertThat(s.skipped(SkipReason.DUPLICATE_BATCHED_FREE)).isEqualTo(1);
        assertThat(e.mapEntries()).isLessThan(1L << 20);
        assertIdentity(s);
    }
}
