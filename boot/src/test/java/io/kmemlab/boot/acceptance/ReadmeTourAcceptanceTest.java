package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.XZInputStream;

/** The README's two-minute tour does what the README says. */
class ReadmeTourAcceptanceTest {
    private static final String SAMPLE = "traces/kmem-6.18-sample.txt.xz";

    /** The repository root: the first directory up from here that holds the README. */
    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("README.md")) || !Files.isDirectory(dir.resolve("traces"))) {
            dir = dir.getParent();
            assertThat(dir).as("repository root above the working directory").isNotNull();
        }
        return dir;
    }

    /** The README's {@code ./kmemlab …} lines that use the shipped sample, comments removed. */
    private static List<List<String>> tourLinesOnTheSample(Path root) throws IOException {
        List<List<String>> out = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("./kmemlab ") && line.contains(SAMPLE)) {
                String cmd = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
                out.add(List.of(cmd.trim().substring("./kmemlab ".length()).split(" +")));
            }
        }
        return out;
    }

    @Test
    void shippedSample_isASmallRealCaptureWithItsHeader() throws IOException {
        Path sample = repoRoot().resolve(SAMPLE);
        assertThat(Files.size(sample)).isLessThanOrEqualTo(1_500_000L);
        try (InputStream in = new XZInputStream(Files.newInputStream(sample))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text)
                    .startsWith("# tracer: nop\n#\n# entries-in-buffer/entries-written: ")
                    .endsWith("\n");
            String[] lines = text.split("\n");
            assertThat(lines).hasSize(200_000);
            // twelve header lines, then events (the tour's replay finds none malformed)
            assertThat(Arrays.stream(lines).limit(12)).allMatch(l -> l.startsWith("#"));
            assertThat(lines[12]).doesNotStartWith("#").contains(" [000] ", ": kmem_cache_free: ");
        }
    }

    @Test
    void traceTourOnTheShippedSample_runsEveryLineAsTheReadmeWritesIt(@TempDir Path dir) throws Exception {
        Path root = repoRoot();
        List<List<String>> tour = tourLinesOnTheSample(root);
        assertThat(tour).extracting(l -> l.get(0)).containsExactly("compare", "replay", "replay");
        for (List<String> words : tour) {
            // run from the repository root as the README does: paths resolved there, outputs in dir
            List<String> args = new ArrayList<>();
            String redirect = null;
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                if (w.equals(">")) {
                    redirect = words.get(++i);
                } else if (w.equals(SAMPLE)) {
                    args.add(root.resolve(SAMPLE).toString());
                } else if (i > 0 && words.get(i - 1).equals("--emit-trace")) {
                    args.add(dir.resolve(w).toString());
                } else {
                    args.add(w);
                }
            }
            if (args.get(0).equals("compare")) {
                args.addAll(List.of("--out", dir.resolve("kmemlab-out").toString()));
            }
            Cli.Run r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as("%s%n%s", words, r.err()).isZero();
            // every event line of the sample is read
            assertThat(r.out()).as("%s", words).containsAnyOf("199,988", "199988");
            if (redirect != null) {
                assertThat(r.out())
                        .startsWith("{")
                        .containsPattern("\"malformed\": ?0\\b")
                        .doesNotContainPattern("\"malformed\": ?[1-9]");
            }
            if (args.contains("--emit-trace")) {
                Path replayed = dir.resolve("replayed.txt");
                assertThat(r.err()).isEqualTo("kmem trace written to " + replayed + "\n");
                assertThat(Files.readString(replayed)).contains(": kmem_cache_alloc: call_site=");
            } else {
                assertThat(r.err()).as("%s", words).isEmpty();
            }
            if (args.get(0).equals("compare")) {
                assertThat(r.out()).contains("slab", "slub", "slob");
                assertThat(dir.resolve("kmemlab-out")).isNotEmptyDirectory();
            }
        }
    }

    @Test
    void shellTour_printsWhatTheReadmeShows() {
        Cli.Run r = Cli.withInput(
                "$a = alloc_pages 3\ncat /proc/buddyinfo\n__free_pages $a 3\n$p = kmalloc 100\nksize $p\n"
                        + "poke $p+8 0x41 0x42; peek $p 16\nkfree $p\ncat /sys/kernel/debug/memblock/reserved\n",
                "shell",
                "mem=1G",
                "nr_cpus=2");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .startsWith("$a = 0xffff888003420000\nNode 0, zone      DMA ")
                .contains(
                        "\n128\n",
                        ": 00 00 00 00 00 00 00 00 41 42 00 00 00 00 00 00  ........AB......\n",
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
        Cli.Run r = Cli.run(
                "--trace-file",
                trace.toString(),
                "run",
                "-e",
                "alloc_pages 0; kmalloc 64",
                "trace_event=kmem:mm_page_alloc,kmem:kmalloc");
        assertThat(r.exit()).isZero();
        String text = Files.readString(trace);
        assertThat(text).contains(": mm_page_alloc: page=", ": kmalloc: call_site=");
        Cli.Run fs = Cli.run(
                "run",
                "-e",
                "echo 1 > /sys/kernel/tracing/events/kmem/mm_page_alloc/enable; alloc_pages 2; cat /sys/kernel/tracing/trace");
        assertThat(fs.exit()).isZero();
        assertThat(fs.out()).contains("# tracer: nop\n", " order=2 migratetype=0 gfp_flags=GFP_KERNEL\n");
    }

    @Test
    void layoutTour_andScriptForms(@TempDir Path dir) throws Exception {
        assertThat(Cli.run("layout", "5824", "--flags", "HWCACHE_ALIGN", "nr_cpus=2")
                        .out())
                .contains("order: 3\n");
        Path f = dir.resolve("script.kmem");
        Files.writeString(f, "alloc_pages 0; cat /proc/meminfo\n");
        Cli.Run r = Cli.run("run", f.toString(), "mem=4G");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\nMemTotal: ");
        assertThat(Cli.run("run", "-e", "alloc_pages 0; cat /proc/meminfo").exit())
                .isZero();
    }
}
