package io.kmemlab.boot.cli;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.malloc.MallocChart;
import io.kmemlab.boot.malloc.MallocFigures;
import io.kmemlab.boot.malloc.MallocReport;
import io.kmemlab.boot.malloc.MallocRun;
import io.kmemlab.boot.malloc.MallocTraceFiles;
import io.kmemlab.boot.malloc.UserAllocators;
import io.kmemlab.boot.step.MallocStepPrinter;
import io.kmemlab.boot.step.StepOptions;
import io.kmemlab.mm.user.UserHeapLab;
import io.kmemlab.mm.user.trace.AnswerFile;
import io.kmemlab.mm.user.trace.MallocReplayer;
import io.kmemlab.mm.user.trace.MallocTrace;
import io.kmemlab.mm.user.trace.MallocTraceFormat;
import io.kmemlab.mm.user.trace.MallocTraceWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code kmemlab malloc replay|compare}: user-space allocation traces through the user-space
 * allocators, each in a process of a booted kernel.
 */
@Command(
        name = "malloc",
        mixinStandardHelpOptions = true,
        description = "User-space allocators on emulated processes: replay a malloc trace, compare allocators.",
        subcommands = {MallocCommand.Replay.class, MallocCommand.Compare.class, MallocCommand.Ostep.class})
public final class MallocCommand implements Callable<Integer> {
    static final int MAX_PRINTED_PROBLEMS = 20;

