package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.user.Mman;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Page faults, population and the zap allocate no Java object per page (traces off). */
class HotPathTest {
    private static final long LEN = 16L << 20;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void faultsAndZaps_allocateNothingPerPage() {
        ProcTesting t = new ProcTesting(64L << 20, ProcConfig.DEFAULT.withNorandmaps(true));
        Process p = t.table.spawn("hot");
        int rw = Mman.PROT_READ | Mman.PROT_WRITE;
        int anon = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
        for (int round = 0; round < 2; round++) {
            long a = p.mmap(0, LEN, rw, anon | Mman.MAP_POPULATE);
            p.munmap(a, LEN);
            long b = p.mmap(0, LEN, rw, anon);
            p.touchRange(b, LEN, true);
            p.munmap(b, LEN);
        }
        long before = allocatedBytes();
        long a = p.mmap(0, LEN, rw, anon | Mman.MAP_POPULATE);
        p.munmap(a, LEN);
        long b = p.mmap(0, LEN, rw, anon);
        p.touchRange(b, LEN, true);
        p.munmap(b, LEN);
        long used = allocatedBytes() - before;
        // 2 x 4,096 faults and 2 x 4,096 zapped pages: anything per page would be > 128 KiB.
        assertThat(used).isLessThan(16 * 1024);
        assertThat(p.minflt()).isGreaterThan(6 * 4096);
    }
}
