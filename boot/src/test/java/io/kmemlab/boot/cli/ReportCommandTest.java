package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import io.kmemlab.mm.testing.Resources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path tmp;

    private static ReplayCommandTest.Result report(String... args) {
        return ReplayCommandTest.run(new ReportCommand().withTicker(() -> 0), args);
    }

    @Test
    void report_workload_writesThePageAndPrintsCompareTable() throws Exception {
        Path out = tmp.resolve("sub/r.html");
        ReplayCommandTest.Result r = report(
                "--workload", "fork", "--events", "2000", "-o", out.toString(), "--no-timing", "mem=64M", "nr_cpus=2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("slab memory at peak").endsWith("report: " + out + "\n");
        String html = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("\"name\": \"slub-7.1\"")
                .endsWith("</html>\n");
        // The same command again writes the same bytes.
        Path again = tmp.resolve("again.html");
        report("--workload", "fork", "--events", "2000", "-o", again.toString(), "--no-timing", "mem=64M", "nr_cpus=2");
        assertThat(Files.readString(again, StandardCharsets.UTF_8)).isEqualTo(html);
    }

    @Test
    void report_traceOfNoEvents_exits1AndWritesNothing() throws Exception {
        Path trace = tmp.resolve("empty.txt");
        Files.writeString(trace, "# tracer: nop\n#\n");
        Path out = tmp.resolve("r.html");
        ReplayCommandTest.Result r = report(trace.toString(), "-o", out.toString(), "mem=64M");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("kmemlab report: ");
        assertThat(out).doesNotExist();
    }

    @Test
    void report_unwritableOutput_exits1NamingTheFile() throws Exception {
        Path dir = tmp.resolve("a-directory");
        Files.createDirectories(dir);
        ReplayCommandTest.Result r =
                report("--workload", "fork", "--events", "500", "-o", dir.toString(), "--no-timing", "mem=64M");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("kmemlab report: cannot write " + dir);
    }

    private Path smallTrace() throws Exception {
        Path p = tmp.resolve("small.rep");
        Files.writeString(p, Resources.text("/malloc/report-small.rep"), StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void reportMalloc_writesThePageAndPrintsTheCompareTable() throws Exception {
        Path out = tmp.resolve("m/r.html");
        Cli.Run r = Cli.run(
                "report",
                "malloc",
                smallTrace().toString(),
                "--alloc",
                "glibc,first-fit",
                "-o",
                out.toString(),
                "mem=64M");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .startsWith("trace: small.rep (rep, 87 ops:")
                .contains("machine: mem=64M nr_cpus=")
                .contains("peak heap (bytes)")
                .endsWith("report: " + out + "\n");
        String html = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<title>kmemlab report malloc: small.rep</title>")
                .contains("\"name\": \"first-fit\"")
                .endsWith("</html>\n");
        Path again = tmp.resolve("again.html");
        Cli.run(
                "report",
                "malloc",
                smallTrace().toString(),
                "--alloc",
                "glibc,first-fit",
                "-o",
                again.toString(),
                "mem=64M");
        assertThat(Files.readString(again, StandardCharsets.UTF_8)).isEqualTo(html);
    }

    @Test
    void reportMalloc_json_printsTheFiguresAndNamesThePageOnStderr() throws Exception {
        Path out = tmp.resolve("j.html");
        Cli.Run r = Cli.run(
                "report",
                "malloc",
                smallTrace().toString(),
                "--alloc",
                "glibc",
                "--json",
                "-o",
                out.toString(),
                "mem=64M");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{\n  \"command\": \"report malloc\"");
        assertThat(r.err()).isEqualTo("report: " + out + "\n");
        assertThat(out).exists();
    }

    @Test
    void reportMalloc_badInput_clearReportsAndNoPage() throws Exception {
        Path out = tmp.resolve("bad.html");
        Path notTrace = tmp.resolve("x.rep");
        Files.writeString(notTrace, "hello\nworld\n");
        Cli.Run r = Cli.run("report", "malloc", notTrace.toString(), "-o", out.toString(), "mem=64M");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("kmemlab: report malloc: x.rep: ");
        assertThat(out).doesNotExist();

        r = Cli.run("report", "malloc", smallTrace().toString(), "--alloc", "no-such", "-o", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("kmemlab: report malloc: --alloc: ");
        assertThat(out).doesNotExist();

        Path dir = tmp.resolve("a-dir");
        Files.createDirectories(dir);
        r = Cli.run("report", "malloc", smallTrace().toString(), "--alloc", "glibc", "-o", dir.toString(), "mem=64M");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("kmemlab: report malloc: cannot write " + dir);

        Path empty = tmp.resolve("empty.rep");
        Files.writeString(empty, "0\n0\n0\n1\n");
        r = Cli.run("report", "malloc", empty.toString(), "--alloc", "glibc", "-o", out.toString(), "mem=64M");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err()).contains("nothing applied");
        assertThat(out).doesNotExist();
    }
}
