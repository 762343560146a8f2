package io.kmemlab.boot.replay.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.cli.ReplayCommandTest;
import io.kmemlab.boot.replay.CacheUsage;
import io.kmemlab.boot.replay.KernelReplayFactory;
import io.kmemlab.boot.replay.ProgressListener;
import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.ReplaySession;
import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.boot.replay.Replayer;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.TraceSummary;
import io.kmemlab.mm.slab.SlabLayer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;

class ReplayMetricTest {
    private static final List<String> ALL = List.of("slab", "slub", "slob");
    private static final List<String> WORDS = List.of("mem=128M", "nr_cpus=2");

    @TempDir
    Path tmp;

    private static List<Replayer.Run> replay(Path trace) throws Exception {
        return ReplaySession.runAll(
                new KernelReplayFactory(),
                ReplayOptions.DEFAULT,
                () -> 0,
                ProgressListener.NONE,
                new TraceFileSource(trace, null),
                ALL,
                WORDS,
                null);
    }

    private static List<ReplayStats> stats(List<Replayer.Run> runs) {
        return runs.stream().map(Replayer.Run::stats).toList();
    }

    private Path head300() throws Exception {
        Path trace = tmp.resolve("kmem-618-head300.txt.gz");
        try (InputStream in = getClass().getResourceAsStream("/traces/kmem-618-head300.txt.gz")) {
            Files.copy(in, trace);
        }
        return trace;
    }

    /**
     * §7 of issue 10: one kmem_cache_alloc of a cache the boot does not have. The report used to
     * show the replay's one page next to the whole machine's 732 objects and boot caches, and
     * "unused slots 0 KiB" while 20 of the new slab's 21 slots were free.
     */
    @Test
    void oneLineTrace_replayScopeFiguresCoverTheCacheItCreated_andCountItsFreeSlots() throws Exception {
        Path trace = tmp.resolve("one.txt");
        Files.writeString(
                trace,
                "              sh-1       [000] .....     1.000000: kmem_cache_alloc: "
                        + "call_site=foo+0x1/0x2 ptr=0000000012345678 name=test_cache bytes_req=192 bytes_alloc=192 "
                        + "gfp_flags=GFP_KERNEL node=-1 accounted=false\n");
        List<Replayer.Run> runs = replay(trace);
        for (Replayer.Run run : runs.subList(0, 2)) {
            ReplayStats s = run.stats();
            String a = s.allocator();
            // One order-0 slab of 192-byte slots: 21 slots, the replay's one object, 20 free.
            // Slab memory added: that slab, and under SLAB a page more for what creating the cache took.
            assertThat(s.finalSlabBytes()).as(a).isEqualTo(a.equals("slub") ? 4096 : 8192);
            assertThat(s.replayCaches()).as(a).isEqualTo(1);
            assertThat(s.replayInUseObjs()).as(a).isEqualTo(1);
            assertThat(s.replayTotalObjs()).as(a).isEqualTo(21);
            assertThat(s.replayFreeSlotBytes()).as(a).isEqualTo(20 * 192);
            assertThat(s.replayCacheSlabBytes()).as(a).isEqualTo(4096);
            assertThat(s.replayMetadataBytes()).as(a).isEqualTo(4096 - 21 * 192);
            assertThat(s.replayTopCaches()).as(a).extracting(CacheUsage::name).containsExactly("test_cache");
            CacheUsage c = s.replayTopCaches().get(0);
            assertThat(c.inUseObjs()).isEqualTo(1);
            assertThat(c.freeSlotBytes()).isEqualTo(3840);
            // The whole machine's slabinfo figures still include the boot's caches.
            assertThat(s.totalObjs()).as(a).isGreaterThan(21);
        }
        // SLUB's slabinfo counts its per-CPU slab as full: active_objs says 21 of 21 are used.
        assertThat(runs.get(1).stats().replayTopCaches().get(0).activeObjs()).isEqualTo(21);
        // SLOB keeps no per-cache slabs: the cache is the replay's, with no slots of its own.
        ReplayStats slob = runs.get(2).stats();
        assertThat(slob.replayCaches()).isEqualTo(1);
        assertThat(slob.replayTotalObjs()).isZero();
        assertThat(slob.replayFreeSlotBytes()).isZero();

        String table = ReplayReport.table(runs.get(0).trace(), stats(runs));
        assertThat(table)
                .containsPattern("\\nslab memory at end \\(added by the replay\\) +8 KiB \\(2 pages\\) +"
                        + "4 KiB \\(1 pages\\) +4 KiB \\(1 pages\\)\\n");
        assertThat(table).containsPattern("\\ncaches used \\(replay's caches\\) +1 +1 +1\\n");
        assertThat(table).containsPattern("\\n  objects in use / total +1 / 21 +1 / 21 +0 / 0\\n");
        assertThat(table).containsPattern("\\n  free slots +3 KiB +3 KiB +0 KiB\\n");
        assertThat(table).containsPattern("\\nobjects active / total \\(whole machine\\) +[0-9,]+ / [0-9,]+ +");
        assertThat(table)
                .contains("top caches the replay used under slub (slabtop; ACTIVE: objects in use):\n"
                        + "  OBJS ACTIVE  USE OBJ SIZE  CACHE SIZE NAME\n"
                        + "    21      1   4%    0.19K          4K test_cache\n\n");
        String json = ReplayReport.json(runs.get(0).trace(), stats(runs));
        assertThat(json)
                .contains(
                        "\"replay_free_slot_bytes\": 3840,",
                        "\"replay_in_use_objs\": 1,",
                        "\"replay_total_objs\": 21,");
    }

