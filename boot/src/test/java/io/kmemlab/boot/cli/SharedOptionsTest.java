package io.kmemlab.boot.cli;

import static io.kmemlab.boot.cli.ReplayCommandTest.jsonLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.cli.ReplayCommandTest.Result;
import io.kmemlab.boot.replay.KernelReplayFactory;
import io.kmemlab.boot.replay.ReplayMachineFactory;
import io.kmemlab.boot.replay.ReplayTarget;
import io.kmemlab.boot.replay.source.Workload;
import io.kmemlab.boot.testing.Cli;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The options replay, compare and bench replay share through {@link InputOptions} (and replay and
 * compare through {@link ReportOptions}): every command takes them and honours them alike.
 */
class SharedOptionsTest {
    /** CS:APP short1-bal.rep shape, which auto-detection reads as malloc-lab. */
    private static final String REP = "20000\n3\n7\n1\na 0 2040\na 1 4010\nr 0 4100\na 2 48\nf 1\nf 0\nf 2\n";

    @TempDir
    static Path tmp;

    static Path rep;

    @BeforeAll
    static void writeTrace() throws IOException {
        rep = Files.writeString(tmp.resolve("short.rep"), REP);
    }

    /** A fresh instance of each command that takes the input options, with no timing. */
    static List<Supplier<Object>> inputCommands() {
        return List.of(
                () -> new ReplayCommand().withTicker(() -> 0),
                () -> new CompareCommand().withTicker(() -> 0),
                () -> new BenchReplayCommand().withTickers(() -> 0, () -> 0));
    }

    /** Extra arguments that keep each command short (no charts, one round). */
    static String[] quick(Object command, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (command instanceof CompareCommand) {
            all.add("--no-chart");
        }
        if (command instanceof BenchReplayCommand) {
            all.addAll(List.of("--rounds", "1", "--warmup", "0", "--slab", "slub"));
        }
        return all.toArray(String[]::new);
    }

    @Test
    void everyInputCommand_takesTheFormatThePageEventsAndTheWords() {
        for (Supplier<Object> c : inputCommands()) {
            Object cmd = c.get();
            Result r = ReplayCommandTest.run(
                    cmd, quick(cmd, rep.toString(), "--format", "malloclab", "--page-events", "mem=64M", "nr_cpus=1"));
            assertThat(r.exit())
                    .as(cmd.getClass().getSimpleName() + ": " + r.err())
                    .isZero();
            // Forced to the wrong format, every command rejects the trace with the same reason.
            Object again = c.get();
            Result wrong = ReplayCommandTest.run(again, quick(again, rep.toString(), "--format", "ftrace", "mem=64M"));
            assertThat(wrong.exit()).as(again.getClass().getSimpleName()).isEqualTo(1);
            assertThat(wrong.err()).contains(rep + ": not a ftrace trace: all 11 event lines are malformed");
        }
    }

