package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.VmEvent;
import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import org.junit.jupiter.api.Test;

/** Out of memory: lazily freed pages first, then the OOM killer, or a panic under panic_on_oom. */
class OomTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;

    @Test
    void oomKiller_killsTheLargestProcess_withTheKernelsReport_andTheRunGoesOn() {
        ProcTesting t = new ProcTesting(32L << 20, ProcConfig.DEFAULT.withNorandmaps(true));
        Process small = t.table.spawn("small");
        long s = small.mmap(0, 64 << 12, RW, ANON | Mman.MAP_POPULATE);
        assertThat(small.rss(Pte.MM_ANONPAGES)).isEqualTo(65);
        Process hog = t.table.spawn("hog");
        long h = hog.mmap(0, (t.pages.nrFreePages() + 3) << 12, RW, ANON | Mman.MAP_POPULATE);
        assertThat(h).as("mmap itself succeeds: population is best effort").isPositive();
        assertThat(hog.alive()).isFalse();
        assertThat(hog.killSignal()).isEqualTo(Process.SIGKILL);
        assertThat(small.alive()).isTrue();
        String dmesg = t.machine.dmesg().text();
        assertThat(dmesg)
                .contains("hog invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP),"
                        + " order=0, oom_score_adj=0");
        assertThat(dmesg)
                .containsPattern("Out of memory: Killed process " + hog.pid()
                        + " \\(hog\\) total-vm:\\d+kB, anon-rss:\\d+kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:\\d+kB"
                        + " oom_score_adj:0");
        assertThat(dmesg).contains("oom_reaper: reaped process " + hog.pid() + " (hog), now anon-rss:0kB");
        assertThat(t.machine.dmesg().reportCount(ReportKind.OOM)).isEqualTo(1);
        assertThat(t.machine.vmEvent(VmEvent.OOM_KILL)).isEqualTo(1);
        assertThat(t.table.panicMessage()).isNull();
        assertThat(t.table.lastOomVictim()).isSameAs(hog);
        // The run goes on: the survivor works, and its memory is intact.
        assertThat(small.writeU64(s, 7)).isTrue();
        assertThat(small.readU64(s)).isEqualTo(7);
        t.valid();
        assertThat(t.table.spawn("next")).isNotNull();
    }

    @Test
    void panicOnOom_stopsTheMachine() {
        ProcTesting t = new ProcTesting(
                32L << 20, ProcConfig.DEFAULT.withNorandmaps(true).withPanicOnOom(1));
        Process hog = t.table.spawn("hog");
        hog.mmap(0, (t.pages.nrFreePages() + 3) << 12, RW, ANON | Mman.MAP_POPULATE);
        assertThat(t.table.panicMessage()).isEqualTo("Out of memory: system-wide panic_on_oom is enabled");
        assertThat(t.machine.dmesg().text())
                .contains("Kernel panic - not syncing: Out of memory: system-wide" + " panic_on_oom is enabled");
        assertThat(hog.mmap(0, 4096, RW, ANON)).isEqualTo(-Errno.ESRCH);
        assertThat(t.table.spawn("after")).isNull();
    }

    @Test
    void lazilyFreedPages_areReclaimedBeforeAnyoneIsKilled() {
        ProcTesting t = new ProcTesting(32L << 20, ProcConfig.DEFAULT.withNorandmaps(true));
        Process cache = t.table.spawn("cache");
        long len = 4L << 20;
        long c = cache.mmap(0, len, RW, ANON | Mman.MAP_POPULATE);
        assertThat(cache.madvise(c, len, Mman.MADV_FREE)).isZero();
        assertThat(t.machine.vmEvent(VmEvent.PGLAZYFREE)).isEqualTo(len >>> 12);
        assertThat(cache.smapsRollup().lazyFree()).isEqualTo(len);
        // One page written again is no longer lazily freeable.
        assertThat(cache.writeU64(c, 1)).isTrue();
        long free = t.pages.nrFreePages();
        Process user = t.table.spawn("user");
        long u = user.mmap(0, (free + 100) << 12, RW, ANON);
        assertThat(user.touchRange(u, (free + 100) << 12, true)).isEqualTo(free + 100);
        assertThat(cache.alive()).isTrue();
        assertThat(user.alive()).isTrue();
        assertThat(t.machine.vmEvent(VmEvent.PGLAZYFREED)).isEqualTo((len >>> 12) - 1);
        assertThat(cache.readU64(c)).isEqualTo(1);
        assertThat(cache.readU64(c + 4096))
                .as("a reclaimed page reads as zeros")
                .isZero();
        t.valid();
    }
}
