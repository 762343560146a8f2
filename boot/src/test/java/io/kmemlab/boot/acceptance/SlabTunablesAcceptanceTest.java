package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: {@code echo "NAME LIMIT BATCH SHARED" > /proc/slabinfo} under slab=slab, with
 * slabinfo_write()'s rules: malformed text or an unknown cache is -EINVAL; out-of-range numbers
 * are accepted and ignored (the kernel returns the byte count without tuning).
 */
class SlabTunablesAcceptanceTest {
    private static final String ROW_PREFIX = "kmalloc-64             0      0     64   64    1 : tunables ";

    private static String row(String out) {
        for (String l : out.split("\n")) {
            if (l.startsWith("kmalloc-64 ")) {
                return l;
            }
        }
        return null;
    }

    @Test
    void tunablesWrite_changesTheRow() {
        Cli.Run r =
                Cli.run("run", "-e", "echo \"kmalloc-64 32 16 4\" > /proc/slabinfo; cat /proc/slabinfo", "slab=slab");
        assertThat(r.exit()).isZero();
        assertThat(row(r.out())).isEqualTo(ROW_PREFIX + "  32   16    4 : slabdata      0      0      0");
    }

    @Test
    void tunablesWrite_unquotedWordsToo() {
        Cli.Run r = Cli.run("run", "-e", "echo kmalloc-64 40 20 2 > /proc/slabinfo; cat /proc/slabinfo", "slab=slab");
        assertThat(row(r.out())).isEqualTo(ROW_PREFIX + "  40   20    2 : slabdata      0      0      0");
    }

    @Test
    void tunablesWrite_outOfRange_isAcceptedAndIgnored() {
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "echo \"kmalloc-64 0 16 4\" > /proc/slabinfo; echo \"kmalloc-64 8 16 1\" > /proc/slabinfo;"
                        + " cat /proc/slabinfo",
                "slab=slab");
        assertThat(r.exit()).isZero();
        assertThat(row(r.out())).isEqualTo(ROW_PREFIX + " 120   60    8 : slabdata      0      0      0");
    }

    @Test
    void tunablesWrite_malformedOrUnknown_isEinval_andTheShellCarriesOn() {
        Cli.Run r = Cli.run(
                "run",
                "--keep-going",
                "-e",
                "echo \"nosuch 32 16 4\" > /proc/slabinfo\n"
                        + "echo \"kmalloc-64 a b c\" > /proc/slabinfo\necho \"kmalloc-64 32 16\" > /proc/slabinfo\n"
                        + "echo \"\" > /proc/slabinfo\necho end",
                "slab=slab");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("end\n");
        assertThat(r.err())
                .isEqualTo("kmemlab: line 1: echo: write error: Invalid argument\n"
                        + "kmemlab: line 2: echo: write error: Invalid argument\n"
                        + "kmemlab: line 3: echo: write error: Invalid argument\n"
                        + "kmemlab: line 4: echo: write error: Invalid argument\n");
    }

    @Test
    void tunablesWrite_underSlub_isRefused() {
        Cli.Run r = Cli.run("run", "-e", "echo \"kmalloc-64 32 16 4\" > /proc/slabinfo");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("kmemlab: line 1: echo: write error: ");
    }

    @Test
    void slabDebug_slabinfoHasTheStatisticsColumns() {
        Cli.Run r = Cli.run("run", "-e", "cat /proc/slabinfo", "slab=slab", "slab_debug");
        assertThat(r.out())
                .startsWith("slabinfo - version: 2.1 (statistics)\n")
                .contains(" : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable> <nodeallocs> "
                        + "<remotefrees> <alienoverflow> : cpustat <allochit> <allocmiss> <freehit> <freemiss>\n");
    }
}
