package io.kmemlab.boot.malloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.cli.Main;
import io.kmemlab.boot.testing.Cli;
import io.kmemlab.boot.testing.Golden;
import io.kmemlab.mm.testing.Resources;
import io.kmemlab.mm.user.trace.AnswerFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * {@code kmemlab malloc replay} and {@code compare} on the real mawk trace (and small inline
 * ones), through the tiny test allocators boot's tests register, on a booted kernel.
 */
class MallocCommandTest {
    private static final String MEM = "mem=256M";

    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, Resources.text("/malloc-traces/" + name), StandardCharsets.UTF_8);
        return p;
    }

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** Issue 14: {@code --ops --stats} begins with exactly the real library's answer file, stats included. */
    @Test
    void opsAndStats_glibc_isTheAnswerFileLineForLine() throws IOException {
        String answer = Resources.text("/malloc-traces/mawk.glibc-2.36.out");
        Cli.Run r = Cli.run(
                "malloc", "replay", resource("mawk.rep").toString(), "--allocator", "glibc", "--ops", "--stats", MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(answer).contains("# mallinfo2 ", "<malloc version=\"1\">");
        assertThat(r.out()).startsWith(answer.endsWith("\n") ? answer : answer + "\n");
        // the rest is kmemlab's own report, commented
        assertThat(r.out().substring(answer.length()).lines()).allMatch(l -> l.isEmpty() || l.startsWith("#"));
    }

    @Test
    void opsAndStats_jemalloc_statsFiguresAreTheLibrarys() throws IOException {
        String answer = Resources.text("/malloc-traces/mawk.jemalloc-5.3.out");
        Cli.Run r = Cli.run(
                "malloc",
                "replay",
                resource("mawk.rep").toString(),
                "--allocator",
                "jemalloc",
                "--ops",
                "--stats",
                MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        java.util.List<String> want =
                answer.lines().filter(l -> !l.startsWith("{")).toList();
        java.util.List<String> got = r.out().lines().limit(want.size()).toList();
        assertThat(got).isEqualTo(want);
        assertThat(r.out().lines().skip(want.size()).findFirst().orElse(""))
                .startsWith("{\"jemalloc\":{\"version\":\"5.3.0");
    }

    @Test
    void stats_glibc_printsMallocStats() throws IOException {
        Cli.Run r =
                Cli.run("malloc", "replay", resource("mawk.rep").toString(), "--allocator", "glibc", "--stats", MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("glibc's own statistics, as replay.c prints them:\n# mallinfo2 arena=")
                .contains("glibc's malloc_stats:\nArena 0:\nsystem bytes     = ");
    }

    @Test
    void replay_stats_table() throws IOException {
        Cli.Run r = Cli.run("malloc", "replay", resource("mawk.rep").toString(), "--allocator", "tiny", "--stats", MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        Golden.assertMatches("malloc/replay-mawk-tiny-stats.txt", r.out());
    }

    @Test
    void replay_json() throws IOException {
        Cli.Run r = Cli.run("malloc", "replay", resource("mawk.rep").toString(), "--allocator", "tiny", "--json", MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        Golden.assertMatches("malloc/replay-mawk-tiny.json", r.out());
    }

    @Test
    void replay_ops_inTheAnswerFilesFormat() throws IOException {
        Cli.Run r = Cli.run("malloc", "replay", resource("mawk.rep").toString(), "--allocator", "tiny", "--ops", MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        Golden.assertMatches("malloc/replay-mawk-tiny-ops.txt", r.out());
        // The output reads back as an answer file, with as many op lines as glibc's answer has.
        AnswerFile ours = AnswerFile.read(r.out());
        AnswerFile glibc = AnswerFile.read(Resources.text("/malloc-traces/mawk.glibc-2.36.out"));
        assertThat(ours.problems()).isEmpty();
        assertThat(ours.ops()).hasSize(glibc.ops().size());
        assertThat(ours.trailer()).allMatch(l -> l.startsWith("#"));
        // The 200000-byte-class requests of the tiny allocator are its own mappings.
        assertThat(ours.ops()).allMatch(l -> l.matches("[ar] \\d+ ([0-9a-f]+|mmap|-) \\d+"));
    }

    @Test
    void replay_check_reportsTheIdenticalShare() throws IOException {
        Path answers = resource("mawk.glibc-2.36.out");
        Cli.Run r = Cli.run(
                "malloc",
                "replay",
                resource("mawk.rep").toString(),
                "--allocator",
                "tiny",
                "--check",
                answers.toString(),
                MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        Golden.assertMatches("malloc/replay-mawk-tiny-check-glibc.txt", r.out());
        // Checked against itself, an answer file is identical: replay the tiny allocator's own --ops.
        Cli.Run ops =
                Cli.run("malloc", "replay", dir.resolve("mawk.rep").toString(), "--allocator", "tiny", "--ops", MEM);
        Path own = file("mawk.tiny.out", ops.out());
        Cli.Run self = Cli.run(
                "malloc",
                "replay",
                dir.resolve("mawk.rep").toString(),
                "--allocator",
                "tiny",
                "--check",
                own.toString(),
                MEM);
        assertThat(self.out()).contains("check against mawk.tiny.out: 699 of 699 lines identical (100.0%)");
    }

    @Test
    void replay_mtrace_realGlibcLog() throws IOException {
        Cli.Run r = Cli.run(
                "malloc", "replay", resource("glibc-mtrace-t.mtrace").toString(), "--allocator", "tiny", "--ops", MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        Golden.assertMatches("malloc/replay-glibc-mtrace-t-tiny-ops.txt", r.out());
    }

    @Test
    void replay_ostepList_andStdin() {
        Cli.Run r = Cli.withInput("+10,-0,+3,+5,-2\n", "malloc", "replay", "-", "--allocator", "tiny", "--ops", MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .startsWith(
                        "a 0 8 24\na 1 28 8\na 2 38 8\n# brk_end_offset 1000\n# trace: (standard input) (ostep, 5 ops:");
    }

    @Test
    void replay_xzCompressed() throws IOException {
        Path xz = dir.resolve("mawk.rep.xz");
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options())) {
            out.write(Resources.text("/malloc-traces/mawk.rep").getBytes(StandardCharsets.UTF_8));
        }
        Cli.Run plain =
                Cli.run("malloc", "replay", resource("mawk.rep").toString(), "--allocator", "tiny", "--ops", MEM);
        Cli.Run packed = Cli.run("malloc", "replay", xz.toString(), "--allocator", "tiny", "--ops", MEM);
        assertThat(packed.exit()).as(packed.err()).isZero();
        assertThat(packed.out().replace("mawk.rep.xz", "mawk.rep")).isEqualTo(plain.out());
    }

    @Test
    void replay_record_replaysTheSame() throws IOException {
        Path rec = dir.resolve("mawk.kmemlab");
        Cli.Run first = Cli.run(
                "malloc",
                "replay",
                resource("glibc-mtrace-t.mtrace").toString(),
                "--allocator",
                "tiny",
                "--ops",
                "--record",
                rec.toString(),
                MEM);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(Files.readString(rec))
                .startsWith("# kmemlab malloc trace 1\n# from glibc-mtrace-t.mtrace (mtrace)\n");
        Cli.Run again = Cli.run("malloc", "replay", rec.toString(), "--allocator", "tiny", "--ops", MEM);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(opLines(again.out())).isEqualTo(opLines(first.out()));
        assertThat(again.out()).contains("(kmemlab, 11 ops:");
    }

    private static List<String> opLines(String out) {
        return Arrays.stream(out.split("\n")).filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void replay_badInput_reportedWithLines_andTheReplayGoesOn() throws IOException {
        Path bad = file(
                "bad.rep", "20000000\n4\n9\n1\na 0 16\nf 1\nf 0\nf 0\nr 0 8\na 2 -3\na 7 8\na 3 99999999999999999\n");
        Cli.Run r = Cli.run("malloc", "replay", bad.toString(), "--allocator", "tiny", MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err())
                .isEqualTo("kmemlab: malloc replay: bad.rep: line 6: free of an id never allocated: f 1\n"
                        + "kmemlab: malloc replay: bad.rep: line 8: free of a freed id: f 0\n"
                        + "kmemlab: malloc replay: bad.rep: line 9: realloc of a freed id: r 0 8\n"
                        + "kmemlab: malloc replay: bad.rep: line 10: negative size: a 2 -3\n"
                        + "kmemlab: malloc replay: bad.rep: line 11: unknown id: a 7 8 (the header declares 4 ids)\n"
                        + "kmemlab: malloc replay: bad.rep: line 12: absurd size: a 3 99999999999999999"
                        + " (more than the 128 TiB user address space)\n"
                        + "kmemlab: malloc replay: bad.rep: line 13: truncated file: the header promises 9 ops,"
                        + " the file ends after 8\n");
        assertThat(r.out())
                .contains(
                        "problems: 1 truncated file, 1 unknown id, 1 free of an id never allocated, 1 free of a freed id,"
                                + " 1 realloc of a freed id, 1 negative size, 1 absurd size\n")
                .contains("2 ops applied");
    }

    @Test
    void replay_nothingApplied_exitsNonZero() throws IOException {
        Path bad = file("frees.rep", "0\n3\n3\n1\nf 0\nf 1\nf 2\n");
        Cli.Run r = Cli.run("malloc", "replay", bad.toString(), "--allocator", "tiny", MEM);
        assertThat(r.exit()).isEqualTo(Main.EXIT_SCRIPT_FAILED);
        assertThat(r.err()).endsWith("kmemlab: malloc replay: frees.rep: nothing applied\n");
    }

    @Test
    void replay_refusals() throws IOException {
        Path rep = resource("mawk.rep");
        Cli.Run unknown = Cli.run("malloc", "replay", rep.toString(), "--allocator", "nosuch", MEM);
        assertThat(unknown.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(unknown.err()).startsWith("kmemlab: malloc replay: --allocator: no allocator 'nosuch' (available: ");
        Cli.Run option = Cli.run("malloc", "replay", rep.toString(), "--allocator", "tiny:header=8", MEM);
        assertThat(option.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(option.err())
                .isEqualTo("kmemlab: malloc replay: --allocator: allocator tiny has no option 'header'\n");
        Cli.Run missing = Cli.run("malloc", "replay", dir.resolve("nope.rep").toString(), "--allocator", "tiny");
        assertThat(missing.exit()).isEqualTo(Main.EXIT_SCRIPT_FAILED);
        assertThat(missing.err()).isEqualTo("kmemlab: malloc replay: nope.rep: no such file\n");
        Cli.Run answers =
                Cli.run("malloc", "replay", resource("mawk.glibc-2.36.out").toString(), "--allocator", "tiny");
        assertThat(answers.exit()).isEqualTo(Main.EXIT_SCRIPT_FAILED);
        assertThat(answers.err()).contains("an answer file (a ID OFFSET USABLE), not a trace: give it to --check");
        Cli.Run text = Cli.run("malloc", "replay", file("notes.txt", "hello\n").toString(), "--allocator", "tiny");
        assertThat(text.exit()).isEqualTo(Main.EXIT_SCRIPT_FAILED);
        assertThat(text.err()).contains("notes.txt: not a malloc trace kmemlab knows");
        Cli.Run format = Cli.run("malloc", "replay", rep.toString(), "--format", "nosuch");
        assertThat(format.exit()).isEqualTo(Main.EXIT_USAGE);
        Cli.Run words = Cli.run("malloc", "replay", rep.toString(), "--allocator", "tiny", "mem=banana");
        assertThat(words.exit()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void compare_table_json_andChart() throws IOException {
        Path rep = resource("mawk.rep");
        Path mt = resource("glibc-mtrace-t.mtrace");
        Cli.Run r = Cli.run(
                "malloc", "compare", rep.toString(), mt.toString(), "--allocator", "tiny,tiny2", "--no-chart", MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        Golden.assertMatches("malloc/compare-mawk-mtrace-tiny-tiny2.txt", r.out());
        Cli.Run j =
                Cli.run("malloc", "compare", rep.toString(), "--allocator", "tiny,tiny2", "--no-chart", "--json", MEM);
        assertThat(j.exit()).as(j.err()).isZero();
        Golden.assertMatches("malloc/compare-mawk-tiny-tiny2.json", j.out());
        Path out = dir.resolve("charts");
        Cli.Run c =
                Cli.run("malloc", "compare", rep.toString(), "--allocator", "tiny,tiny2", "--out", out.toString(), MEM);
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("chart: " + out.resolve("malloc-mawk.png"));
        assertThat(Files.size(out.resolve("malloc-mawk.png"))).isPositive();
        assertThat(Files.readString(out.resolve("malloc-mawk.svg")))
                .startsWith("<?xml")
                .contains("<svg");
    }

    @Test
    void compare_refusals() throws IOException {
        Path rep = resource("mawk.rep");
        Cli.Run none = Cli.run("malloc", "compare", "mem=256M");
        assertThat(none.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(none.err()).isEqualTo("kmemlab: malloc compare: no trace given\n");
        Cli.Run missing = Cli.run(
                "malloc",
                "compare",
                rep.toString(),
                dir.resolve("gone.rep").toString(),
                "--allocator",
                "tiny",
                "--no-chart",
                MEM);
        assertThat(missing.exit()).isEqualTo(Main.EXIT_SCRIPT_FAILED);
        assertThat(missing.err()).isEqualTo("kmemlab: malloc compare: gone.rep: no such file\n");
        assertThat(missing.out()).contains("trace: mawk.rep");
        Cli.Run bad = Cli.run("malloc", "compare", rep.toString(), "--allocator", "tiny,nosuch", MEM);
        assertThat(bad.exit()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void compare_allocatorList_keepsOptionCommas() {
        List<String> names = List.of("first-fit", "best-fit", "tiny");
        assertThat(UserAllocators.splitList("first-fit:coalesce=off,header=8,best-fit,tiny", names))
                .containsExactly("first-fit:coalesce=off,header=8", "best-fit", "tiny");
    }

    @Test
    void ostep_runsMallocPyWithItsOwnOptions() {
        // OSTEP's README example shape through the malloc module's UserHeapLab: options in order,
        // as optparse reads them.
        Cli.Run r = Cli.run("malloc", "ostep", "-A", "+10,-0,+3", "-p", "FIRST", "-c");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("policy FIRST\n")
                .contains("ptr[0] = Alloc(10) returned 1000 (searched 1 elements)\n")
                .contains("Free List [ Size 2 ]: [ addr:1000 sz:10 ][ addr:1010 sz:90 ]");
        Cli.Run bad = Cli.run("malloc", "ostep", "--nosuch");
        assertThat(bad.exit()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void replay_traceFile_getsTheProcesssKernelEvents() throws IOException {
        // Kernel command-line words as in other commands: trace_event= turns the tracepoints on, and
        // --trace-file takes what the replay's process made the kernel do.
        Path events = dir.resolve("events.txt");
        Cli.Run r = Cli.run(
                "--trace-file",
                events.toString(),
                "malloc",
                "replay",
                resource("mawk.rep").toString(),
                "--allocator",
                "tiny",
                "trace_event=kmem:rss_stat,kmem:mm_page_alloc",
                MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        String text = Files.readString(events);
        assertThat(text).contains("mawk-301 ").contains(": rss_stat: ").contains(": mm_page_alloc: ");
    }

    @Test
    void compare_aTraceThatAppliedNothing_failsTheRun() throws IOException {
        Path good = resource("glibc-mtrace-t.mtrace");
        Path frees = file("frees.rep", "0\n3\n3\n1\nf 0\nf 1\nf 2\n");
        Cli.Run r = Cli.run(
                "malloc", "compare", good.toString(), frees.toString(), "--allocator", "tiny", "--no-chart", MEM);
        assertThat(r.exit()).isEqualTo(Main.EXIT_SCRIPT_FAILED);
        assertThat(r.err()).contains("kmemlab: malloc compare: frees.rep: nothing applied\n");
        assertThat(r.out()).contains("trace: glibc-mtrace-t.mtrace").contains("trace: frees.rep");
        Cli.Run alone = Cli.run("malloc", "compare", frees.toString(), "--allocator", "tiny", "--no-chart", MEM);
        assertThat(alone.exit()).isEqualTo(Main.EXIT_SCRIPT_FAILED);
        assertThat(alone.err()).endsWith("kmemlab: malloc compare: nothing applied\n");
    }

    @Test
    void replay_json_withOpsAndCheck() throws IOException {
        Cli.Run r = Cli.run(
                "malloc",
                "replay",
                resource("glibc-mtrace-t.mtrace").toString(),
                "--allocator",
                "tiny",
                "--json",
                "--ops",
                "--check",
                file("t.out", "a 0 8 24\na 1 28 104\n# brk_end_offset 1000\n").toString(),
                MEM);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "\"check\": {\"answers\": \"t.out\", \"answer_ops\": 2, \"replay_ops\": 7, \"identical\": 2,"
                                + " \"identical_share\": 0.285714, \"same_offset\": 2, \"same_usable\": 2, \"first_difference\": 2}")
                .contains("\"ops\": [\"a 0 8 24\", \"a 1 28 104\", \"a 2 mmap 200696\"");
    }

    @Test
    void replay_fill_writesTheBlocks_soTheRssIsAPrograms() throws IOException {
        Path rep = resource("mawk.rep");
        Cli.Run plain = Cli.run("malloc", "replay", rep.toString(), "--allocator", "tiny", "--json", MEM);
        Cli.Run filled = Cli.run("malloc", "replay", rep.toString(), "--allocator", "tiny", "--json", "--fill", MEM);
        assertThat(filled.exit()).as(filled.err()).isZero();
        assertThat(filled.out()).contains("\"data_errors\": 0,");
        assertThat(rss(filled.out())).isGreaterThan(rss(plain.out()));
    }

    private static long rss(String json) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"rss_kb\": (\\d+)").matcher(json);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
