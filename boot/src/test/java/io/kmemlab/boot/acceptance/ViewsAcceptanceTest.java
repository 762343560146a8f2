package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 2 §5/§6: every page-allocator view exists under every allocator and opens with the
 * kernel's own first line; {@code dmesg} holds the boot log and the reports a script caused.
 */
class ViewsAcceptanceTest {

    @ParameterizedTest
    @MethodSource("io.kmemlab.boot.acceptance.Allocators#all")
    void pageViews_existWithTheKernelsFirstLines(String slab) {
        String[] paths = {
            "/proc/buddyinfo",
            "/proc/pagetypeinfo",
            "/proc/zoneinfo",
            "/proc/meminfo",
            "/proc/vmstat",
            "/sys/kernel/debug/extfrag/unusable_index",
            "/sys/kernel/debug/extfrag/extfrag_index"
        };
        String[] starts = {
            "Node 0, zone      DMA      0 ",
            "Page block order: 9\nPages per block:  512\n",
            "Node 0, zone      DMA\n  per-node stats\n",
            "MemTotal:  ",
            "nr_free_pages ",
            "Node 0, zone      DMA 0.000 ",
            "Node 0, zone      DMA -1.000 "
        };
        for (int i = 0; i < paths.length; i++) {
            Cli.Run r = Cli.run("run", "-e", "cat " + paths[i], "slab=" + slab, "mem=1G");
            assertThat(r.exit()).as(paths[i]).isZero();
            assertThat(r.out()).as(paths[i]).startsWith(starts[i]);
        }
    }

    @ParameterizedTest
    @MethodSource("io.kmemlab.boot.acceptance.Allocators#all")
    void dmesg_holdsTheBootLogAndTheScriptsReports(String slab) {
        Cli.Run r = Cli.run(
                "run",
                "--keep-going",
                "-e",
                "$a = alloc_pages 0; __free_pages $a 0; __free_pages $a 0; dmesg",
                "slab=" + slab);
        assertThat(r.exit()).isEqualTo(1);
        String dmesg = r.out().substring(r.out().indexOf("] Linux version"));
        assertThat(dmesg)
                .contains(
                        "] Built 1 zonelists, mobility grouping on.  Total pages: ",
                        "] BUG: Bad page state in process ");
    }

    @org.junit.jupiter.api.Test
    void meminfo_committedAsAndAnonPages_followTheProcesses() {
        Cli.Run before = Cli.run("run", "-e", "spawn demo; cat /proc/meminfo", "mem=1G");
        Cli.Run after = Cli.run("run", "-e", "spawn demo; $a = mmap 8M; touch $a 1M; cat /proc/meminfo", "mem=1G");
        assertThat(after.exit()).isZero();
        long committed = kb(after.out(), "Committed_AS:") - kb(before.out(), "Committed_AS:");
        assertThat(committed).isEqualTo(8L << 10);
        assertThat(kb(after.out(), "AnonPages:") - kb(before.out(), "AnonPages:"))
                .isEqualTo(1L << 10);
        assertThat(kb(after.out(), "CommitLimit:"))
                .isEqualTo(kb(before.out(), "CommitLimit:"))
                .isPositive();
    }

    @org.junit.jupiter.api.Test
    void vmstat_pgfault_countsAProcesssFaults() {
        Cli.Run before = Cli.run("run", "-e", "spawn demo; $a = mmap 8M; cat /proc/vmstat", "mem=1G");
        Cli.Run after = Cli.run("run", "-e", "spawn demo; $a = mmap 8M; touch $a 1M; cat /proc/vmstat", "mem=1G");
        assertThat(after.exit()).isZero();
        assertThat(vmstat(after.out(), "pgfault") - vmstat(before.out(), "pgfault"))
                .as("one fault per page touched")
                .isEqualTo(256);
        assertThat(vmstat(after.out(), "pgmajfault")).isZero();
    }

    private static long vmstat(String text, String key) {
        String line =
                text.lines().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow();
        return Long.parseLong(line.substring(key.length() + 1).trim());
    }

    private static long kb(String meminfo, String key) {
        String line = meminfo.lines().filter(l -> l.startsWith(key)).findFirst().orElseThrow();
        return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
    }
}
