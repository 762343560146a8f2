package io.kmemlab.boot.malloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.cli.Main;
import io.kmemlab.boot.testing.Cli;
import io.kmemlab.boot.testing.Golden;
import org.junit.jupiter.api.Test;

/** The shell's malloc commands: one process, one allocator, by hand. */
class MallocShellTest {
    @Test
    void script_mallocFreeReallocHeap() {
        // norandmaps: the brk heap starts where it always does, so the addresses are stable.
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "allocator tiny; $p = malloc 100; $q = malloc 200K; $r = calloc 4 25; free $p; heap;"
                        + " $p = realloc $r 300; usable $p; usable $q; free $q; heap",
                "mem=256M",
                "norandmaps");
        assertThat(r.exit()).as(r.err()).isZero();
        Golden.assertMatches("malloc/shell-tiny.txt", r.out());
    }

    @Test
    void badFree_isTheAllocatorsReport_andTheScriptStops() {
        Cli.Run r = Cli.run("run", "-e", "allocator tiny; $p = malloc 10; free 0x1234; malloc 1", "mem=256M");
        assertThat(r.exit()).isEqualTo(Main.EXIT_SCRIPT_FAILED);
        assertThat(r.err()).contains("line 1: free: tiny: free(): invalid pointer");
    }

    @Test
    void oneAllocatorPerProcess_andUnknownNames() {
        Cli.Run again = Cli.run("run", "-e", "allocator tiny; allocator tiny2", "mem=256M");
        assertThat(again.exit()).isEqualTo(Main.EXIT_SCRIPT_FAILED);
        assertThat(again.err()).contains("process 301 already runs tiny (spawn another process for another allocator)");
        Cli.Run two =
                Cli.run("run", "-e", "allocator tiny; malloc 8; spawn other; allocator tiny2; malloc 8", "mem=256M");
        assertThat(two.exit()).as(two.err()).isZero();
        Cli.Run unknown = Cli.run("run", "-e", "allocator nosuch", "mem=256M");
        assertThat(unknown.exit()).isEqualTo(Main.EXIT_SCRIPT_FAILED);
        assertThat(unknown.err()).contains("no allocator 'nosuch' (available: ");
        Cli.Run size = Cli.run("run", "-e", "allocator tiny; malloc lots", "mem=256M");
        assertThat(size.err()).contains("invalid size 'lots'");
        Cli.Run align = Cli.run("run", "-e", "allocator tiny; memalign 3 10", "mem=256M");
        assertThat(align.err()).contains("EINVAL: alignment 3 is not a power of two");
    }

    @Test
    void heap_drawsAFreeListAllocatorsBlocks() {
        // first-fit (module malloc) supplies a HeapView: blocks in address order and its free list.
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "allocator first-fit; $a = malloc 100; $b = malloc 200; $c = malloc 50; free $b; heap",
                "mem=256M",
                "norandmaps");
        assertThat(r.exit()).as(r.err()).isZero();
        // Not a golden file: the layout is module malloc's to change. The shell's part is that the
        // figures come first and the view's blocks and free list follow.
        assertThat(r.out())
                .contains("first-fit in process 301 (malloc): heap ")
                .contains("live 2 blocks, 150 bytes requested")
                .contains("calls: 3 malloc, 1 free, 0 realloc, 0 NULL, 0 bad frees; brk ")
                .containsPattern("(?m)^0x[0-9a-f]+ \\+0x0 +\\d+ used  -> 0x[0-9a-f]+$")
                .containsPattern("(?m)^0x[0-9a-f]+ \\+0x[0-9a-f]+ +\\d+ free$")
                .contains("Free List [ Size 2 ]: ");
    }

    @Test
    void heap_listsGlibcsChunks_fromItsHeapChunksWalk_golden() {
        // glibc has no HeapView: heap lists the chunks report malloc draws (tcache struct, chunks, top,
        // an mmapped chunk); the freed 5000-byte chunk next to top is merged into it, as glibc does
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "allocator glibc; $a = malloc 100; $b = malloc 200; $c = malloc 5000; $d = malloc 300K;"
                        + " free $b; free $c; heap",
                "mem=256M",
                "norandmaps");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("chunks in address order (all 5):\n")
                .containsPattern("(?m)^  0x[0-9a-f]+ +656  metadata  tcache_perthread_struct$")
                .containsPattern("(?m)^  0x[0-9a-f]+ +208  free      tcache$")
                .containsPattern("(?m)^  0x[0-9a-f]+ +\\d+  top$")
                .containsPattern("(?m)^  0x7f[0-9a-f]+ +\\d+  allocated mmapped$");
        Golden.assertMatches("malloc/shell-heap-glibc.txt", r.out());
    }

    @Test
    void heap_listsJemallocsChunks_boundedAndCounted_golden() {
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "allocator jemalloc; $a = malloc 100; $b = malloc 200; $c = malloc 5000; $d = malloc 300K;"
                        + " free $b; free $c; heap; heap",
                "mem=256M",
                "norandmaps");
        assertThat(r.exit()).as(r.err()).isZero();
        String out = r.out();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "chunks in address order \\(the first 40 of (\\d+)\\):\n")
                .matcher(out);
        assertThat(m.find()).as(out).isTrue();
        long total = Long.parseLong(m.group(1));
        String first = out.substring(m.start(), out.indexOf("chunks: ", m.start()));
        assertThat(first.lines().filter(l -> l.startsWith("  0x")).count()).isEqualTo(40);
        assertThat(first).contains("  ... " + (total - 40) + " more\n");
        // the summary counts every chunk the walk visited
        int at = out.indexOf("chunks: ");
        java.util.regex.Matcher c = java.util.regex.Pattern.compile("(\\d+) (allocated|free|top|metadata) \\(")
                .matcher(out.substring(at, out.indexOf('\n', at)));
        long sum = 0;
        while (c.find()) {
            sum += Long.parseLong(c.group(1));
        }
        assertThat(sum).isEqualTo(total);
        // reading only: a second heap prints the same
        int second = out.indexOf("jemalloc in process", out.indexOf("chunks: "));
        assertThat(out.substring(second)).isEqualTo(out.substring(out.indexOf("jemalloc in process"), second));
        Golden.assertMatches("malloc/shell-heap-jemalloc.txt", out);
    }
}
