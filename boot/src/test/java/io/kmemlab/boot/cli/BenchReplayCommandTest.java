package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.StandardComponents;
import io.kmemlab.boot.replay.KernelReplayFactory;
import io.kmemlab.boot.replay.ReplayMachineFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kmemlab bench replay}: output shape and round identity; never timing values. */
class BenchReplayCommandTest {
    @TempDir
    static Path tmp;

    static Path excerpt;

    @BeforeAll
    static void copyExcerpt() throws IOException {
        // 12 header lines + lines 200001..208000 of kmem-fork-net-6.18.txt, xz-compressed.
        excerpt = tmp.resolve("kmem-618-excerpt8k.txt.xz");
        try (InputStream in = BenchReplayCommandTest.class.getResourceAsStream("/traces/kmem-618-excerpt8k.txt.xz")) {
            Files.copy(in, excerpt);
        }
    }

    /** A clock that advances one millisecond per reading: every timed span is positive. */
    static LongSupplier steppingClock() {
        long[] t = {0};
        return () -> t[0] += 1_000_000;
    }

    static BenchReplayCommand bench() {
        return new BenchReplayCommand().withTickers(steppingClock(), steppingClock());
    }

    static ReplayCommandTest.Result run(Object command, String... args) {
        return ReplayCommandTest.run(command, args);
    }

    @Test
    void allAllocators_printsEveryRoundOfEach_theMedians_andParseRate() {
        ReplayCommandTest.Result r = run(bench(), excerpt.toString(), "--rounds", "2", "--warmup", "1", "mem=256M");
        assertThat(r.exit()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out)
                .startsWith("kmemlab bench replay: " + excerpt + " (ftrace, 8012 lines, 8000 events, ")
                .contains("boot words: mem=256M nr_cpus=2\n")
                .contains("rounds: 1 warm-up + 2 measured");
        // Parse rounds: w1, 1, 2 and the median, each with a lines/s figure.
        for (String round : List.of("w1", "1", "2")) {
            assertThat(out).containsPattern("(?m)^  " + round + " +[0-9.]+ +[0-9]+$");
        }
        assertThat(out).containsPattern("(?m)^  median +[0-9]+$");
        // Replay: one line per (round, allocator), in round order, allocators interleaved.
        Matcher m = Pattern.compile("(?m)^  (w1|1|2) +(slab|slub|slob) +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+$")
                .matcher(out);
        StringBuilder order = new StringBuilder();
        while (m.find()) {
            order.append(m.group(1)).append('/').append(m.group(2)).append(' ');
        }
        assertThat(order.toString().trim())
                .isEqualTo("w1/slab w1/slub w1/slob 1/slab 1/slub 1/slob 2/slab 2/slub 2/slob");
        assertThat(out).contains("median of the 2 measured rounds\n");
        for (String a : ReplayCommandTest.ALL) {
            assertThat(out).containsPattern("(?m)^  " + a + " +[0-9]+ +[0-9]+$");
        }
        assertThat(out)
                .containsPattern(
                        "results identical in all 3 rounds of each allocator \\(final slab bytes: slab [0-9]+, slub [0-9]+, slob [0-9]+\\)");
    }

    @Test
    void finalSlabBytes_areThoseOfAnOrdinaryReplay() {
        ReplayCommandTest.Result b =
                run(bench(), excerpt.toString(), "--slab", "slub", "--rounds", "1", "--warmup", "0", "mem=256M");
        ReplayCommandTest.Result r = run(
                new ReplayCommand().withTicker(() -> 0),
                excerpt.toString(),
                "--slab",
                "slub",
                "--json",
                "--no-timing",
                "mem=256M");
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(r.exit()).as(r.err()).isZero();
        long expected = ReplayCommandTest.jsonLong(r.out(), "slub", "final_slab_bytes");
        assertThat(b.out()).contains("results of the single round (final slab bytes: slub " + expected + ")");
    }

    @Test
    void roundsThatDisagree_exitThree_andSaySo() {
        // A broken factory: the "slub" machine of every second boot is really SLAB, so the
        // rounds' results differ, as a nondeterministic emulation's would.
        KernelReplayFactory kernel = new KernelReplayFactory();
        int[] boots = {0};
        ReplayMachineFactory flaky = (allocator, words) -> kernel.boot(boots[0]++ % 2 == 0 ? allocator : "slab", words);
        BenchReplayCommand cmd =
                new BenchReplayCommand(flaky, List.of("slub")).withTickers(steppingClock(), steppingClock());
        ReplayCommandTest.Result r = run(cmd, excerpt.toString(), "--rounds", "2", "--warmup", "0", "mem=256M");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("round 2 under slub gave other results than round 1", "not deterministic");
        assertThat(r.out()).doesNotContain("results identical");
    }

    @Test
    void withoutCpuTime_printsDashes_notDivisionByZero() {
        BenchReplayCommand cmd = new BenchReplayCommand().withTickers(steppingClock(), () -> 0);
        ReplayCommandTest.Result r =
                run(cmd, excerpt.toString(), "--slab", "slob", "--rounds", "1", "--warmup", "0", "mem=256M");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^  1 +slob +[0-9.]+ +0\\.0 +[0-9]+ +-$");
    }

    @Test
    void badInput_exitCodesAndMessages_neverAStackTrace() throws IOException {
        Path notes = tmp.resolve("notes.txt");
        Files.writeString(notes, "shopping list\nmilk\n");
        Path comments = tmp.resolve("comments.txt");
        Files.writeString(
                comments,
                "# tracer: nop\n#\n#  ftrace header only\n"
                        + "  sh-1 [000] ..... 1.000001: kmalloc: call_site=a+0x0/0x1 ptr=0000000000001000 bytes_req=64 "
                        + "bytes_alloc=64 gfp_flags=GFP_KERNEL\n");
        List<ReplayCommandTest.Result> results = List.of(
                run(bench(), tmp.resolve("missing.txt").toString()),
                run(bench(), notes.toString()),
                run(bench(), excerpt.toString(), "--rounds", "0"),
                run(bench(), excerpt.toString(), "--warmup", "-1"),
                run(bench(), excerpt.toString(), "--slab", "slub2"),
                run(bench(), excerpt.toString(), "bogus_word=1", "--rounds", "1", "--warmup", "0"));
        int[] exits = {1, 1, 2, 2, 2, 2};
        String[] messages = {
            "no such file",
            "not a kmem trace",
            "--rounds must be",
            "--rounds must be",
            "unknown or unavailable allocator",
            "bogus_word"
        };
        for (int i = 0; i < exits.length; i++) {
            ReplayCommandTest.Result r = results.get(i);
            assertThat(r.exit()).as(r.err()).isEqualTo(exits[i]);
            assertThat(r.err())
                    .contains(messages[i])
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void registeredUnderMain_asBenchReplay() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(
                StandardComponents::get,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]));
        assertThat(main.execute("bench", "replay", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Usage: kmemlab bench replay", "--rounds", "--warmup", "--slab");
        assertThat(main.execute(
                        "bench",
                        "replay",
                        excerpt.toString(),
                        "--slab",
                        "slab",
                        "--rounds",
                        "1",
                        "--warmup",
                        "0",
                        "--seed",
                        "7",
                        "mem=256M"))
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "boot words: mem=256M nr_cpus=2 seed=7",
                        "results of the single round (final slab bytes: slab ");
    }
}
