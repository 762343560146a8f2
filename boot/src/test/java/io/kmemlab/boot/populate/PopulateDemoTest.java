package io.kmemlab.boot.populate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.mm.trace.EventType;
import io.kmemlab.proc.PageUse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The numbers on the real buddy allocator: a 64 MiB anonymous populated mapping takes
 * 16,384 minor faults inside the mmap call and adds 64 MiB to RSS at once; demand faulting takes
 * the same faults spread over the touches.
 */
class PopulateDemoTest {
    private static final long SIZE = 64L << 20;
    private static final long PAGES = 16_384;

    private static Kernel boot() {
        return Kernel.boot(List.of("mem=1G", "nr_cpus=2")).kernel();
    }

    @Test
    void populate_faultsAllSixtyFourMegabytesInsideMmap() {
        Kernel k = boot();
        List<String> allocs = new ArrayList<>();
        k.machine().tracer().addSink(l -> {
            if (l.contains("mm_page_alloc: ")) {
                allocs.add(l);
            }
        });
        k.machine().tracer().setEnabled(EventType.MM_PAGE_ALLOC, true);
        PopulateDemo.Run r = PopulateDemo.run(k, SIZE, PopulateDemo.Variant.POPULATE);
        assertThat(r.mmapFaults()).isEqualTo(PAGES);
        assertThat(r.rssAfterMmap()).isEqualTo(PAGES);
        assertThat(r.touchFaults()).isZero();
        assertThat(r.rssAfterTouch()).isEqualTo(PAGES);
        assertThat(r.pgfault()).isEqualTo(PAGES);
        assertThat(r.pagesByUse()[PageUse.ANON.ordinal()]).isEqualTo(PAGES);
        assertThat(r.mmapNanos()).as("25 ms: the cost is in the mmap call").isBetween(20_000_000L, 30_000_000L);
        assertThat(r.touchNanos()).isLessThan(1_000_000L);
        assertThat(allocs.stream()
                        .filter(l -> l.endsWith(
                                " order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE" + "|__GFP_ZERO|__GFP_COMP")))
                .as("the real trace's flags: the arena and the stack page exec wrote")
                .hasSize((int) PAGES + 1);
        assertThat(k.pageAllocator().validate()).isEmpty();
        assertThat(k.processes().validate()).isEmpty();
    }

    @Test
    void demandFaulting_takesTheSameFaultsOverTheTouches() {
        Kernel k = boot();
        PopulateDemo.Run r = PopulateDemo.run(k, SIZE, PopulateDemo.Variant.DEMAND);
        assertThat(r.mmapFaults()).isZero();
        assertThat(r.rssAfterMmap()).isZero();
        assertThat(r.touchFaults()).isEqualTo(PAGES);
        assertThat(r.rssAfterTouch()).isEqualTo(PAGES);
        assertThat(r.mmapNanos()).isLessThan(10_000L);
        assertThat(r.touchNanos()).as("30 ms over the touches").isBetween(25_000_000L, 35_000_000L);
        // RSS grows with the touches: half way through the time, about half the pages.
        long[] t = r.rssNanos();
        long[] rss = r.rssPages();
        long mid = (r.mmapNanos() + r.touchNanos()) / 2;
        int i = 0;
        while (t[i] < mid) {
            i++;
        }
        assertThat(rss[i]).isBetween(PAGES * 2 / 5, PAGES * 3 / 5);
        NonblockAndReadOnly.check(k);
    }

    /** MAP_NONBLOCK and a read-only arena on the same kernel. */
    static final class NonblockAndReadOnly {
        static void check(Kernel k) {
            PopulateDemo.Run nb = PopulateDemo.run(k, SIZE, PopulateDemo.Variant.NONBLOCK);
            assertThat(nb.mmapFaults()).isZero();
            assertThat(nb.touchFaults()).isEqualTo(PAGES);
            PopulateDemo.Run ro = PopulateDemo.run(k, SIZE, PopulateDemo.Variant.READ_ONLY);
            assertThat(ro.mmapFaults()).isEqualTo(PAGES);
            assertThat(ro.rssAfterMmap()).isZero();
            assertThat(ro.rssAfterTouch()).isZero();
            assertThat(ro.pagesByUse()[PageUse.ANON.ordinal()]).isZero();
            assertThat(k.processes().processes()).isEmpty();
            assertThat(k.pageAllocator().validate()).isEmpty();
        }
    }

    @Test
    void report_namesTheVariantsAndWhatTheBuddyAllocatorGaveOut() {
        Kernel k = boot();
        String text = PopulateReport.render(PopulateDemo.run(k, 8L << 20), 8L << 20, "mem=1G nr_cpus=2");
        assertThat(text).contains("MAP_POPULATE and a 8 MiB anonymous arena (2048 pages), on mem=1G nr_cpus=2");
        assertThat(text).containsPattern("MAP_POPULATE +[0-9.]+ ms +2048 +8192 kB +[0-9.]+ µs +0 +8192 kB");
        assertThat(text).containsPattern("demand faults +[0-9.]+ µs +0 +0 kB +[0-9.]+ ms +2048 +8192 kB");
        assertThat(text).contains("2048 × GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP (anon)");
    }
}