    @Test
    void everyInputCommand_listsTheFormatsAndWorkloadsInItsHelp_andRefusesOthersNamingThem() {
        for (Supplier<Object> c : inputCommands()) {
            String help = ReplayCommandTest.run(c.get(), "--help").out().replaceAll("\\s+", " ");
            assertThat(help)
                    .contains(
                            "Trace format: auto, ftrace, malloclab (default: auto).",
                            "A built-in workload instead of a trace: fork, fs, net, kmalloc-mix, mixed.",
                            "[TRACE|WORDS...]",
                            "--page-events");
            Result bad = ReplayCommandTest.run(c.get(), rep.toString(), "--format", "pcap");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err())
                    .contains("Invalid value for option '--format': unknown format 'pcap' "
                            + "(auto, ftrace, malloclab)");
            Result badWorkload = ReplayCommandTest.run(c.get(), "--workload", "forks");
            assertThat(badWorkload.err()).contains("unknown workload 'forks' (fork, fs, net, kmalloc-mix, mixed)");
        }
    }

    @Test
    void inputFormats_coverEveryTraceFormat_underItsOwnName() {
        for (TraceInputFormat f : TraceInputFormat.values()) {
            assertThat(new InputFormat.Converter().convert(f.cliName()).forced())
                    .isEqualTo(f);
        }
        assertThat(new InputFormat.Converter().convert("auto").forced()).isNull();
        for (Workload w : Workload.values()) {
            assertThat(new InputOptions.WorkloadConverter().convert(w.cliName()))
                    .isEqualTo(w);
        }
    }

    @Test
    void replayAndCompare_takeTheReportOptions_jsonIsReportJson() {
        for (Supplier<Object> c : inputCommands().subList(0, 2)) {
            Object cmd = c.get();
            Result json = ReplayCommandTest.run(cmd, quick(cmd, rep.toString(), "--json", "--no-timing", "mem=64M"));
            Object cmd2 = c.get();
            Result report = ReplayCommandTest.run(
                    cmd2, quick(cmd2, rep.toString(), "--report", "json", "--no-timing", "mem=64M"));
            assertThat(json.exit()).as(json.err()).isZero();
            assertThat(json.out()).startsWith("{\n  \"trace\": {").isEqualTo(report.out());
            assertThat(jsonLong(json.out(), "slub", "events_per_second")).isZero();
            Object cmd3 = c.get();
            Result table = ReplayCommandTest.run(cmd3, quick(cmd3, rep.toString(), "--report", "table", "mem=64M"));
            assertThat(table.out()).contains("events read", "bytes requested");
            Result help = ReplayCommandTest.run(c.get(), "--help");
            assertThat(help.out()).contains("The report: table, json (default: table).", "--emit-trace", "--no-timing");
            Result bad = ReplayCommandTest.run(c.get(), rep.toString(), "--report", "csv");
            assertThat(bad.err()).contains("unknown report format 'csv' (table, json)");
        }
    }

    @Test
    void replayTakesAWorkload_andBenchReplaySaysItMeasuresTraceFiles() {
        Result r = ReplayCommandTest.run(
                new ReplayCommand().withTicker(() -> 0),
                "--workload",
                "fork",
                "--events",
                "300",
                "--json",
                "--no-timing",
                "mem=64M");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(jsonLong(r.out(), "slub", "events")).isEqualTo(300);
        assertThat(r.out()).contains("workload:fork (seed 1, 300 events, 2 CPUs)");
        Result b = ReplayCommandTest.run(new BenchReplayCommand(), "--workload", "fork");
        assertThat(b.exit()).isEqualTo(2);
        assertThat(b.err()).contains("bench replay measures a trace file");
        Result none = ReplayCommandTest.run(new BenchReplayCommand());
        assertThat(none.err()).contains("Missing required parameter: 'TRACE'");
    }

    @Test
    void compareEmitsATracePerAllocator_likeReplay() throws IOException {
        Path out = tmp.resolve("cmp.txt");
        Result r = ReplayCommandTest.run(
                new CompareCommand().withTicker(() -> 0),
                "--workload",
                "kmalloc-mix",
                "--events",
                "200",
                "--no-chart",
                "--no-timing",
                "--emit-trace",
                out.toString(),
                "mem=64M");
        assertThat(r.exit()).as(r.err()).isZero();
        for (String a : ReplayCommandTest.ALL) {
            Path p = tmp.resolve("cmp." + a + ".txt");
            assertThat(r.err()).contains("kmem trace written to " + p);
            assertThat(Files.readString(p)).startsWith("# tracer: nop").contains(": kmalloc: ");
        }
    }

    @Test
    void oneCommandRunTwice_theSecondInputIsItsOwn() {
        CompareCommand c = new CompareCommand().withTicker(() -> 0);
        Path first = tmp.resolve("charts-1");
        Path second = tmp.resolve("charts-2");
        assertThat(ReplayCommandTest.run(c, rep.toString(), "--no-timing", "--out", first.toString(), "mem=64M")
                        .exit())
                .isZero();
        Result r = ReplayCommandTest.run(
                c, "--workload", "fork", "--events", "100", "--no-timing", "--out", second.toString(), "mem=64M");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("input: workload:fork");
        assertThat(first.resolve("short-memory.svg")).exists();
        assertThat(second.resolve("compare-fork-memory.svg")).exists();
    }

    /** Records the words each allocator's machine was booted with. */
    static final class RecordingFactory implements ReplayMachineFactory {
        final KernelReplayFactory kernel = new KernelReplayFactory();
        final Map<String, List<String>> booted = new LinkedHashMap<>();

        @Override
        public ReplayTarget boot(String allocator, List<String> words) {
            synchronized (booted) {
                booted.put(allocator, List.copyOf(words));
            }
            return kernel.boot(allocator, words);
        }

        @Override
        public List<String> wordsFor(String allocator, List<String> selected, List<String> words) {
            return kernel.wordsFor(allocator, selected, words);
        }
    }

    @Test
    void compare_givesEachAllocatorItsOwnWords_andTheCommonOnesToAll() {
        RecordingFactory f = new RecordingFactory();
        Result r = ReplayCommandTest.run(
                new CompareCommand(f, ReplayCommandTest.ALL).withTicker(() -> 0),
                "--workload",
                "fork",
                "--events",
                "300",
                "--no-chart",
                "--no-timing",
                "mem=64M",
                "slab_freelist_random=on",
                "slob_fit=best",
                "noaliencache");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(f.booted.get("slub")).containsExactly("mem=64M", "slab_freelist_random=on", "nr_cpus=2");
        assertThat(f.booted.get("slob")).containsExactly("mem=64M", "slob_fit=best", "nr_cpus=2");
        assertThat(f.booted.get("slab")).containsExactly("mem=64M", "noaliencache", "nr_cpus=2");
    }

    @Test
    void aWordNoSelectedAllocatorKnows_isStillAUsageError() {
        Result unknown = ReplayCommandTest.run(
                new CompareCommand(), "--workload", "fork", "--events", "100", "--no-chart", "mem=64M", "slub_bogus=1");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("kmemlab compare: unknown boot parameter 'slub_bogus=1'");
        // replay runs SLUB only: SLOB's word is not SLUB's, as for a single boot.
        Result other = ReplayCommandTest.run(
                new ReplayCommand(), "--workload", "fork", "--events", "100", "mem=64M", "slob_fit=best");
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err())
                .contains("kmemlab replay: boot parameter 'slob_fit=best' belongs to slab=slob, " + "not slab=slub");
        Result slob = ReplayCommandTest.run(
                new ReplayCommand().withTicker(() -> 0),
                "--workload",
                "fork",
                "--events",
                "100",
                "--slab",
                "slob",
                "--no-timing",
                "mem=64M",
                "slob_fit=best");
        assertThat(slob.exit()).as(slob.err()).isZero();
    }

    @Test
    void heapAdvice_countsTheFramesOfEveryMachine_withHeadroom() {
        // 2^30 frames × 16 B = 16 GiB, a quarter more: the README's -Xmx20g.
        assertThat(HeapAdvice.heapGiB(4L << 40, 1)).isEqualTo(20);
        assertThat(HeapAdvice.heapGiB(4L << 40, 3)).isEqualTo(60);
        // 1T: 4 GiB of frames each; at least 1 GiB of headroom.
        assertThat(HeapAdvice.heapGiB(1L << 40, 1)).isEqualTo(5);
        assertThat(HeapAdvice.heapGiB(1L << 30, 1)).isEqualTo(2);
        assertThat(HeapAdvice.memBytes(List.of("mem=2G", "nr_cpus=2", "mem=4T")))
                .isEqualTo(4L << 40);
        assertThat(HeapAdvice.memBytes(List.of("nr_cpus=2"))).isEqualTo(1L << 30);
        assertThat(HeapAdvice.advice(List.of("mem=4T"), 1))
                .isEqualTo("1 machine of mem=4T needs about 20 GiB of Java heap: KMEMLAB_JAVA_OPTS=-Xmx20g");
        assertThat(HeapAdvice.advice(List.of("mem=1T"), 3))
                .isEqualTo("3 machines of mem=1T need about 15 GiB of Java heap: KMEMLAB_JAVA_OPTS=-Xmx15g");
        assertThat(HeapAdvice.advice(List.of("mem=1536M"), 3))
                .isEqualTo("3 machines of mem=1536M need about 2 GiB of Java heap: KMEMLAB_JAVA_OPTS=-Xmx2g");
    }

    @Test
    void outOfHeap_everyCommandAdvisesTheHeapItsMachinesNeed() {
        ReplayMachineFactory huge = (allocator, words) -> {
            throw new OutOfMemoryError("Java heap space");
        };
        Result replay = ReplayCommandTest.run(new ReplayCommand(huge, List.of("slub")), rep.toString(), "mem=4T");
        assertThat(replay.exit()).isEqualTo(2);
        assertThat(replay.err())
                .startsWith("kmemlab replay: out of Java heap replaying on mem=4T")
                .contains("1 machine of mem=4T needs about 20 GiB of Java heap: KMEMLAB_JAVA_OPTS=-Xmx20g");
        Result compare = ReplayCommandTest.run(
                new CompareCommand(huge, List.of("slab", "slub")), rep.toString(), "mem=4T", "--no-chart");
        assertThat(compare.err())
                .contains("2 machines of mem=4T need about 40 GiB of Java heap: " + "KMEMLAB_JAVA_OPTS=-Xmx40g");
        Result bench = ReplayCommandTest.run(
                new BenchReplayCommand(huge, List.of("slub")),
                rep.toString(),
                "mem=4T",
                "--rounds",
                "1",
                "--warmup",
                "0");
        assertThat(bench.exit()).isEqualTo(2);
        assertThat(bench.err()).contains("KMEMLAB_JAVA_OPTS=-Xmx20g");
        Cli.Run boot = Cli.run(
                () -> {
                    throw new OutOfMemoryError("Java heap space");
                },
                "",
                "boot",
                "mem=4T");
        assertThat(boot.exit()).isEqualTo(2);
        assertThat(boot.err())
                .isEqualTo("kmemlab: out of Java heap booting mem=4T (1 machine of mem=4T needs "
                        + "about 20 GiB of Java heap: KMEMLAB_JAVA_OPTS=-Xmx20g)\n");
    }

    @Test
    void messagesNameTheReason_notThePathTwice() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path charts = file.resolve("charts");
        Result r = ReplayCommandTest.run(
                new CompareCommand().withTicker(() -> 0),
                "--workload",
                "fork",
                "--events",
                "100",
                "--no-timing",
                "--out",
                charts.toString(),
                "mem=64M");
        assertThat(r.exit()).isEqualTo(1);
        String line = r.err()
                .lines()
                .filter(l -> l.startsWith("kmemlab compare: "))
                .findFirst()
                .orElseThrow();
        assertThat(line).startsWith("kmemlab compare: cannot write charts to " + charts + ": ");
        String reason = line.substring(("kmemlab compare: cannot write charts to " + charts + ": ").length());
        assertThat(reason).isNotBlank().doesNotContain(tmp.toString());

        Path missing = tmp.resolve("no/such/dir/t.txt");
        Cli.Run trace = Cli.run("--trace-file", missing.toString(), "boot", "mem=64M");
        assertThat(trace.exit()).isEqualTo(2);
        assertThat(trace.err()).isEqualTo("kmemlab: --trace-file " + missing + ": no such file or directory\n");
        Cli.Run script = Cli.run("run", tmp.resolve("no-script.txt").toString());
        assertThat(script.err())
                .isEqualTo("kmemlab: cannot read script '" + tmp.resolve("no-script.txt")
                        + "': no such file or directory\n");
    }

    /**
     * --trace-file is global, but only the commands that boot one machine and trace it write it:
     * every other command refuses it (exit 2, nothing written) instead of ignoring it.
     */
    @Test
    void traceFileIsRefusedByCommandsThatWriteNoTraceFile() {
        Path file = tmp.resolve("refused.txt");
        Cli.Run replay = Cli.run("--trace-file", file.toString(), "replay", rep.toString(), "--no-timing");
        assertThat(replay.exit()).isEqualTo(2);
        assertThat(replay.err())
                .isEqualTo("kmemlab: --trace-file: 'kmemlab replay' writes no trace events to a file"
                        + " (its own trace of the replay: --emit-trace FILE)\nTry 'kmemlab replay --help'.\n");
        assertThat(replay.out()).isEmpty();
        // after the subcommand too (the option is inherited)
        Cli.Run after = Cli.run("replay", "--trace-file", file.toString(), rep.toString(), "--no-timing");
        assertThat(after.exit()).isEqualTo(2);
        assertThat(after.err()).isEqualTo(replay.err());
        Cli.Run layout = Cli.run("--trace-file", file.toString(), "layout", "64");
        assertThat(layout.exit()).isEqualTo(2);
        assertThat(layout.err())
                .startsWith("kmemlab: --trace-file: 'kmemlab layout' writes no trace events to a file"
                        + " (boot, run, shell, malloc replay and malloc compare do)");
        assertThat(file).doesNotExist();
        // help still answers, and the commands that trace still write the file
        assertThat(Cli.run("--trace-file", file.toString(), "replay", "--help").exit())
                .isZero();
        Cli.Run boot = Cli.run("--trace-file", file.toString(), "boot", "mem=64M");
        assertThat(boot.exit()).isZero();
        assertThat(file).exists();
    }
}
