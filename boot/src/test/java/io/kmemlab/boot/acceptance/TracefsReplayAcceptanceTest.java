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

    /** The report without its first line (which names the file). */
    private static List<String> figures(String report) {
        return report.lines().skip(1).toList();
    }
}
