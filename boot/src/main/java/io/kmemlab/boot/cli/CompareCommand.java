package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.KernelReplayFactory;
import io.kmemlab.boot.replay.ProgressListener;
import io.kmemlab.boot.replay.ReplayMachineFactory;
import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.ReplaySession;
import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.boot.replay.Replayer;
import io.kmemlab.boot.replay.report.CompareChart;
import io.kmemlab.boot.replay.report.ReplayReport;
import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.TraceRejectedException;
import io.kmemlab.boot.replay.source.TraceSummary;
import io.kmemlab.boot.replay.source.Workload;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmemlab compare [--workload NAME | TRACE] [WORDS…]}: the same input through SLAB, SLUB and
 * SLOB, a side-by-side table, and charts of slab memory over virtual time and of fragmentation.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run SLAB, SLUB and SLOB on the same input and compare them: a side-by-side table and "
                    + "charts (PNG and SVG) of slab memory over virtual time and of fragmentation.",
            "The input is a built-in workload (--workload) or a trace file (as for replay). With no "
                    + "arguments: the 'mixed' workload.",
            "WORDS are kernel command-line words for every machine (mem=, nr_cpus=, …).",
        },
        footer = {
            "",
            "Exit status: 0 compared, 1 trace rejected or charts not written, 2 usage error.",
        })
public final class CompareCommand implements Callable<Integer> {
    /** Default workload length: a few seconds for all three allocators. */
    public static final long DEFAULT_EVENTS = 200_000;

    private final ReplayMachineFactory factory;
    private final List<String> available;
    private LongSupplier ticker = System::nanoTime;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "TRACE|WORDS",
            description = "A trace file (unless --workload is given; - is standard input), then kernel "
                    + "command-line words.")
    List<String> args = new ArrayList<>();

    @Option(names = "--workload", paramLabel = "NAME",
            description = "Built-in workload: fork, fs, net, kmalloc-mix, mixed.")
    String workload;

    @Option(names = "--events", paramLabel = "N", defaultValue = "200000",
            description = "Events a workload generates (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--workload-seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the workload's randomness (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "2",
            description = "CPUs a workload runs on (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "kmemlab-out",
            description = "Directory for the charts (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--no-chart", description = "Do not write charts.")
    boolean noChart;

    @Option(names = "--json", description = "Print the machine-readable report instead of the table.")
    boolean json;

    @Option(names = "--page-events", description = "Also replay page events of a trace (see replay --help).")
    boolean pageEvents;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "auto",
            description = "Trace format: auto, ftrace or malloclab (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--no-timing", description = "Leave wall time and events/s out (reproducible output).")
    boolean noTiming;

    @Option(names = "--dmesg", description = "After the report, print what each replay wrote to its kernel log.")
    boolean dmesg;

    /** On machines booted by {@link io.kmemlab.boot.Kernel} with the standard components. */
    public CompareCommand() {
        this(new KernelReplayFactory());
    }

    private CompareCommand(KernelReplayFactory factory) {
        this(factory, factory.allocators());
    }

    /** With an explicit list of the allocators {@code factory} can boot. */
    public CompareCommand(ReplayMachineFactory factory, List<String> available) {
        this.factory = factory;
        this.available = List.copyOf(available);
    }

    /** Replaces the wall clock (tests). */
    public CompareCommand withTicker(LongSupplier ticker) {
        this.ticker = ticker;
        return this;
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        List<String> allocators = ReplayCommand.resolveAllocators(cl, "all", available);
        List<String> words = new ArrayList<>(args);
        EventSource source;
        String chartName;
        if (workload == null && !words.isEmpty() && !words.get(0).contains("=")) {
            TraceInputFormat forced = null;
            if (!format.equals("auto")) {
                forced = TraceInputFormat.byCliName(format);
                if (forced == null) {
                    throw new CommandLine.ParameterException(cl, "unknown --format '" + format
                            + "' (auto, ftrace, malloclab)");
                }
            }
            String trace = words.remove(0);
            TraceFileSource file;
            try {
                file = TraceFileSource.of(trace, forced);
            } catch (TraceRejectedException e) {
                err.println("kmemlab compare: " + e.getMessage());
                return 1;
            }
            source = file;
            Path fileName = file.path() == null ? null : file.path().getFileName();
            chartName = (fileName == null ? "stdin" : fileName.toString()).replaceAll("\\.(txt|rep|trace)?(\\.(gz|xz))?$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        } else {
            String name = workload == null ? Workload.MIXED.cliName() : workload;
            Workload w = Workload.byName(name);
            if (w == null) {
                throw new CommandLine.ParameterException(cl, "unknown workload '" + name + "' (" + Workload.names() + ")");
            }
            if (events < 1 || cpus < 1 || cpus > 512) {
                throw new CommandLine.ParameterException(cl, "--events must be ≥ 1 and --cpus 1..512");
            }
            source = w.source(seed, events, cpus);
            chartName = "compare-" + w.cliName();
        }
        List<String> boot = new ArrayList<>(ReplaySession.bootWords(words, source.defaultCpus()));
        // Main's inherited --seed is the machine seed, as the boot word seed=N
        Object machineSeed = spec.findOption("--seed") == null ? null : spec.findOption("--seed").getValue();
        if (machineSeed != null) {
            boot.add("seed=" + machineSeed);
        }
        ReplayOptions options = ReplayOptions.DEFAULT.withPageEvents(pageEvents);
        List<Replayer.Run> runs;
        try {
            runs = ReplaySession.runAll(factory, options, noTiming ? () -> 0 : ticker,
                    ProgressListener.forStderr(), source, allocators, boot, null);
        } catch (TraceRejectedException e) {
            err.println("kmemlab compare: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("kmemlab compare: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("kmemlab compare: " + source.name() + ": " + TraceFileSource.describe(e));
            return 1;
        } catch (OutOfMemoryError e) {
            err.println(ReplayCommand.outOfHeap("compare", boot));
            return 2;
        }
        List<ReplayStats> stats = new ArrayList<>();
        for (Replayer.Run r : runs) {
            stats.add(r.stats());
        }
        TraceSummary summary = runs.get(0).trace();
        out.print(json ? ReplayReport.json(summary, stats) : ReplayReport.table(summary, stats));
        if (dmesg && !json) {
            out.print(ReplayReport.dmesg(stats));
        }
        out.flush();
        if (!noChart) {
            try {
                List<Path> files = CompareChart.write(outDir, chartName, source.name(), stats);
                for (Path p : files) {
                    (json ? err : out).println("chart: " + p);
                }
            } catch (IOException | RuntimeException e) {
                err.println("kmemlab compare: cannot write charts to " + outDir + ": " + e.getMessage());
                return 1;
            }
        }
        out.flush();
        return 0;
    }
}
