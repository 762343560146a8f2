package io.kmemlab.malloc.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmemlab.malloc.testkit.FastUserSpace;
import io.kmemlab.malloc.testkit.RepTrace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tukaani.xz.XZInputStream;

/**
 * Real programs' allocation traces replayed through the emulation must give, op for op, the
 * address offset and usable size real glibc 2.36 gave (recorded with the recorder's replay.c on
 * this machine), and at the end the same mallinfo2 figures, break and malloc_info XML.
 */
class GlibcTraceExactnessTest {

    static InputStream resource(String name) throws IOException {
        InputStream in = GlibcTraceExactnessTest.class.getResourceAsStream("/glibc/" + name);
        if (in == null) {
            throw new IOException("missing test resource " + name);
        }
        return name.endsWith(".xz") ? new XZInputStream(in) : in;
    }

    static String text(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Replays {@code trace} under {@code options}; returns replay.c's full output. */
    static String replay(String trace, Map<String, String> options) throws IOException {
        RepTrace t;
        try (InputStream in = resource(trace)) {
            t = RepTrace.read(in);
        }
        FastUserSpace space = new FastUserSpace();
        GlibcMalloc g = GlibcOptions.parse(options).build(space);
        StringBuilder out = new StringBuilder();
        t.replay(g, space.startBrk(), g::isMmappedChunk, out);
        assertTrue(g.validate().isEmpty(), () -> trace + ": " + g.validate());
        out.append(g.statsText());
        return out.toString();
    }

    static void assertSameOutput(String label, String expected, String actual) {
        String[] e = expected.split("\n");
        String[] a = actual.split("\n");
        int same = 0;
        int firstDiff = -1;
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            if (e[i].equals(a[i])) {
                same++;
            } else if (firstDiff < 0) {
                firstDiff = i;
            }
        }
        int fd = firstDiff;
        int s = same;
        System.out.printf("%s: %d of %d lines identical%n", label, same, e.length);
        assertEquals(
                e.length,
                same,
                () -> label + ": " + s + "/" + e.length + " lines identical; first difference at line " + (fd + 1)
                        + ": expected '" + (fd >= 0 ? e[fd] : "") + "' got '" + (fd >= 0 ? a[fd] : "") + "'");
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @CsvSource({"mawk", "git", "bash", "perl", "sort", "tar", "gcc-cc1", "python"})
    void replay_realTrace_matchesGlibc236LineForLine(String name) throws IOException {
        String expected = text(name + ".glibc-2.36.out.xz");
        assertSameOutput(name, expected, replay(name + ".rep.xz", Map.of()));
    }

    /** Answers recorded with GLIBC_TUNABLES set: the options must change decisions as glibc's do. */
    @ParameterizedTest
    @CsvSource({
        "git, tcache_count_0, glibc.malloc.tcache_count=0",
        "git, tcache_count_0_glibc_malloc_mxfast_0, glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0",
        "git, mmap_threshold_4096, glibc.malloc.mmap_threshold=4096",
        "git, tcache_count_3, glibc.malloc.tcache_count=3",
        "git, tcache_max_64, glibc.malloc.tcache_max=64",
        "git, top_pad_0, glibc.malloc.top_pad=0",
        "git, trim_threshold_0, glibc.malloc.trim_threshold=0",
        "git, mxfast_160, glibc.malloc.mxfast=160",
        "git, mmap_max_0, glibc.malloc.mmap_max=0",
        "bash, tcache_count_3, glibc.malloc.tcache_count=3",
        "bash, mxfast_160, glibc.malloc.mxfast=160",
        "bash, top_pad_0, glibc.malloc.top_pad=0",
        "bash, mmap_threshold_4096, glibc.malloc.mmap_threshold=4096",
    })
    void replay_underTunables_matchesGlibc236(String trace, String answer, String tunables) throws IOException {
        String expected = text(trace + ".T_" + answer + ".glibc-2.36.out.xz");
        assertNotEquals(text(trace + ".glibc-2.36.out.xz"), expected, "the tunable changes glibc's answers");
        assertSameOutput(trace + " " + tunables, expected, replay(trace + ".rep.xz", Map.of("tunables", tunables)));
    }

    /** mallopt before the first malloc decides as the tunable does (M_MXFAST, M_TOP_PAD, ...). */
    @ParameterizedTest
    @CsvSource({
        "mxfast_160, M_MXFAST=160",
        "top_pad_0, M_TOP_PAD=0",
        "mmap_threshold_4096, M_MMAP_THRESHOLD=4096",
        "mmap_max_0, M_MMAP_MAX=0",
        "trim_threshold_0, M_TRIM_THRESHOLD=0",
    })
    void replay_underMallopt_matchesTheTunablesAnswer(String answer, String mallopt) throws IOException {
        String expected = text("git.T_" + answer + ".glibc-2.36.out.xz");
        assertSameOutput("git " + mallopt, expected, replay("git.rep.xz", Map.of("mallopt", mallopt)));
    }

    /** The same tunables given one option each, by their short names. */
    @org.junit.jupiter.api.Test
    void replay_tunableAsItsOwnOption_matches() throws IOException {
        String expected = text("git.T_tcache_count_0_glibc_malloc_mxfast_0.glibc-2.36.out.xz");
        assertSameOutput(
                "git tcache_count=0 mxfast=0",
                expected,
                replay("git.rep.xz", Map.of("tcache_count", "0", "glibc.malloc.mxfast", "0")));
    }
}
