package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import io.kmemlab.mm.VirtualFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §4: what kmemlab's tracefs prints replays to the same run, with the kernel's default
 * hash-ptr (per-boot ids instead of addresses) as with nohash-ptr, and the figures of
 * {@code kmemlab stat} agree between the forms.
 */
class TracefsReplayAcceptanceTest {
    private static final String T = "/sys/kernel/tracing/";

    @Test
    void traceFile_hashedOrNot_replaysToTheSameFigures(@TempDir Path dir) throws IOException {
        Session s = new Session(
                "mem=256M",
                "nr_cpus=2",
                "trace_event=kmem:kmalloc,kmem:kfree,kmem:kmem_cache_alloc," + "kmem:kmem_cache_free");
        StringBuilder script = new StringBuilder("kmem_cache_create thing 200\n");
        for (int i = 0; i < 40; i++) {
            script.append("cpu ").append(i % 2).append('\n');
            script.append("$a")
                    .append(i)
                    .append(" = kmalloc ")
                    .append(24 + 40 * i)
                    .append('\n');
            script.append("$t").append(i).append(" = kmem_cache_alloc thing\n");
            if (i % 3 == 0) {
                script.append("cpu ").append((i + 1) % 2).append('\n');
                script.append("kfree $a").append(i).append('\n');
                script.append("kmem_cache_free thing $t").append(i).append('\n');
            }
        }
        s.run(script.toString());
        assertThat(s.err()).isEmpty();
        VirtualFs vfs = s.kernel.machine().vfs();
        String hashed = vfs.read(T + "trace");
        assertThat(hashed).contains("ptr=00000000").doesNotContain("ptr=ffff888");
        assertThat(vfs.write(T + "trace_options", "nohash-ptr")).isNull();
        String raw = vfs.read(T + "trace");
        assertThat(raw).contains("ptr=ffff888");
        Path h = dir.resolve("hashed.txt");
        Path r = dir.resolve("raw.txt");
        Files.writeString(h, hashed);
        Files.writeString(r, raw);

        Cli.Run rh = Cli.run("replay", h.toString(), "--no-timing");
        Cli.Run rr = Cli.run("replay", r.toString(), "--no-timing");
        assertThat(rh.exit()).as(rh.err()).isZero();
        assertThat(rr.exit()).as(rr.err()).isZero();
        assertThat(figures(rh.out())).isEqualTo(figures(rr.out()));
        assertThat(rh.out()).containsPattern("malformed +0\n").containsPattern("allocations / frees +8[0-9] / 28\n");

        Cli.Run sh = Cli.run("stat", h.toString(), "--caller");
        Cli.Run sr = Cli.run("stat", r.toString(), "--caller");
        assertThat(sh.out()).isEqualTo(sr.out()).contains("Total bytes freed:     ");
        // Every free in the script ran on the other CPU: perf's ping-pong, the replay's cross-CPU frees.
        assertThat(rh.out()).containsPattern("cross-CPU frees \\(ping-pong\\) +28\n");
    }

    @Test
    void eachTraceOptionForm_ofKmemlabsOwnTrace_replaysToTheSameFigures(@TempDir Path dir) throws IOException {
        Session s = new Session(
                "mem=256M",
                "nr_cpus=2",
                "trace_event=kmem:kmalloc,kmem:kfree,kmem:kmem_cache_alloc,kmem:kmem_cache_free");
        StringBuilder script = new StringBuilder("kmem_cache_create thing 200\n");
        for (int i = 0; i < 30; i++) {
            script.append("cpu ").append(i % 2).append('\n');
            script.append("$a")
                    .append(i)
                    .append(" = kmalloc ")
                    .append(16 + 56 * i)
                    .append('\n');
            script.append("$t").append(i).append(" = kmem_cache_alloc thing\n");
            if (i % 2 == 0) {
                script.append("kfree $a").append(i).append('\n');
                script.append("kmem_cache_free thing $t").append(i).append('\n');
            }
        }
        s.run(script.toString());
        assertThat(s.err()).isEmpty();
        VirtualFs vfs = s.kernel.machine().vfs();
        Path base = dir.resolve("trace.txt");
        Files.writeString(base, vfs.read(T + "trace"));
        List<String> expected = withoutPeakLine(
                figures(Cli.run("replay", base.toString(), "--no-timing").out()));
        assertThat(String.join("\n", expected)).containsPattern("malformed +0");
        for (String option : List.of("latency-format", "record-tgid", "noirq-info", "nocontext-info")) {
            assertThat(vfs.write(T + "trace_options", option)).as(option).isNull();
            Path f = dir.resolve(option + ".txt");
            Files.writeString(f, vfs.read(T + "trace"));
            assertThat(vfs.write(T + "trace_options", option.startsWith("no") ? option.substring(2) : "no" + option))
                    .isNull();
            Cli.Run r = Cli.run("replay", f.toString(), "--no-timing");
            assertThat(r.exit()).as(option + ": " + r.err()).isZero();
            // the peak's line number counts the form's own header lines
            List<String> got = withoutPeakLine(figures(r.out()));
            if (option.equals("nocontext-info")) {
                // no CPU or time column: one CPU's machine, so only the event and byte counts compare
                assertThat(counts(expected)).hasSize(11);
                assertThat(counts(got)).as(option).isEqualTo(counts(expected));
            } else {
                assertThat(got).as(option).isEqualTo(expected);
            }
        }
    }

    /** The report's event and byte counts (the lines before the memory figures). */
    private static List<String> counts(List<String> lines) {
        return lines.stream()
                .filter(l -> l.matches("(events read|  applied|  skipped|  malformed|unmatched frees|double frees"
                        + "|allocations / frees|bytes requested|bytes allocated|bytes freed|live objects at end) .*"))
                .map(l -> l.replaceAll(" +", " "))
                .toList();
    }

    private static List<String> withoutPeakLine(List<String> lines) {
        return lines.stream()
                .map(l -> l.replaceAll("peak at +line \\d+", "peak at line N"))
                .toList();
    }

    /** The report without its first line (which names the file). */
    private static List<String> figures(String report) {
        return report.lines().skip(1).toList();
    }
}
