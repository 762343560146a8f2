package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.ReplayMachineFactory;
import io.kmemlab.boot.replay.Replayer;
import io.kmemlab.boot.replay.report.HtmlReport;
import io.kmemlab.boot.replay.report.MemoryMapProbe;
import io.kmemlab.boot.replay.source.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmemlab report (TRACE | --workload NAME) [-o report.html]}: the input through every
 * allocator as {@code compare} runs it, written as one self-contained HTML page (see
 * {@link HtmlReport}) with the physical memory map of each machine at its peak and at the end.
 * {@code kmemlab report malloc TRACE} is the user-space version ({@link ReportMallocCommand}).
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        subcommands = ReportMallocCommand.class,
        sortOptions = false,
        description = {
            "Replay the input on SLAB, SLUB (6.18 and 7.1) and SLOB as compare does and write one "
                    + "self-contained HTML page: slab memory and fragmentation over virtual time, the "
                    + "replay's caches, and every page frame of each machine coloured by its state at the "
                    + "peak of slab memory and at the end (zoom, and a hover naming the page's owner).",
            "The input is a built-in workload (--workload) or a trace file (as for replay). With no "
                    + "arguments: the 'mixed' workload. The table compare prints goes to stdout.",
            "'report malloc TRACE' writes the page for user-space allocators (see 'report malloc --help').",
        },
        footer = {
            "",
            "Exit status: 0 written, 1 trace rejected or page not written, 2 usage error.",
        })
public final class ReportCommand extends ReplayingCommand<ReportCommand> {
    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            defaultValue = "report.html",
            description = "The page to write (default: ${DEFAULT-VALUE}).")
    Path output;

    @Mixin
    ReportOptions report;

    public ReportCommand() {}

    /** With an explicit list of the allocators {@code factory} can boot. */
    public ReportCommand(ReplayMachineFactory factory, List<String> available) {
        super(factory, available);
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        ReplayRun run = new ReplayRun("kmemlab report", cl);
        MemoryMapProbe probe = new MemoryMapProbe();
        ReplayRun.Outcome outcome = replayVariants(
                run,
                Variant.forCompare(factory, ReplayRun.allocators(cl, "all", available)),
                Workload.MIXED,
                report,
                probe);
        int exit = run.report(outcome, report);
        if (exit != 0) {
            return exit;
        }
        List<HtmlReport.Run> runs = new ArrayList<>();
        for (Replayer.Run r : outcome.runs()) {
            runs.add(new HtmlReport.Run(
                    r.stats(),
                    probe.peak(r.target().machine()),
                    MemoryMapProbe.now(r.target()),
                    HtmlReport.layouts(r.target(), r.stats())));
        }
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(output, HtmlReport.render(outcome.trace(), runs), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return run.fail(ReplayRun.EXIT_REJECTED, "cannot write " + output + ": " + Main.reason(e))
                    .exit();
        }
        (report.report == ReportFormat.TABLE ? cl.getOut() : cl.getErr()).println("report: " + output);
        cl.getOut().flush();
        return 0;
    }
}
