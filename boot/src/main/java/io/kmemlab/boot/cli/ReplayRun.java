package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.ProgressListener;
import io.kmemlab.boot.replay.ReplayMachineFactory;
import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.ReplaySession;
import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.boot.replay.ReplayTarget;
import io.kmemlab.boot.replay.Replayer;
import io.kmemlab.boot.replay.report.ReplayReport;
import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.TraceRejectedException;
import io.kmemlab.boot.replay.source.TraceSummary;
import io.kmemlab.boot.replay.source.Workload;
import io.kmemlab.boot.step.StepOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code replay}, {@code compare}, {@code slob-fit} and {@code bench replay} share once their
 * options are parsed: which allocators, opening the input, running the variants from one reading,
 * and the exit status and one-line message for each way that can fail (1 the input was rejected or
 * a file could not be written, 2 a usage error: a bad boot word, a machine larger than the heap).
 *
 * @param cmd the command's name in messages ({@code kmemlab compare})
 */
record ReplayRun(String cmd, PrintWriter out, PrintWriter err) {
    static final int EXIT_REJECTED = 1;

    ReplayRun(String cmd, CommandLine cl) {
        this(cmd, cl.getOut(), cl.getErr());
    }

    /** The runs of one input, in the variants' order; or the exit status after printing why not. */
    record Outcome(List<Replayer.Run> runs, int exit) {
        boolean ok() {
            return runs != null;
        }

        List<ReplayStats> stats() {
            List<ReplayStats> stats = new ArrayList<>();
            for (Replayer.Run r : runs) {
                stats.add(r.stats());
            }
            return stats;
        }

        TraceSummary trace() {
            return runs.get(0).trace();
        }
    }

    /**
     * {@code --slab NAME} (a picocli mixin, whose default each command sets by giving its own
     * instance): that allocator, or every available one for {@code all}.
     */
    static final class SlabOption {
        @Option(
                names = "--slab",
                paramLabel = "NAME",
                description = "slab, slub, slob or all (default: ${DEFAULT-VALUE}).")
        String slab;

        SlabOption(String slab) {
            this.slab = slab;
        }

        List<String> allocators(CommandLine cl, List<String> available) {
            return ReplayRun.allocators(cl, slab, available);
        }
    }

    /** {@code slab}, or every available allocator for {@code all}. */
    static List<String> allocators(CommandLine cl, String slab, List<String> available) {
        if (available.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "no slab allocator is available in this build");
        }
        if (slab.equals("all")) {
            return available;
        }
        if (!available.contains(slab)) {
            throw new CommandLine.ParameterException(
                    cl,
                    "unknown or unavailable allocator '" + slab + "' (available: " + String.join(", ", available)
                            + ", all)");
        }
        return List.of(slab);
    }

    /** Opens the input of {@code input}; null after printing why it was rejected. */
    EventSource open(InputOptions input, Workload fallback) {
        try {
            return input.open(fallback);
        } catch (TraceRejectedException e) {
            err.println(cmd + ": " + e.getMessage());
            return null;
        }
    }

    /** An outcome with no runs: {@code exit} after printing {@code message}. */
    Outcome fail(int exit, String message) {
        err.println(cmd + ": " + message);
        return new Outcome(null, exit);
    }

    /** The message for a machine (mem=) or a trace (live objects) larger than the Java heap. */
    String outOfHeap(List<String> boot, int machines) {
        return cmd + ": out of Java heap replaying on " + String.join(" ", boot) + " (all "
                + machines + " machines live at once; use a smaller mem= or fewer allocators, or raise the heap: "
                + HeapAdvice.advice(boot, machines) + ")";
    }

    /**
     * Replays {@code source} on every variant from one reading.
     *
     * @param emitTrace where to write each machine's own trace, or null
     */
    Outcome run(
            ReplayMachineFactory factory,
            EventSource source,
            List<Variant> variants,
            List<String> boot,
            ReplayOptions options,
            LongSupplier ticker,
            Path emitTrace) {
        return run(factory, source, variants, boot, options, ticker, emitTrace, null);
    }

    /** As above, calling {@code onPeak} at each machine's new peaks of slab memory. */
    Outcome run(
            ReplayMachineFactory factory,
            EventSource source,
            List<Variant> variants,
            List<String> boot,
            ReplayOptions options,
            LongSupplier ticker,
            Path emitTrace,
            Consumer<ReplayTarget> onPeak) {
        return run(factory, source, variants, boot, options, ticker, emitTrace, onPeak, null);
    }

    /** As above, printing each step to {@link #out} under {@code steps} ({@code --step}; null: none). */
    Outcome run(
            ReplayMachineFactory factory,
            EventSource source,
            List<Variant> variants,
            List<String> boot,
            ReplayOptions options,
            LongSupplier ticker,
            Path emitTrace,
            Consumer<ReplayTarget> onPeak,
            StepOptions steps) {
        try {
            return new Outcome(
                    ReplaySession.runAll(
                            Variant.factory(factory, variants),
                            options,
                            ticker,
                            ProgressListener.forStderr(),
                            source,
                            Variant.labels(variants),
                            boot,
                            emitTrace,
                            onPeak,
                            steps,
                            out),
                    0);
        } catch (TraceRejectedException e) {
            return fail(EXIT_REJECTED, e.getMessage());
        } catch (IllegalArgumentException e) {
            return fail(CommandLine.ExitCode.USAGE, e.getMessage());
        } catch (IOException e) {
            return fail(EXIT_REJECTED, "cannot write " + emitTrace + ": " + TraceFileSource.describe(e));
        } catch (OutOfMemoryError e) {
            err.println(outOfHeap(boot, variants.size()));
            return new Outcome(null, CommandLine.ExitCode.USAGE);
        }
    }

    /**
     * Prints the report of {@code outcome} (with each machine's kernel log under {@code --dmesg}) and
     * where its emitted traces went; the exit status.
     */
    int report(Outcome outcome, ReportOptions report) {
        if (!outcome.ok()) {
            return outcome.exit();
        }
        out.print(report.report.render(outcome.trace(), outcome.stats()));
        if (report.dmesg && report.report == ReportFormat.TABLE) {
            out.print(ReplayReport.dmesg(outcome.stats()));
        }
        Path emitTrace = report.emitTrace;
        out.flush();
        if (emitTrace != null) {
            List<Replayer.Run> runs = outcome.runs();
            for (Replayer.Run r : runs) {
                err.println("kmem trace written to "
                        + ReplaySession.emitPath(emitTrace, r.target().allocatorName(), runs.size() > 1));
            }
        }
        return 0;
    }
}
