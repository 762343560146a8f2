package io.kmemlab.malloc.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Heap corruptions (double frees, pokes into headers, links and the top chunk, frees of interior
 * pointers): glibc's own check fires with glibc's own message and the process dies of SIGABRT, or
 * glibc follows the corrupt pointer and the process dies of SIGSEGV, exactly as real glibc 2.36
 * did for each scenario ({@code corruption.txt}, answered by {@code apidriver.c}).
 */
class GlibcCorruptionTest {

    static Stream<Arguments> scenarios() throws IOException {
        List<Arguments> l = new ArrayList<>();
        String[] blocks = GlibcTraceExactnessTest.text("corruption.txt").split("\n== ");
        for (int i = 1; i < blocks.length; i++) {
            String[] lines = blocks[i].split("\n", 2);
            String[] head = lines[0].split(" ", 3);
            l.add(Arguments.of(head[0], Integer.parseInt(head[1]), head.length > 2 ? head[2] : "", lines[1]));
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void corruption_diesAsGlibcDoes(String name, int status, String message, String ops) {
        ApiOps run = new ApiOps(GlibcOptions.parse(Map.of())).run(ops);
        assertFalse(run.space.alive(), name + ": the process survived");
        if (status == 134) {
            assertEquals(List.of(message), run.space.stderr(), name);
            assertEquals(1, run.g.aborts(), name + ": one malloc_printerr");
        } else {
            assertEquals(0, run.g.aborts(), name + ": glibc faulted before any check");
            assertTrue(run.space.stderr().get(0).startsWith("segfault at"), name + ": " + run.space.stderr());
        }
    }
}