    @ParentCommand
    Main main;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(main.out());
        return Main.EXIT_OK;
    }

    /** Options both subcommands take. */
    static final class TraceOptions {
        @Option(
                names = "--format",
                paramLabel = "FMT",
                converter = FormatConverter.class,
                description = "The trace format: rep, ostep, mtrace, kmemlab (default: detected).")
        MallocTraceFormat format;

        @Option(names = "--json", description = "Print the machine-readable report.")
        boolean json;

        @Option(
                names = "--fill",
                description =
                        "Use the blocks as the CS:APP malloc lab's driver does: write each with its id's low byte,"
                                + " check that realloc keeps the bytes and calloc zeroes them (the RSS is then a program's).")
        boolean fill;

        MallocReplayer.Settings settings() {
            return new MallocReplayer.Settings(fill);
        }
    }

    static final class FormatConverter implements ITypeConverter<MallocTraceFormat> {
        @Override
        public MallocTraceFormat convert(String value) {
            MallocTraceFormat f = MallocTraceFormat.byName(value);
            if (f == null) {
                throw new TypeConversionException("unknown trace format '" + value + "' (rep, ostep, mtrace, kmemlab)");
            }
            return f;
        }
    }

    static String machine(Kernel k) {
        return String.format(
                Locale.ROOT,
                "mem=%dM nr_cpus=%d%s",
                k.params().memBytes() >> 20,
                k.params().nrCpus(),
                k.params().norandmaps() ? " norandmaps" : "");
    }

    /** The trace's problems on stderr, the first {@link #MAX_PRINTED_PROBLEMS} of them. */
    static void printProblems(PrintStream err, String cmd, MallocTrace t) {
        int n = 0;
        for (MallocTrace.Problem p : t.reportedProblems()) {
            if (n++ == MAX_PRINTED_PROBLEMS) {
                break;
            }
            err.println("kmemlab: " + cmd + ": " + t.name() + ": " + p.report());
        }
        if (t.totalProblems() > MAX_PRINTED_PROBLEMS) {
            err.println("kmemlab: " + cmd + ": " + t.name() + ": … " + (t.totalProblems() - MAX_PRINTED_PROBLEMS)
                    + " more problems (" + MallocReport.problemSummary(t).substring("problems: ".length()) + ")");
        }
    }

    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Replay a user-space allocation trace through one allocator, in a process of a booted kernel.",
                "TRACE: a CS:APP .rep, an OSTEP -A op list (+10,-0,…), a glibc mtrace() log or kmemlab's own"
                        + " recording; plain, gzip or xz; '-' reads standard input. WORDS: kernel command-line words.",
            },
            footer = {
                "",
                "--ops prints one line per a/r op as the answer files of shared/malloc-traces do:",
                "  a ID OFFSET USABLE   OFFSET: hex distance from the initial program break",
                "  a ID mmap USABLE     a block the allocator mmapped itself",
                "  a ID - USABLE        no brk heap applies",
                "and every other line then starts with '#'.",
                "",
                "Exit status: 0 replayed, 1 nothing applied, trace unreadable or the process died, 2 usage error.",
            })
    static final class Replay implements Callable<Integer>, Main.TraceFileWriter {
        @ParentCommand
        MallocCommand parent;

        @Parameters(index = "0", paramLabel = "TRACE", description = "The trace file ('-': standard input).")
        String trace;

        @Parameters(index = "1..*", paramLabel = "WORDS", arity = "0..*", description = "Kernel command-line words.")
        List<String> words = new ArrayList<>();

        @Option(
                names = "--allocator",
                paramLabel = "NAME",
                description = "The allocator, with options as NAME:KEY=VALUE,… (default: glibc if present, else the"
                        + " highest rung of the ladder present).")
        String allocator;

        @Option(names = "--ops", description = "Print one line per a/r op, in the answer files' format.")
        boolean ops;

        @Option(
                names = "--stats",
                description =
                        "Print the allocator's figures, and a library allocator's own statistics (glibc: mallinfo2,"
                                + " malloc_info XML and malloc_stats; jemalloc: stats.* and malloc_stats_print). With --ops,"
                                + " the output then begins with exactly the answer file's text.")
        boolean stats;

        @Mixin
        TraceOptions common;

        @Option(
                names = "--step",
                description =
                        "After each op, print it as OSTEP's malloc.py -c does and the free list(s) in its"
                                + " words (allocators with a heap view), or the figures the op changed (glibc, jemalloc, bump).")
        boolean step;

        @Option(
                names = "--step-limit",
                paramLabel = "N",
                defaultValue = "" + StepOptions.DEFAULT_MAX_STEPS,
                description = "Steps printed before stepping stops; the replay goes on (default: ${DEFAULT-VALUE}).")
        long stepLimit;

        @Option(
                names = "--check",
                paramLabel = "ANSWERS",
                description = "Compare the op lines with an answer file (NAME.glibc-2.36.out): identical-line share.")
        String check;

        @Option(
                names = "--record",
                paramLabel = "FILE",
                description = "Write the trace's valid operations as kmemlab's own recording.")
        Path record;

        @Override
        public Integer call() {
            Main main = parent.main;
            PrintStream out = main.out();
            PrintStream err = main.err();
            String cmd = "malloc replay";
            UserAllocators allocators = UserAllocators.load();
            String name = allocator != null ? allocator : allocators.preferred();
            if (name == null) {
                err.println("kmemlab: " + cmd + ": no user-space allocators on the class path");
                return Main.EXIT_USAGE;
            }
            UserAllocators.Spec spec = UserAllocators.Spec.parse(name);
            String why = allocators.check(spec);
            if (why != null) {
                err.println("kmemlab: " + cmd + ": --allocator: " + why);
                return Main.EXIT_USAGE;
            }
            if (step && (common.json || stepLimit < 1)) {
                err.println("kmemlab: " + cmd + ": "
                        + (common.json ? "--step prints text: it cannot go with --json" : "--step-limit must be ≥ 1"));
                return Main.EXIT_USAGE;
            }
            MallocTrace t;
            AnswerFile answers = null;
            try {
                t = MallocTraceFiles.read(trace, main.in(), common.format);
                if (check != null) {
                    answers = MallocTraceFiles.readAnswers(check, main.in());
                }
            } catch (MallocTraceFiles.Rejected e) {
                err.println("kmemlab: " + cmd + ": " + e.getMessage());
                return Main.EXIT_SCRIPT_FAILED;
            }
            printProblems(err, cmd, t);
            if (answers != null) {
                for (MallocTrace.Problem p : answers.problems()) {
                    err.println("kmemlab: " + cmd + ": " + MallocTraceFiles.displayName(check) + ": " + p.report());
                }
            }
            if (record != null) {
                try (Writer w = Files.newBufferedWriter(record, StandardCharsets.UTF_8)) {
                    MallocTraceWriter.write(t, w);
                } catch (IOException e) {
                    err.println("kmemlab: " + cmd + ": --record " + record + ": " + Main.reason(e));
                    return Main.EXIT_SCRIPT_FAILED;
                }
            }
            Kernel k = main.boot(words);
            if (k == null) {
                return Main.EXIT_USAGE;
            }
            MallocRun.Result[] run = new MallocRun.Result[1];
            MallocTrace traced = t;
            boolean wantOps = ops || answers != null;
            try {
                int traceFile = main.withTraceFile(k, () -> {
                    run[0] = MallocRun.run(
                            k,
                            traced,
                            allocators,
                            spec,
                            common.settings(),
                            wantOps,
                            stats,
                            step ? new MallocStepPrinter(traced, out, stepLimit) : null);
                    return Main.EXIT_OK;
                });
                if (traceFile != Main.EXIT_OK) {
                    return traceFile;
                }
            } catch (MallocRun.SpecRejected e) {
                err.println("kmemlab: " + cmd + ": --allocator: " + e.getMessage());
                return Main.EXIT_USAGE;
            } catch (IllegalStateException e) {
                err.println("kmemlab: " + cmd + ": " + e.getMessage());
                return Main.EXIT_SCRIPT_FAILED;
            }
            MallocRun.Result r = run[0];
            MallocFigures f = r.figures();
            AnswerFile.Comparison cmp = answers == null ? null : answers.compare(r.ops());
            String checkName = check == null ? null : MallocTraceFiles.displayName(check);
            if (common.json) {
                out.print(MallocReport.json(
                        "malloc replay",
                        machine(k),
                        List.of(new MallocReport.TraceRuns(t, List.of(f))),
                        ops ? r.ops() : null,
                        cmp,
                        checkName));
            } else {
                StringBuilder text = new StringBuilder();
                text.append(MallocReport.header(t)).append('\n');
                text.append("allocator: ")
                        .append(f.allocator())
                        .append(", process ")
                        .append(f.pid())
                        .append(" on ")
                        .append(machine(k))
                        .append('\n');
                String problems = MallocReport.problemSummary(t);
                if (!problems.isEmpty()) {
                    text.append(problems).append('\n');
                }
                text.append(summary(f)).append('\n');
                if (stats) {
                    text.append('\n').append(MallocReport.table(List.of(f)));
                    if (r.statsText() != null && !ops) {
                        text.append('\n').append(f.allocator()).append("'s own statistics, as replay.c prints them:\n");
                        text.append(r.statsText());
                    }
                    if (r.mallocStats() != null) {
                        text.append('\n').append(f.allocator()).append("'s malloc_stats:\n");
                        text.append(r.mallocStats());
                    }
                }
                if (cmp != null) {
                    text.append(MallocReport.check(checkName, answers, cmp, r.ops(), f));
                }
                if (ops) {
                    for (String l : r.ops()) {
                        out.println(l);
                    }
                    if (r.statsText() != null) {
                        // --ops --stats: what replay.c prints after its op lines, so that the output
                        // begins with exactly the answer file's text (glibc's names the break's offset).
                        out.print(r.statsText());
                    } else {
                        // As replay.c ends its op lines (for glibc): the break's distance from the start.
                        out.println("# brk_end_offset " + Long.toHexString(f.brkEndOffset()));
                    }
                    out.print(MallocReport.commented(text.toString()));
                } else {
                    out.print(text);
                }
            }
            out.flush();
            if (f.diedAt() > 0) {
                err.println("kmemlab: " + cmd + ": process " + f.pid() + " " + f.death() + " at line " + f.diedAt());
                return Main.EXIT_SCRIPT_FAILED;
            }
            if (f.applied() == 0) {
                err.println("kmemlab: " + cmd + ": " + t.name() + ": nothing applied");
                return Main.EXIT_SCRIPT_FAILED;
            }
            return Main.EXIT_OK;
        }

        private static String summary(MallocFigures f) {
            return String.format(
                    Locale.ROOT,
                    "%d ops applied, %d NULL returns; peak heap %d bytes, final heap %d, utilisation %.1f%%;"
                            + " %d system calls, %d page faults, %.1f µs",
                    f.applied(),
                    f.nullReturns(),
                    f.peakHeapBytes(),
                    f.finalHeapBytes(),
                    100 * f.utilisation(),
                    f.totalSyscalls(),
                    f.minflt(),
                    f.virtualNanos() / 1000.0);
        }
    }

    @Command(
            name = "compare",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Run allocators side by side on the same traces, each in a process of its own on one booted kernel:"
                        + " peak and final heap, RSS, system calls, page faults, utilisation, fragmentation and"
                        + " virtual time, and a chart (PNG and SVG) of heap and RSS over each trace.",
                "Arguments that name files (or '-') are traces; the others (mem=1G, norandmaps) kernel command-line words.",
            },
            footer = {
                "",
                "Exit status: 0 compared, 1 a trace unreadable, nothing applied or charts not written, 2 usage error."
            })
    static final class Compare implements Callable<Integer>, Main.TraceFileWriter {
        @ParentCommand
        MallocCommand parent;

        @Parameters(paramLabel = "TRACE|WORDS", arity = "1..*", description = "Traces, then kernel command-line words.")
        List<String> args = new ArrayList<>();

        @Option(
                names = "--allocator",
                paramLabel = "LIST",
                description = "Allocators, comma-separated, each NAME[:KEY=VALUE,…] (default: all present).")
        String allocator;

        @Mixin
        TraceOptions common;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                defaultValue = "kmemlab-out",
                description = "Directory for the charts (default: ${DEFAULT-VALUE}).")
        Path outDir;

        @Option(names = "--no-chart", description = "Do not write the charts.")
        boolean noChart;

        @Override
        public Integer call() {
            Main main = parent.main;
            PrintStream out = main.out();
            PrintStream err = main.err();
            String cmd = "malloc compare";
            UserAllocators allocators = UserAllocators.load();
            List<UserAllocators.Spec> specs = MallocCommand.specs(allocators, allocator, cmd, "--allocator", err);
            if (specs == null) {
                return Main.EXIT_USAGE;
            }
            List<String> traces = new ArrayList<>();
            List<String> words = new ArrayList<>();
            for (String a : args) {
                (isBootWord(a) ? words : traces).add(a);
            }
            if (traces.isEmpty()) {
                err.println("kmemlab: " + cmd + ": no trace given");
                return Main.EXIT_USAGE;
            }
            int exit = Main.EXIT_OK;
            List<MallocTrace> read = new ArrayList<>();
            for (String tr : traces) {
                try {
                    MallocTrace t = MallocTraceFiles.read(tr, main.in(), common.format);
                    printProblems(err, cmd, t);
                    read.add(t);
                } catch (MallocTraceFiles.Rejected e) {
                    err.println("kmemlab: " + cmd + ": " + e.getMessage());
                    exit = Main.EXIT_SCRIPT_FAILED;
                }
            }
            if (read.isEmpty()) {
                return exit;
            }
            Kernel k = main.boot(words);
            if (k == null) {
                return Main.EXIT_USAGE;
            }
            List<MallocReport.TraceRuns> all = new ArrayList<>();
            long[] applied = {0};
            int[] failed = {Main.EXIT_OK};
            // One --trace-file for every run: the processes' events one after the other.
            int runExit = main.withTraceFile(k, () -> {
                for (MallocTrace t : read) {
                    List<MallocFigures> runs = new ArrayList<>();
                    for (UserAllocators.Spec s : specs) {
                        try {
                            MallocFigures f = MallocRun.run(k, t, allocators, s, common.settings(), false)
                                    .figures();
                            runs.add(f);
                            applied[0] += f.applied();
                        } catch (MallocRun.SpecRejected e) {
                            err.println("kmemlab: " + cmd + ": --allocator: " + e.getMessage());
                            return Main.EXIT_USAGE;
                        } catch (IllegalStateException e) {
                            err.println("kmemlab: " + cmd + ": " + s.label() + ": " + e.getMessage());
                            failed[0] = Main.EXIT_SCRIPT_FAILED;
                        }
                    }
                    all.add(new MallocReport.TraceRuns(t, runs));
                }
                return Main.EXIT_OK;
            });
            if (runExit != Main.EXIT_OK) {
                return runExit;
            }
            if (failed[0] != Main.EXIT_OK) {
                exit = failed[0];
            }
            PrintStream info = common.json ? err : out;
            if (common.json) {
                out.print(MallocReport.json("malloc compare", machine(k), all, null, null, null));
            } else {
                boolean first = true;
                for (MallocReport.TraceRuns tr : all) {
                    if (!first) {
                        out.println();
                    }
                    first = false;
                    out.println(MallocReport.header(tr.trace()));
                    String problems = MallocReport.problemSummary(tr.trace());
                    if (!problems.isEmpty()) {
                        out.println(problems);
                    }
                    out.println("machine: " + machine(k));
                    out.println();
                    out.print(MallocReport.table(tr.runs()));
                }
            }
            if (!noChart) {
                for (MallocReport.TraceRuns tr : all) {
                    try {
                        for (Path p :
                                MallocChart.write(outDir, chartName(tr.trace().name()), tr)) {
                            info.println("chart: " + p);
                        }
                    } catch (IOException | RuntimeException e) {
                        err.println("kmemlab: " + cmd + ": cannot write charts to " + outDir + ": "
                                + Main.reason(e instanceof IOException io ? io : new IOException(e.getMessage())));
                        exit = Main.EXIT_SCRIPT_FAILED;
                    }
                }
            }
            out.flush();
            for (MallocReport.TraceRuns tr : all) {
                long traceApplied = 0;
                for (MallocFigures f : tr.runs()) {
                    traceApplied += f.applied();
                }
                if (traceApplied == 0 && read.size() > 1) {
                    err.println("kmemlab: " + cmd + ": " + tr.trace().name() + ": nothing applied");
                    exit = Main.EXIT_SCRIPT_FAILED;
                }
                for (MallocFigures f : tr.runs()) {
                    if (f.diedAt() > 0) {
                        err.println("kmemlab: " + cmd + ": " + tr.trace().name() + ": " + f.allocator() + ": process "
                                + f.pid() + " " + f.death() + " at line " + f.diedAt());
                        exit = Main.EXIT_SCRIPT_FAILED;
                    }
                }
            }
            if (applied[0] == 0) {
                err.println("kmemlab: " + cmd + ": nothing applied");
                return Main.EXIT_SCRIPT_FAILED;
            }
            return exit;
        }

        /** {@code mawk.rep.xz} → {@code mawk}. */
        static String chartName(String trace) {
            String s = trace.replaceAll("\\.(rep|mtrace|txt|trace|ops)?(\\.(gz|xz))?$", "")
                    .replaceAll("[^A-Za-z0-9._-]", "_");
            return s.isEmpty() ? "stdin" : s;
        }

        /**
         * A boot word ({@code mem=1G}, {@code norandmaps}) rather than a trace: it has an '=', or it is
         * not a file and has neither a dot nor a slash.
         */
        static boolean isBootWord(String a) {
            if (a.equals("-") || Files.exists(Path.of(a))) {
                return false;
            }
            return a.contains("=") || (!a.contains(".") && !a.contains("/"));
        }
    }

    @Command(
            name = "ostep",
            description = "OSTEP's vm-freespace/malloc.py with its own options (-s, -S, -b, -H, -a, -p, -l, -C, -n, -r,"
                    + " -P, -A, -c; -h lists them), run by the malloc module's free-list allocator.")
    static final class Ostep implements Callable<Integer> {
        @ParentCommand
        MallocCommand parent;

        /** Every argument, options included, in order: malloc.py parses them itself. */
        @picocli.CommandLine.Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            Main main = parent.main;
            for (UserHeapLab lab : ServiceLoader.load(UserHeapLab.class)) {
                if (lab.name().equals("ostep")) {
                    int exit = lab.run(args, main.out(), main.err());
                    main.out().flush();
                    return exit;
                }
            }
            main.err().println("kmemlab: malloc ostep: no 'ostep' lab on the class path (module malloc)");
            return Main.EXIT_USAGE;
        }
    }

    /**
     * The allocator specs of {@code list} (every allocator on the class path when null), or null
     * after printing why not ({@code option} names the flag in the message).
     */
    static List<UserAllocators.Spec> specs(
            UserAllocators allocators, String list, String cmd, String option, PrintStream err) {
        List<UserAllocators.Spec> specs = new ArrayList<>();
        if (list == null) {
            allocators.names().forEach(n -> specs.add(UserAllocators.Spec.parse(n)));
        } else {
            for (String s : UserAllocators.splitList(list, allocators.names())) {
                specs.add(UserAllocators.Spec.parse(s));
            }
        }
        if (specs.isEmpty()) {
            err.println("kmemlab: " + cmd + ": no user-space allocators on the class path");
            return null;
        }
        for (UserAllocators.Spec s : specs) {
            String why = allocators.check(s);
            if (why != null) {
                err.println("kmemlab: " + cmd + ": " + option + ": " + why);
                return null;
            }
        }
        return specs;
    }
}
