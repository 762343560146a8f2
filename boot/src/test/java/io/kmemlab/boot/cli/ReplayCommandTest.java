package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.replay.BuddyFragmentation;
import io.kmemlab.boot.replay.KernelReplayFactory;
import io.kmemlab.boot.replay.ProgressListener;
import io.kmemlab.boot.replay.ReplayMachineFactory;
import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.ReplaySession;
import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.boot.replay.ReplayTarget;
import io.kmemlab.boot.replay.Replayer;
import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

public class ReplayCommandTest {
    public static final List<String> ALL = List.of("slab", "slub", "slob");

    @TempDir
    static Path tmp;

    static Path excerpt;

    @BeforeAll
    static void copyExcerpt() throws IOException {
        // 12 header lines + lines 200001..208000 of kmem-fork-net-6.18.txt, xz-compressed.
        excerpt = tmp.resolve("kmem-618-excerpt8k.txt.xz");
        try (InputStream in = ReplayCommandTest.class.getResourceAsStream("/traces/kmem-618-excerpt8k.txt.xz")) {
            Files.copy(in, excerpt);
        }
    }

    public record Result(int exit, String out, String err) {}

    public static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** The real kernel: buddy allocator and every slab allocator of this build. */
    public static final KernelReplayFactory KERNEL = new KernelReplayFactory();

    public static ReplayCommand replay() {
        return new ReplayCommand().withTicker(() -> 0);
    }

    public static long jsonLong(String json, String allocator, String key) {
        int a = json.indexOf("\"" + allocator + "\": {");
        Matcher m = Pattern.compile("\"" + key + "\": (-?\\d+)").matcher(json);
        assertThat(m.find(a)).as(key).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void realExcerpt_allAllocators_jsonHasTheAcceptanceKeys_andAccountingAddsUp() {
        assertThat(KERNEL.allocators()).containsExactlyElementsOf(ALL);
        long t0 = System.nanoTime();
        Result r = run(replay(), excerpt.toString(), "mem=256M", "--slab", "all", "--json", "--no-timing");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{\n  \"trace\": {").contains("\"allocators\": {");
        for (String a : ALL) {
            long events = jsonLong(r.out(), a, "events");
            assertThat(events).isEqualTo(8000);
            assertThat(jsonLong(r.out(), a, "applied")
                            + jsonLong(r.out(), a, "skipped")
                            + jsonLong(r.out(), a, "malformed"))
                    .isEqualTo(events);
            for (String k : List.of(
                    "unmatched_frees",
                    "failures",
                    "bytes_req",
                    "bytes_alloc",
                    "peak_slab_bytes",
                    "final_slab_bytes",
                    "events_per_second")) {
                assertThat(jsonLong(r.out(), a, k)).as(k).isNotNegative();
            }
            // The excerpt starts mid-capture: frees of objects allocated before it are unmatched.
            assertThat(jsonLong(r.out(), a, "unmatched_frees")).isPositive();
            assertThat(jsonLong(r.out(), a, "malformed")).isZero();
        }
        // mm_page_* and zone_locked lines of the excerpt: 1046 + 870 + 774 page events, 266 buddy-internal.
        assertThat(r.out()).contains("\"page_event\": 2690").contains("\"buddy_internal\": 266");
        assertThat(System.nanoTime() - t0).isLessThan(30_000_000_000L);
    }

    @Test
    void table_singleAllocator_namesEveryMetric() {
        Result r = run(replay(), excerpt.toString(), "mem=256M", "--no-timing");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "events read",
                        "applied",
                        "skipped",
                        "malformed",
                        "unmatched frees",
                        "allocation failures",
                        "bytes requested",
                        "bytes allocated",
                        "internal fragmentation",
                        "slab memory at peak",
                        "slab memory at end",
                        "objects active / total",
                        "top caches the replay used under slub",
                        "maple_node",
                        "unusable_index at end");
    }

