package io.kmemlab.malloc.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmemlab.malloc.testkit.FastUserSpace;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Thread arenas against real glibc 2.36: random ops from 2 to 6 threads taking turns
 * ({@code threaddriver.c}), frees and reallocs across threads included: every block at the same
 * place (brk offset, or offset in its 64 MiB heap) with the same usable size, and the same
 * malloc_info XML for every arena. arena_max=3 makes six threads share three arenas
 * (reused_arena's round robin); big blocks under a 32 MiB mmap threshold chain heaps (new_heap,
 * heap_trim). The driver's pthread_create callocs each new thread's DTV from the main arena; the
 * runner makes that calloc too.
 */
class GlibcThreadArenaTest {

    static String run(String ops, String tunables) {
        FastUserSpace space = new FastUserSpace();
        GlibcMalloc g = GlibcOptions.parse(tunables.isEmpty() ? Map.of() : Map.of("tunables", tunables))
                .build(space);
        StringBuilder out = new StringBuilder();
        long[] ptr = new long[1 << 20];
        java.util.Set<Integer> started = new java.util.HashSet<>();
        for (String l : ops.split("\n")) {
            String[] f = l.trim().split("\\s+");
            char op = f[0].charAt(0);
            int id = Integer.parseInt(f[1]);
            long q;
            switch (op) {
                case 'T' -> {
                    if (id != 0 && !started.contains(id)) {
                        // pthread_create, called by the driver's main thread, callocs the new
                        // thread's DTV (17 16-byte slots) from the main arena
                        g.asThread(0);
                        g.calloc(17, 16);
                        started.add(id);
                    }
                    g.asThread(id);
                    continue;
                }
                case 'f' -> {
                    g.free(ptr[id]);
                    ptr[id] = 0;
                    continue;
                }
                case 'm' -> q = ptr[id] = g.malloc(Long.parseLong(f[2]));
                default -> {
                    long size = Long.parseLong(f[2]);
                    q = g.realloc(ptr[id], size);
                    if (q != 0 || size == 0) {
                        ptr[id] = q;
                    }
                }
            }
            out.append(op).append(' ').append(id).append(' ');
            if (q == 0) {
                out.append("null 0\n");
                continue;
            }
            if (g.isMmappedChunk(q)) {
                out.append("mmap");
            } else if (q >= space.startBrk() && q < space.brkAddress()) {
                out.append("brk").append(Long.toHexString(q - space.startBrk()));
            } else {
                out.append('h').append(Long.toHexString(q & (GlibcMalloc.HEAP_MAX_SIZE - 1)));
            }
            out.append(' ').append(g.usableSize(q)).append('\n');
        }
        assertEquals(List.of(), g.validate());
        out.append(g.mallocInfo());
        return out.toString();
    }

    @ParameterizedTest
    @CsvSource({
        "th1, ''",
        "th2, ''",
        "th3, glibc.malloc.arena_max=3",
        "th4, glibc.malloc.mmap_threshold=33554432",
    })
    void threadOps_matchGlibc236(String name, String tunables) throws IOException {
        String expected = GlibcTraceExactnessTest.text(name + ".glibc-2.36.out.xz");
        String actual = run(GlibcTraceExactnessTest.text(name + ".ops.xz"), tunables);
        GlibcTraceExactnessTest.assertSameOutput(name + " " + tunables, expected, actual);
    }
}
