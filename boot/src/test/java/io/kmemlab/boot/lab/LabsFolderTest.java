package io.kmemlab.boot.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code labs/} exercises: each starter fails its check with the "not
 * implemented" failure explained, and the reference solution (kmemlab's own allocator behind the
 * lab interface, or the fixed script) passes it.
 */
class LabsFolderTest {
    private static final Path LABS = Path.of("..", "labs");

    @TempDir
    Path tmp;

    private Path copy(String exercise) throws IOException {
        Path dir = tmp.resolve(exercise);
        Files.createDirectories(dir);
        try (var files = Files.list(LABS.resolve(exercise))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static void assertNotImplemented(Cli.Run r, String what) {
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .contains("  what happened: threw java.lang.UnsupportedOperationException: " + what
                        + " is not implemented yet (at ")
                .contains("  reproduce with the ");
    }

    @Test
    void everyExercise_hasAHandout_andTheIndexNamesIt() throws IOException {
        String index = read(LABS.resolve("README.md"));
        for (String ex : List.of(
                "buddy-from-scratch", "fits-and-coalescing", "slab-colouring", "slub-debug", "percpu-freelists")) {
            assertThat(LABS.resolve(ex).resolve("README.md")).exists();
            assertThat(index).contains("`" + ex + "/`");
        }
        assertThat(read(LABS.resolve("percpu-freelists").resolve("README.md")))
                .contains("./kmemlab contention --workload kalloctest");
    }

    @Test
    void buddyFromScratch_starterIsTheLevelsStarter_failsNotImplemented_referencePasses() throws IOException {
        assertThat(read(LABS.resolve("buddy-from-scratch").resolve("Pages.java")))
                .isEqualTo(LabStarter.files("buddy").get(0)[1]);
        assertNotImplemented(Cli.run("lab", "check", copy("buddy-from-scratch").toString()), "alloc_pages");
        for (PageLab.Finding f :
                new PageLab().check(PageLab.reference(), List.of(PageTrace.odd(), PageTrace.holes()))) {
            assertThat(f.result().ok()).isTrue();
        }
    }

    @Test
    void fitsAndCoalescing_starterFailsNotImplemented_completedAndReferencesPass() throws IOException {
        Path dir = copy("fits-and-coalescing");
        assertNotImplemented(Cli.run("lab", "check", dir.toString()), "findFit");
        List<LabTrace> traces = MallocLab.checkTraces().stream()
                .filter(t -> List.of("short", "binary", "coalescing", "edges").contains(t.name()))
                .toList();
        Supplier<Kernel> boot =
                () -> Kernel.boot(List.of("mem=256M", "norandmaps", "seed=1")).kernel();
        for (String ref : List.of("first-fit", "best-fit")) {
            for (MallocLab.Finding f : new MallocLab(boot).check(StudentMallocs.reference(ref), traces)) {
                assertThat(f.result().ok())
                        .as(ref + " " + f.result().trace().name())
                        .isTrue();
            }
        }
        // the skeleton is sound: with the two methods written, it passes the same traces
        Path mm = dir.resolve("Mm.java");
        String src = read(mm).replace(
                        "        throw new UnsupportedOperationException(\"findFit is not implemented yet\");", """
                        long best = 0;
                        for (long b = first; sizeOf(b) > 0; b += sizeOf(b)) {
                            if (!allocated(b) && sizeOf(b) >= asize) {
                                if (POLICY == Policy.FIRST) {
                                    return b;
                                }
                                if (best == 0 || sizeOf(b) < sizeOf(best)) {
                                    best = b;
                                }
                            }
                        }
                        return best;""")
                .replace("        throw new UnsupportedOperationException(\"coalesce is not implemented yet\");", """
                        long size = sizeOf(b);
                        if (!allocated(b + size)) {
                            size += sizeOf(b + size);
                        }
                        if (b > first && !allocated(b - WORD)) {
                            long before = sizeOf(b - WORD);
                            b -= before;
                            size += before;
                        }
                        mem.writeU64(b, pack(size, false));
                        mem.writeU64(b + size - WORD, pack(size, false));
                        return b;""");
        Files.writeString(mm, src, StandardCharsets.UTF_8);
        StudentMallocs.Found found = StudentMallocs.find(dir);
        assertThat(found.error()).isNull();
        for (MallocLab.Finding f : new MallocLab(boot).check(found.factory(), traces)) {
            assertThat(f.result().failure()).as(f.result().trace().name()).isNull();
        }
    }

    @Test
    void slabColouring_starterFailsNotImplemented_slabReferenceColours() throws IOException {
        assertThat(read(LABS.resolve("slab-colouring").resolve("Slab.java")))
                .isEqualTo(LabStarter.files("slab").get(0)[1]);
        assertNotImplemented(Cli.run("lab", "check", copy("slab-colouring").toString()), "kmem_cache_alloc");
        Supplier<Kernel> slab = () -> Kernel.boot(List.of("mem=256M", "norandmaps", "seed=1", "slab=slab"))
                .kernel();
        SlabLab lab = new SlabLab(slab);
        for (SlabLab.Finding f : lab.check(SlabLab.reference(), SlabTrace.checkSet())) {
            assertThat(f.result().failure()).as(f.result().trace().name()).isNull();
        }
        SlabRun.Result odd = lab.score(SlabLab.reference(), List.of(SlabTrace.single("odd", 700, 0, 32, 3000, 600)))
                .get(0);
        assertThat(odd.ok()).isTrue();
        assertThat(odd.colours())
                .as("SLAB's colour_off spreads the first objects")
                .isGreaterThan(1);
    }

    @Test
    void slubDebug_theScriptsBugsAreReported_theFixedScriptRunsClean() {
        Cli.Run buggy =
                Cli.run("run", LABS.resolve("slub-debug").resolve("driver.kmem").toString(), "slub_debug=FZPU");
        assertThat(buggy.exit()).isEqualTo(1);
        assertThat(buggy.out())
                .contains("[kmalloc Redzone overwritten]", "BUG kmalloc-128 (Not tainted): Object corrupt");
        Cli.Run plain =
                Cli.run("run", LABS.resolve("slub-debug").resolve("driver.kmem").toString());
        assertThat(plain.exit()).as("without slub_debug nothing notices").isZero();
        Path fixed = Path.of("src", "test", "resources", "labs", "driver-fixed.kmem");
        Cli.Run ok = Cli.run("run", fixed.toString(), "slub_debug=FZPU");
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).doesNotContain("BUG");
    }
}
