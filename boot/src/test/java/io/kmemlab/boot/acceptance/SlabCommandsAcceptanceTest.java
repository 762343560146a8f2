package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.shell.Shell;
import io.kmemlab.boot.testing.Cli;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3 §4 shell commands under every allocator (slab=slub|slab|slob), with the issues' bad
 * input: each mistake is reported kernel-style, counted, fails its line, and the shell carries on.
 */
class SlabCommandsAcceptanceTest {
    private static final Map<String, Integer> KSIZE_100 = Map.of("slub", 128, "slab", 128, "slob", 100);
    private static final Map<String, Integer> KSIZE_300 = Map.of("slub", 512, "slab", 512, "slob", 300);

    @ParameterizedTest
    @MethodSource("io.kmemlab.boot.acceptance.Allocators#all")
    void everyIssue3Command_isKnownToHelp(String slab) {
        List<String> commands = List.of(
                "kmem_cache_create",
                "kmem_cache_alloc",
                "kmem_cache_free",
                "kmem_cache_shrink",
                "kmem_cache_destroy",
                "kmalloc",
                "kzalloc",
                "krealloc",
                "kfree",
                "ksize",
                "poke",
                "peek",
                "memset",
                "validate",
                "cat",
                "ls",
                "slabtop",
                "alloc_pages",
                "__free_pages",
                "dmesg",
                "echo");
        StringBuilder script = new StringBuilder();
        for (String c : commands) {
            script.append("help ").append(c).append('\n');
        }
        Cli.Run r = Cli.run("run", "-e", script.toString(), "slab=" + slab);
        assertThat(r.exit()).isZero();
        for (String c : commands) {
            assertThat(r.out()).contains("usage: " + c);
        }
        assertThat(r.out())
                .contains(
                        "usage: kmem_cache_create NAME SIZE [align=N] [flags=A|B|…] [ctor]",
                        "usage: poke ADDR BYTE…",
                        "usage: peek ADDR LEN",
                        "usage: memset ADDR BYTE LEN",
                        "usage: krealloc ADDR SIZE [GFP]",
                        "usage: kmem_cache_free NAME ADDR");
    }

