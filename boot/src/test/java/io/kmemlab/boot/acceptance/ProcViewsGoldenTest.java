package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import io.kmemlab.boot.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 §3: the whole of /proc/meminfo, /proc/vmstat and /proc/zoneinfo of one fixed boot
 * (mem=1G nr_cpus=2, SLUB) — every key of 6.18, with the figures the emulated machine has: the
 * direct map's page sizes, the per-CPU first chunk, CommitLimit, the dirty thresholds.
 */
class ProcViewsGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"meminfo", "vmstat", "zoneinfo"})
    void fixedBoot_fullView(String view) {
        Cli.Run r = Cli.run("run", "-e", "cat /proc/" + view, "mem=1G", "nr_cpus=2");
        assertThat(r.exit()).isZero();
        Golden.assertMatches("proc-" + view + "-mem1G-cpus2.txt", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem=1G", "mem=4G", "mem=24G"})
    void meminfo_directMapCoversAllMappedMemory_andPercpuIsTheFirstChunk(String mem) {
        String out = Cli.run("run", "-e", "cat /proc/meminfo", mem, "nr_cpus=2").out();
        long k4 = kb(out, "DirectMap4k:");
        long m2 = kb(out, "DirectMap2M:");
        long g1 = kb(out, "DirectMap1G:");
        // The ISA megabyte and [1 MiB, 2 MiB) are 4 KiB pages; all mappings together cover the RAM.
        assertThat(k4).isGreaterThanOrEqualTo(2048);
        assertThat(k4 + m2 + g1).isGreaterThanOrEqualTo(kb(out, "MemTotal:"));
        // 64 pages (s225280 r8192 d28672) in each of the two units of the one 2 MiB atom.
        assertThat(kb(out, "Percpu:")).isEqualTo(512);
        if (mem.equals("mem=24G")) {
            // Above 4 GiB every gigabyte is RAM: 1 GiB pages.
            assertThat(g1).isGreaterThanOrEqualTo(20L << 20);
        }
    }

    private static long kb(String meminfo, String key) {
        String line = meminfo.lines().filter(l -> l.startsWith(key)).findFirst().orElseThrow();
        return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
    }
}
