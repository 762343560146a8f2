package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import io.kmemlab.boot.testing.FakeZonedAllocator;
import io.kmemlab.boot.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: outputs, golden boot logs and exit codes. */
class MainTest {

    @Test
    void boot_1G_2cpus_matchesGoldenLog() {
        Cli.Run r = Cli.run("boot", "mem=1G", "nr_cpus=2");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        Golden.assertMatches("boot-mem1G-cpus2.txt", r.out());
    }

    @Test
    void boot_24G_2cpus_matchesGoldenLogAndTheReferenceTotals() {
        Cli.Run r = Cli.run("boot", "mem=24G", "nr_cpus=2");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains(
                        "Built 1 zonelists, mobility grouping on.  Total pages: 6291358\n", "K/25165432K available (");
        Golden.assertMatches("boot-mem24G-cpus2.txt", r.out());
    }

    @Test
    void boot_64M_memblockDebug_matchesGoldenLog() {
        Cli.Run r = Cli.run("boot", "mem=64M", "nr_cpus=1", "memblock=debug");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("] MEMBLOCK configuration:\n", "]  reserved.cnt  = 0x3\n");
        Golden.assertMatches("boot-mem64M-cpus1-memblock-debug.txt", r.out());
    }

    @Test
    void boot_badWords_exit2WithMessageNamingTheWord() {
        assertThat(Cli.run("boot", "mem=0")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("kmemlab: invalid boot parameter 'mem=0'");
            assertThat(r.out()).isEmpty();
        });
        assertThat(Cli.run("boot", "mem=abc").err()).startsWith("kmemlab: invalid boot parameter 'mem=abc'");
        assertThat(Cli.run("boot", "nr_cpus=0").err()).startsWith("kmemlab: invalid boot parameter 'nr_cpus=0'");
        Cli.Run unknown = Cli.run("boot", "foo=1");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("kmemlab: unknown boot parameter 'foo=1'\n");
    }

    @Test
    void unknownOption_isAUsageError() {
        Cli.Run r = Cli.run("boot", "--nope");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--nope'");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void version_printsNameAndExit0() {
        Cli.Run r = Cli.run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("kmemlab ");
    }

    @Test
    void run_pagesScript_matchesGolden() {
        String script = "# two blocks, then give them back\n"
                + "$a = alloc_pages 0\n"
                + "$b = alloc_pages 3 GFP_KERNEL\n"
                + "cat /proc/buddyinfo\n"
                + "__free_pages $b 3; __free_pages $a 0\n"
                + "drain\n"
                + "cat /proc/buddyinfo\n";
        Cli.Run r = Cli.run("run", "-e", script, "mem=1G", "nr_cpus=2");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        Golden.assertMatches("run-pages.txt", r.out());
    }

    @Test
    void run_fromFile_withWords(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.kmem");
        Files.writeString(f, "cpu\ncpu 1\ncpu\n");
        Cli.Run r = Cli.run("run", f.toString(), "nr_cpus=2");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("0\n1\n");
        Cli.Run missing = Cli.run("run", dir.resolve("none").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("kmemlab: cannot read script");
    }

    @Test
    void run_dash_readsTheScriptFromStandardInput() {
        Cli.Run r = Cli.withInput("cpu 1\ncpu\n", "run", "-", "nr_cpus=2");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("1\n");
    }

    @Test
    void run_failingCommand_stopsWithExit1AndNamesTheLine() {
        Cli.Run r = Cli.run("run", "-e", "$a = alloc_pages 0\n__free_pages $a 1\necho not reached");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("BUG: Bad page state").doesNotContain("not reached");
        assertThat(r.err()).startsWith("kmemlab: line 2: __free_pages: ");
    }

    @Test
    void run_keepGoing_runsEverythingButStillExits1() {
        Cli.Run r = Cli.run("run", "--keep-going", "-e", "nosuch; echo reached; __free_pages 0x1 0; echo end");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("reached\nend\n");
        assertThat(r.err())
                .isEqualTo("kmemlab: line 1: nosuch: command not found\n"
                        + "kmemlab: line 1: __free_pages: 0x1 is not the address of a page\n");
    }

    @Test
    void run_syntaxError_isAUsageErrorBeforeAnythingRuns() {
        Cli.Run r = Cli.run("run", "-e", "echo a\necho 'b");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("kmemlab: line 2: syntax error: unterminated single quote\n");
    }

    @Test
    void run_twoSyntaxErrors_bothNamed_nothingRuns() {
        Cli.Run r = Cli.run("run", "-e", "echo 'a\necho b\n$9 = kmalloc 8");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .isEqualTo("kmemlab: line 1: syntax error: unterminated single quote\n"
                        + "kmemlab: line 3: syntax error: invalid variable name '$9'\n");
    }

    @Test
    void run_keepGoing_syntaxErrorLineSkippedWhenReached_restRuns_exit1() {
        Cli.Run r = Cli.run("run", "--keep-going", "-e", "echo a\necho b; echo 'c\necho d");
        assertThat(r.exit()).isEqualTo(1);
        // the whole bad line is skipped, including its good first part
        assertThat(r.out()).isEqualTo("a\nd\n");
        assertThat(r.err()).isEqualTo("kmemlab: line 2: syntax error: unterminated single quote\n");
    }

    @Test
    void run_badBootWord_exit2() {
        assertThat(Cli.run("run", "-e", "dmesg", "mem=abc").exit()).isEqualTo(2);
    }

    @Test
    void shell_pipedInput_runsEveryLineAndCarriesOnAfterErrors() {
        Cli.Run r = Cli.withInput(
                "$p = alloc_pages 0\nbogus\n__free_pages $p 0\n__free_pages $p 0\nexit\necho never\n",
                "shell",
                "mem=1G");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .startsWith("$p = 0xffff8880")
                .contains("BUG: Bad page state")
                .doesNotContain("never");
        assertThat(r.err())
                .contains("kmemlab: line 2: bogus: command not found\n", "kmemlab: line 4: __free_pages: bad page");
    }

    @Test
    void traceFile_receivesEnabledEvents(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("trace.txt");
        Cli.Run r = Cli.run(
                "--trace-file",
                f.toString(),
                "run",
                "-e",
                "alloc_pages 0; alloc_pages 1",
                "trace_event=kmem:mm_page_alloc");
        assertThat(r.exit()).isZero();
        List<String> lines = Files.readAllLines(f);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("[000] ..... ", ": mm_page_alloc: page=", " order=0 ");
        assertThat(lines.get(1)).contains(" order=1 ");
    }

    @Test
    void traceFile_carriesCacheComments_soItsReplayCreatesTheSameCache(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("trace.txt");
        Cli.Run r = Cli.run(
                "--trace-file",
                f.toString(),
                "run",
                "-e",
                "kmem_cache_create foo 200 align=64 ctor; $a = kmem_cache_alloc foo; $b = kmem_cache_alloc foo; "
                        + "kmem_cache_free foo $a",
                "trace_event=kmem:*");
        assertThat(r.exit()).isZero();
        List<String> lines = Files.readAllLines(f);
        assertThat(lines.get(0))
                .startsWith("# kmemlab cache: name=foo size=200 align=64 ")
                .contains(" ctor=1 ");
        assertThat(lines.stream()
                        .filter(l -> l.contains(": kmem_cache_alloc: "))
                        .count())
                .isEqualTo(2);
        Cli.Run replay = Cli.run("replay", f.toString(), "--slab", "slub", "--json", "--no-timing");
        assertThat(replay.exit()).isZero();
        assertThat(replay.out()).contains("\"malformed\": 0", "\"unmatched_frees\": 0", "\"failures\": 0");
    }

    @Test
    void seed_isTheSameAsTheBootWord() {
        // SLAB_FREELIST_RANDOM: object order within a slab depends on the machine's seed.
        String script = "kmalloc 64; kmalloc 64; kmalloc 64";
        Cli.Run a = Cli.run("--seed", "7", "run", "-e", script);
        Cli.Run b = Cli.run("run", "-e", script, "seed=7");
        Cli.Run c = Cli.run("run", "-e", script, "seed=8");
        assertThat(a.out()).isEqualTo(b.out()).startsWith("0xffff888");
        assertThat(a.out()).isNotEqualTo(c.out());
    }

    @Test
    void layout_printsGeometryKeysThenExplanation() {
        Cli.Run r = Cli.run("layout", "96", "nr_cpus=2");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("object_size: 96\n", "slab_size: 96\n", "objs_per_slab: 42\n", "order: 0\n");
        for (String key : new String[] {
            "object_size",
            "slab_size",
            "align",
            "order",
            "objs_per_slab",
            "offset",
            "inuse",
            "min_partial",
            "cpu_partial"
        }) {
            assertThat(r.out()).containsPattern("(?m)^" + key + ": ");
        }
    }

    @Test
    void layout_taskStruct_order3With5Objects() {
        Cli.Run r = Cli.run("layout", "5824", "--flags", "HWCACHE_ALIGN", "nr_cpus=2");
        assertThat(r.out()).contains("order: 3\n", "objs_per_slab: 5\n");
    }

    @Test
    void layout_badInput_exit2() {
        assertThat(Cli.run("layout", "abc").exit()).isEqualTo(2);
        assertThat(Cli.run("layout", "64", "--flags", "NOPE").err())
                .isEqualTo("kmemlab: layout: invalid --flags 'NOPE'\n");
        Cli.Run r = Cli.run("layout", "99999999999", "nr_cpus=2");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("kmemlab: layout: cannot create a cache of 99999999999 bytes");
    }

    @Test
    void noSlabAllocator_slabCommandsFailCleanly() {
        Cli.Run r = Cli.run(() -> FakeZonedAllocator.components(List.of()), "", "run", "-e", "kmalloc 8");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("kmemlab: line 1: kmalloc: slab allocator 'slub' is not available\n");
        Cli.Run l = Cli.run(() -> FakeZonedAllocator.components(List.of()), "", "layout", "64");
        assertThat(l.exit()).isEqualTo(2);
        assertThat(l.err()).isEqualTo("kmemlab: slab allocator 'slub' is not available\n");
    }

    @Test
    void internalError_printsOneLineNotAStackTrace() {
        Cli.Run r = Cli.run(
                () -> {
                    throw new IllegalStateException("broken wiring");
                },
                "",
                "boot");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("kmemlab: internal error: java.lang.IllegalStateException: broken wiring\n");
    }
}
