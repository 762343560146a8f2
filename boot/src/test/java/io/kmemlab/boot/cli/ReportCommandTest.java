package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
