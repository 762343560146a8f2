package io.kmemlab.boot.cli;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.lab.KallocLab;
import io.kmemlab.boot.lab.LabStarter;
import io.kmemlab.boot.lab.LabStudent;
import io.kmemlab.boot.lab.LabTrace;
import io.kmemlab.boot.lab.MallocLab;
import io.kmemlab.boot.lab.PageLab;
import io.kmemlab.boot.lab.PageTrace;
import io.kmemlab.boot.lab.SlabLab;
import io.kmemlab.boot.lab.SlabTrace;
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
        return boot(List.of());
    }

    /** As {@link #boot()}, with {@code extra} boot words after the lab's own. */
    Supplier<Kernel> boot(List<String> extra) {
        List<String> words = new ArrayList<>(BOOT);
        words.addAll(extra);
        return () -> {
            Kernel k = Kernel.boot(words).kernel();
            if (k == null) {
                throw new IllegalStateException("lab kernel did not boot");
            }
            return k;
        };
    }

    /** The trace files, or null after printing which one could not be read and why. */
    List<LabTrace> read(List<Path> files, String command) {
        return readScripts(files, command, LabTrace::read);
    }

    /** Traces of any level read by {@code reader}, or null after printing which could not be read. */
    <T> List<T> readScripts(List<Path> files, String command, ScriptReader<T> reader) {
        List<T> traces = new ArrayList<>();
        for (Path f : files) {
            try {
                traces.add(reader.read(f));
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

    /** Reads one script file. */
    interface ScriptReader<T> {
        T read(Path file) throws IOException;
    }

    /** Writes {@code text} to {@code DIR/build/NAME}, noting a failure; returns the path. */
    static String writeRepro(Path dir, String name, String text, List<String> problems) {
        Path build = dir.resolve("build");
        Path p = build.resolve(name);
        try {
            Files.createDirectories(build);
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(p + ": " + Main.reason(e));
        }
        return p.toString();
    }

    @Command(name = "new", mixinStandardHelpOptions = true, description = "Write a starter for LEVEL into DIR.")
    static final class New implements Callable<Integer> {
        @ParentCommand
        LabCommand lab;

        @Parameters(index = "0", paramLabel = "LEVEL", description = "buddy (a page allocator), slab or malloc")
        String level;

        @Parameters(index = "1", paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() {
            Main main = lab.main;
            if (!LabStarter.LEVELS.contains(level)) {
                main.err()
                        .println("kmemlab lab new: no level '" + level + "' (levels: "
                                + String.join(", ", LabStarter.LEVELS) + ")");
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
            main.out()
                    .println("next: edit " + dir.resolve(LabStarter.files(level).get(0)[0])
                            + ", then ./kmemlab lab check " + dir);
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
            LabStudent.Found found = LabStudent.find(dir);
            if (found.error() != null) {
                main.err().println("kmemlab lab check: " + found.error());
                return Main.EXIT_SCRIPT_FAILED;
            }
            List<String> problems = new ArrayList<>();
            String report;
            boolean ok;
            switch (found.level()) {
                case BUDDY -> {
                    List<PageTrace> traces =
                            trace == null ? PageTrace.checkSet() : lab.readScripts(trace, "check", PageTrace::read);
                    if (traces == null) {
                        return Main.EXIT_USAGE;
                    }
                    List<PageLab.Finding> findings = new PageLab().check(found.pages(), traces);
                    report = PageLab.checkReport(
                            found.description(),
                            findings,
                            t -> writeRepro(dir, t.name() + ".kmem", t.scriptText(), problems),
                            dir.toString());
                    ok = findings.stream().allMatch(f -> f.result().ok());
                }
                case SLAB -> {
                    List<SlabTrace> traces =
                            trace == null ? SlabTrace.checkSet() : lab.readScripts(trace, "check", SlabTrace::read);
                    if (traces == null) {
                        return Main.EXIT_USAGE;
                    }
                    List<SlabLab.Finding> findings =
                            new SlabLab(lab.boot(SlabLab.BOOT_WORDS)).check(found.slab(), traces);
                    report = SlabLab.checkReport(
                            found.description(),
                            findings,
                            t -> writeRepro(dir, t.name() + ".kmem", t.scriptText(), problems),
                            dir.toString());
                    ok = findings.stream().allMatch(f -> f.result().ok());
                }
                case KALLOC -> {
                    if (trace != null) {
                        main.err().println("kmemlab lab check: the kalloc level runs kalloctest; it takes no --trace");
                        return Main.EXIT_USAGE;
                    }
                    KallocLab.Result r = new KallocLab().run(found.kalloc());
                    report = KallocLab.checkReport(found.description(), r);
                    ok = r.ok();
                }
                default -> {
                    List<LabTrace> traces = trace == null ? MallocLab.checkTraces() : lab.read(trace, "check");
                    if (traces == null) {
                        return Main.EXIT_USAGE;
                    }
                    List<MallocLab.Finding> findings = new MallocLab(lab.boot()).check(found.malloc(), traces);
                    report = MallocLab.checkReport(
                            found.description(),
                            findings,
                            t -> writeRepro(dir, t.name() + ".rep", t.repText(), problems),
                            dir.toString());
                    ok = findings.stream().allMatch(f -> f.result().ok());
                }
            }
            main.out().print(report);
            problems.forEach(p -> main.err().println("kmemlab lab check: " + p));
            return ok ? Main.EXIT_OK : Main.EXIT_SCRIPT_FAILED;
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
                description = "kmemlab's allocator to measure against: malloc level first-fit (default), best-fit, ...;"
                        + " slab level slub (default), slab or slob; page level buddy; kalloc level percpu.")
        String reference;

        @Option(
                names = "--trace",
                paramLabel = "FILE",
                description = "Score over these traces instead of the generated set: CS:APP .rep files (e.g."
                        + " ../shared/malloc-traces/*.rep.xz) at the malloc level, .kmem scripts at the others.")
        List<Path> trace;

        @Override
        public Integer call() {
            Main main = lab.main;
            LabStudent.Found found = LabStudent.find(dir);
            if (found.error() != null) {
                main.err().println("kmemlab lab score: " + found.error());
                return Main.EXIT_SCRIPT_FAILED;
            }
            switch (found.level()) {
                case BUDDY -> {
                    if (reference != null && !reference.equals("buddy")) {
                        main.err()
                                .println("kmemlab lab score: the page level's reference is buddy, not '" + reference
                                        + "'");
                        return Main.EXIT_USAGE;
                    }
                    List<PageTrace> traces =
                            trace == null ? PageTrace.scoreSet() : lab.readScripts(trace, "score", PageTrace::read);
                    if (traces == null) {
                        return Main.EXIT_USAGE;
                    }
                    PageLab pl = new PageLab();
                    var student = pl.score(found.pages(), traces);
                    main.out()
                            .print(PageLab.scoreTable(
                                    found.description(), student, pl.score(PageLab.reference(), traces)));
                    return student.stream().allMatch(r -> r.ok()) ? Main.EXIT_OK : Main.EXIT_SCRIPT_FAILED;
                }
                case SLAB -> {
                    String ref = reference == null ? "slub" : reference;
                    if (!List.of("slub", "slab", "slob").contains(ref)) {
                        main.err()
                                .println("kmemlab lab score: the slab level's reference is slub, slab or slob, not '"
                                        + ref + "'");
                        return Main.EXIT_USAGE;
                    }
                    List<SlabTrace> traces =
                            trace == null ? SlabTrace.scoreSet() : lab.readScripts(trace, "score", SlabTrace::read);
                    if (traces == null) {
                        return Main.EXIT_USAGE;
                    }
                    var student = new SlabLab(lab.boot(SlabLab.BOOT_WORDS)).score(found.slab(), traces);
                    List<String> refWords = new ArrayList<>(List.of("slab=" + ref));
                    if (ref.equals("slub")) {
                        refWords.addAll(SlabLab.BOOT_WORDS);
                    }
                    var refResults = new SlabLab(lab.boot(refWords)).score(SlabLab.reference(), traces);
                    main.out().print(SlabLab.scoreTable(found.description(), student, refResults, ref));
                    return student.stream().allMatch(r -> r.ok()) ? Main.EXIT_OK : Main.EXIT_SCRIPT_FAILED;
                }
                case KALLOC -> {
                    if (reference != null && !reference.equals("percpu")) {
                        main.err()
                                .println("kmemlab lab score: the kalloc level's reference is percpu, not '" + reference
                                        + "'");
                        return Main.EXIT_USAGE;
                    }
                    if (trace != null) {
                        main.err().println("kmemlab lab score: the kalloc level runs kalloctest; it takes no --trace");
                        return Main.EXIT_USAGE;
                    }
                    KallocLab kl = new KallocLab();
                    KallocLab.Result student = kl.run(found.kalloc());
                    main.out().print(KallocLab.scoreTable(found.description(), student, kl.run(KallocLab.reference())));
                    return student.works() ? Main.EXIT_OK : Main.EXIT_SCRIPT_FAILED;
                }
                default -> {
                    String refName = reference == null ? "first-fit" : reference;
                    Supplier<StudentMalloc> ref = StudentMallocs.reference(refName);
                    if (ref == null) {
                        main.err().println("kmemlab lab score: no allocator '" + refName + "'");
                        return Main.EXIT_USAGE;
                    }
                    List<LabTrace> traces = trace == null ? LabTrace.standard() : lab.read(trace, "score");
                    if (traces == null) {
                        return Main.EXIT_USAGE;
                    }
                    MallocLab labRun = new MallocLab(lab.boot());
                    var student = labRun.score(found.malloc(), traces);
                    var refResults = labRun.score(ref, traces);
                    main.out().print(MallocLab.scoreTable(found.description(), student, refResults, refName));
                    return student.stream().allMatch(r -> r.ok()) ? Main.EXIT_OK : Main.EXIT_SCRIPT_FAILED;
                }
            }
        }
    }
}
