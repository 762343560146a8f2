package io.kmemlab.boot.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import io.kmemlab.boot.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page-allocator level: kmemlab's buddy passes its own check and is the score's reference; a
 * student's first fit (test resources, exact sizes, no rounding) passes too; broken variants of it
 * — a double free accepted, a write into a frame handed out, no coalescing, overlapping blocks, an
 * endless loop over the free list, a call to System.exit — are each caught in their own words.
 */
class PageLabTest {
    @TempDir
    Path tmp;

    /** The first fit with {@code from} replaced by {@code to} (which must occur). */
    private Path firstFit(String name, String from, String to) throws IOException {
        Path src = Path.of("src", "test", "resources", "lab", "pages-firstfit", "Pages.java");
        String text = Files.readString(src, StandardCharsets.UTF_8);
        assertThat(text).as("the variant's anchor").contains(from);
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Pages.java"), text.replace(from, to), StandardCharsets.UTF_8);
        return dir;
    }

    private static MallocRun.Failure firstFailure(Path dir, List<PageTrace> traces) {
        LabStudent.Found found = LabStudent.find(dir);
        assertThat(found.error()).isNull();
        assertThat(found.level()).isEqualTo(LabStudent.Level.BUDDY);
        return new PageLab(5000)
                .check(found.pages(), traces).stream()
                        .map(f -> f.result().failure())
                        .filter(f -> f != null)
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no failure"));
    }

    @Test
    void referenceBuddy_passesEveryCheckTrace() {
        List<PageLab.Finding> findings = new PageLab().check(PageLab.reference(), PageTrace.checkSet());
        for (PageLab.Finding f : findings) {
            assertThat(f.result().failure()).as(f.result().trace().name()).isNull();
            assertThat(f.result().notes()).as(f.result().trace().name()).isEmpty();
        }
    }