    @Test
    void twoRuns_identicalOutput() {
        Result a = run(replay(), excerpt.toString(), "mem=256M", "--slab", "all", "--no-timing");
        Result b = run(replay(), excerpt.toString(), "mem=256M", "--slab", "all", "--no-timing");
        assertThat(a.exit()).isZero();
        assertThat(b.out()).isEqualTo(a.out());
    }

    @Test
    void badInput_exitCodesAndMessages_neverAStackTrace() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.txt"));
        Path garbage = tmp.resolve("garbage.bin");
        byte[] bytes = new byte[4096];
        new java.util.SplittableRandom(7).nextBytes(bytes);
        Files.write(garbage, bytes);
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "shopping list\nmilk\n");
        // A trace file read before any event was recorded: only the ftrace header.
        Path onlyHeader = tmp.resolve("header.txt");
        Files.writeString(onlyHeader, "# tracer: nop\n#\n# entries-in-buffer/entries-written: 0/0   #P:2\n#\n");
        // Forced to ftrace, a file of comments is read to the end and holds no event.
        Path comments = tmp.resolve("comments.txt");
        Files.writeString(comments, "# nothing here\n\n# still nothing\n");

        assertExit(run(replay(), tmp.resolve("missing.txt").toString()), 1, "no such file");
        assertExit(run(replay(), empty.toString()), 1, "empty trace");
        assertExit(run(replay(), garbage.toString()), 1, "binary data");
        assertExit(run(replay(), text.toString()), 1, "not a kmem trace");
        assertExit(run(replay(), tmp.toString()), 1, "is a directory");
        assertExit(run(replay(), onlyHeader.toString()), 1, "not a kmem trace");
        assertExit(run(replay(), comments.toString(), "--format", "ftrace"), 1, "no trace events in 3 lines");
        // Forced to the wrong format, or text with event-like lines none of which parses: rejected,
        // with the first reason, not "replayed" with nothing applied.
        Path rep = tmp.resolve("forced.rep");
        Files.writeString(rep, "20000\n2\n2\n1\na 0 64\nf 0\n");
        assertExit(
                run(replay(), rep.toString(), "--format", "ftrace"),
                1,
                "not a ftrace trace: all 6 event lines are malformed (first: line 1: no [cpu] field)");
        Path ftrace = tmp.resolve("forced.txt");
        Files.writeString(ftrace, "  sh-1 [000] ..... 1.000001: kfree: call_site=a+0x0/0x1 ptr=0000000000001000\n");
        assertExit(
                run(replay(), ftrace.toString(), "--format", "malloclab"),
                1,
                "not a malloclab trace: all 1 event lines are malformed");
        assertThat(run(replay(), rep.toString(), "--format", "malloclab", "mem=64M", "--no-timing")
                        .exit())
                .isZero();
        assertExit(run(replay(), excerpt.toString(), "--slab", "slub2"), 2, "unknown or unavailable allocator");
        assertExit(run(replay(), excerpt.toString(), "bogus_word=1"), 2, "bogus_word");
        assertExit(run(replay(), excerpt.toString(), "mem=1K"), 2, "kmemlab replay: invalid boot parameter 'mem=1K'");
        assertExit(
                run(replay(), excerpt.toString(), "--format", "pcap"),
                2,
                "Invalid value for option '--format': unknown format 'pcap' (auto, ftrace, malloclab)");
        assertExit(run(replay()), 2, "Missing required parameter");
        // An --emit-trace file that cannot be written: the reason, once, not the bare path again.
        Result noDir = run(
                replay(),
                excerpt.toString(),
                "--emit-trace",
                tmp.resolve("no/such/dir/x.txt").toString());
        assertExit(noDir, 1, "cannot write " + tmp.resolve("no/such/dir/x.txt") + ": no such file or directory");
        assertExit(
                run(replay(), excerpt.toString(), "--emit-trace", tmp.toString()),
                1,
                "cannot write " + tmp + ": Is a directory");
    }

    @Test
    void machineLargerThanTheJavaHeap_isAUsageError_withoutAStackTrace() {
        // What mem=4T does to a default heap, without spending the heap in a test.
        ReplayMachineFactory huge = (allocator, words) -> {
            throw new OutOfMemoryError("Java heap space");
        };
        assertExit(
                run(new ReplayCommand(huge, List.of("slub")).withTicker(() -> 0), excerpt.toString(), "mem=4T"),
                2,
                "kmemlab replay: out of Java heap replaying on mem=4T");
        assertExit(
                run(
                        new CompareCommand(huge, List.of("slab", "slub")).withTicker(() -> 0),
                        excerpt.toString(),
                        "mem=4T",
                        "--no-chart"),
                2,
                "kmemlab compare: out of Java heap replaying on mem=4T");
    }

    @Test
    void eventsOfCpusTheMachineLacks_runFolded_andTheReportSaysSo() throws IOException {
        Path t = tmp.resolve("cpu5.txt");
        // trace_pipe has no #P: header: the machine gets nr_cpus from the words (here 2).
        Files.writeString(
                t,
                "  sh-1 [005] ..... 1.000001: kmalloc: call_site=a+0x0/0x1 ptr=0000000000001000 "
                        + "bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL\n"
                        + "  sh-1 [001] ..... 1.000002: kfree: call_site=a+0x0/0x1 ptr=0000000000000000\n");
        Result json = run(replay(), t.toString(), "mem=64M", "nr_cpus=2", "--json", "--no-timing");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(jsonLong(json.out(), "slub", "folded_cpu_events")).isEqualTo(1);
        assertThat(jsonLong(json.out(), "slub", "null_frees")).isEqualTo(1);
        Result table = run(replay(), t.toString(), "mem=64M", "nr_cpus=2", "--no-timing");
        assertThat(table.out()).contains("note: 1 events of CPUs this machine does not have ran on cpu % nr_cpus");
        // Without nr_cpus= the machine gets 1 + the highest CPU the first lines name: nothing folds.
        Result auto = run(replay(), t.toString(), "mem=64M", "--json", "--no-timing");
        assertThat(jsonLong(auto.out(), "slub", "folded_cpu_events")).isZero();
        // ... while the report still says the trace does not state its CPU count.
        assertThat(jsonLong(auto.out(), "trace", "cpus")).isEqualTo(-1);
    }

    @Test
    void cpusSeen_isOnePlusTheHighestCpuOfTheEventLines() {
        byte[] b = ("# entries #P:16 [015]\n  sh-1 [002] ..... 1.0: kfree: ptr=0\n"
                        + "  <idle>-0 [011] d.h1. 2.0: kfree: ptr=0 [999]\n  x-2 [001] ..... 3.0: sched_switch: a=[42]\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(TraceFileSource.cpusSeen(b, b.length)).isEqualTo(12);
        assertThat(TraceFileSource.cpusSeen(b, 0)).isEqualTo(-1);
    }

    @Test
    void truncatedAndAbsurdLines_replayWithMalformedCounted() throws IOException {
        Path t = tmp.resolve("bad.txt");
        Files.writeString(
                t,
                "# tracer: nop\n"
                        + "  sh-1 [000] ..... 1.000001: kmalloc: call_site=a+0x0/0x1 ptr=0000000000001000 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL\n"
                        + "  sh-1 [000] ..... 1.000002: kmalloc: call_site=a+0x0/0x1 ptr=00000000000010\n"
                        + "  sh-1 [000] ..... 1.000003: mm_page_alloc: page=0000000000000001 pfn=0x10 order=99 migratetype=0 gfp_flags=GFP_KERNEL\n"
                        + "  sh-1 [000] ..... 1.000004: kmalloc: call_site=a+0x0/0x1 ptr=0000000000002000 bytes_req=-4 bytes_alloc=8 gfp_flags=GFP_KERNEL\n"
                        + "  sh-1 [000] ..... 1.000005: sched_switch: prev_comm=sh\n"
                        // Good lines enough that the malformed ones are not most of them: the run goes on.
                        + "  sh-1 [000] ..... 1.000006: kmalloc: call_site=a+0x0/0x1 ptr=0000000000003000 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n"
                        + "  sh-1 [000] ..... 1.000007: kfree: call_site=a+0x0/0x1 ptr=0000000000003000\n"
                        + "  sh-1 [000] ..... 1.000008: kfree: call_site=a+0x0/0x1 ptr=0000000000001000\n"
                        + "  sh-1 [000] ..... 1.0000",
                StandardCharsets.UTF_8);
        Result r = run(replay(), t.toString(), "mem=128M", "--no-timing");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "malformed lines (first 4 of 4):",
                        "line 3: missing bytes_req=",
                        "line 4: order out of range 0..10",
                        "line 5: negative bytes_req",
                        "line 10: no timestamp");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void mostLinesMalformed_rejectedWithTheReason_exit1() throws IOException {
        Path t = tmp.resolve("mostly-bad.txt");
        Files.writeString(
                t,
                "  sh-1 [000] ..... 1.000001: kmalloc: call_site=a+0x0/0x1 ptr=0000000000001000 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL\n"
                        + "  sh-1 [000] ..... 1.000002: kmalloc: call_site=a+0x0/0x1 ptr=00000000000010\n"
                        + "  sh-1 [000] ..... 1.000003: kmalloc: call_site=a+0x0/0x1 ptr=xyz bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n",
                StandardCharsets.UTF_8);
        Result r = run(replay(), t.toString(), "mem=128M", "--no-timing");
        assertExit(r, 1, "2 of 3 event lines are malformed (first: line 2: missing bytes_req=)");
    }

    @Test
    void nothingApplied_exit1_withWhatWasSkipped() throws IOException {
        // Every line well-formed, none applied: frees of objects allocated before the capture.
        Path t = tmp.resolve("only-frees.txt");
        Files.writeString(
                t,
                "  sh-1 [000] ..... 1.000001: kfree: call_site=a+0x0/0x1 ptr=0000000000001000\n"
                        + "  sh-1 [000] ..... 1.000002: kfree: call_site=a+0x0/0x1 ptr=0000000000002000\n",
                StandardCharsets.UTF_8);
        Result r = run(replay(), t.toString(), "mem=128M", "--no-timing");
        assertExit(r, 1, "no event applied: 2 event lines, 0 malformed; skipped: 2 free of a pointer not allocated");
    }

    /**
     * The round trip of issue 6 §5, exact under every allocator: the emitted trace carries each
     * cache's kmem_cache_create arguments as {@code # kmemlab cache:} comments, so the replay creates
     * the same caches at the same points (same merges, same object sizes), and everything the
     * first run ended with is reproduced: slabinfo, buddyinfo, bytes, peak.
     */
    @ParameterizedTest
    @ValueSource(strings = {"slab", "slub", "slob"})
    void emitTrace_thenReplayIt_sameFinalSlabinfoAndBuddyinfo(String allocator) throws Exception {
        // Round trip: a workload replayed with tracing on; the emitted trace replayed again.
        EventSource w = Workload.MIXED.source(3, 20_000, 2);
        Path emitted = tmp.resolve("emitted-" + allocator + ".txt");
        List<String> words = List.of("mem=128M");
        Replayer.Run first = ReplaySession.runAll(
                        KERNEL,
                        ReplayOptions.DEFAULT,
                        () -> 0,
                        ProgressListener.NONE,
                        w,
                        List.of(allocator),
                        words,
                        emitted)
                .get(0);
        Path again = tmp.resolve("emitted-again-" + allocator + ".txt");
        Replayer.Run second = ReplaySession.runAll(
                        KERNEL,
                        ReplayOptions.DEFAULT,
                        () -> 0,
                        ProgressListener.NONE,
                        new TraceFileSource(emitted, null),
                        List.of(allocator),
                        words,
                        again)
                .get(0);
        ReplayStats s1 = first.stats();
        ReplayStats s2 = second.stats();
        // The replay of kmemlab's trace emits that very trace again, line for line: same events,
        // same pointers, same cache comments at the same places.
        List<String> trace1 = Files.readAllLines(emitted);
        assertThat(trace1).anyMatch(l -> l.startsWith("# kmemlab cache: name="));
        assertThat(Files.readAllLines(again)).isEqualTo(trace1);
        assertThat(s1.cachesCreated()).isPositive();
        assertThat(s2.cacheComments()).isEqualTo(s1.cachesCreated());
        assertThat(s2.cachesDefined()).isEqualTo(s1.cachesCreated());
        assertThat(s2.cachesCreated()).isZero();
        assertThat(s2.malformed()).isZero();
        assertThat(s2.unmatchedFrees()).isZero();
        assertThat(s2.failures()).isZero();
        assertThat(s2.allocations()).isEqualTo(s1.allocations());
        assertThat(s2.frees()).isEqualTo(s1.frees());
        assertThat(s2.liveObjects()).isEqualTo(s1.liveObjects());
        // bytes_req is what the trace says: kmem_cache_alloc prints s->object_size, which an alias
        // raises (__kmem_cache_alias), so the emitted trace (like a kernel's) can show more than
        // the workload asked; the replay counts what its input says, as perf kmem stat does.
        assertThat(s2.bytesReq()).isEqualTo(tracedBytesReq(trace1));
        assertThat(s2.bytesReq()).isGreaterThanOrEqualTo(s1.bytesReq());
        assertThat(s2.bytesAlloc()).isEqualTo(s1.bytesAlloc());
        assertThat(s2.finalSlabBytes()).isEqualTo(s1.finalSlabBytes());
        assertThat(s2.peakSlabBytes()).isEqualTo(s1.peakSlabBytes());
        assertThat(s2.activeObjs()).isEqualTo(s1.activeObjs());
        assertThat(s2.totalObjs()).isEqualTo(s1.totalObjs());
        assertThat((second.target().slab().allocator().slabinfo() != null)).isEqualTo(!allocator.equals("slob"));
        if (second.target().machine().vfs().exists("/proc/slabinfo")) {
            assertThat(second.target().machine().vfs().read("/proc/slabinfo"))
                    .isEqualTo(first.target().machine().vfs().read("/proc/slabinfo"));
        }
        assertThat(second.target().machine().vfs().read("/proc/buddyinfo"))
                .isEqualTo(first.target().machine().vfs().read("/proc/buddyinfo"));
        assertThat(second.target().machine().vfs().read("/proc/meminfo"))
                .isEqualTo(first.target().machine().vfs().read("/proc/meminfo"));
        // The report's per-zone fragmentation is the kernel's debugfs view, the same after the trip.
        String unusable = second.target().machine().vfs().read("/sys/kernel/debug/extfrag/unusable_index");
        assertThat(unusable).isEqualTo(first.target().machine().vfs().read("/sys/kernel/debug/extfrag/unusable_index"));
        assertThat(zoneLines(s2.fragEndZones())).isEqualTo(unusable).isEqualTo(zoneLines(s1.fragEndZones()));
        assertThat(zoneLines(s2.fragPeakZones()))
                .isEqualTo(zoneLines(s1.fragPeakZones()))
                .isNotEmpty();
    }

    static String zoneLines(List<BuddyFragmentation.Zone> zones) {
        StringBuilder sb = new StringBuilder();
        for (BuddyFragmentation.Zone z : zones) {
            sb.append(z.unusableLine()).append('\n');
        }
        return sb.toString();
    }

    /**
     * The round trip from a real kernel's trace: its replay (caches shaped from the lines) emits a
     * kmemlab trace, whose replay (caches from the comments) ends in the same state and emits the
     * same trace again, under every allocator.
     */
    @Test
    void realExcerpt_emitted_thenReplayed_sameStateAndSameTrace_allAllocators() throws Exception {
        Path out = tmp.resolve("excerpt-emitted.txt");
        List<String> words = List.of("mem=256M", "nr_cpus=2");
        List<Replayer.Run> first = ReplaySession.runAll(
                KERNEL,
                ReplayOptions.DEFAULT,
                () -> 0,
                ProgressListener.NONE,
                new TraceFileSource(excerpt, null),
                ALL,
                words,
                out);
        for (int i = 0; i < ALL.size(); i++) {
            String a = ALL.get(i);
            Path emitted = ReplaySession.emitPath(out, a, true);
            Path again = tmp.resolve("excerpt-again." + a + ".txt");
            Replayer.Run second = ReplaySession.runAll(
                            KERNEL,
                            ReplayOptions.DEFAULT,
                            () -> 0,
                            ProgressListener.NONE,
                            new TraceFileSource(emitted, null),
                            List.of(a),
                            words,
                            again)
                    .get(0);
            ReplayTarget t1 = first.get(i).target();
            ReplayTarget t2 = second.target();
            assertThat(second.stats().cachesDefined())
                    .as(a)
                    .isEqualTo(first.get(i).stats().cachesCreated())
                    .isPositive();
            assertThat(second.stats().unmatchedFrees()).as(a).isZero();
            assertThat(second.stats().bytesAlloc())
                    .as(a)
                    .isEqualTo(first.get(i).stats().bytesAlloc());
            assertThat(second.stats().finalSlabBytes())
                    .as(a)
                    .isEqualTo(first.get(i).stats().finalSlabBytes());
            for (String f : List.of("/proc/buddyinfo", "/proc/meminfo")) {
                assertThat(t2.machine().vfs().read(f))
                        .as(a + " " + f)
                        .isEqualTo(t1.machine().vfs().read(f));
            }
            if (t1.machine().vfs().exists("/proc/slabinfo")) {
                assertThat(t2.machine().vfs().read("/proc/slabinfo"))
                        .as(a)
                        .isEqualTo(t1.machine().vfs().read("/proc/slabinfo"));
            }
            assertThat(Files.readAllLines(again)).as(a).isEqualTo(Files.readAllLines(emitted));
        }
    }

    /** Sum of bytes_req over the kmalloc and kmem_cache_alloc lines of a trace. */
    static long tracedBytesReq(List<String> lines) {
        Pattern p = Pattern.compile(": (kmalloc|kmem_cache_alloc): .* bytes_req=(\\d+) ");
        long sum = 0;
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                sum += Long.parseLong(m.group(2));
            }
        }
        return sum;
    }

    @Test
    void compare_defaultWorkload_printsTableAndWritesCharts() throws IOException {
        Path out = tmp.resolve("charts");
        CompareCommand c = new CompareCommand().withTicker(() -> 0);
        Result r = run(c, "--events", "5000", "--out", out.toString(), "--no-timing", "mem=128M");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "workload:mixed", "slab", "slub", "slob", "chart: " + out.resolve("compare-mixed-memory.png"));
        for (String f : List.of(
                "compare-mixed-memory.png",
                "compare-mixed-memory.svg",
                "compare-mixed-fragmentation.png",
                "compare-mixed-fragmentation.svg")) {
            assertThat(out.resolve(f)).exists();
            assertThat(Files.size(out.resolve(f))).isPositive();
        }
        byte[] png = Files.readAllBytes(out.resolve("compare-mixed-memory.png"));
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        assertThat(Files.readString(out.resolve("compare-mixed-memory.svg"))).contains("<svg");
    }

    @Test
    void mallocLabTrace_detectedAndReplayed_withKrealloc() throws IOException {
        // CS:APP short1-bal.rep shape: heap size, ids, ops, weight; then a/r/f operations.
        Path rep = tmp.resolve("short.rep");
        Files.writeString(rep, "20000\n3\n7\n1\na 0 2040\na 1 4010\nr 0 4100\na 2 48\nf 1\nf 0\nf 2\n");
        Result r = run(replay(), rep.toString(), "--slab", "all", "--json", "--no-timing", "mem=64M");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"format\": \"malloclab\"");
        for (String a : ALL) {
            assertThat(jsonLong(r.out(), a, "events")).isEqualTo(7);
            assertThat(jsonLong(r.out(), a, "applied")).isEqualTo(7);
            assertThat(jsonLong(r.out(), a, "live_objects")).isZero();
        }
    }

    @Test
    void emitTraceOption_writesAnFtraceFileThatParsesBack() throws IOException {
        Path out = tmp.resolve("emitted-by-command.txt");
        Result r = run(replay(), excerpt.toString(), "mem=256M", "--no-timing", "--emit-trace", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("kmem trace written to " + out);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("# tracer: nop");
        assertThat(lines)
                .anyMatch(l -> l.contains(": kmem_cache_alloc: call_site=getname_flags.part.0+0x24/0x1f0 ")
                        && l.contains(" name=names_cache "));
        // Call sites are re-interned in the replay machine's kallsyms: none prints as a bare address.
        assertThat(lines).noneMatch(l -> l.contains("call_site=0x"));
        Result again = run(replay(), out.toString(), "mem=256M", "--json", "--no-timing");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(jsonLong(again.out(), "slub", "malformed")).isZero();
        assertThat(jsonLong(again.out(), "slub", "unmatched_frees")).isZero();
    }

    @Test
    void outOfMemory_failuresCountedAndReported_replayCompletes() throws IOException {
        Path t = tmp.resolve("oom.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 6000; i++) {
            sb.append(String.format(
                    "  sh-1 [000] ..... 1.%06d: kmalloc: call_site=a+0x0/0x1 ptr=%016x bytes_req=4000 "
                            + "bytes_alloc=4096 gfp_flags=GFP_KERNEL%n",
                    i, i * 16L));
        }
        Files.writeString(t, sb.toString());
        Result r = run(replay(), t.toString(), "mem=16M", "--json", "--no-timing");
        assertThat(r.exit()).as(r.err()).isZero();
        long failures = jsonLong(r.out(), "slub", "failures");
        assertThat(failures).isPositive();
        assertThat(jsonLong(r.out(), "slub", "allocations") + failures).isEqualTo(6000);
        assertThat(jsonLong(r.out(), "slub", "page_alloc_failure")).isPositive();
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void truncatedCompressedTrace_isRejected() throws IOException {
        Path cut = tmp.resolve("cut.txt.xz");
        byte[] all = Files.readAllBytes(excerpt);
        Files.write(cut, java.util.Arrays.copyOf(all, 2000));
        assertExit(run(replay(), cut.toString()), 1, "cut.txt.xz");
        Path gz = tmp.resolve("cut.txt.gz");
        Files.write(gz, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0});
        assertExit(run(replay(), gz.toString()), 1, "cannot read");
    }

    @Test
    void compare_traceFile_allAllocators_chartsNamedAfterTheTrace() {
        Path out = tmp.resolve("charts-trace");
        Result r = run(
                new CompareCommand().withTicker(() -> 0),
                excerpt.toString(),
                "mem=256M",
                "--out",
                out.toString(),
                "--no-timing");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "trace: " + excerpt,
                        "top caches the replay used under slab",
                        "top caches the replay used under slob");
        assertThat(out.resolve("kmem-618-excerpt8k-memory.png")).exists();
        assertThat(out.resolve("kmem-618-excerpt8k-fragmentation.svg")).exists();
    }

    @Test
    void compare_unknownWorkload_isUsageError() {
        CompareCommand c = new CompareCommand();
        assertExit(run(c, "--workload", "nope", "--no-chart"), 2, "unknown workload");
    }

    private static void assertExit(Result r, int code, String message) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(code);
        assertThat(r.err()).contains(message);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(": kmemlab: ");
    }
}
