package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.KernelReplayFactory;
import io.kmemlab.boot.replay.ProgressListener;
import io.kmemlab.boot.replay.ReplayMachineFactory;
import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.ReplaySession;
import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.boot.replay.Replayer;
import io.kmemlab.boot.replay.report.ReplayReport;
import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.TraceRejectedException;
import io.kmemlab.boot.replay.source.TraceSummary;
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
 * {@code kmemlab replay TRACE [--slab slab|slub|slob|all] [WORDS…]}: replays a kmem trace on an
 * emulated machine and reports what each allocator would have done.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Replay a kmem trace (ftrace text from /sys/kernel/tracing/trace, trace_pipe or "
                    + "trace-cmd report; a malloc-lab .rep file; kmemlab's own --emit-trace output; "
                    + "plain, .gz or .xz) through SLAB, SLUB and/or SLOB on an emulated machine.",
            "Every event runs on the CPU the trace names, at the trace's time. Frees of objects "
                    + "allocated before the capture began are skipped and counted as unmatched.",
            "WORDS are kernel command-line words for the replay machine (mem=, nr_cpus=, "
                    + "slub_debug, …); nr_cpus defaults to the trace header's CPU count (without a header, "
                    + "as in trace_pipe output, to 1 + the highest CPU of the first 64 KiB), mem to 1G.",
        },
        footer = {
            "",
            "Page events: mm_page_alloc/mm_page_free/mm_page_free_batched are skipped unless "
                    + "--page-events is given, because they include the pages the traced kernel's own "
                    + "slab allocator took for its slabs; the emulated allocator takes its own pages "
                    + "for the same objects, so replaying both would count slab memory twice.",
            "",
            "Exit status: 0 replayed, 1 trace rejected (missing, unreadable, empty, not a trace), "
                    + "2 usage error.",
        })
public final class ReplayCommand implements Callable<Integer> {
    private final ReplayMachineFactory factory;
    private final List<String> available;
    private LongSupplier ticker = System::nanoTime;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE",
            description = "The trace file (a FIFO or /dev/fd/N works too), or - for standard input.")
    Path trace;

    @Parameters(index = "1..*", paramLabel = "WORDS", description = "Kernel command-line words.")
    List<String> words = new ArrayList<>();

    @Option(names = "--slab", paramLabel = "NAME", defaultValue = "slub",
            description = "slab, slub, slob or all (default: ${DEFAULT-VALUE}).")
    String slab;

    @Option(names = "--json", description = "Print the machine-readable report instead of the table.")
    boolean json;

    @Option(names = "--emit-trace", paramLabel = "FILE",
            description = "Write kmemlab's own kmem trace of the replay, with '# kmemlab cache:' comments "
                    + "giving each cache's creation arguments, so that replaying FILE reproduces this run "
                    + "(with several allocators, FILE gets the allocator name inserted: out.slub.txt).")
    Path emitTrace;

    @Option(names = "--page-events", description = "Also replay page events (see below).")
    boolean pageEvents;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "auto",
            description = "auto, ftrace or malloclab (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--no-timing", description = "Leave wall time and events/s out (reproducible output).")
    boolean noTiming;

    @Option(names = "--dmesg", description = "After the report, print what each replay wrote to its kernel log.")
    boolean dmesg;

    /** On machines booted by {@link io.kmemlab.boot.Kernel} with the standard components. */
    public ReplayCommand() {
        this(new KernelReplayFactory());
    }

    private ReplayCommand(KernelReplayFactory factory) {
        this(factory, factory.allocators());
    }

    /** With an explicit list of the allocators {@code factory} can boot. */
    public ReplayCommand(ReplayMachineFactory factory, List<String> available) {
        this.factory = factory;
        this.available = List.copyOf(available);
    }

    /** Replaces the wall clock (tests). */
    public ReplayCommand withTicker(LongSupplier ticker) {
        this.ticker = ticker;
        return this;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> allocators = resolveAllocators(spec.commandLine(), slab, available);
        TraceInputFormat forced = null;
        if (!format.equals("auto")) {
            forced = TraceInputFormat.byCliName(format);
            if (forced == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown --format '" + format + "' (auto, ftrace, malloclab)");
            }
        }
        EventSource source;
        try {
            // "-" is standard input, not a file of that name (./- is).
            source = TraceFileSource.of(trace.toString(), forced);
        } catch (TraceRejectedException e) {
            err.println("kmemlab replay: " + e.getMessage());
            return 1;
        }
        ReplayOptions options = ReplayOptions.DEFAULT.withPageEvents(pageEvents);
        List<String> boot = new ArrayList<>(ReplaySession.bootWords(words, source.defaultCpus()));
        // Main's inherited --seed is the machine seed, as the boot word seed=N
        Object machineSeed = spec.findOption("--seed") == null ? null : spec.findOption("--seed").getValue();
        if (machineSeed != null) {
            boot.add("seed=" + machineSeed);
        }
        return runAndReport(factory, out, err, "replay", source, allocators, boot, options, noTiming ? () -> 0 : ticker,
                json, emitTrace, dmesg);
    }

    /**
     * The message for a machine (mem=) or a trace (live objects) larger than the Java heap: the
     * emulated frames of every replay machine live in it at once.
     */
    static String outOfHeap(String cmd, List<String> boot) {
        return "kmemlab " + cmd + ": out of Java heap replaying on " + String.join(" ", boot)
                + " (one machine per allocator; use a smaller mem=, fewer allocators, or raise the heap, "
                + "e.g. KMEMLAB_JAVA_OPTS=-Xmx16g)";
    }

    static List<String> resolveAllocators(CommandLine cl, String slab, List<String> available) {
        if (available.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "no slab allocator is available in this build");
        }
        if (slab.equals("all")) {
            return available;
        }
        if (!available.contains(slab)) {
            throw new CommandLine.ParameterException(cl, "unknown or unavailable allocator '" + slab
                    + "' (available: " + String.join(", ", available) + ", all)");
        }
        return List.of(slab);
    }

    static int runAndReport(ReplayMachineFactory factory, PrintWriter out, PrintWriter err, String cmd,
            EventSource source,
            List<String> allocators, List<String> boot, ReplayOptions options, LongSupplier ticker, boolean json,
            Path emitTrace, boolean dmesg) {
        List<Replayer.Run> runs;
        try {
            runs = ReplaySession.runAll(factory, options, ticker, ProgressListener.forStderr(), source,
                    allocators, boot, emitTrace);
        } catch (TraceRejectedException e) {
            err.println("kmemlab " + cmd + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("kmemlab " + cmd + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("kmemlab " + cmd + ": cannot write " + emitTrace + ": " + TraceFileSource.describe(e));
            return 1;
        } catch (OutOfMemoryError e) {
            err.println(outOfHeap(cmd, boot));
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
        if (emitTrace != null) {
            for (String a : allocators) {
                err.println("kmem trace written to " + ReplaySession.emitPath(emitTrace, a, allocators.size() > 1));
            }
        }
        out.flush();
        return 0;
    }
}
