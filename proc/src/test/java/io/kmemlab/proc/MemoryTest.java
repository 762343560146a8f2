package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.trace.EventType;
import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.Syscall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Demand paging, brk, the stack, bad accesses, mremap and the rss_stat tracepoint. */
class MemoryTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;

    private final ProcTesting t = new ProcTesting();
    private final Process p = t.table.spawn("mem");

    @Test
    void readFault_mapsTheZeroPage_andAWriteCopiesIt() {
        long a = p.mmap(0, 4096, RW, ANON);
        long flt = p.minflt();
        long allocated = t.pages.allocatedPages();
        assertThat(p.readU64(a)).isZero();
        assertThat(p.pfnAt(a)).isEqualTo(t.table.zeroPfn());
        assertThat(p.minflt() - flt).isEqualTo(1);
        assertThat(p.rss(Pte.MM_ANONPAGES)).as("the zero page is not RSS").isEqualTo(1);
        assertThat(p.writeU64(a + 8, 0x1234)).isTrue();
        assertThat(p.minflt() - flt)
                .as("the write to the zero page faults again (COW)")
                .isEqualTo(2);
        assertThat(p.pfnAt(a)).isNotEqualTo(t.table.zeroPfn());
        assertThat(p.rss(Pte.MM_ANONPAGES)).isEqualTo(2);
        assertThat(p.readU64(a + 8)).isEqualTo(0x1234);
        assertThat(t.pages.allocatedPages() - allocated)
                .as("one PTE table, one page")
                .isEqualTo(2);
        assertThat(t.machine.nodeStat(NodeStat.NR_ANON_MAPPED)).isEqualTo(2);
        t.valid();
    }

    @Test
    void brk_growsTheHeap_whichTheMapsCallHeap_andShrinkingFreesItsPages() {
        long start = p.brk(0);
        assertThat(start).isEqualTo(p.startBrk());
        assertThat(p.brk(start + 10_000)).isEqualTo(start + 10_000);
        assertThat(ProcViews.maps(p))
                .containsPattern(Long.toHexString(start) + "-" + Long.toHexString(start + 0x3000)
                        + " rw-p 00000000 00:00 0 +\\[heap\\]");
        assertThat(p.touchRange(start, 10_000, true)).isEqualTo(3);
        assertThat(p.rss(Pte.MM_ANONPAGES)).isEqualTo(4);
        assertThat(p.brk(start + 4096)).isEqualTo(start + 4096);
        assertThat(p.rss(Pte.MM_ANONPAGES)).isEqualTo(2);
        assertThat(p.brk(start - 4096)).as("below start_brk: unchanged").isEqualTo(start + 4096);
        assertThat(p.syscalls(Syscall.BRK)).isEqualTo(4);
        assertThat(p.syscallBytes(Syscall.BRK)).isEqualTo(10_000 + (10_000 - 4096));
        t.valid();
    }

    @Test
    void stack_growsDownOnAccessBelowIt() {
        VmaInfo stack = p.vmas().stream()
                .filter(v -> v.name().equals("[stack]"))
                .findFirst()
                .orElseThrow();
        long below = stack.start() - 5 * 4096;
        assertThat(p.writeU64(below, 1)).isTrue();
        VmaInfo grown = p.vmas().stream()
                .filter(v -> v.name().equals("[stack]"))
                .findFirst()
                .orElseThrow();
        assertThat(grown.start()).isEqualTo(below);
        assertThat(p.stackVm()).isEqualTo(stack.pages() + 5);
        t.valid();
    }

    @Test
    void badAccess_isSigsegv_withTheKernelsLine() {
        long a = p.mmap(0, 3 * 4096, RW, ANON);
        assertThat(p.mprotect(a + 4096, 4096, Mman.PROT_NONE)).isZero();
        assertThat(p.writeU64(a, 1)).isTrue();
        assertThat(p.touch(a + 4096, true)).as("the guard page").isFalse();
        assertThat(p.alive()).isFalse();
        assertThat(p.killSignal()).isEqualTo(Process.SIGSEGV);
        assertThat(p.faultAddress()).isEqualTo(a + 4096);
        assertThat(t.machine.dmesg().text())
                .containsPattern("mem\\[" + p.pid() + "\\]: segfault at " + Long.toHexString(a + 4096)
                        + " ip [0-9a-f]{16} sp [0-9a-f]{16} error 6 likely on CPU 0");
        assertThat(p.mmap(0, 4096, RW, ANON)).isEqualTo(-Errno.ESRCH);
        assertThat(t.pages.allocatedPages()).as("everything given back").isEqualTo(1);
        t.valid();
    }

    @Test
    void mremap_growingInPlaceUpToTheNextArea_mergesWithIt() {
        long a = p.mmap(0, 3 * 4096, RW, ANON);
        assertThat(p.munmap(a + 4096, 4096)).isZero();
        int before = p.mapCount();
        assertThat(p.mremap(a, 4096, 2 * 4096, Mman.MREMAP_MAYMOVE, 0)).isEqualTo(a);
        assertThat(p.mapCount()).as("vma_merge_extend: one area again").isEqualTo(before - 1);
        assertThat(p.validate()).isEmpty();
        t.valid();
    }

    @Test
    void mremap_movesThePages_notTheirBytes() {
        long a = p.mmap(0, 4 * 4096, RW, ANON);
        int[] pfns = new int[4];
        for (int i = 0; i < 4; i++) {
            p.writeU64(a + i * 4096L, 100 + i);
            pfns[i] = p.pfnAt(a + i * 4096L);
        }
        long blocker = p.mmap(a + 4 * 4096, 4096, Mman.PROT_READ, ANON | Mman.MAP_FIXED);
        assertThat(blocker).isEqualTo(a + 4 * 4096);
        assertThat(p.mremap(a, 4 * 4096, 8 * 4096, 0, 0))
                .as("cannot grow in place, may not move")
                .isEqualTo(-Errno.ENOMEM);
        long b = p.mremap(a, 4 * 4096, 8 * 4096, Mman.MREMAP_MAYMOVE, 0);
        assertThat(b).isPositive().isNotEqualTo(a);
        for (int i = 0; i < 4; i++) {
            assertThat(p.readU64(b + i * 4096L)).isEqualTo(100 + i);
            assertThat(p.pfnAt(b + i * 4096L)).isEqualTo(pfns[i]);
            assertThat(p.pfnAt(a + i * 4096L)).isEqualTo(-1);
        }
        assertThat(p.readU64(b + 5 * 4096L)).isZero();
        t.valid();
    }

    @Test
    void rssStat_printsTheKernelsText() {
        List<String> lines = new ArrayList<>();
        t.machine.tracer().addSink(lines::add);
        t.machine.tracer().setEnabled(EventType.RSS_STAT, true);
        long a = p.mmap(0, 2 * 4096, RW, ANON);
        p.touchRange(a, 2 * 4096, true);
        p.munmap(a, 2 * 4096);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .matches(" +mem-" + p.pid() + " +\\[000\\] \\.\\.\\.\\.\\. +\\d+\\.\\d{6}: rss_stat: mm_id=\\d+"
                        + " curr=1 type=MM_ANONPAGES size=8192B");
        assertThat(lines.get(1)).endsWith("type=MM_ANONPAGES size=12288B");
        assertThat(lines.get(2)).as("zap: one event per page table").endsWith("type=MM_ANONPAGES size=4096B");
    }

    @Test
    void exit_givesEveryPageBack() {
        long a = p.mmap(0, 1L << 20, RW, ANON | Mman.MAP_POPULATE);
        p.mmap(0, 1L << 20, RW, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS | Mman.MAP_POPULATE);
        p.brk(p.brk(0) + 8192);
        p.touchRange(p.startBrk(), 8192, true);
        p.touchRange(p.startCode(), 4096, false);
        assertThat(a).isPositive();
        assertThat(p.rss(Pte.MM_FILEPAGES)).isEqualTo(1);
        t.valid();
        p.exitGroup(3);
        assertThat(p.exitCode()).isEqualTo(3);
        assertThat(t.pages.allocatedPages()).isEqualTo(1);
        assertThat(t.machine.nodeStat(NodeStat.NR_PAGETABLE)).isZero();
        assertThat(t.machine.nodeStat(NodeStat.NR_SHMEM)).isZero();
        assertThat(t.machine.vfs().exists("/proc/" + p.pid() + "/status")).isFalse();
        t.valid();
    }

    @Test
    void layout_isRandomisedByTheSeed_andFixedUnderNorandmaps() {
        ProcTesting r1 = new ProcTesting(64L << 20, ProcConfig.DEFAULT);
        ProcTesting r2 = new ProcTesting(64L << 20, ProcConfig.DEFAULT);
        Process x = r1.table.spawn("x");
        Process y = r2.table.spawn("x");
        assertThat(x.mmapBase()).as("same seed, same layout").isEqualTo(y.mmapBase());
        assertThat(x.startBrk()).isEqualTo(y.startBrk());
        Process z = r1.table.spawn("z");
        assertThat(z.mmapBase()).isNotEqualTo(x.mmapBase());
        assertThat(z.startCode()).isNotEqualTo(x.startCode());
        assertThat(x.randomized()).isTrue();
        // Unrandomised: the classic addresses of a PIE under gdb.
        assertThat(p.startCode()).isEqualTo(0x555555555000L);
        assertThat(p.mmapBase()).isEqualTo(0x7ffff7fff000L);
        assertThat(p.startStack()).isLessThan(0x7ffffffff000L).isGreaterThan(0x7ffffffde000L);
        assertThat(p.startBrk()).isEqualTo(0x55555555b000L);
        assertThat(Addr.offsetInPage(x.mmapBase())).isZero();
    }
}
