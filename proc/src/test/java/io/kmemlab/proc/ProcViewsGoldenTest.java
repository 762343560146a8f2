package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.testing.Golden;
import io.kmemlab.mm.user.Mman;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The /proc views of one process, byte for byte, after a fixed sequence of calls on an
 * unrandomised machine: a grown heap, a populated arena with a guard page, a read-only mapping
 * read through the zero page, a shared mapping, and a page of the program's text.
 */
class ProcViewsGoldenTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;

    private ProcTesting t;
    private Process p;

    @BeforeEach
    void scenario() {
        t = new ProcTesting(64L << 20, ProcConfig.DEFAULT.withNorandmaps(true));
        p = t.table.spawn("golden");
        long heap = p.brk(0);
        p.brk(heap + 3 * 4096 + 100);
        p.touchRange(heap, 3 * 4096, true);
        long arena = p.mmap(0, 64 << 10, RW, ANON | Mman.MAP_POPULATE);
        p.mprotect(arena, 4096, Mman.PROT_NONE);
        long ro = p.mmap(0, 8 << 10, Mman.PROT_READ, ANON);
        p.touchRange(ro, 8 << 10, false);
        long shm = p.mmap(0, 2 * 4096, RW, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS | Mman.MAP_POPULATE);
        p.writeU64(shm, 1);
        p.touch(p.startCode(), false);
        long free = p.mmap(0, 4 * 4096, RW, ANON | Mman.MAP_POPULATE);
        p.madvise(free, 2 * 4096, Mman.MADV_FREE);
        t.valid();
    }

    @Test
    void status() {
        Golden.assertMatches("proc-pid-status.txt", t.machine.vfs().read("/proc/" + p.pid() + "/status"));
    }

    @Test
    void maps() {
        Golden.assertMatches("proc-pid-maps.txt", t.machine.vfs().read("/proc/" + p.pid() + "/maps"));
    }

    @Test
    void smapsRollup() {
        Golden.assertMatches("proc-pid-smaps_rollup.txt", t.machine.vfs().read("/proc/" + p.pid() + "/smaps_rollup"));
    }

    @Test
    void stat() {
        String stat = t.machine.vfs().read("/proc/" + p.pid() + "/stat");
        Golden.assertMatches("proc-pid-stat.txt", stat);
        String[] f = stat.substring(stat.indexOf(") ") + 2).trim().split(" ");
        assertThat(f).as("52 fields: pid, comm and 50 more").hasSize(50);
        assertThat(Long.parseLong(f[7])).as("field 10, minflt").isEqualTo(p.minflt());
        assertThat(Long.parseLong(f[20])).as("field 23, vsize").isEqualTo(p.totalVm() << 12);
        assertThat(Long.parseLong(f[21])).as("field 24, rss").isEqualTo(p.rssPages());
    }

    @Test
    void statm() {
        Golden.assertMatches("proc-pid-statm.txt", t.machine.vfs().read("/proc/" + p.pid() + "/statm"));
    }

    @Test
    void self_isTheCurrentProcess() {
        VirtualFs vfs = t.machine.vfs();
        assertThat(vfs.read("/proc/self/maps")).isEqualTo(vfs.read("/proc/" + p.pid() + "/maps"));
        assertThat(vfs.list("/proc/" + p.pid())).contains("status", "maps", "smaps_rollup", "stat", "statm");
    }
}
