package io.kmemlab.boot.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.testing.Golden;
import io.kmemlab.mm.ReportKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The script language end to end on a booted kernel (buddy + SLUB). */
class ShellTest {
    Kernel kernel;
    Shell shell;
    ByteArrayOutputStream out;
    ByteArrayOutputStream err;

    @BeforeEach
    void boot() {
        kernel = Kernel.boot(List.of("mem=1G", "nr_cpus=2")).kernel();
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        shell = new Shell(
                kernel,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    Shell.RunResult run(String script) {
        return shell.run(script, false);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void slabScript_matchesGolden() {
        // CONSISTENCY_CHECKS: SLUB validates only a cache with debugging (validate_store)
        Shell.RunResult r = run("kmem_cache_create foo 200 align=64 flags=HWCACHE_ALIGN|CONSISTENCY_CHECKS\n"
                + "$x = kmem_cache_alloc foo\n"
                + "$p = kmalloc 100\n"
                + "ksize $p\n"
                + "poke $p+8 0x41 0x42 0x43\n"
                + "peek $p 20\n"
                + "$q = krealloc $p 300\n"
                + "ksize $q\n"
                + "kfree $q\n"
                + "kmem_cache_free foo $x\n"
                + "validate foo\n"
                + "kmem_cache_destroy foo\n"
                + "$z = kzalloc 0\n"
                + "kfree $z\n");
        assertThat(err()).isEmpty();
        assertThat(r.ok()).isTrue();
        Golden.assertMatches("run-slab.txt", out());
    }

    @Test
    void binding_printsLowercaseHexAndOffsetsResolve() {
        run("$p = kmalloc 128; poke $p+0x10 0xab; peek $p+16 1; peek $p-0 1");
        String[] lines = out().split("\n");
        assertThat(lines[0]).matches("\\$p = 0xffff888[0-9a-f]+");
        long p = shell.variables().get("p");
        assertThat(lines[1]).isEqualTo(String.format("%016x: ab", p + 16) + " ".repeat(47) + ".");
        assertThat(kernel.machine().mem().readU8(p + 16)).isEqualTo(0xab);
        assertThat(lines[2]).startsWith(String.format("%016x: ", p));
    }

    @Test
    void numbers_printAloneInDecimal() {
        run("$p = kmalloc 100; ksize $p; cpu");
        assertThat(out()).endsWith("\n128\n0\n");
    }

    @Test
    void bindingANumber_bindsItToo() {
        run("$p = kmalloc 8; $n = ksize $p");
        assertThat(out()).endsWith("$n = 8\n");
        assertThat(shell.variables()).containsEntry("n", 8L);
    }

    @Test
    void bindingNothing_fails() {
        assertThat(run("$x = echo hi").ok()).isFalse();
        assertThat(err()).isEqualTo("kmemlab: line 1: echo: returns nothing to bind to $x\n");
    }

    @Test
    void undefinedVariableAndBadNumbers_areCleanErrors() {
        assertThat(shell.run("kfree $nope; alloc_pages x; alloc_pages 0 GFP_BOGUS; peek 0x10 4; alloc_pages", true)
                        .failed())
                .isEqualTo(5);
        assertThat(err())
                .isEqualTo("kmemlab: line 1: kfree: undefined variable $nope\n"
                        + "kmemlab: line 1: alloc_pages: invalid order 'x'\n"
                        + "kmemlab: line 1: alloc_pages: invalid GFP flags 'GFP_BOGUS'\n"
                        + "kmemlab: line 1: peek: 0x10+4 is not in the direct map\n"
                        + "kmemlab: line 1: alloc_pages: missing argument; usage: alloc_pages ORDER [GFP]\n");
    }

    @Test
    void order11_isReportedCountedAndFails() {
        assertThat(run("alloc_pages 11").ok()).isFalse();
        assertThat(out()).contains("WARNING: ").contains("order:11");
        assertThat(err()).isEqualTo("kmemlab: line 1: alloc_pages: page allocation failure: order:11\n");
        assertThat(kernel.machine().dmesg().reportCount(ReportKind.WARN)).isEqualTo(1);
    }

    @Test
    void doubleFreeOfPages_isReportedAndTheShellCarriesOn() {
        Shell.RunResult r = shell.run("$a = alloc_pages 2\n__free_pages $a 2\n__free_pages $a 2\necho after", true);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(out()).contains("BUG: Bad page state").endsWith("after\n");
        assertThat(err()).startsWith("kmemlab: line 3: __free_pages: bad page ");
        assertThat(kernel.machine().dmesg().reportCount(ReportKind.BAD_PAGE)).isEqualTo(1);
    }

    @Test
    void echoToTracefs_enablesEventsAndTraceShowsThem() {
        run(
                "echo 1 > /sys/kernel/tracing/events/kmem/mm_page_alloc/enable\nalloc_pages 0\ncat /sys/kernel/tracing/trace");
        // hash-ptr is on by default: page=%p prints as the boot's hashed id.
        assertThat(out())
                .contains(
                        "# tracer: nop\n",
                        "          <idle>-0       [000] .....     0.40",
                        ": mm_page_alloc: page=00000000",
                        " order=0 migratetype=0 gfp_flags=GFP_KERNEL\n");
        run("echo nohash-ptr > /sys/kernel/tracing/trace_options; cat /sys/kernel/tracing/trace");
        assertThat(out()).contains(": mm_page_alloc: page=ffffea");
    }

    @Test
    void echoAppend_addsToSetEvent_andTruncateReplaces() {
        run("echo kmem:kmalloc > /sys/kernel/tracing/set_event\n"
                + "echo kmem:kfree >> /sys/kernel/tracing/set_event\n"
                + "cat /sys/kernel/tracing/set_event\n"
                + "echo kmem:mm_page_free > /sys/kernel/tracing/set_event\n"
                + "cat /sys/kernel/tracing/set_event");
        assertThat(err()).isEmpty();
        assertThat(out()).isEqualTo("kmem:kmalloc\nkmem:kfree\nkmem:mm_page_free\n");
    }

    @Test
    void largeKrealloc_firstEventNamesTheTrackCallerPath_secondTheCaller() {
        run("echo kmem:kmalloc > /sys/kernel/tracing/set_event\n"
                + "echo nohash-ptr > /sys/kernel/tracing/trace_options\n"
                + "$p = kmalloc 100\n"
                + "$q = krealloc $p 20000\n"
                + "$r = kmalloc 20000\n"
                + "cat /sys/kernel/tracing/trace_pipe");
        assertThat(err()).isEmpty();
        List<String> lines =
                out().lines().filter(l -> l.contains("bytes_req=20000")).toList();
        assertThat(lines).hasSize(4);
        // krealloc goes through kmalloc_node_track_caller; kmalloc through __kmalloc_noprof.
        assertThat(lines.get(0)).contains("call_site=__kmalloc_node_track_caller_noprof+0x4f1/0x6f0 ");
        assertThat(lines.get(1)).doesNotContain("call_site=__kmalloc");
        assertThat(lines.get(2)).contains("call_site=__kmalloc_noprof+0x2b5/0x4b0 ");
        assertThat(lines.get(3)).doesNotContain("call_site=__kmalloc");
        assertThat(lines.get(0).substring(lines.get(0).indexOf(" ptr=")))
                .isEqualTo(lines.get(1).substring(lines.get(1).indexOf(" ptr=")));
    }

    @Test
    void echoBadValue_isAWriteError() {
        assertThat(run("echo 2 > /sys/kernel/tracing/events/kmem/kmalloc/enable")
                        .ok())
                .isFalse();
        assertThat(err()).isEqualTo("kmemlab: line 1: echo: write error: Invalid argument\n");
        err.reset();
        run("echo 1 > /proc/nowhere");
        assertThat(err()).isEqualTo("kmemlab: line 1: echo: /proc/nowhere: No such file or directory\n");
        err.reset();
        run("echo 1 > /proc/buddyinfo");
        assertThat(err()).isEqualTo("kmemlab: line 1: echo: write error: Input/output error\n");
        err.reset();
        run("echo 1 > /sys/kernel/debug/extfrag/unusable_index");
        assertThat(err()).isEqualTo("kmemlab: line 1: echo: write error: Permission denied\n");
    }

    @Test
    void cpuSwitch_changesTheTraceCpu() {
        run("trace on kmem:kmalloc; cpu 1; kmalloc 32; trace");
        assertThat(out()).contains("[001] ..... ").contains("kmalloc: call_site=script_kmalloc+0x0/0x80");
        assertThat(run("cpu 2").ok()).isFalse();
        assertThat(err()).isEqualTo("kmemlab: line 1: cpu: no CPU 2 (nr_cpus=2)\n");
    }

    @Test
    void everyCommand_advancesTheClockBy1us_andSleepMore() {
        long t0 = kernel.machine().clock().nanos();
        run("cpu; cpu; sleep 0.5; tick; tick 10");
        assertThat(kernel.machine().clock().nanos() - t0)
                .isEqualTo(5 * Shell.NANOS_PER_COMMAND + 500_000_000L + 11 * 4_000_000L);
        assertThat(run("sleep -1").ok()).isFalse();
    }

    @Test
    void catAndLs_goThroughTheVirtualFs() {
        run("ls /sys/kernel/debug/memblock; cat /sys/kernel/debug/memblock/memory");
        assertThat(out()).startsWith("memory\nreserved\n   0: 0x0000000000001000..0x000000000009fbff    0 NONE\n");
        assertThat(run("cat /proc").ok()).isFalse();
        assertThat(err()).isEqualTo("kmemlab: line 1: cat: /proc: Is a directory\n");
        err.reset();
        run("ls /nope");
        assertThat(err()).isEqualTo("kmemlab: line 1: ls: cannot access '/nope': No such file or directory\n");
    }

    @Test
    void validate_printsErrorCountLast() {
        run("kmem_cache_create bar 64 flags=CONSISTENCY_CHECKS; $o = kmem_cache_alloc bar; validate bar");
        assertThat(out()).endsWith("bar: 0 errors\n");
        assertThat(run("validate nosuch").ok()).isFalse();
        out.reset();
        run("validate");
        assertThat(out()).isEqualTo("0 errors\n");
    }

    @Test
    void slabtop_hasProcpsHeader() {
        run("slabtop");
        assertThat(out())
                .startsWith(" Active / Total Objects (% used)    : ")
                .contains("\n\n  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME                   \n");
    }

    @Test
    void help_listsEveryCommandAndOneCommandsUsage() {
        run("help; help kmalloc");
        for (String c : new String[] {
            "alloc_pages",
            "__free_pages",
            "cat",
            "ls",
            "echo",
            "dmesg",
            "help",
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
            "slabtop"
        }) {
            assertThat(shell.command(c)).as(c).isNotNull();
            assertThat(out()).contains("\n  " + c + " ");
        }
        assertThat(out()).endsWith("usage: kmalloc SIZE [GFP]\n  allocate SIZE bytes\n");
    }

    @Test
    void registeredCommand_runsLikeABuiltin() {
        shell.register(ShellCommand.of("answer", "answer", "the answer", inv -> Result.number(42)));
        run("$a = answer; answer");
        assertThat(out()).isEqualTo("$a = 42\n42\n");
    }

    @Test
    void commandThatThrows_isAnInternalErrorAndTheSessionGoesOn() {
        shell.register(ShellCommand.of("buggy", "buggy", "throws", inv -> {
            throw new IllegalStateException("oops");
        }));
        Shell.RunResult r = shell.run("buggy; echo still here", true);
        assertThat(r.internalErrors()).isEqualTo(1);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(out()).isEqualTo("still here\n");
        assertThat(err()).isEqualTo("kmemlab: internal error: line 1: buggy: java.lang.IllegalStateException: oops\n");
    }

    @Test
    void memset_fillsAndPeekShowsIt() {
        run("$p = kmalloc 64; memset $p 0x5a 16; peek $p 16");
        long p = shell.variables().get("p");
        assertThat(out()).endsWith(String.format("%016x: ", p) + "5a ".repeat(15) + "5a  " + "Z".repeat(16) + "\n");
    }
}
