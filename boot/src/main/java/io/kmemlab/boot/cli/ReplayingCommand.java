package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.KernelReplayFactory;
import io.kmemlab.boot.replay.ReplayMachineFactory;
import io.kmemlab.boot.replay.ReplayTarget;
import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.Workload;
import io.kmemlab.boot.step.StepOptions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the commands that replay an input share: the machines they boot (the standard kernel's, or
 * a factory a test gives), the wall clock, and the {@link InputOptions}.
 *
 * @param <C> the command, which {@link #withTicker} returns
 */
abstract class ReplayingCommand<C extends ReplayingCommand<C>> implements Callable<Integer> {
    final ReplayMachineFactory factory;
    final List<String> available;
    LongSupplier ticker = System::nanoTime;
    /** {@code --step} of the command that has it, or null. */
    StepOptions steps;

    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions input;

    /** On machines booted by {@link io.kmemlab.boot.Kernel} with the standard components. */
    ReplayingCommand() {
        this(new KernelReplayFactory());
    }

    private ReplayingCommand(KernelReplayFactory factory) {
        this(factory, factory.allocators());
    }

    /** With an explicit list of the allocators {@code factory} can boot. */
    ReplayingCommand(ReplayMachineFactory factory, List<String> available) {
        this.factory = factory;
        this.available = List.copyOf(available);
    }

    /**
     * Opens the input and replays it on one machine per allocator, from one reading; the outcome
     * says why not after printing it.
     *
     * @param fallback the workload to run without a trace or {@code --workload}, or null
     */
    ReplayRun.Outcome replay(ReplayRun run, List<String> allocators, Workload fallback, ReportOptions report) {
        return replayVariants(run, Variant.of(allocators), fallback, report);
    }

    /** As {@link #replay}, one machine per variant. */
    ReplayRun.Outcome replayVariants(ReplayRun run, List<Variant> variants, Workload fallback, ReportOptions report) {
        return replayVariants(run, variants, fallback, report, null);
    }

    /** As {@link #replayVariants}, calling {@code onPeak} at each machine's new peaks of slab memory. */
    ReplayRun.Outcome replayVariants(
            ReplayRun run,
            List<Variant> variants,
            Workload fallback,
            ReportOptions report,
            Consumer<ReplayTarget> onPeak) {
        EventSource source = run.open(input, fallback);
        if (source == null) {
            return new ReplayRun.Outcome(null, ReplayRun.EXIT_REJECTED);
        }
        return run.run(
                factory,
                source,
                variants,
                input.bootWords(source),
                input.replayOptions(),
                report.ticker(ticker),
                report.emitTrace,
                onPeak,
                steps);
    }

    /** Replaces the wall clock (tests). */
    @SuppressWarnings("unchecked")
    public C withTicker(LongSupplier ticker) {
        this.ticker = ticker;
        return (C) this;
    }
}
