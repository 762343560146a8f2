package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The order-0 pcp fast path allocates no Java objects (tracepoints off). */
class HotPathAllocationTest {

    @Test
    void order0AllocAndFreeThroughThePcp_allocateNoJavaObjects() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean tb) || !tb.isThreadAllocatedMemorySupported()) {
            return;
        }
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        int[] held = new int[64];
        for (int round = 0; round < 3; round++) {
            long tid = Thread.currentThread().getId();
            long before = tb.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 50_000; i++) {
                int cpu = i & 1;
                int slot = i & 63;
                if (held[slot] > 0) {
                    b.freePages(cpu, held[slot], 0);
                }
                held[slot] = b.allocPages(cpu, Gfp.GFP_KERNEL, 0);
            }
            long bytes = tb.getThreadAllocatedBytes(tid) - before;
            if (round == 2) {
                assertThat(bytes)
                        .as("bytes allocated by 50000 alloc+free pairs")
                        .isLessThan(1024);
            }
        }
        assertThat(b.validate()).isEmpty();
    }
}
