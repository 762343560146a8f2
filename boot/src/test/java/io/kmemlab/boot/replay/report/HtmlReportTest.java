package io.kmemlab.boot.replay.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.replay.KernelReplayFactory;
import io.kmemlab.boot.replay.ProgressListener;
import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.ReplaySession;
import io.kmemlab.boot.replay.Replayer;
import io.kmemlab.boot.replay.source.Workload;
import io.kmemlab.boot.testing.Golden;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.page.PageAllocatorMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page of {@code kmemlab report}: its data pinned on a small run (the fork workload's first
 * 3000 events on a 64 MiB, 2-CPU machine), its sections, the memory maps against the page
 * allocator's and the node's own counters, and the same bytes from the same input.
 */
class HtmlReportTest {
    static final List<String> ALLOCATORS = List.of("slab", "slub", "slob");
    static final List<String> WORDS = List.of("mem=64M", "nr_cpus=2");

    /** The runs and maps of the small run, with the machines kept for checking the maps. */
    record Small(List<Replayer.Run> runs, List<HtmlReport.Run> report) {}

    static Small small() throws Exception {
        return run(Workload.FORK, 3000);
    }

    static Small run(Workload w, int events) throws Exception {
        MemoryMapProbe probe = new MemoryMapProbe();
        List<Replayer.Run> runs = ReplaySession.runAll(
                new KernelReplayFactory(),
                ReplayOptions.DEFAULT,
                () -> 0,
                ProgressListener.NONE,
                w.source(1, events, 2),
                ALLOCATORS,
                WORDS,
                null,
                probe);
        List<HtmlReport.Run> report = new ArrayList<>();
        for (Replayer.Run r : runs) {
            report.add(new HtmlReport.Run(
                    r.stats(),
                    probe.peak(r.target().machine()),
                    MemoryMapProbe.now(r.target()),
                    HtmlReport.layouts(r.target(), r.stats())));
        }
        return new Small(runs, report);
    }

    @Test
    void data_smallForkRun_matchesGolden() throws Exception {
        Small s = small();
        Golden.assertMatches(
                "report-fork3000-data.json", HtmlReport.data(s.runs().get(0).trace(), s.report()) + "\n");
    }

    @Test
    void page_hasEverySectionAndOneDataDocument_andNeedsNoNetwork() throws Exception {
        Small s = small();
        String html = HtmlReport.render(s.runs().get(0).trace(), s.report());
        for (String id :
                List.of("summary", "memory", "fragmentation", "caches", "map", "kmemlab-data", "zoom", "tip")) {
            assertThat(html).contains("id=\"" + id + "\"");
        }
        assertThat(count(html, "<svg class=\"chart\"")).isEqualTo(2);
        // One line per allocator in each chart.
        assertThat(count(html, "<polyline class=\"series\"")).isEqualTo(2 * ALLOCATORS.size());
        for (String a : ALLOCATORS) {
            assertThat(html).contains("<h3>" + a + "</h3>");
        }
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain(" src=");
        // The layout drawings: a slot and a slab per drawn cache, the replay's largest caches first.
        assertThat(html).contains("id=\"layout\"");
        int drawn = 0;
        for (HtmlReport.Run r : s.report()) {
            assertThat(r.layouts().size()).isLessThanOrEqualTo(HtmlReport.MAX_LAYOUTS);
            if (!r.stats().allocator().equals("slob")) {
                assertThat(r.layouts()).as(r.stats().allocator()).isNotEmpty();
                assertThat(r.layouts().get(0).name())
                        .isEqualTo(r.stats().replayTopCaches().get(0).name());
            } else {
                assertThat(r.layouts()).isEmpty();
            }
            drawn += r.layouts().size();
            for (HtmlReport.CacheLayout c : r.layouts()) {
                assertThat(html).contains("<h4>" + c.name() + ": object " + c.objectSize() + " B");
            }
        }
        assertThat(count(html, "<svg class=\"layout\"")).isEqualTo(2 * drawn);
        // The data element holds exactly the data document, with no early end of the script.
        String data = HtmlReport.data(s.runs().get(0).trace(), s.report());
        assertThat(html).contains(data.replace("</", "<\\/"));
        assertThat(count(html, "</script>")).isEqualTo(2);
    }

    @Test
    void render_sameInputTwice_sameBytes() throws Exception {
        Small a = small();
        Small b = small();
        assertThat(HtmlReport.render(b.runs().get(0).trace(), b.report()))
                .isEqualTo(HtmlReport.render(a.runs().get(0).trace(), a.report()));
    }

    /**
     * The end maps against the machines' own counters: free frames are NR_FREE_PAGES, per-CPU
     * frames the pcp lists' pages, and for SLAB and SLUB the slab and large kmalloc frames the
     * node's slab bytes (NR_SLAB_*_B, which counts both).
     */
    @Test
    void endMap_framesByState_agreeWithThePageAllocatorAndNodeCounters() throws Exception {
        Small s = small();
        for (int i = 0; i < s.runs().size(); i++) {
            Machine m = s.runs().get(i).target().machine();
            PageAllocatorMetric pm = m.pageAllocator().metric();
            MemoryMap end = s.report().get(i).end();
            long free = 0;
            for (String key : end.legend()) {
                if (key.startsWith("free:")) {
                    free += end.frames(key);
                }
            }
            long slab = slabFrames(end);
            String a = ALLOCATORS.get(i);
            assertThat(free).as(a + " free frames").isEqualTo(pm.nrFreePages());
            assertThat(end.frames("per-CPU list")).as(a + " pcp frames").isEqualTo(pm.pcpPages());
            assertThat(end.frames()).isEqualTo(m.nrFrames());
            if (!a.equals("slob")) {
                long slabBytes =
                        m.nodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B) + m.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B);
                assertThat(slab * Addr.PAGE_SIZE)
                        .as(a + " slab and large kmalloc frames")
                        .isEqualTo(slabBytes);
                assertThat(end.owners()).as(a + " names its caches").contains("task_struct");
            } else {
                // SLOB's pages hold objects of any cache: one legend entry, no owner.
                assertThat(end.owners()).isEmpty();
                assertThat(end.frames("slab")).isPositive();
            }
        }
    }

    /**
     * The peak map is the machine at its peak, not at the end: on the net workload, whose SLUB
     * memory falls after its peak, the slab frames of the two maps differ by exactly the pages the
     * replay's slab memory fell.
     */
    @Test
    void peakMap_differsFromTheEndByThePagesSlabMemoryFell() throws Exception {
        Small s = run(Workload.NET, 20000);
        for (HtmlReport.Run r : s.report()) {
            if (r.stats().allocator().equals("slob")) {
                continue;
            }
            if (r.stats().allocator().equals("slub")) {
                assertThat(r.stats().peakSlabBytes())
                        .as("the input's peak")
                        .isGreaterThan(r.stats().finalSlabBytes());
            }
            assertThat(r.peak()).isNotNull();
            assertThat(slabFrames(r.peak()) - slabFrames(r.end()))
                    .as(r.stats().allocator())
                    .isEqualTo((r.stats().peakSlabBytes() - r.stats().finalSlabBytes()) / Addr.PAGE_SIZE);
        }
    }

    private static long slabFrames(MemoryMap m) {
        long n = 0;
        for (String key : m.legend()) {
            if (key.equals("slab") || key.startsWith("slab:") || key.equals("large kmalloc")) {
                n += m.frames(key);
            }
        }
        return n;
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
