package io.kmemlab.boot.cli;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.malloc.MallocFigures;
import io.kmemlab.boot.malloc.MallocReport;
import io.kmemlab.boot.malloc.MallocRun;
import io.kmemlab.boot.malloc.MallocTraceFiles;
import io.kmemlab.boot.malloc.UserAllocators;
import io.kmemlab.boot.replay.report.MallocHtmlReport;
import io.kmemlab.mm.user.trace.MallocTrace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kmemlab report malloc TRACE [--alloc LIST] [-o report.html] [WORDS…]}: the user-space
 * version of {@code report}. Each allocator runs the trace in a process of its own on a machine of
 * its own (booted from the same words), twice: the first run finds the operation at which the heap
 * first reached its peak, the second captures the heap map and the physical memory map there and
 * at the end (see {@link io.kmemlab.boot.replay.report.MallocReportProbe}). The page is {@link MallocHtmlReport}'s; the table
 * {@code malloc compare} prints goes to stdout.
 */
@Command(
        name = "malloc",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run user-space allocators on a malloc trace as 'malloc compare' does and write one self-contained "
                    + "HTML page: heap, live bytes and overhead over the trace, fragmentation, the heap map (every "
                    + "chunk coloured by its state: allocated, free by bin or list, top, metadata) and the physical "
                    + "memory map (the process's page tables and user pages named by process and VMA), both at the "
                    + "heap's peak and at the end, with zoom and a hover naming the chunk or page.",
            "TRACE: as for 'malloc replay' (a CS:APP .rep, an OSTEP op list, a glibc mtrace() log or kmemlab's "
                    + "own recording; plain, gzip or xz; '-' reads standard input). WORDS: kernel command-line words.",
        },
        footer = {
            "",
            "Exit status: 0 written, 1 trace unreadable, nothing applied or page not written, 2 usage error.",
        })
final class ReportMallocCommand implements Callable<Integer> {
    @ParentCommand
    ReportCommand parent;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE", description = "The trace file ('-': standard input).")
    String trace;

    @Parameters(index = "1..*", paramLabel = "WORDS", arity = "0..*", description = "Kernel command-line words.")
    List<String> words = new ArrayList<>();

    @Option(
            names = {"--alloc", "--allocator"},
            paramLabel = "LIST",
            description = "Allocators, comma-separated, each NAME[:KEY=VALUE,…] (default: all present).")
    String allocator;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            defaultValue = "report.html",
            description = "The page to write (default: ${DEFAULT-VALUE}).")
    Path output;

    @Mixin
    MallocCommand.TraceOptions common;

    @Override
    public Integer call() {
        Main main = spec.root().userObject() instanceof Main m ? m : null;
        PrintStream out = main != null ? main.out() : System.out;
        PrintStream err = main != null ? main.err() : System.err;
        String cmd = "report malloc";
        UserAllocators allocators = UserAllocators.load();
        List<UserAllocators.Spec> specs = MallocCommand.specs(allocators, allocator, cmd, "--alloc", err);
        if (specs == null) {
            return Main.EXIT_USAGE;
        }
        MallocTrace t;
        try {
            t = MallocTraceFiles.read(trace, main != null ? main.in() : System.in, common.format);
        } catch (MallocTraceFiles.Rejected e) {
            err.println("kmemlab: " + cmd + ": " + e.getMessage());
            return Main.EXIT_SCRIPT_FAILED;
        }
        MallocCommand.printProblems(err, cmd, t);
        List<MallocHtmlReport.Run> runs = new ArrayList<>();
        String machine = null;
        int exit = Main.EXIT_OK;
        for (UserAllocators.Spec s : specs) {
            Kernel[] last = {null};
            try {
                MallocHtmlReport.Run r =
                        MallocHtmlReport.run(() -> last[0] = boot(main, err), t, allocators, s, common.settings());
                if (r == null) {
                    return Main.EXIT_USAGE;
                }
                machine = MallocCommand.machine(last[0]);
                if (!r.peakRepeated()) {
                    err.println("kmemlab: " + cmd + ": " + s.label() + ": the second run's heap at the peak's operation"
                            + " differs from the first's (" + r.probe().capturedHeapBytes() + " vs "
                            + r.firstRunPeakBytes() + " bytes): the peak maps show the second run");
                }
                runs.add(r);
                MallocFigures f = r.figures();
                if (f.diedAt() > 0) {
                    err.println("kmemlab: " + cmd + ": " + s.label() + ": process " + f.pid() + " " + f.death()
                            + " at line " + f.diedAt());
                    exit = Main.EXIT_SCRIPT_FAILED;
                }
            } catch (MallocRun.SpecRejected e) {
                err.println("kmemlab: " + cmd + ": --alloc: " + e.getMessage());
                return Main.EXIT_USAGE;
            } catch (IllegalStateException e) {
                err.println("kmemlab: " + cmd + ": " + s.label() + ": " + e.getMessage());
                exit = Main.EXIT_SCRIPT_FAILED;
            }
        }
        List<MallocFigures> figures = new ArrayList<>();
        long applied = 0;
        for (MallocHtmlReport.Run r : runs) {
            figures.add(r.figures());
            applied += r.figures().applied();
        }
        if (applied == 0) {
            err.println("kmemlab: " + cmd + ": " + t.name() + ": nothing applied; no page written");
            return Main.EXIT_SCRIPT_FAILED;
        }
        if (common.json) {
            out.print(MallocReport.json(
                    "report malloc", machine, List.of(new MallocReport.TraceRuns(t, figures)), null, null, null));
        } else {
            out.println(MallocReport.header(t));
            String problems = MallocReport.problemSummary(t);
            if (!problems.isEmpty()) {
                out.println(problems);
            }
            out.println("machine: " + machine);
            out.println();
            out.print(MallocReport.table(figures));
        }
        try {
            Path dir = output.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(
                    output,
                    MallocHtmlReport.render(t.name(), MallocReport.header(t), machine, runs),
                    StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            err.println("kmemlab: " + cmd + ": cannot write " + output + ": "
                    + Main.reason(e instanceof IOException io ? io : new IOException(e.getMessage())));
            return Main.EXIT_SCRIPT_FAILED;
        }
        (common.json ? err : out).println("report: " + output);
        out.flush();
        return exit;
    }

    private Kernel boot(Main main, PrintStream err) {
        if (main != null) {
            return main.boot(words);
        }
        Kernel.BootResult r = Kernel.boot(words);
        if (!r.ok()) {
            err.println(r.error());
            return null;
        }
        return r.kernel();
    }
}
