package io.kmemlab.malloc.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    @CsvSource({"mawk", "git", "bash"})
    void replay_realTrace_matchesGlibc236LineForLine(String name) throws IOException {
        String expected = text(name + ".glibc-2.36.out.xz");
        assertSameOutput(name, expected, replay(name + ".rep.xz", Map.of()));
    }
}
