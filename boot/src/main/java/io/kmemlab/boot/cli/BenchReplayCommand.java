package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.ReplayEngine;
import io.kmemlab.boot.replay.ReplayMachineFactory;
import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.boot.replay.ReplayTarget;
import io.kmemlab.boot.replay.Replayer;
import io.kmemlab.boot.replay.report.ReplayReport;
import io.kmemlab.boot.replay.source.EventBlock;
import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.LoadedTrace;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.TraceSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmemlab bench replay TRACE [--slab slab|slub|slob|all] [--rounds N] [--warmup N] [WORDS…]}:
 * steady-state replay throughput. The trace is decompressed into memory once and parsed into
 * {@link EventBlock}s (parsing itself is timed once per round, from memory, and the last parse
 * kept); then every round
 * boots a fresh machine per allocator and replays all events on it, timing only the replay loop
 * (wall and thread CPU time). Warm-up rounds let the JIT compile the hot paths; the measured
 * rounds give events/s each and their median.
 *
 * <p>The replay results must be the same in every round (the emulation is deterministic; only
 * timings may differ): each round's timing-free JSON report is compared with the first round's,
 * and a difference is a kmemlab bug, reported with exit status 3.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measure steady-state replay throughput: read TRACE into memory once and parse it there "
                    + "(timed, once per round); then in every round boot a fresh machine per allocator and "
                    + "replay all parsed events on it, timing only the replay loop (wall and thread CPU time).",
            "Prints events/s per allocator and round, the median of the measured rounds, parse-only "
                    + "lines/s, and checks that every round's replay results are identical.",
            "Garbage of earlier rounds is collected (System.gc) before each timed loop; what a loop "
                    + "allocates itself stays in its time.",
            "WORDS are kernel command-line words for the machines, as for kmemlab replay.",
        },
        footer = {
            "",
            "Exit status: 0 measured, 1 trace rejected, 2 usage error, 3 rounds disagreed (a kmemlab bug).",
        })
public final class BenchReplayCommand extends ReplayingCommand<BenchReplayCommand> {
    /** Rounds disagreed: the emulation was not deterministic. */
    static final int EXIT_ROUNDS_DIFFER = 3;

    private LongSupplier cpuTicker = threadCpuTicker();

    @Mixin
    ReplayRun.SlabOption slab = new ReplayRun.SlabOption("all");

    @Option(
            names = "--rounds",
            paramLabel = "N",
            defaultValue = "5",
            description = "Measured rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            defaultValue = "5",
            description = "Warm-up rounds before them, not in the median (default: ${DEFAULT-VALUE}).")
    int warmup;

    public BenchReplayCommand() {}

    /** With an explicit list of the allocators {@code factory} can boot. */
    public BenchReplayCommand(ReplayMachineFactory factory, List<String> available) {
        super(factory, available);
    }

    /** Replaces the wall clock and the thread CPU clock (tests). */
    public BenchReplayCommand withTickers(LongSupplier wall, LongSupplier cpu) {
        this.cpuTicker = cpu;
        return withTicker(wall);
    }

