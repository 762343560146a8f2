package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.ReplayMachineFactory;
import io.kmemlab.boot.replay.report.CompareChart;
import io.kmemlab.boot.replay.source.Workload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmemlab compare [--workload NAME | TRACE] [WORDS…]}: the same input through SLAB, SLUB (6.18's
 * and 7.1's) and SLOB, a side-by-side table, and charts of slab memory over virtual time and of
 * fragmentation.
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run SLAB, SLUB and SLOB on the same input and compare them: a side-by-side table and "
                    + "charts (PNG and SVG) of slab memory over virtual time and of fragmentation. "
                    + "SLUB runs twice: as Linux 6.18 (column slub) and as 7.1 with sheaves on every "
                    + "cache (column slub-7.1, boot word slub_version=7.1).",
            "The input is a built-in workload (--workload) or a trace file (as for replay). With no "
                    + "arguments: the 'mixed' workload.",
            "WORDS are kernel command-line words for every machine (mem=, nr_cpus=, …); an allocator's "
                    + "own words (slab_freelist_random=on, slob_fit=best, …) go to that allocator's machine.",
        },
        footer = {
            "",
            "Exit status: 0 compared, 1 trace rejected or charts not written, 2 usage error.",
        })
public final class CompareCommand extends ReplayingCommand<CompareCommand> {
    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "kmemlab-out",
            description = "Directory for the charts (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--no-chart", description = "Do not write charts.")
    boolean noChart;

    @Mixin
    ReportOptions report;

    public CompareCommand() {}

    /** With an explicit list of the allocators {@code factory} can boot. */
    public CompareCommand(ReplayMachineFactory factory, List<String> available) {
        super(factory, available);
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        ReplayRun run = new ReplayRun("kmemlab compare", cl);
        ReplayRun.Outcome outcome = replayVariants(
                run, Variant.forCompare(factory, ReplayRun.allocators(cl, "all", available)), Workload.MIXED, report);
        int exit = run.report(outcome, report);
        if (exit != 0 || noChart) {
            return exit;
        }
        try {
            List<Path> files =
                    CompareChart.write(outDir, chartName(), outcome.trace().name(), outcome.stats());
            for (Path p : files) {
                (report.report == ReportFormat.TABLE ? cl.getOut() : cl.getErr()).println("chart: " + p);
            }
        } catch (IOException | RuntimeException e) {
            return run.fail(ReplayRun.EXIT_REJECTED, "cannot write charts to " + outDir + ": " + Main.reason(e))
                    .exit();
        }
        cl.getOut().flush();
        return 0;
    }

    /** Charts are named after the trace file ({@code kmem-618}) or the workload ({@code compare-mixed}). */
    private String chartName() {
        if (input.trace() == null) {
            return "compare-" + input.workload().cliName();
        }
        Path file = input.trace().path() == null ? null : input.trace().path().getFileName();
        return (file == null ? "stdin" : file.toString())
                .replaceAll("\\.(txt|rep|trace)?(\\.(gz|xz))?$", "")
                .replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
