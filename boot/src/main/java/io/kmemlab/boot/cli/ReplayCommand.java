package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.ReplayMachineFactory;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code kmemlab replay TRACE [--slab slab|slub|slob|all] [WORDS…]}: replays a kmem trace (or a
 * built-in workload) on an emulated machine and reports what each allocator would have done.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Replay a kmem trace (ftrace text from /sys/kernel/tracing/trace or trace_pipe under any "
                    + "trace_options but raw and hex, trace-cmd report, perf script; a malloc-lab .rep file; kmemlab's own "
                    + "--emit-trace output; "
                    + "plain, .gz or .xz) through SLAB, SLUB and/or SLOB on an emulated machine.",
            "Every event runs on the CPU the trace names, at the trace's time. Frees of objects "
                    + "allocated before the capture began are skipped and counted as unmatched.",
            "WORDS are kernel command-line words for the replay machine (mem=, nr_cpus=, "
                    + "slub_debug, …); nr_cpus defaults to the trace header's CPU count (#P:N, trace-cmd's cpus=N; without a header, "
                    + "as in trace_pipe output, to 1 + the highest CPU of the first 64 KiB), mem to 1G.",
        },
        footer = {
            "",
            "Page events: mm_page_alloc/mm_page_free/mm_page_free_batched are skipped unless "
                    + "--page-events is given, because they include the pages the traced kernel's own "
                    + "slab allocator took for its slabs; the emulated allocator takes its own pages "
                    + "for the same objects, so replaying both would count slab memory twice.",
            "",
            "Exit status: 0 replayed, 1 trace rejected (missing, unreadable, empty, not a trace, mostly "
                    + "malformed lines, no event applied), 2 usage error.",
        })
public final class ReplayCommand extends ReplayingCommand<ReplayCommand> {
    @Mixin
    ReplayRun.SlabOption slab = new ReplayRun.SlabOption("slub");

    @Mixin
    ReportOptions report;

    @Mixin
    StepMixin step;

    public ReplayCommand() {}

    /** With an explicit list of the allocators {@code factory} can boot. */
    public ReplayCommand(ReplayMachineFactory factory, List<String> available) {
        super(factory, available);
    }

    @Override
    public Integer call() {
        ReplayRun run = new ReplayRun("kmemlab replay", spec.commandLine());
        steps = step.options(spec.commandLine());
        ReplayRun.Outcome outcome = replay(run, slab.allocators(spec.commandLine(), available), null, report);
        return run.report(outcome, report);
    }
}
