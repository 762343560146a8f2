package io.kmemlab.boot.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.testing.Cli;
import io.kmemlab.boot.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slab level: kmemlab's SLUB passes its own check; a student's simple slab allocator (test
 * resources) passes and scores; broken variants of it — overlapping objects, alignment ignored,
 * pages kept after destroy, a double free accepted, a write into a live object — are each caught.
 */
class SlabLabTest {
    static final Supplier<Kernel> BOOT = () -> {
        List<String> w = new ArrayList<>(List.of("mem=256M", "norandmaps", "seed=1"));
        w.addAll(SlabLab.BOOT_WORDS);
        return Kernel.boot(w).kernel();
    };

    @TempDir
    Path tmp;

    private Path simple(String name, String from, String to) throws IOException {
        Path src = Path.of("src", "test", "resources", "lab", "slab-simple", "Slab.java");
        String text = Files.readString(src, StandardCharsets.UTF_8);
        assertThat(text).as("the variant's anchor").contains(from);
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Slab.java"), text.replace(from, to), StandardCharsets.UTF_8);
        return dir;
    }

    private static MallocRun.Failure firstFailure(Path dir, SlabTrace trace) {
        LabStudent.Found found = LabStudent.find(dir);
        assertThat(found.error()).isNull();
        assertThat(found.level()).isEqualTo(LabStudent.Level.SLAB);
        MallocRun.Failure f = new SlabLab(BOOT, 5000)
                .check(found.slab(), List.of(trace))
                .get(0)
                .result()
                .failure();
        assertThat(f).as("a failure").isNotNull();
        return f;
    }

    @Test
    void referenceSlub_passesEveryCheckTrace() {
        List<SlabLab.Finding> findings = new SlabLab(BOOT).check(SlabLab.reference(), SlabTrace.checkSet());
        for (SlabLab.Finding f : findings) {
            assertThat(f.result().failure()).as(f.result().trace().name()).isNull();
        }
    }

    @Test
    void aStudentsSlab_passes_andScoresAgainstSlub() throws IOException {
        Path dir = simple("ok", "", "");
        Cli.Run check = Cli.run("lab", "check", dir.toString());
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("6 of 6 traces passed.");
        Cli.Run score = Cli.run("lab", "score", dir.toString());
        assertThat(score.exit()).as(score.err()).isZero();
        Golden.assertMatches("lab-score-slab-simple.txt", score.out());
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
        Cli.Run made = Cli.run("lab", "new", "slab", dir.toString());
        assertThat(made.exit()).isZero();
        Golden.assertMatches("lab-starter-Slab.java.txt", read(dir.resolve("Slab.java")));
        Golden.assertMatches("lab-starter-slab-README.md", read(dir.resolve("README.md")));
        Cli.Run r = Cli.run("lab", "check", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        Golden.assertMatches("lab-check-slab-starter.txt", r.out().replace(dir.toString(), "DIR"));
    }

    @Test
    void overlappingObjects_areCaught() throws IOException {
        MallocRun.Failure f =
                firstFailure(simple("ov", "        c.freelist = pages.readU64(obj);\n", ""), SlabTrace.basic());
        assertThat(f.kind()).isEqualTo("overlap");
        assertThat(f.problem())
                .matches("alloc\\(lab0\\) for \\$o1 returned 0x[0-9a-f]+, which overlaps \\$o0 at"
                        + " 0x[0-9a-f]+ \\(64 bytes of lab0, still allocated\\)");
    }

    @Test
    void ignoredAlignment_isCaught() throws IOException {
        MallocRun.Failure f =
                firstFailure(simple("al", "int a = Math.max(8, align);", "int a = 8;"), SlabTrace.align());
        assertThat(f.kind()).isEqualTo("align");
        assertThat(f.problem()).endsWith("which is not 64-aligned");
    }

    @Test
    void pagesKeptAfterDestroy_areALeak() throws IOException {
        MallocRun.Failure f =
                firstFailure(simple("lk", "            pages.freePages(slab, c.order);\n", ""), SlabTrace.basic());
        assertThat(f.kind()).isEqualTo("leak");
        assertThat(f.problem())
                .matches("destroy\\(lab0\\) kept the pages at 0x[0-9a-f]+ \\(order 0\\), which held its" + " objects");
    }

    @Test
    void anAcceptedDoubleFree_isCaught() throws IOException {
        MallocRun.Failure f = firstFailure(
                simple("df", "        if (!c.live.remove(obj)) {\n            return false;\n        }\n", ""),
                SlabTrace.twice());
        assertThat(f.kind()).isEqualTo("accepted");
        assertThat(f.problem()).endsWith("returned true, but $o0 was already freed: a double free");
        assertThat(f.op()).isEqualTo("free(lab0, $o0)");
    }

    @Test
    void aWriteIntoALiveObject_isStopped() throws IOException {
        MallocRun.Failure f = firstFailure(
                simple(
                        "wr",
                        "        pages.writeU64(obj, c.freelist);\n        c.freelist = obj;\n        return true;",
                        "        pages.writeU64(obj + c.stride, 0);\n        c.freelist = obj;\n        return true;"),
                SlabTrace.basic());
        assertThat(f.kind()).isEqualTo("stopped");
        assertThat(f.problem())
                .matches("a write of 8 bytes at 0x[0-9a-f]+, inside object 0x[0-9a-f]+ \\(64 bytes\\),"
                        + " which it handed out and is still allocated");
    }

    @Test
    void script_roundTrips() {
        SlabTrace t = SlabTrace.twice();
        assertThat(SlabTrace.parse("twice", t.scriptText()).ops()).isEqualTo(t.ops());
        assertThat(t.scriptText()).contains("kmem_cache_free lab0 $o1+0x8\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SlabTrace.parse("x", "kmem_cache_alloc lab0\n"))
                .hasMessageStartingWith("x:1: bad line 'kmem_cache_alloc lab0': not a kmem_cache_create");
    }
}
