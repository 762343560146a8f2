package io.kmemlab.boot.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import io.kmemlab.boot.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --step} of replay, the shell and malloc replay against golden files, one per view: the
 * first 48 events of a real 6.18 capture ({@code step/kmem-618-head60.txt}, cut from the shared
 * head300 excerpt), a shell script, an OSTEP op list and a CS:APP trace. Stepping only reads the
 * machines: the same replay with and without it reports the same figures.
 */
class StepGoldenTest {
    private static final String TRACE = "src/test/resources/step/kmem-618-head60.txt";

    /** The steps of a replay's output: everything before its report. */
    private static String steps(Cli.Run r) {
        assertThat(r.exit()).as(r.err()).isZero();
        int report = r.out().indexOf("\ntrace: " + TRACE);
        assertThat(report).isPositive();
        return r.out().substring(0, report + 1);
    }

    /**
     * The steps of a malloc replay's output: everything before its summary (whose virtual time is
     * the cost model's, not the steps').
     */
    private static String mallocSteps(Cli.Run r) {
        int summary = r.out().indexOf("trace: ops.txt (");
        assertThat(summary).isPositive();
        return r.out().substring(0, summary);
    }

    private static Cli.Run replay(String... extra) {
        String[] base = {"replay", TRACE, "--no-timing", "--page-events", "mem=64M", "nr_cpus=2"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.run(args);
    }

    @Test
    void replay_stepBuddy_matchesGolden() {
        String s = steps(replay("--step", "--step-view", "buddy", "--step-limit", "15"));
        assertThat(s).contains("mm_page_alloc pfn=0x115fb1 order=0 -> pfn 0x", "split tree of pfn 0x");
        assertThat(s).doesNotContain("  slab ");
        Golden.assertMatches("step/replay-buddy.txt", s);
    }

    @Test
    void replay_stepSlab_matchesGolden() {
        String s = steps(replay("--step", "--step-view", "slab"));
        assertThat(s).startsWith(StepOptions.LEGEND).doesNotContain("mm_page_alloc");
        // the trace's first frees name objects allocated before the capture
        assertThat(s).contains("skipped: free of a pointer not allocated in the trace");
        Golden.assertMatches("step/replay-slab.txt", s);
    }

    @Test
    void replay_stepOneCache_printsOnlyItsSteps() {
        String s = steps(replay("--step", "--step-view", "vm_area_struct"));
        assertThat(s.lines().filter(l -> l.startsWith("line ")).count()).isEqualTo(4);
        assertThat(s.lines().filter(l -> l.startsWith("line "))).allMatch(l -> l.contains("name=vm_area_struct"));
        Golden.assertMatches("step/replay-vm_area_struct.txt", s);
    }

    @Test
    void replay_stepAll_limit_matchesGoldenAndSaysWhereItStopped() {
        String s = steps(replay("--step", "--step-limit", "12"));
        assertThat(s.lines().filter(l -> l.startsWith("line ")).count()).isEqualTo(12);
        assertThat(s).endsWith("--- 12 steps printed (the step limit); the rest is not printed\n");
        Golden.assertMatches("step/replay-all-12.txt", s);
    }

    @Test
    void replay_stepUnderSlab_showsTheArrayCaches() {
        String s = steps(replay("--slab", "slab", "--step", "--step-view", "slab", "--step-limit", "10"));
        assertThat(s).contains("(slabs_partial)");
        Golden.assertMatches("step/replay-slab-slab-10.txt", s);
    }

    @Test
    void replay_withSteps_reportsWhatItReportsWithout() {
        Cli.Run plain = replay();
        Cli.Run stepped = replay("--step", "--step-limit", "5");
        assertThat(stepped.out()).endsWith(plain.out());
        assertThat(stepped.out()).isNotEqualTo(plain.out());
        assertThat(replay("--step", "--step-limit", "5").out()).isEqualTo(stepped.out());
    }

    @Test
    void replay_severalAllocators_labelEachStepInTheAllocatorsOrder() {
        String s = steps(replay("--slab", "all", "--step", "--step-view", "slab", "--step-limit", "3"));
        assertThat(s).startsWith(StepOptions.LEGEND);
        assertThat(s.indexOf(StepOptions.LEGEND, 1)).as("one legend").isNegative();
        assertThat(s.lines().filter(l -> l.startsWith("line ")).map(l -> l.substring(0, l.indexOf(" cpu "))))
                .containsExactly(
                        "line 13 [slab]",
                        "line 13 [slub]",
                        "line 13 [slob]",
                        "line 14 [slab]",
                        "line 14 [slub]",
                        "line 14 [slob]",
                        "line 15 [slab]",
                        "line 15 [slub]",
                        "line 15 [slob]");
        assertThat(s)
                .endsWith("--- [slab] 3 steps printed (the step limit); the rest is not printed\n"
                        + "--- [slub] 3 steps printed (the step limit); the rest is not printed\n"
                        + "--- [slob] 3 steps printed (the step limit); the rest is not printed\n");
        // SLOB keeps no per-cache slabs: its step says where the object is instead
        assertThat(s).contains("] cpu 0: kmem_cache_alloc name=names_cache").contains("is on no slab; heap: ");
    }

    @Test
    void replay_aCacheNoEventNames_saysSo() {
        assertThat(steps(replay("--step", "--step-view", "no_such_cache")))
                .isEqualTo("--- no event matched --step-view no_such_cache\n");
    }

    @Test
    void replay_badStepLimit_isAUsageError() {
        Cli.Run r = replay("--step", "--step-limit", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--step-limit must be ≥ 1");
    }

    @Test
    void shell_stepOn_matchesGolden() {
        String script = String.join(
                "\n",
                "step",
                "step on",
                "$a = alloc_pages 2",
                "kmem_cache_create stepper 700",
                "$o = kmem_cache_alloc stepper",
                "$p = kmem_cache_alloc stepper",
                "kmem_cache_free stepper $o",
                "step on buddy",
                "__free_pages $a 2",
                "step on slab",
                "$k = kmalloc 9000",
                "kfree $k",
                "kmem_cache_free stepper $p",
                "step off",
                "$q = kmalloc 8",
                "step",
                "");
        Cli.Run r = Cli.run("run", "-e", script, "mem=16M", "nr_cpus=1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("step off\n").endsWith("step off\n");
        assertThat(r.out()).contains("step: alloc_pages 2\n", "step: kmem_cache_free stepper $o\n");
        assertThat(r.out()).doesNotContain("step: kmalloc 8");
        assertThat(r.out()).contains("is on no slab: a large kmalloc, order 2 pages at pfn 0x");
        Golden.assertMatches("step/shell-step.txt", r.out());
    }

    @Test
    void shell_stepOn_userAllocatorWithAHeapView_printsItsFreeListAfterEachCall() {
        String script = "allocator first-fit\nstep on\n$m = malloc 100\n$n = malloc 200\nfree $m\nusable $n\n";
        Cli.Run r = Cli.run("run", "-e", script, "mem=64M", "nr_cpus=1");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith("step: ")))
                .containsExactly("step: malloc 100", "step: malloc 200", "step: free $m");
        // each step is the header, then the allocator's free list in OSTEP's words
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("step: ")) {
                assertThat(lines.get(i + 1)).startsWith("Free List [ Size ");
            }
        }
        assertThat(lines.get(lines.indexOf("step: free $m") + 1)).startsWith("Free List [ Size 2 ]: [ addr:0x");
    }

    @Test
    void mallocReplay_stepFirstFit_printsMallocPyLinesAndFreeLists(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("ops.txt");
        Files.writeString(t, "+10,+30,-0,+3,+20,-1,-2,-3\n");
        Cli.Run r = Cli.run("malloc", "replay", t.toString(), "--allocator", "first-fit", "--step");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ptr[0] = Alloc(10) returned 0x", "Free(ptr[0])\nreturned 0\nFree List [ Size ");
        Golden.assertMatches("step/malloc-first-fit.txt", mallocSteps(r));
    }

    @Test
    void mallocReplay_stepGlibc_printsTheFiguresThatChanged(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("ops.txt");
        Files.writeString(t, "+10,+30,-0,+3,+20,-1,-2,-3\n");
        Cli.Run r = Cli.run("malloc", "replay", t.toString(), "--allocator", "glibc", "--step");
        assertThat(r.exit()).as(r.err()).isZero();
        // glibc 2.36: a freed 10-byte request's chunk goes to the 24-byte tcache bin, and malloc(3) takes it back
        assertThat(r.out())
                .contains(
                        "Free(ptr[0])\nreturned 0\nchanged: live_blocks 1 (-1), live_usable 40 (-24), tcache[24] 1 (+1)\n");
        assertThat(r.out())
                .contains(
                        "ptr[2] = Alloc(3) returned 0x5602b2ae02a0\nchanged: live_blocks 2 (+1), live_usable 64 (+24), tcache[24] 0 (-1)\n");
        Golden.assertMatches("step/malloc-glibc.txt", mallocSteps(r));
    }

    @Test
    void mallocReplay_stepJemalloc_printsItsStatsThatChanged(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("ops.txt");
        Files.writeString(t, "+10,+30,-0,+3,+20,-1,-2,-3\n");
        Cli.Run r = Cli.run("malloc", "replay", t.toString(), "--allocator", "jemalloc", "--step", "--step-limit", "4");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ptr[1] = Alloc(30) returned 0x", "stats.allocated ");
        assertThat(r.out()).contains("--- 4 steps printed (the step limit); the rest is not printed\n");
        Golden.assertMatches("step/malloc-jemalloc-4.txt", mallocSteps(r));
    }

    @Test
    void mallocReplay_stepWithJson_isAUsageError(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("ops.txt");
        Files.writeString(t, "+10,-0\n");
        Cli.Run r = Cli.run("malloc", "replay", t.toString(), "--step", "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--step prints text");
    }
}
