package io.kmemlab.boot.cli;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.lab.LabStarter;
import io.kmemlab.boot.lab.LabTrace;
import io.kmemlab.boot.lab.MallocLab;
import io.kmemlab.boot.lab.StudentMalloc;
import io.kmemlab.boot.lab.StudentMallocs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kmemlab lab new|check|score}: the lab kit for student allocators. */
@Command(
        name = "lab",
        mixinStandardHelpOptions = true,
        description = "The lab kit: write a starter, check a student's allocator, score it.",
        subcommands = {LabCommand.New.class, LabCommand.Check.class, LabCommand.Score.class})
public final class LabCommand implements Callable<Integer> {
    /** The boot words every lab run uses: fixed, so reports are the same everywhere. */
    static final List<String> BOOT = List.of("mem=256M", "norandmaps", "seed=1");

    @ParentCommand
    Main main;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(main.out());
        return Main.EXIT_USAGE;
    }

    /** Boots a kernel for one trace, or fails with the reason (boot words are fixed, so it cannot). */
    Supplier<Kernel> boot() {
        return () -> {
            Kernel k = Kernel.boot(BOOT).kernel();
            if (k == null) {
                throw new IllegalStateException("lab kernel did not boot");
            }
            return k;
        };
    }

    /** The trace files, or null after printing which one could not be read and why. */
    List<LabTrace> read(List<Path> files, String command) {
        List<LabTrace> traces = new ArrayList<>();
        for (Path f : files) {
            try {
                traces.add(LabTrace.read(f));
            } catch (IOException e) {
                main.err().println("kmemlab lab " + command + ": " + f + ": " + Main.reason(e));
                return null;
            } catch (IllegalArgumentException e) {
                main.err().println("kmemlab lab " + command + ": " + e.getMessage());
                return null;
            }
        }
        return traces;
    }

    @Command(name = "new", mixinStandardHelpOptions = true, description = "Write a starter for LEVEL into DIR.")
    static final class New implements Callable<Integer> {
        @ParentCommand
        LabCommand lab;

        @Parameters(index = "0", paramLabel = "LEVEL", description = "malloc")
        String level;

        @Parameters(index = "1", paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() {
            Main main = lab.main;
            if (!LabStarter.LEVELS.contains(level)) {
                main.err()
                        .println("kmemlab lab new: no level '" + level + "' (levels: "
                                + String.join(", ", LabStarter.LEVELS) + "; buddy and slab are still to come)");
                return Main.EXIT_USAGE;
            }
            try {
                for (Path p : LabStarter.write(level, dir)) {
                    main.out().println("wrote " + p);
                }
            } catch (IOException e) {
                main.err().println("kmemlab lab new: " + e.getMessage());
                return Main.EXIT_SCRIPT_FAILED;
            }
            main.out().println("next: edit " + dir.resolve("Mm.java") + ", then ./kmemlab lab check " + dir);
            return Main.EXIT_OK;
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Compile the allocator in DIR and check it against the contract; exit 1 on a failure.")
    static final class Check implements Callable<Integer> {
        @ParentCommand
        LabCommand lab;

        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Option(
                names = "--trace",
                paramLabel = "FILE",
                description = "Run only these CS:APP .rep traces (a repro; .xz and .gz read too).")
        List<Path> trace;

        @Override
        public Integer call() {
            Main main = lab.main;
            StudentMallocs.Found found = StudentMallocs.find(dir);
            if (found.error() != null) {
                main.err().println("kmemlab lab check: " + found.error());
                return Main.EXIT_SCRIPT_FAILED;
            }
            List<LabTrace> traces = trace == null ? MallocLab.checkTraces() : lab.read(trace, "check");
            if (traces == null) {
                return Main.EXIT_USAGE;
            }
            MallocLab labRun = new MallocLab(lab.boot());
            List<MallocLab.Finding> findings = labRun.check(found.factory(), traces);
            Path build = dir.resolve("build");
            List<String> problems = new ArrayList<>();
            String report = MallocLab.checkReport(
                    found.description(),
                    findings,
                    t -> {
                        Path p = build.resolve(t.name() + ".rep");
                        try {
                            Files.createDirectories(build);
                            Files.writeString(p, t.repText(), StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            problems.add(p + ": " + Main.reason(e));
                        }
                        return p.toString();
                    },
                    dir.toString());
            main.out().print(report);
            problems.forEach(p -> main.err().println("kmemlab lab check: " + p));
            return findings.stream().allMatch(f -> f.result().ok()) ? Main.EXIT_OK : Main.EXIT_SCRIPT_FAILED;
        }
    }

    @Command(
            name = "score",
            mixinStandardHelpOptions = true,
            description = "Score the allocator in DIR as the CS:APP malloc lab driver does (secs in virtual time).")
    static final class Score implements Callable<Integer> {
        @ParentCommand
        LabCommand lab;

        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Option(
                names = "--reference",
                paramLabel = "NAME",
                defaultValue = "first-fit",
                description = "kmemlab's allocator to measure throughput against (default: ${DEFAULT-VALUE}).")
        String reference;

        @Option(
                names = "--trace",
                paramLabel = "FILE",
                description = "Score over these CS:APP .rep traces (e.g. ../shared/malloc-traces/*.rep.xz) instead of"
                        + " the generated set.")
        List<Path> trace;

        @Override
        public Integer call() {
            Main main = lab.main;
            StudentMallocs.Found found = StudentMallocs.find(dir);
            if (found.error() != null) {
                main.err().println("kmemlab lab score: " + found.error());
                return Main.EXIT_SCRIPT_FAILED;
            }
            Supplier<StudentMalloc> ref = StudentMallocs.reference(reference);
            if (ref == null) {
                main.err().println("kmemlab lab score: no allocator '" + reference + "'");
                return Main.EXIT_USAGE;
            }
            List<LabTrace> traces = trace == null ? LabTrace.standard() : lab.read(trace, "score");
            if (traces == null) {
                return Main.EXIT_USAGE;
            }
            MallocLab labRun = new MallocLab(lab.boot());
            var student = labRun.score(found.factory(), traces);
            var refResults = labRun.score(ref, traces);
            main.out().print(MallocLab.scoreTable(found.description(), student, refResults, reference));
            return student.stream().allMatch(r -> r.ok()) ? Main.EXIT_OK : Main.EXIT_SCRIPT_FAILED;
        }
    }
}
