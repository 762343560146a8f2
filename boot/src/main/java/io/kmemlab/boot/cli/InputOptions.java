package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.ReplaySession;
import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.TraceRejectedException;
import io.kmemlab.boot.replay.source.Workload;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The input of {@code replay}, {@code compare} and {@code bench replay} (a picocli mixin): a trace
 * file or a built-in workload, how to read it, which of its events to apply, and the boot words
 * of the machines it is replayed on.
 *
 * <p>The positional arguments are {@code [TRACE] [WORDS…]}: without {@code --workload}, the first
 * is the trace (for {@code compare}, only if it is not a {@code name=value} word: with none, the
 * default workload runs).
 */
final class InputOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Parameters(
            arity = "0..*",
            paramLabel = "TRACE|WORDS",
            description = "The trace file (ftrace text, trace-cmd report, perf script, malloc-lab .rep, kmemlab's own "
                    + "--emit-trace output; plain, .gz or .xz; a FIFO or /dev/fd/N works too, - is standard "
                    + "input), unless --workload is given; then kernel command-line words for the machines "
                    + "(mem=, nr_cpus=, slub_debug, …).")
    List<String> args = new ArrayList<>();

    @Option(
            names = "--format",
            paramLabel = "FMT",
            defaultValue = "auto",
            converter = InputFormat.Converter.class,
            description = "Trace format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    InputFormat format;

    @Option(
            names = "--page-events",
            description = "Also replay page events (mm_page_*: skipped by default, see replay --help).")
    boolean pageEvents;

    @Option(
            names = "--workload",
            paramLabel = "NAME",
            converter = WorkloadConverter.class,
            description = "A built-in workload instead of a trace: ${COMPLETION-CANDIDATES}.")
    Workload workload;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "200000",
            description = "Events a workload generates (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--workload-seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Seed of the workload's randomness (default: ${DEFAULT-VALUE}).")
    long workloadSeed;

    @Option(
            names = "--cpus",
            paramLabel = "N",
            defaultValue = "2",
            description = "CPUs a workload runs on (default: ${DEFAULT-VALUE}).")
    int cpus;

    private TraceFileSource trace;
    private List<String> words;

    static final class WorkloadConverter extends CliEnum<Workload> {
        WorkloadConverter() {
            super(Workload.class, "workload");
        }
    }

    /**
     * Opens the input: the trace file (probed, so that a file that cannot be replayed is rejected
     * before any machine boots) or the workload.
     *
     * @param fallback the workload to run when neither a trace nor {@code --workload} is given, or
     *     null if a trace is then required
     * @throws CommandLine.ParameterException for a usage error
     * @throws TraceRejectedException with the reason the trace cannot be replayed
     */
    EventSource open(Workload fallback) throws TraceRejectedException {
        CommandLine cl = mixee.commandLine();
        // picocli resets the options for every parse of a command, but not these.
        trace = null;
        words = new ArrayList<>(args);
        boolean first = !words.isEmpty() && (fallback == null || !words.get(0).contains("="));
        if (workload == null && first) {
            // "-" is standard input, not a file of that name (./- is).
            trace = TraceFileSource.of(words.remove(0), format.forced());
            return trace;
        }
        Workload w = workload != null ? workload : fallback;
        if (w == null) {
            throw new CommandLine.ParameterException(cl, "Missing required parameter: 'TRACE' (or --workload NAME)");
        }
        if (events < 1 || cpus < 1 || cpus > 512) {
            throw new CommandLine.ParameterException(cl, "--events must be ≥ 1 and --cpus 1..512");
        }
        workload = w;
        return w.source(workloadSeed, events, cpus);
    }

    /** The trace {@link #open} chose, or null for a workload. */
    TraceFileSource trace() {
        return trace;
    }

    /** The workload {@link #open} chose, or null for a trace. */
    Workload workload() {
        return trace == null ? workload : null;
    }

    /** The boot words for machines replaying {@code source} (after {@link #open}). */
    List<String> bootWords(EventSource source) {
        return bootWords(mixee, words, source.defaultCpus());
    }

    /**
     * The user's words plus nr_cpus= from the input where they give none, and Main's inherited
     * {@code --seed}, which is the machine seed (as the boot word seed=N).
     */
    static List<String> bootWords(CommandSpec spec, List<String> words, int cpus) {
        List<String> boot = new ArrayList<>(ReplaySession.bootWords(words, cpus));
        CommandLine.Model.OptionSpec seed = spec.findOption("--seed");
        if (seed != null && seed.getValue() != null) {
            boot.add("seed=" + seed.getValue());
        }
        return boot;
    }

    ReplayOptions replayOptions() {
        return ReplayOptions.DEFAULT.withPageEvents(pageEvents);
    }
}
