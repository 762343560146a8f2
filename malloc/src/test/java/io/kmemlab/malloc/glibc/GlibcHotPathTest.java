package io.kmemlab.malloc.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmemlab.malloc.testkit.FastUserSpace;
import io.kmemlab.malloc.testkit.RepTrace;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Replaying a real trace allocates no Java objects per operation once the heap has grown: rounds
 * of the bash trace (each freeing what it left live) in one process, the later rounds measured.
 */
class GlibcHotPathTest {

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void replayRounds_allocateNoJavaObjects() throws IOException {
        RepTrace t;
        try (InputStream in = GlibcTraceExactnessTest.resource("bash.rep.xz")) {
            t = RepTrace.read(in);
        }
        FastUserSpace space = new FastUserSpace();
        GlibcMalloc g = GlibcMalloc.create(space);
        long[] ptr = new long[t.ids + 1];
        for (int r = 0; r < 3; r++) {
            round(g, t, ptr);
        }
        long before = allocatedBytes();
        for (int r = 0; r < 3; r++) {
            round(g, t, ptr);
        }
        long used = allocatedBytes() - before;
        // 3 rounds of ~35,000 operations: a single object per operation would be > 1 MiB
        assertTrue(used < 16384, "allocated " + used + " bytes");
        assertEquals(0, g.metric().liveBlocks());
        assertTrue(space.alive());
    }

    private static void round(GlibcMalloc g, RepTrace t, long[] ptr) {
        for (int i = 0; i < t.ops; i++) {
            int k = t.id[i];
            switch (t.op[i]) {
                case 'a' -> {
                    // bash's trace allocates to ids still live 8,440 times (replay.c leaks the
                    // old block); free it here, so that rounds reach a steady state
                    g.free(ptr[k]);
                    ptr[k] = g.malloc(t.size[i]);
                }
                case 'r' -> ptr[k] = g.realloc(ptr[k], t.size[i]);
                default -> {
                    g.free(ptr[k]);
                    ptr[k] = 0;
                }
            }
            g.usableSize(ptr[k]);
        }
        for (int k = 0; k < ptr.length; k++) {
            g.free(ptr[k]);
            ptr[k] = 0;
        }
    }
}
