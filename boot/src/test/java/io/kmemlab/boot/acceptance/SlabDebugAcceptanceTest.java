package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 §3/§4 and issue 4: {@code slub_debug=FZ,kmalloc-64}, corrupting memory with
 * {@code poke}, and {@code validate NAME} ending with {@code NAME: N errors} (the SLUB KUnit
 * counts of debugging.md §8: each corrupted range costs a report and a FIX).
 */
class SlabDebugAcceptanceTest {

    private static List<String> lines(String text) {
        return List.of(text.split("\n"));
    }

    @Test
    void slubDebugFZ_perCache_rightRedzoneOverwrite_validateCountsTwo_thenZero() {
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "$p = kmalloc 64\npoke $p+64 0x12\nvalidate kmalloc-64\nvalidate kmalloc-64\n"
                        + "cat /sys/kernel/slab/kmalloc-64/red_zone\ncat /sys/kernel/slab/kmalloc-32/red_zone\nkfree $p",
                "slub_debug=FZ,kmalloc-64",
                "nr_cpus=2");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        List<String> out = lines(r.out());
        assertThat(out)
                .anyMatch(l -> l.matches("\\[ *[0-9.]+\\] \\[Right Redzone overwritten\\] 0x[0-9a-f]+-0x[0-9a-f]+ "
                        + "@offset=\\d+\\. First byte 0x12 instead of 0xcc"));
        assertThat(out).anyMatch(l -> l.endsWith("] BUG kmalloc-64 (Not tainted): Object corrupt"));
        assertThat(out)
                .anyMatch(l -> l.matches(
                        "\\[ *[0-9.]+\\] FIX kmalloc-64: Restoring Right Redzone 0x[0-9a-f]+-0x[0-9a-f]+=0xcc"));
        // the report comes first, the count last; the FIX restored the byte, so the second pass is clean
        int first = out.indexOf("kmalloc-64: 2 errors");
        assertThat(first).isPositive();
        assertThat(out.get(first + 1)).isEqualTo("kmalloc-64: 0 errors");
        // only kmalloc-64 is debugged
        assertThat(out.subList(first + 2, out.size())).containsExactly("1", "0");
    }

    @Test
    void slubDebugP_poisonOverwriteAfterFree_validateCountsTwo() {
        // debugging.md §8 test_first_word: allocate, free, p[0] = 0x78, validate -> 2
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "$p = kmalloc 64; kfree $p; poke $p 0x78; validate kmalloc-64; validate kmalloc-64",
                "slub_debug=P,kmalloc-64");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains(
                        "] [Poison overwritten] ",
                        "First byte 0x78 instead of 0x6b\n",
                        "] FIX kmalloc-64: Restoring Poison ")
                .endsWith("kmalloc-64: 2 errors\nkmalloc-64: 0 errors\n");
    }

    @Test
    void slubNextPointerClobber_throughTheShell_validateCountsThreeThenTwoThenZero() {
        // debugging.md §8 test_next_pointer, driven with the shell's own commands: save the free
        // pointer word, invert its low byte, validate; restore the whole word, validate twice
        Session s = new Session("nr_cpus=2");
        s.run(
                "kmem_cache_create TestSlub_next_ptr_free 64 flags=SLAB_POISON\n"
                        + "$p = kmem_cache_alloc TestSlub_next_ptr_free\nkmem_cache_free TestSlub_next_ptr_free $p\npeek $p+64 8");
        String[] dump = s.out().split("\n");
        String word = dump[dump.length - 1].substring(18, 18 + 8 * 3 - 1);
        String restore = "0x" + word.replace(" ", " 0x");
        int low = Integer.parseInt(word.substring(0, 2), 16);
        s.run(String.format("poke $p+64 0x%02x%nvalidate TestSlub_next_ptr_free", ~low & 0xff));
        assertThat(s.out())
                .contains(
                        "] BUG TestSlub_next_ptr_free (Not tainted): Freechain corrupt\n",
                        "FIX TestSlub_next_ptr_free: Object count adjusted\n")
                .endsWith("TestSlub_next_ptr_free: 3 errors\n");
        s.run("poke $p+64 " + restore + "\nvalidate TestSlub_next_ptr_free\nvalidate TestSlub_next_ptr_free");
        assertThat(s.out()).endsWith("TestSlub_next_ptr_free: 2 errors\nTestSlub_next_ptr_free: 0 errors\n");
        assertThat(s.err()).isEmpty();
    }

    @Test
    void slubWithoutDebug_validateRefuses_asTheValidateAttributeDoes() {
        // issue 10 §7: the memset corrupts kmalloc-64's free pointers; "0 errors" was a lie, since
        // SLUB checks objects only under debugging (validate_store returns -EINVAL without it)
        Cli.Run r = Cli.run(
                "run",
                "--keep-going",
                "-e",
                "$q = kmalloc 64; memset $q 0x5a 4096\nvalidate kmalloc-64\n"
                        + "echo 1 > /sys/kernel/slab/kmalloc-64/validate\nvalidate\n");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("kmemlab: line 2: validate: kmalloc-64: Invalid argument (validation needs debugging"
                        + " on the cache, e.g. boot with slub_debug=F,kmalloc-64)\n"
                        + "kmemlab: line 3: echo: write error: Invalid argument\n");
        assertThat(r.out()).doesNotContain("kmalloc-64: 0 errors").endsWith("\n0 errors\n");
    }

    @Test
    void slubDebugF_sameCorruption_validateReportsIt() {
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "$q = kmalloc 64; memset $q 0x5a 4096; validate kmalloc-64; "
                        + "echo 1 > /sys/kernel/slab/kmalloc-64/validate",
                "slub_debug=F,kmalloc-64");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).containsPattern("\nkmalloc-64: [1-9][0-9]* errors\n");
    }

    @Test
    void slabAndSlob_validateACacheWithoutDebugging() {
        // SLAB checks its lists and arrays on every cache; SLOB has no per-cache state (its heap is
        // checked by a bare validate). Neither has SLUB's validate attribute to refuse with.
        for (String slab : List.of("slab=slab", "slab=slob")) {
            Cli.Run r = Cli.run("run", "-e", "kmem_cache_create foo 64; $q = kmem_cache_alloc foo; validate foo", slab);
            assertThat(r.err()).as(slab).isEmpty();
            assertThat(r.out()).as(slab).endsWith("\nfoo: 0 errors\n");
        }
    }

    @Test
    void validate_unknownCache_failsTheLine() {
        Cli.Run r = Cli.run("run", "-e", "validate nosuch");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("kmemlab: line 1: validate: no slab cache 'nosuch'\n");
    }

    @Test
    void slubWithoutDebug_doubleFreeIsTheHardenedFreelistBug() {
        Cli.Run r = Cli.run("run", "-e", "$p = kmalloc 64; kfree $p; kfree $p");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("kernel BUG at mm/slub.c");
        assertThat(r.err()).startsWith("kmemlab: line 1: kfree: free of 0x");
    }

    @Test
    void slubDebug_doubleFreeIsObjectAlreadyFree() {
        Cli.Run r = Cli.run("run", "-e", "$p = kmalloc 64; kfree $p; kfree $p", "slub_debug=FZPU");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Object already free");
    }

    @Test
    void slabDebug_poisonWriteAfterFree_isSlabCorruptionOnTheNextAlloc() {
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "kmem_cache_create foo 100\n$q = kmem_cache_alloc foo\nkmem_cache_free foo $q\n"
                        + "poke $q+4 0x1\n$r = kmem_cache_alloc foo",
                "slab=slab",
                "slab_debug");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .containsPattern(
                        "\\] Slab corruption \\((?:Not tainted|Tainted: [^)]*)\\): foo start=[0-9a-f]{16}, len=100\n")
                .contains("] 000: 6b 6b 6b 6b 01 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkk.kkkkkkkkkkk\n");
    }

    @Test
    void slabDebug_redzoneOverwrite_isReportedAtFree() {
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "kmem_cache_create foo 100\n$p = kmem_cache_alloc foo\npoke $p+104 0x12\n" + "kmem_cache_free foo $p",
                "slab=slab",
                "slab_debug");
        assertThat(r.out())
                .contains(
                        "] slab error in verify_redzone_free(): cache `foo': memory outside object was overwritten\n");
    }
}
