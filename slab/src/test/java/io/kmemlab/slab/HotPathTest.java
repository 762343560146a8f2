package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The per-CPU array fast path allocates no Java objects. */
class HotPathTest {

    @Test
    void allocFreeThroughCpuArray_allocatesNoJavaObjects() {
        var bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean mx) || !mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        KmemCache c = t.create("hot", 128, 0, 0);
        long[] objs = new long[50];
        for (int round = 0; round < 2000; round++) {
            for (int i = 0; i < objs.length; i++) {
                objs[i] = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            }
            for (long p : objs) {
                t.layer.kmemCacheFree(0, c, p, 0);
            }
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int round = 0; round < 2000; round++) {
            for (int i = 0; i < objs.length; i++) {
                objs[i] = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            }
            for (long p : objs) {
                t.layer.kmemCacheFree(0, c, p, 0);
            }
        }
        long bytes = mx.getThreadAllocatedBytes(tid) - before;
        // 200 000 operations; a single object per operation would be megabytes
        assertThat(bytes).isLessThan(64 * 1024);
        assertThat(t.impl(c).validateProblems()).isEmpty();
    }
}