    @Test
    void aStudentsFirstFit_passes_andScoresAgainstTheBuddy() throws IOException {
        Path dir = firstFit("ff", "", "");
        Cli.Run check = Cli.run("lab", "check", dir.toString());
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("9 of 9 traces passed.").startsWith("lab check: page allocator Pages\n");
        Cli.Run score = Cli.run("lab", "score", dir.toString());
        assertThat(score.exit()).as(score.err()).isZero();
        Golden.assertMatches("lab-score-pages-firstfit.txt", score.out());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void starter_failsWithNotImplemented_explained() {
        Path dir = tmp.resolve("starter");
        Cli.Run made = Cli.run("lab", "new", "buddy", dir.toString());
        assertThat(made.exit()).isZero();
        Golden.assertMatches("lab-new-buddy.txt", made.out().replace(dir.toString(), "DIR"));
        Golden.assertMatches("lab-starter-Pages.java.txt", read(dir.resolve("Pages.java")));
        Golden.assertMatches("lab-starter-buddy-README.md", read(dir.resolve("README.md")));
        Cli.Run r = Cli.run("lab", "check", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        Golden.assertMatches("lab-check-buddy-starter.txt", r.out().replace(dir.toString(), "DIR"));
        Path repro = dir.resolve("build").resolve("odd-repro.kmem");
        Cli.Run again = Cli.run("lab", "check", dir.toString(), "--trace", repro.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.out())
                .contains("odd-repro          1  FAILED at operation 1\n", "-operation script " + repro + ":\n")
                .doesNotContain("repro-repro");
        Cli.Run shell = Cli.run("run", repro.toString());
        assertThat(shell.exit())
                .as("the repro is a script kmemlab's own buddy runs")
                .isZero();
        assertThat(shell.out()).matches("\\$b0 = 0x[0-9a-f]+\n");
    }

    @Test
    void anAcceptedDoubleFree_isCaught() throws IOException {
        MallocRun.Failure f = firstFailure(
                firstFit(
                        "df",
                        "if (n <= 0 || mem.flags(base) != ALLOC_HEAD || mem.property(base) != n) {",
                        "if (n <= 0) {"),
                List.of(PageTrace.twice()));
        assertThat(f.kind()).isEqualTo("accepted");
        assertThat(f.problem())
                .matches("free_pages\\(0x1000, 1\\) returned true, but that block was already freed \\(operation 2\\):"
                        + " a double free");
    }

    @Test
    void aWriteIntoAFrameHandedOut_isStopped() throws IOException {
        MallocRun.Failure f = firstFailure(
                firstFit(
                        "wr",
                        "        insert(base, n);\n        return true;",
                        "        mem.writeU64(base + n, 0, 0);\n        insert(base, n);\n        return true;"),
                List.of(PageTrace.basic()));
        assertThat(f.kind()).isEqualTo("stopped");
        assertThat(f.problem())
                .isEqualTo(
                        "a write of the bytes of pfn 0x1001 at offset 0, a frame it had handed out (its owner's memory)");
        assertThat(f.op()).isEqualTo("free_pages($b0, 1)");
    }

    @Test
    void noCoalescing_failsALargeRequestWhileItsFramesAreFree() throws IOException {
        MallocRun.Failure f = firstFailure(
                firstFit("nc", "        if (next != NIL && base + n == next) {", "        if (false) {"),
                List.of(PageTrace.all()));
        assertThat(f.kind()).isEqualTo("null");
        assertThat(f.problem()).isEqualTo("alloc_pages(1024) returned NO_PAGE");
        assertThat(f.expected()).isEqualTo("a block: frames 0x1000-0x13ff (an aligned run of 1024) are all free");
    }

    @Test
    void overlappingBlocks_areCaught() throws IOException {
        MallocRun.Failure f =
                firstFailure(firstFit("ov", "int rest = p + n;", "int rest = p + n - 1;"), List.of(PageTrace.basic()));
        assertThat(f.kind()).isEqualTo("twice");
        assertThat(f.problem())
                .isEqualTo("alloc_pages(1) returned pfn 0x1000, but frame 0x1000 is already handed out"
                        + " (block at 0x1000 of 1 frames)");
    }

    @Test
    void anEndlessLoop_isStoppedByTheAccessBudget() throws IOException {
        MallocRun.Failure f = firstFailure(
                firstFit(
                        "lp",
                        "p != NIL; p = mem.next(p)) {\n            int size",
                        "p != NIL; mem.next(p)) {\n            int size"),
                List.of(PageTrace.fragment()));
        assertThat(f.kind()).isEqualTo("stopped");
        assertThat(f.problem()).isEqualTo("made more than 2000000 memory accesses in one call (an endless loop?)");
        assertThat(f.op()).isEqualTo("alloc_pages(2)");
    }

    @Test
    void systemExit_isRefusedBeforeAnythingRuns() throws IOException {
        Path dir = firstFit(
                "exit",
                "        insert(base, n);\n        return true;",
                "        System.exit(3);\n        return true;");
        Cli.Run r = Cli.run("lab", "check", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .contains(
                        "refused, because the code could end or get around kmemlab itself:\n  Pages calls java.lang.System.exit");
        Path halt = firstFit(
                "halt", "        return nrFree;", "        Runtime.getRuntime().halt(1);\n        return nrFree;");
        assertThat(LabStudent.find(halt).error())
                .contains("Pages calls java.lang.Runtime.getRuntime", "Pages calls java.lang.Runtime.halt");
    }

    @Test
    void script_roundTrips_andNamesABadLine() {
        PageTrace t = PageTrace.twice();
        PageTrace back = PageTrace.parse("twice", t.scriptText());
        assertThat(back.ops()).isEqualTo(t.ops());
        assertThat(back.ranges()).hasSize(1);
        assertThat(back.ranges().get(0)).containsExactly(0x1000, 4096);
        assertThat(PageTrace.holes().scriptText()).contains("# lab: init_memmap 0x1803 2000\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> PageTrace.parse("x", "# lab: init_memmap 0x1000 16\n$b0 = alloc_page 1\n"))
                .hasMessageStartingWith("x:2: bad line '$b0 = alloc_page 1': not an alloc_pages or __free_pages line");
    }
}
