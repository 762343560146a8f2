package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's two-minute tour does what the README says. */
class ReadmeTourAcceptanceTest {

    @Test
    void shellTour_printsWhatTheReadmeShows() {
        Cli.Run r = Cli.withInput("$a = alloc_pages 3\ncat /proc/buddyinfo\n__free_pages $a 3\n$p = kmalloc 100\nksize $p\n"
                + "poke $p+8 0x41 0x42; peek $p 16\nkfree $p\ncat /sys/kernel/debug/memblock/reserved\n",
                "shell", "mem=1G", "nr_cpus=2");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("$a = 0xffff888003420000\nNode 0, zone      DMA ")
                .contains("\n128\n", ": 00 00 00 00 00 00 00 00 41 42 00 00 00 00 00 00  ........AB......\n",
                        "   0: 0x0000000000000000..0x00000000000fffff ");
    }

    @Test
    void memblockDebugBoot_addsTheDump() {
        Cli.Run r = Cli.run("boot", "mem=1G", "memblock=debug");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("] MEMBLOCK configuration:\n");
    }

    @Test
    void traceTour_fileAndTracefs(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.txt");
        Cli.Run r = Cli.run("--trace-file", trace.toString(), "run", "-e", "alloc_pages 0; kmalloc 64",
                "trace_event=kmem:mm_page_alloc,kmem:kmalloc");
        assertThat(r.exit()).isZero();
        String text = Files.readString(trace);
        assertThat(text).contains(": mm_page_alloc: page=", ": kmalloc: call_site=");
        Cli.Run fs = Cli.run("run", "-e",
                "echo 1 > /sys/kernel/tracing/events/kmem/mm_page_alloc/enable; alloc_pages 2; cat /sys/kernel/tracing/trace");
        assertThat(fs.exit()).isZero();
        assertThat(fs.out()).contains("# tracer: nop\n", " order=2 migratetype=0 gfp_flags=GFP_KERNEL\n");
    }

    @Test
    void layoutTour_andScriptForms(@TempDir Path dir) throws Exception {
        assertThat(Cli.run("layout", "5824", "--flags", "HWCACHE_ALIGN", "nr_cpus=2").out()).contains("order: 3\n");
        Path f = dir.resolve("script.kmem");
        Files.writeString(f, "alloc_pages 0; cat /proc/meminfo\n");
        Cli.Run r = Cli.run("run", f.toString(), "mem=4G");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\nMemTotal: ");
        assertThat(Cli.run("run", "-e", "alloc_pages 0; cat /proc/meminfo").exit()).isZero();
    }
}