    /**
     * A kmalloc cache the boot already uses: the replay's caches are the one its kmallocs were
     * served from, even once every object is freed again; objects in use there are those in use
     * when the replay began (slabinfo's active_objs of the booted machine) plus those it holds.
     */
    @Test
    void kmallocTrace_replaysCacheIsTheKmallocCache_inUseCountsTheBootsObjectsAndTheReplays() throws Exception {
        Path trace = tmp.resolve("kmalloc.txt");
        String prefix = "              sh-1       [000] .....     1.00000";
        Files.writeString(
                trace,
                prefix + "0: kmalloc: call_site=foo+0x1/0x2 ptr=00000000000000a0 bytes_req=100 "
                        + "bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
                        + prefix + "1: kmalloc: call_site=foo+0x1/0x2 ptr=00000000000000b0 bytes_req=3000 "
                        + "bytes_alloc=4096 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
                        + prefix + "2: kfree: call_site=foo+0x1/0x2 ptr=00000000000000a0\n");
        ReplayStats s = replay(trace).get(1).stats();
        assertThat(s.allocator()).isEqualTo("slub");
        SlabLayer booted = ReplayCommandTest.KERNEL.boot("slub", WORDS).slab();
        long k128 = booted.find("kmalloc-128").impl().slabinfo().activeObjs();
        long k4k = booted.find("kmalloc-4k").impl().slabinfo().activeObjs();
        assertThat(s.replayCaches()).isEqualTo(2);
        assertThat(s.replayTopCaches())
                .extracting(CacheUsage::name)
                .containsExactlyInAnyOrder("kmalloc-128", "kmalloc-4k");
        for (CacheUsage c : s.replayTopCaches()) {
            long expected = c.name().equals("kmalloc-128") ? k128 : k4k + 1;
            assertThat(c.inUseObjs()).as(c.name()).isEqualTo(Math.min(c.numObjs(), expected));
            assertThat(c.freeSlotBytes()).as(c.name()).isEqualTo((c.numObjs() - c.inUseObjs()) * c.objSize());
        }
        assertThat(s.replayInUseObjs())
                .isEqualTo(s.replayTopCaches().stream()
                        .mapToLong(CacheUsage::inUseObjs)
                        .sum());
    }

    /** Allocator-level JSON keys (indented six spaces: root, "allocators", the allocator's object). */
    private static List<String> allocatorKeys(String json, String allocator) {
        List<String> keys = new ArrayList<>();
        int from = json.indexOf("\n    \"" + allocator + "\": {");
        int to = json.indexOf("\n    }", from);
        for (String line : json.substring(from, to).split("\n")) {
            if (line.startsWith("      \"") && !line.startsWith("       ")) {
                keys.add(line.substring(7, line.indexOf('"', 7)));
            }
        }
        return keys;
    }

