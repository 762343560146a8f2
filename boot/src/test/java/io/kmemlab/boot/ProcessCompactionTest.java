package io.kmemlab.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.user.Mman;
import io.kmemlab.proc.Process;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Boot registers the processes' reverse map with the page allocator: compaction moves user pages. */
class ProcessCompactionTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;

    @Test
    void compactMemory_movesAProcesssPages_whichKeepTheirBytesAtTheirAddresses() {
        Kernel k = Kernel.boot(List.of("mem=64M")).kernel();
        Process p = k.processes().spawn("frag");
        long len = 24L << 20;
        long a = p.mmap(0, len, RW, ANON | Mman.MAP_POPULATE);
        assertThat(a).isPositive();
        List<Long> kept = new ArrayList<>();
        for (long off = 0; off < len; off += 4096) {
            p.writeU64(a + off, 0x7e57_0000_0000_0000L | off);
            if ((off >> 12) % 2 == 1) {
                kept.add(off);
            }
        }
        // every other page goes back: the frames left are scattered
        for (long off = 0; off < len; off += 8192) {
            assertThat(p.madvise(a + off, 4096, Mman.MADV_DONTNEED)).isZero();
        }
        List<Integer> before = new ArrayList<>();
        for (long off : kept) {
            before.add(p.pfnAt(a + off));
        }
        assertThat(k.machine().vfs().write("/proc/sys/vm/compact_memory", "1")).isNull();
        assertThat(k.processes().rmap().migrations()).isPositive();
        int moved = 0;
        for (int i = 0; i < kept.size(); i++) {
            long off = kept.get(i);
            moved += p.pfnAt(a + off) != before.get(i) ? 1 : 0;
            assertThat(p.readU64(a + off)).as("page at +%x", off).isEqualTo(0x7e57_0000_0000_0000L | off);
        }
        assertThat(moved).isEqualTo((int) k.processes().rmap().migrations());
        assertThat(k.processes().validate()).isEmpty();
        assertThat(k.pageAllocator().validate()).isEmpty();
        String vmstat = k.machine().vfs().read("/proc/vmstat");
        assertThat(vmstat).containsPattern("(?m)^compact_isolated [1-9]");
        assertThat(vmstat)
                .as("every page migrate_pages moved was a process's")
                .contains("\npgmigrate_success " + k.processes().rmap().migrations() + "\n");
    }
}
