package io.kmemlab.boot.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.testing.Cli;
import io.kmemlab.boot.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab kit's malloc level end to end: the starter as {@code lab new} writes it, a correct
 * student allocator (an implicit free list in test resources) passing and scoring above the
 * starter, and broken ones — overlapping blocks, misaligned blocks, an exception, an endless loop
 * over a cyclic free list, a write past the break — each stopped and reported in its own words,
 * with a repro trace that fails the same way.
 */
class LabKitTest {
    private static final Supplier<Kernel> BOOT =
            () -> Kernel.boot(List.of("mem=256M", "norandmaps", "seed=1")).kernel();

    @TempDir
    Path tmp;

    /** A copy of test resource directory lab/NAME (the kit compiles into DIR/build). */
    private Path student(String name) throws IOException {
        Path src = Path.of("src", "test", "resources", "lab", name);
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private static List<LabTrace> quick() {
        return MallocLab.checkTraces().stream()
                .filter(t -> List.of("short", "edges", "realloc", "random2").contains(t.name()))
                .toList();
    }

    private static LabTrace trace(String name) {
        return quick().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static MallocRun.Failure firstFailure(List<MallocLab.Finding> findings) {
        return findings.stream()
                .map(f -> f.result().failure())
                .filter(f -> f != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no failure"));
    }

    private List<MallocLab.Finding> checkQuick(String name) throws IOException {
        StudentMallocs.Found found = StudentMallocs.find(student(name));
        assertThat(found.error()).as(name).isNull();
        return new MallocLab(BOOT).check(found.factory(), quick());
    }

    private String normalise(String text, Path dir) {
        return text.replace(dir.toString(), "DIR");
    }

    @Test
    void labNew_writesTheStarter_andRefusesToOverwriteIt() throws IOException {
        Path dir = tmp.resolve("mylab");
        Cli.Run r = Cli.run("lab", "new", "malloc", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Golden.assertMatches("lab-new-malloc.txt", normalise(r.out(), dir));
        Golden.assertMatches(
                "lab-starter-Mm.java.txt", Files.readString(dir.resolve("Mm.java"), StandardCharsets.UTF_8));
        Golden.assertMatches(
                "lab-starter-README.md", Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8));
        Cli.Run again = Cli.run("lab", "new", "malloc", dir.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("exists; not overwriting it");
        assertThat(Cli.run("lab", "new", "nosuch", dir.toString()).exit()).isEqualTo(2);
    }

    @Test
    void starter_passesTheCheck_andScoresBelowTheReference() {
        Path dir = tmp.resolve("starter");
        assertThat(Cli.run("lab", "new", "malloc", dir.toString()).exit()).isZero();
        Cli.Run check = Cli.run("lab", "check", dir.toString());
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        Golden.assertMatches("lab-check-starter.txt", normalise(check.out(), dir));
        Cli.Run score = Cli.run("lab", "score", dir.toString());
        assertThat(score.exit()).as(score.err()).isZero();
        Golden.assertMatches("lab-score-starter.txt", normalise(score.out(), dir));
    }

    @Test
    void correctAllocator_passes_andUsesTheHeapBetterThanTheStarter() throws IOException {
        List<MallocLab.Finding> findings = checkQuick("good");
        for (MallocLab.Finding f : findings) {
            assertThat(f.result().failure()).as(f.result().trace().name()).isNull();
        }
        Path starter = tmp.resolve("starter");
        LabStarter.write("malloc", starter);
        MallocLab lab = new MallocLab(BOOT);
        List<MallocRun.Result> good = lab
                .check(StudentMallocs.find(tmp.resolve("good")).factory(), quick())
                .stream()
                .map(MallocLab.Finding::result)
                .toList();
        List<MallocRun.Result> naive = lab.check(StudentMallocs.find(starter).factory(), quick()).stream()
                .map(MallocLab.Finding::result)
                .toList();
        for (int i = 0; i < good.size(); i++) {
            MallocRun.Result g = good.get(i);
            assertThat(g.nanos()).as("virtual time spent in the calls").isPositive();
            assertThat(g.util()).isBetween(0.0, 1.0);
            if (!g.trace().name().equals("short")) {
                assertThat(g.util())
                        .as(g.trace().name())
                        .isGreaterThan(naive.get(i).util());
            }
        }
        String table = MallocLab.scoreTable("good", good, naive, "starter");
        assertThat(table).contains("Perf index = ").doesNotContain(" no ");
    }

    @Test
    void overlappingBlocks_areCaught() throws IOException {
        MallocRun.Failure f = firstFailure(checkQuick("overlap"));
        assertThat(f.kind()).isEqualTo("overlap");
        assertThat(f.problem())
                .matches(
                        "malloc\\(\\d+\\) returned 0x[0-9a-f]+, which overlaps block \\d+ at 0x[0-9a-f]+ .*still allocated\\)");
    }

    @Test
    void misalignedBlocks_areCaught_withARepro() throws IOException {
        Path dir = student("misaligned");
        Cli.Run r = Cli.run("lab", "check", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        Golden.assertMatches("lab-check-misaligned.txt", normalise(r.out(), dir));
        Path repro = dir.resolve("build").resolve("binary-repro.rep");
        assertThat(Files.readString(repro, StandardCharsets.UTF_8)).isEqualTo("0\n1\n1\n1\na 0 64\n");
        Cli.Run again = Cli.run("lab", "check", dir.toString(), "--trace", repro.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.out()).contains("FAILED binary-repro, operation 1 of 1: a 0 64", "which is not 16-aligned");
    }

    @Test
    void anException_isReportedWithTheStudentsLine() throws IOException {
        MallocRun.Failure f = firstFailure(checkQuick("throws"));
        assertThat(f.kind()).isEqualTo("threw");
        assertThat(f.problem())
                .startsWith("threw java.lang.NullPointerException")
                .endsWith("(at Mm.java:24)");
        assertThat(f.op()).startsWith("f ");
    }

    @Test
    void anEndlessLoop_isStoppedByTheAccessBudget() throws IOException {
        MallocRun.Failure f = firstFailure(checkQuick("loop"));
        assertThat(f.kind()).isEqualTo("stopped");
        assertThat(f.problem()).isEqualTo("made more than 2000000 memory accesses in one call (an endless loop?)");
    }

    @Test
    void aLoopThatTouchesNoMemory_isStoppedByTheClock() throws IOException {
        StudentMallocs.Found found = StudentMallocs.find(student("spin"));
        LabTrace shortTrace = trace("short");
        MallocRun.Result r = new MallocLab(BOOT, 300)
                .check(found.factory(), List.of(shortTrace))
                .get(0)
                .result();
        assertThat(r.failure().kind()).isEqualTo("timeout");
        assertThat(r.failure().problem()).isEqualTo("did not return within 300 ms (an endless loop?)");
        assertThat(r.failure().op()).isEqualTo("a 2 48");
    }

    @Test
    void aJar_isLoadedLikeSources() throws IOException {
        Path good = student("good");
        assertThat(StudentMallocs.find(good).error()).isNull(); // compiles into good/build/classes
        Path jarDir = tmp.resolve("jarred");
        Files.createDirectories(jarDir);
        try (java.util.jar.JarOutputStream jar =
                new java.util.jar.JarOutputStream(Files.newOutputStream(jarDir.resolve("mm.jar")))) {
            jar.putNextEntry(new java.util.jar.JarEntry("Mm.class"));
            jar.write(
                    Files.readAllBytes(good.resolve("build").resolve("classes").resolve("Mm.class")));
            jar.closeEntry();
        }
        StudentMallocs.Found found = StudentMallocs.find(jarDir);
        assertThat(found.error()).isNull();
        MallocRun.Result r = new MallocLab(BOOT)
                .check(found.factory(), List.of(trace("edges")))
                .get(0)
                .result();
        assertThat(r.trace().name()).isEqualTo("edges");
        assertThat(r.ok()).as(String.valueOf(r.failure())).isTrue();
    }

    @Test
    void aWriteOutsideTheHeap_isStopped() throws IOException {
        MallocRun.Failure f = firstFailure(checkQuick("outside"));
        assertThat(f.kind()).isEqualTo("stopped");
        assertThat(f.problem()).matches("a write of 8 bytes at 0x([0-9a-f]+), outside the heap 0x[0-9a-f]+-0x\\1");
    }

    @Test
    void aRenamedClass_leavesNoStaleClassBehind() throws IOException {
        Path dir = student("good");
        assertThat(StudentMallocs.find(dir).error()).isNull();
        String src = Files.readString(dir.resolve("Mm.java"), StandardCharsets.UTF_8);
        Files.delete(dir.resolve("Mm.java"));
        Files.writeString(dir.resolve("MyMalloc.java"), src.replace("class Mm ", "class MyMalloc "));
        StudentMallocs.Found found = StudentMallocs.find(dir);
        assertThat(found.error()).isNull();
        assertThat(found.description()).isEqualTo("malloc allocator MyMalloc");
        Cli.Run bare = Cli.run("lab");
        assertThat(bare.exit()).isEqualTo(2);
        assertThat(bare.out()).startsWith("Usage: kmemlab lab ");
    }

    @Test
    void aCompileError_isReportedAndNothingRuns() throws IOException {
        Path dir = tmp.resolve("bad");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Mm.java"), "public class Mm { int x = ; }\n");
        Cli.Run r = Cli.run("lab", "check", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("compilation failed", "Mm.java:1");
        Cli.Run none = Cli.run("lab", "check", tmp.resolve("missing").toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no such directory");
    }

    @Test
    void aRealProgramsTrace_scoresBothAllocators() throws IOException {
        // mawk.rep.xz: mawk's malloc calls as ../shared/malloc-traces recorded them with glibc 2.36
        Path starter = tmp.resolve("starter");
        LabStarter.write("malloc", starter);
        Path rep = Path.of("src", "test", "resources", "lab", "mawk.rep.xz");
        LabTrace mawk = LabTrace.read(rep);
        assertThat(mawk.name()).isEqualTo("mawk");
        assertThat(mawk.ops()).hasSize(833);
        Cli.Run r = Cli.run("lab", "score", starter.toString(), "--trace", rep.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("mawk ")).toList())
                .hasSize(2)
                .allMatch(l -> l.matches("mawk +yes +\\d+% +833 +\\d+\\.\\d{6} +\\d+"));
    }

    @Test
    void repTrace_roundTripsAndNamesABadLine() {
        LabTrace t = LabTrace.edges();
        assertThat(LabTrace.parse("edges", t.repText())).isEqualTo(t);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LabTrace.parse("x", "0\n1\n1\n1\nq 1 2\n"))
                .hasMessage("x:5: bad line 'q 1 2': unknown operation 'q'");
    }
}