    private static LongSupplier threadCpuTicker() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx::getCurrentThreadCpuTime : () -> 0;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplayRun run = new ReplayRun("kmemlab bench replay", spec.commandLine());
        List<String> allocators = slab.allocators(spec.commandLine(), available);
        if (rounds < 1 || rounds > 1000 || warmup < 0 || warmup > 1000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be 1…1000 and --warmup 0…1000");
        }
        EventSource opened = run.open(input, null);
        if (opened == null) {
            return ReplayRun.EXIT_REJECTED;
        }
        if (!(opened instanceof TraceFileSource source)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "bench replay measures a trace file: --workload is for replay and compare");
        }
        byte[] text;
        try {
            text = LoadedTrace.readText(source);
        } catch (IOException e) {
            return run.fail(ReplayRun.EXIT_REJECTED, source.name() + ": read error: " + TraceFileSource.describe(e))
                    .exit();
        }
        List<String> boot = input.bootWords(source);
        ReplayMachineFactory machines = Variant.factory(factory, Variant.of(allocators));
        int total = warmup + rounds;

        // Parse-only: the text in memory into event blocks, once per round; the last parse is kept.
        long[] parseWall = new long[total];
        LoadedTrace loaded = null;
        for (int r = 0; r < total; r++) {
            loaded = null;
            System.gc();
            long t0 = ticker.getAsLong();
            loaded = LoadedTrace.parse(text, source.traceFormat(), source.name(), source.cpus());
            parseWall[r] = ticker.getAsLong() - t0;
        }
        long textBytes = text.length;
        // Only the parsed blocks are needed from here on.
        text = null;
        TraceSummary summary = loaded.summary();
        if (loaded.events() == 0) {
            return run.fail(
                            ReplayRun.EXIT_REJECTED,
                            source.name() + ": no trace events in " + summary.lines() + " lines")
                    .exit();
        }
        out.printf(
                Locale.ROOT,
                "kmemlab bench replay: %s (%s, %d lines, %d events, %.1f MiB of text)%n",
                summary.name(),
                summary.format(),
                summary.lines(),
                loaded.events(),
                textBytes / 1048576.0);
        out.printf(Locale.ROOT, "boot words: %s%n", String.join(" ", boot));
        out.printf(
                Locale.ROOT,
                "rounds: %d warm-up + %d measured; each round boots a fresh machine per allocator "
                        + "and times only its replay loop%n",
                warmup,
                rounds);
        out.println();
        out.println("parse (text in memory -> event blocks)");
        out.printf(Locale.ROOT, "  %-6s %10s %14s%n", "round", "wall ms", "lines/s");
        for (int r = 0; r < total; r++) {
            out.printf(
                    Locale.ROOT,
                    "  %-6s %10s %14s%n",
                    roundName(r),
                    millis(parseWall[r]),
                    rate(summary.lines(), parseWall[r]));
        }
        out.printf(Locale.ROOT, "  %-6s %10s %14s%n", "median", "", rate(summary.lines(), median(parseWall, warmup)));
        out.println();
        out.flush();

        ReplayOptions options = input.replayOptions();
        int n = allocators.size();
        long[][] wall = new long[n][total];
        long[][] cpu = new long[n][total];
        String[] firstResult = new String[n];
        long[] finalSlabBytes = new long[n];
        out.println("replay (events/s over the timed loop)");
        out.printf(
                Locale.ROOT,
                "  %-6s %-9s %10s %10s %14s %14s%n",
                "round",
                "allocator",
                "wall ms",
                "cpu ms",
                "events/s wall",
                "events/s cpu");
        for (int r = 0; r < total; r++) {
            for (int a = 0; a < n; a++) {
                ReplayTarget target;
                try {
                    target = machines.boot(allocators.get(a), boot);
                } catch (IllegalArgumentException e) {
                    return run.fail(CommandLine.ExitCode.USAGE, e.getMessage()).exit();
                } catch (OutOfMemoryError e) {
                    err.println(run.outOfHeap(boot, 1));
                    return CommandLine.ExitCode.USAGE;
                }
                ReplayEngine engine = loaded.engine(target, options);
                // The machines of earlier rounds are garbage now: collect them here rather than
                // inside a timed loop (what the loop itself allocates is still timed).
                System.gc();
                long c0 = cpuTicker.getAsLong();
                long t0 = ticker.getAsLong();
                loaded.replay(engine);
                wall[a][r] = ticker.getAsLong() - t0;
                cpu[a][r] = cpuTicker.getAsLong() - c0;
                ReplayStats stats = engine.finish();
                // wallNanos stays 0 in these stats: the report holds no timing, only results.
                String result = ReplayReport.json(summary, List.of(stats));
                String rejected = r == 0 ? Replayer.rejection(source.name(), summary.format(), stats) : null;
                if (rejected != null) {
                    // As replay does: a run that read no events, or applied none, measures nothing.
                    out.flush();
                    return run.fail(ReplayRun.EXIT_REJECTED, rejected).exit();
                }
                if (r == 0) {
                    firstResult[a] = result;
                    finalSlabBytes[a] = stats.finalSlabBytes();
                } else if (!result.equals(firstResult[a])) {
                    out.flush();
                    err.printf(
                            Locale.ROOT,
                            "kmemlab bench replay: round %s under %s gave other results than "
                                    + "round %s (the replay is not deterministic: a kmemlab bug)%n",
                            roundName(r),
                            allocators.get(a),
                            roundName(0));
                    return EXIT_ROUNDS_DIFFER;
                }
                out.printf(
                        Locale.ROOT,
                        "  %-6s %-9s %10s %10s %14s %14s%n",
                        roundName(r),
                        allocators.get(a),
                        millis(wall[a][r]),
                        millis(cpu[a][r]),
                        rate(loaded.events(), wall[a][r]),
                        rate(loaded.events(), cpu[a][r]));
                out.flush();
            }
        }
        out.println();
        out.printf(Locale.ROOT, "median of the %d measured round%s%n", rounds, rounds == 1 ? "" : "s");
        out.printf(Locale.ROOT, "  %-9s %14s %14s%n", "allocator", "events/s wall", "events/s cpu");
        for (int a = 0; a < n; a++) {
            out.printf(
                    Locale.ROOT,
                    "  %-9s %14s %14s%n",
                    allocators.get(a),
                    rate(loaded.events(), median(wall[a], warmup)),
                    rate(loaded.events(), median(cpu[a], warmup)));
        }
        out.println();
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < n; a++) {
            sb.append(a == 0 ? "" : ", ").append(allocators.get(a)).append(' ').append(finalSlabBytes[a]);
        }
        if (total == 1) {
            out.printf(Locale.ROOT, "results of the single round (final slab bytes: %s)%n", sb);
        } else {
            out.printf(
                    Locale.ROOT,
                    "results identical in all %d rounds of each allocator (final slab bytes: %s)%n",
                    total,
                    sb);
        }
        out.flush();
        return 0;
    }

    private String roundName(int r) {
        return r < warmup ? "w" + (r + 1) : Integer.toString(r - warmup + 1);
    }

    /** Median of the measured rounds (from index {@code from} on). */
    static long median(long[] values, int from) {
        long[] m = Arrays.copyOfRange(values, from, values.length);
        Arrays.sort(m);
        int k = m.length / 2;
        return m.length % 2 == 1 ? m[k] : (m[k - 1] + m[k]) / 2;
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String rate(long count, long nanos) {
        return nanos <= 0 ? "-" : Long.toString((long) (count * 1e9 / nanos));
    }
}