    @Test
    void json_isTheRegistry_everyKeyOnce_inOrder_withItsValue() throws Exception {
        List<Replayer.Run> runs = replay(head300());
        List<ReplayStats> stats = stats(runs);
        String json = ReplayReport.json(runs.get(0).trace(), stats);
        List<String> registered =
                ReplayMetric.ALL.stream().map(ReplayMetric::key).toList();
        assertThat(new HashSet<>(registered)).as("keys are unique").hasSize(registered.size());
        for (ReplayStats s : stats) {
            assertThat(allocatorKeys(json, s.allocator())).isEqualTo(registered);
            for (ReplayMetric m : ReplayMetric.ALL) {
                StringBuilder value = new StringBuilder();
                ReplayReport.Json.write(value, m.json(s), 6);
                assertThat(json).as(s.allocator() + " " + m.key()).contains("\"" + m.key() + "\": " + value);
            }
        }
    }

    @Test
    void table_isTheRegistry_everyShownMetricHasItsRow_andEveryRowAMetric() throws Exception {
        List<Replayer.Run> runs = replay(head300());
        List<ReplayStats> stats = stats(runs);
        TraceSummary trace = runs.get(0).trace();
        String table = ReplayReport.table(trace, stats);
        List<String> rows = new ArrayList<>();
        for (String line : table.substring(table.indexOf("\n\n") + 2).split("\n")) {
            if (line.isEmpty()) {
                break;
            }
            rows.add(line);
        }
        rows.remove(0); // the allocators' names
        Set<String> explained = new LinkedHashSet<>();
        ReplayMetric opener = null;
        for (ReplayMetric m : ReplayMetric.ALL) {
            if (m.table() == ReplayMetric.Table.NONE) {
                continue;
            }
            if (m.table() == ReplayMetric.Table.ROW_IF_ANY
                    && stats.stream()
                            .allMatch(s -> Long.valueOf(0).equals(m.value().apply(s)))) {
                assertThat(rows).as("row of " + m.key() + " (0 everywhere)").noneMatch(r -> r.startsWith(m.label()));
                continue;
            }
            if (m.table() == ReplayMetric.Table.ROW || m.table() == ReplayMetric.Table.ROW_IF_ANY) {
                opener = m;
            }
            ReplayMetric o = opener;
            String row = rows.stream()
                    .filter(r -> r.startsWith(o.label())
                            && (r.length() == o.label().length()
                                    || !Character.isLetter(r.charAt(o.label().length()))))
                    .findFirst()
                    .orElse(null);
            assertThat(row).as("row of " + m.key()).isNotNull();
            assertThat(row).contains(m.label());
            if (!o.label().startsWith(" ") && o.scope() != ReplayMetric.Scope.TRACE) {
                assertThat(row).as("scope of " + o.key()).contains(o.scope().suffix());
            }
            for (ReplayStats s : stats) {
                String cell = m.cell(s);
                if (cell != null) {
                    assertThat(row).as(s.allocator() + " " + m.key()).contains(cell);
                }
            }
            explained.add(row);
        }
        for (String row : rows) {
            if (row.startsWith("  zone ")) {
                continue;
            }
            assertThat(explained).as("every row is a registered metric").contains(row);
        }
        assertThat(explained).hasSize((int) ReplayMetric.ALL.stream()
                .filter(m -> m.table() == ReplayMetric.Table.ROW)
                .count());
    }

    @Test
    void fragmentationChart_hasASeriesPerChartedMetric_inRegistryOrder() throws Exception {
        List<ReplayStats> stats = stats(replay(head300()));
        CategoryChart c = CompareChart.fragmentationChart("head300", stats);
        List<String> expected = ReplayMetric.ALL.stream()
                .filter(m -> m.chart() != null)
                .map(m -> m.chart().series())
                .toList();
        assertThat(new ArrayList<>(c.getSeriesMap().keySet())).isEqualTo(expected);
        assertThat(expected).hasSize(5);
    }
}
