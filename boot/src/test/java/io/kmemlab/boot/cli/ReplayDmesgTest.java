package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.cli.ReplayCommandTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a replay printed to its kernel log can be read: {@code --dmesg} prints it after the report,
 * allocator by allocator, and the JSON carries it; a kmem_cache_free naming another cache than the
 * object's is counted and reported in the kernel's words.
 */
class ReplayDmesgTest {
    private static final String P = "              sh-16387   [000] .....   470.9";

    @TempDir
    static Path tmp;

    static Path trace;

    private static String line(int us, String event) {
        return P + String.format("%05d", us) + ": " + event + "\n";
    }

    @BeforeAll
    static void writeTrace() throws IOException {
        trace = tmp.resolve("bad.txt");
        Files.writeString(
                trace,
                "# tracer: nop\n#\n"
                        + line(
                                1,
                                "kmem_cache_alloc: call_site=alloc_empty_file+0x3c/0x110 ptr=00000000e03adb79 name=filp "
                                        + "bytes_req=184 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=true")
                        + line(2, "kmem_cache_free: call_site=__fput+0x1/0x20 ptr=00000000e03adb79 name=dentry")
                        + line(
                                3,
                                "kmalloc: call_site=a+0x0/0x1 ptr=0000000000001000 bytes_req=8 bytes_alloc=8 "
                                        + "gfp_flags=GFP_KERNEL node=-1 accounted=false")
                        + line(4, "kfree: call_site=a+0x0/0x1 ptr=0000000000001000")
                        + line(5, "kfree: call_site=a+0x0/0x1 ptr=0000000000001000"));
    }

    @Test
    void replay_dmesg_printsEachAllocatorsLinesAfterTheReport() {
        Result r = ReplayCommandTest.run(
                ReplayCommandTest.replay(), trace.toString(), "--slab", "all", "--no-timing", "mem=64M", "--dmesg");
        assertThat(r.exit()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).containsPattern("\nwrong-cache frees \\(applied\\) +1 +1 +1\n");
        int previous = out.indexOf("kernel reports under slob (dmesg):");
        assertThat(previous).isPositive();
        for (String a : ReplayCommandTest.ALL) {
            int at = out.indexOf("\ndmesg under " + a + " (4 lines printed during the replay):\n");
            assertThat(at).as(a).isGreaterThan(previous);
            String section = out.substring(at);
            assertThat(section)
                    .contains(
                            "] kmem_cache_free: Wrong slab cache. dentry but object is from filp\n",
                            "] WARNING: CPU: 0 PID: 16387 at cache_from_obj called from __fput+",
                            "] replay: line 7: double free of kfree ptr=0000000000001000 (not applied)\n");
            previous = at;
        }
    }

    @Test
    void replay_withoutDmesg_printsNoLines_butCountsThem() {
        Result r = ReplayCommandTest.run(ReplayCommandTest.replay(), trace.toString(), "--no-timing", "mem=64M");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .doesNotContain("dmesg under", "Wrong slab cache")
                .containsPattern("kernel reports \\(dmesg\\) +2\n");
    }

    @Test
    void json_carriesTheLinesAndTheCounter() {
        Result r = ReplayCommandTest.run(
                ReplayCommandTest.replay(), trace.toString(), "--slab", "all", "--no-timing", "mem=64M", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        for (String a : ReplayCommandTest.ALL) {
            assertThat(ReplayCommandTest.jsonLong(r.out(), a, "wrong_cache_frees"))
                    .isEqualTo(1);
            assertThat(ReplayCommandTest.jsonLong(r.out(), a, "double_frees")).isEqualTo(1);
        }
        // The lines are the array's strings (each begins with its "[  470.900002] " stamp).
        Matcher m = Pattern.compile("\"dmesg\": \\[(\"[^\n]*\")\\]\n").matcher(r.out());
        int n = 0;
        while (m.find()) {
            n++;
            assertThat(m.group(1))
                    .contains(
                            "Wrong slab cache. dentry but object is from filp\"",
                            "double free of kfree ptr=0000000000001000 (not applied)\"");
        }
        assertThat(n).isEqualTo(3);
    }

    @Test
    void compare_dmesg_printsTheLinesToo() {
        Result r = ReplayCommandTest.run(
                new CompareCommand().withTicker(() -> 0),
                trace.toString(),
                "--no-chart",
                "--no-timing",
                "mem=64M",
                "--dmesg");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "\ndmesg under slab (4 lines",
                        "\ndmesg under slub (4 lines",
                        "\ndmesg under slob (4 lines",
                        "Wrong slab cache. dentry but object is from filp");
    }

    @Test
    void dmesg_cleanReplay_saysNothingWasPrinted() throws IOException {
        Path clean = tmp.resolve("clean.txt");
        Files.writeString(
                clean,
                line(
                        1,
                        "kmalloc: call_site=a+0x0/0x1 ptr=0000000000001000 bytes_req=8 "
                                + "bytes_alloc=8 gfp_flags=GFP_KERNEL node=-1 accounted=false"));
        Result r = ReplayCommandTest.run(
                ReplayCommandTest.replay(), clean.toString(), "--no-timing", "mem=64M", "--dmesg");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .endsWith("\ndmesg under slub: nothing printed during the replay\n")
                .doesNotContain("wrong-cache frees");
    }
}