    @ParameterizedTest
    @MethodSource("io.kmemlab.boot.acceptance.Allocators#all")
    void cacheAndKmallocLifecycle_succeeds(String slab) {
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "kmem_cache_create foo 100 align=8 flags=SLAB_HWCACHE_ALIGN ctor\n"
                        + "$x = kmem_cache_alloc foo\n"
                        + "$y = kmem_cache_alloc foo GFP_KERNEL\n"
                        + "kmem_cache_free foo $x\nkmem_cache_free foo $y\n"
                        + "kmem_cache_shrink foo\n"
                        + "validate foo\n"
                        + "kmem_cache_destroy foo\n"
                        + "$p = kmalloc 100\nksize $p\n"
                        + "$q = krealloc $p 300\nksize $q\n"
                        + "$z = kzalloc 64 GFP_KERNEL\npeek $z 8\n"
                        + "kfree $q; kfree $z\n"
                        + "$e = kmalloc 0\nksize $e\nkfree $e\nkfree 0\n",
                "slab=" + slab,
                // SLUB validates only a cache with debugging (validate_store's -EINVAL otherwise)
                slab.equals("slub") ? "slub_debug=F,foo" : "nr_cpus=2");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("\\$x = 0xffff888[0-9a-f]{9}");
        assertThat(lines[1]).matches("\\$y = 0xffff888[0-9a-f]{9}");
        assertThat(lines[2]).isEqualTo("foo: 0 errors");
        assertThat(lines[4]).isEqualTo(String.valueOf(KSIZE_100.get(slab)));
        assertThat(lines[6]).isEqualTo(String.valueOf(KSIZE_300.get(slab)));
        assertThat(lines[8]).endsWith(": 00 00 00 00 00 00 00 00                          ........");
        // ZERO_SIZE_PTR; ksize of it is 0; kfree of it and of NULL is a no-op
        assertThat(lines[9]).isEqualTo("$e = 0x10");
        assertThat(lines[10]).isEqualTo("0");
        assertThat(lines).hasSize(11);
    }

    @ParameterizedTest
    @ValueSource(strings = {"slub", "slab"})
    void procSlabinfo_isVersion21_underSlubAndSlab(String slab) {
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "kmem_cache_create foo 100; $x = kmem_cache_alloc foo; cat /proc/slabinfo",
                "slab=" + slab);
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("slabinfo - version: 2.1\n"
                        + "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> "
                        + "<batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
        assertThat(r.out())
                .containsPattern(
                        "\nfoo +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ : tunables +\\d+ +\\d+ +\\d+ : slabdata +\\d+ +\\d+ +\\d+\n");
        if (slab.equals("slub")) {
            // SLUB prints zero tunables
            assertThat(r.out()).contains(" : tunables    0    0    0 : slabdata ");
        }
    }

    @org.junit.jupiter.api.Test
    void slob_hasNoSlabinfoNorSysfs_likeTheKernel() {
        Cli.Run r = Cli.run(
                "run",
                "--keep-going",
                "-e",
                "cat /proc/slabinfo; ls /sys/kernel/slab; slabtop; echo \"kmalloc-64 32 16 4\" > /proc/slabinfo; echo end",
                "slab=slob");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("end\n");
        assertThat(r.err())
                .isEqualTo("kmemlab: line 1: cat: /proc/slabinfo: No such file or directory\n"
                        + "kmemlab: line 1: ls: cannot access '/sys/kernel/slab': No such file or directory\n"
                        + "kmemlab: line 1: slabtop: /proc/slabinfo: No such file or directory\n"
                        + "kmemlab: line 1: echo: /proc/slabinfo: No such file or directory\n");
        // kmemlab's own, clearly named SLOB heap view instead
        Cli.Run heap =
                Cli.run("run", "-e", "ls /sys/kernel/debug/kmemlab; cat /sys/kernel/debug/kmemlab/slob", "slab=slob");
        assertThat(heap.exit()).isZero();
        assertThat(heap.out()).startsWith("slob\n");
    }

    @org.junit.jupiter.api.Test
    void slub_sysfsCacheDirectory_listsAndReadsAttributes() {
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "$p = kmalloc 64; ls /sys/kernel/slab/kmalloc-64; cat /sys/kernel/slab/kmalloc-64/object_size;"
                        + " cat /sys/kernel/slab/kmalloc-64/order; cat /sys/kernel/slab/kmalloc-64/objs_per_slab",
                "nr_cpus=2");
        assertThat(r.exit()).isZero();
        List<String> lines = List.of(r.out().split("\n"));
        assertThat(lines)
                .contains(
                        "objects",
                        "slabs",
                        "partial",
                        "cpu_slabs",
                        "validate",
                        "shrink",
                        "object_size",
                        "slab_size",
                        "align",
                        "order",
                        "objs_per_slab",
                        "min_partial",
                        "cpu_partial",
                        "aliases");
        assertThat(lines.subList(lines.size() - 3, lines.size())).containsExactly("64", "0", "64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"slab", "slob"})
    void sysKernelSlab_existsOnlyUnderSlub(String slab) {
        Cli.Run r = Cli.run("run", "-e", "ls /sys/kernel/slab", "slab=" + slab);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("kmemlab: line 1: ls: cannot access '/sys/kernel/slab': No such file or directory\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"slub", "slab"})
    void slabtop_printsProcpsSummary(String slab) {
        Cli.Run r = Cli.run("run", "-e", "slabtop", "slab=" + slab);
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .startsWith(" Active / Total Objects (% used)    : ")
                .contains(
                        "\n Active / Total Slabs (% used)      : ",
                        "\n Active / Total Caches (% used)     : ",
                        "\n Active / Total Size (% used)       : ",
                        "\n Minimum / Average / Maximum Object : ");
    }

    @ParameterizedTest
    @MethodSource("io.kmemlab.boot.acceptance.Allocators#all")
    void doubleFree_isReportedCountedAndTheShellCarriesOn(String slab) {
        Session s = new Session("slab=" + slab);
        long before = s.reports();
        Shell.RunResult r = s.run("kmem_cache_create foo 64\n$x = kmem_cache_alloc foo\nkmem_cache_free foo $x\n"
                + "kmem_cache_free foo $x\n$p = kmalloc 64\nkfree $p\nkfree $p\necho end");
        assertThat(r.failed()).isEqualTo(2);
        assertThat(s.reports() - before).isEqualTo(2);
        assertThat(s.out()).endsWith("end\n");
        assertThat(s.err())
                .startsWith("kmemlab: line 4: kmem_cache_free: free of 0x")
                .contains("kmemlab: line 7: kfree: ");
        s.assertNoJavaTrace();
    }

    @ParameterizedTest
    @ValueSource(strings = {"slub", "slab"})
    void wrongCache_isTheKernelsWarning(String slab) {
        Session s = new Session("slab=" + slab);
        Shell.RunResult r = s.run("kmem_cache_create foo 64\nkmem_cache_create bar 64 flags=SLAB_NO_MERGE\n"
                + "$x = kmem_cache_alloc foo\nkmem_cache_free bar $x\necho end");
        // cache_from_obj(): WARN, then the object goes back to the cache it came from
        assertThat(r.failed()).isZero();
        assertThat(s.out())
                .contains("] kmem_cache_free: Wrong slab cache. bar but object is from foo\n")
                .endsWith("end\n");
        assertThat(s.reports()).isPositive();
        s.assertNoJavaTrace();
    }

    @ParameterizedTest
    @MethodSource("io.kmemlab.boot.acceptance.Allocators#all")
    void foreignAndMisalignedAddresses_areReportedAndCounted(String slab) {
        Session s = new Session("slab=" + slab);
        long before = s.reports();
        Shell.RunResult r =
                s.run("$p = kmalloc 64\nkfree 0xffff888000100000\nkfree $p+3\n__free_pages 0xffff888000001000 0\n"
                        + "ksize 0xffff888000100000\necho end");
        assertThat(r.failed()).isEqualTo(4);
        assertThat(s.reports() - before).isGreaterThanOrEqualTo(3);
        assertThat(s.err())
                .contains(
                        "kmemlab: line 2: kfree: free of 0xffff888000100000 rejected (see report)\n",
                        "kmemlab: line 3: kfree: ",
                        "kmemlab: line 4: __free_pages: bad page 0xffff888000001000 order 0",
                        "kmemlab: line 5: ksize: ");
        assertThat(s.out()).endsWith("end\n");
        s.assertNoJavaTrace();
    }

    @ParameterizedTest
    @ValueSource(strings = {"slub", "slab"})
    void destroyWithLiveObjects_isReportedAndRefused(String slab) {
        Session s = new Session("slab=" + slab);
        long before = s.reports();
        Shell.RunResult r = s.run("kmem_cache_create foo 64\n$x = kmem_cache_alloc foo\nkmem_cache_destroy foo\n"
                + "kmem_cache_free foo $x\nkmem_cache_destroy foo\necho end");
        assertThat(r.failed()).isEqualTo(1);
        assertThat(s.out())
                .contains("] kmem_cache_destroy foo: Slab cache still has objects when called from ")
                .endsWith("end\n");
        assertThat(s.err()).isEqualTo("kmemlab: line 3: kmem_cache_destroy: destroying foo refused (see report)\n");
        assertThat(s.reports() - before).isPositive();
    }

    @ParameterizedTest
    @MethodSource("io.kmemlab.boot.acceptance.Allocators#all")
    void absurdSizesAndAlignments_failCleanly(String slab) {
        Session s = new Session("slab=" + slab);
        Shell.RunResult r = s.run("kmalloc 99999999999\nkmalloc -1\nkmem_cache_create big 99999999999\n"
                + "kmem_cache_create al 64 align=3\nkmem_cache_create z 0\nalloc_pages 11\necho end");
        assertThat(r.failed()).isEqualTo(6);
        assertThat(s.err())
                .contains(
                        "kmemlab: line 1: kmalloc: returned NULL\n",
                        "kmemlab: line 2: kmalloc: returned NULL\n",
                        "kmemlab: line 3: kmem_cache_create: failed to create 'big' (see report)\n",
                        "kmemlab: line 6: alloc_pages: page allocation failure: order:11\n");
        assertThat(s.out())
                .contains(
                        "] __kmem_cache_create_args(big) failed with error -22\n",
                        "WARNING: CPU: 0 PID: 0 at mm/page_alloc.c __alloc_frozen_pages_noprof: order:11 > MAX_PAGE_ORDER (10)\n")
                .endsWith("end\n");
        s.assertNoJavaTrace();
    }
}
