package io.kmemlab.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.user.Syscall;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import io.kmemlab.proc.Process;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The user-space allocators of module malloc, found by name as boot finds them, over a real
 * process of a booted kernel: their heaps come from brk and mmap with demand faults into the buddy
 * allocator, and a bump arena mapped with MAP_POPULATE takes all its faults inside mmap.
 */
class UserAllocatorsOnProcessTest {

    private static UserAllocatorProvider provider(String name) {
        for (UserAllocatorProvider p : ServiceLoader.load(UserAllocatorProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no allocator " + name);
    }

    @Test
    void everyAllocator_keepsItsBlocksOnARealProcess() {
        for (String name : List.of("bump", "first-fit", "next-fit", "best-fit", "worst-fit", "segregated")) {
            Kernel k = Kernel.boot(List.of("mem=256M", "seed=3")).kernel();
            Process p = k.processes().spawn("t");
            UserAllocator a = provider(name).create(p, Map.of());
            SplittableRandom r = new SplittableRandom(1);
            long[] ptr = new long[100];
            long[] len = new long[100];
            for (int i = 0; i < 5000; i++) {
                int s = r.nextInt(ptr.length);
                if (ptr[s] == 0) {
                    len[s] = 1 + r.nextInt(r.nextInt(10) == 0 ? 20_000 : 200);
                    ptr[s] = a.malloc(len[s]);
                    assertThat(ptr[s]).as(name).isNotZero();
                    assertThat(p.fill(ptr[s], s, len[s])).isTrue();
                } else {
                    for (long o = 0; o < len[s]; o += 37) {
                        assertThat(p.readU8(ptr[s] + o)).as(name).isEqualTo(s);
                    }
                    a.free(ptr[s]);
                    ptr[s] = 0;
                }
            }
            assertThat(a.validate()).as(name).isEmpty();
            assertThat(p.alive()).isTrue();
            assertThat(p.minflt())
                    .as(name + ": pages faulted in from the buddy allocator")
                    .isPositive();
            if (!name.equals("bump")) {
                assertThat(a.metric().heapBytes()).as(name).isEqualTo(p.brkAddress() - p.startBrk());
                assertThat(p.syscalls(Syscall.MMAP))
                        .as(name + " grows through brk only")
                        .isZero();
            }
        }
    }

    @Test
    void populatedBumpArena_takesAllItsFaultsInsideMmap() {
        Kernel k = Kernel.boot(List.of("mem=512M", "norandmaps")).kernel();
        Process p = k.processes().spawn("arena");
        UserAllocator a = provider("bump").create(p, Map.of("arena", "64M", "populate", ""));
        long before = p.minflt();
        long rss = p.rssPages();
        long first = a.malloc(100);
        assertThat(first).isNotZero();
        assertThat(p.minflt() - before).as("16,384 minor faults inside mmap").isEqualTo(16_384);
        assertThat(p.rssPages() - rss).isEqualTo(16_384);
        long faults = p.minflt();
        for (int i = 0; i < 10_000; i++) {
            assertThat(a.malloc(4000)).isNotZero();
        }
        assertThat(p.minflt()).as("no fault after the mmap").isEqualTo(faults);
        assertThat(a.validate()).isEmpty();
    }
}
