package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.VmEvent;
import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.Syscall;
import io.kmemlab.mm.user.TimeCategory;
import org.junit.jupiter.api.Test;

/**
 * MAP_POPULATE as userspace-malloc-contention-labs.md §4 describes it, on an 8 MiB mapping (2,048
 * pages; boot's PopulateDemoTest runs the 64 MiB case on the buddy allocator): every page faulted
 * inside mmap, best effort; MAP_NONBLOCK cancels it; read-only and shared mappings are populated
 * with read faults.
 */
class PopulateTest {
    private static final long LEN = 8L << 20;
    private static final long PAGES = LEN >>> Addr.PAGE_SHIFT;
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;

    private final ProcTesting t = new ProcTesting(64L << 20, ProcConfig.DEFAULT.withNorandmaps(true));
    private final Process p = t.table.spawn("arena");

    @Test
    void populatedReadWrite_faultsEveryPageInsideMmap_andAddsItToRss() {
        long flt = p.minflt();
        long pgfault = t.machine.vmEvent(VmEvent.PGFAULT);
        long rss = p.rssPages();
        long trap = p.timeNanos(TimeCategory.TRAP);
        long a = p.mmap(0, LEN, RW, ANON | Mman.MAP_POPULATE);
        assertThat(a).isPositive();
        assertThat(p.minflt() - flt).isEqualTo(PAGES);
        assertThat(t.machine.vmEvent(VmEvent.PGFAULT) - pgfault).isEqualTo(PAGES);
        assertThat(p.rssPages() - rss).isEqualTo(PAGES);
        assertThat(p.rss(Pte.MM_ANONPAGES) - rss).isEqualTo(PAGES);
        // The time went into the mmap call: a fault, an allocation and a clear per page, no trap.
        CostModel c = t.table.costs();
        long perPage = c.faultNanos() + c.pageAllocNanos() + c.clearPageNanos();
        assertThat(p.syscallNanos(Syscall.MMAP)).isBetween(PAGES * perPage, PAGES * perPage + 100_000);
        assertThat(p.timeNanos(TimeCategory.TRAP)).isEqualTo(trap);
        // Touching it later takes no fault.
        assertThat(p.touchRange(a, LEN, true)).isEqualTo(PAGES);
        assertThat(p.minflt() - flt).isEqualTo(PAGES);
        assertThat(p.timeNanos(TimeCategory.TRAP)).isEqualTo(trap);
        t.valid();
    }

    @Test
    void demandFaulting_takesTheSameFaultsSpreadOverTheTouches() {
        long flt = p.minflt();
        long rss = p.rssPages();
        long trap = p.timeNanos(TimeCategory.TRAP);
        long a = p.mmap(0, LEN, RW, ANON);
        assertThat(p.minflt()).isEqualTo(flt);
        assertThat(p.rssPages()).isEqualTo(rss);
        for (long i = 0; i < PAGES; i++) {
            p.touch(a + (i << 12), true);
            assertThat(p.minflt() - flt).isEqualTo(i + 1);
            assertThat(p.rssPages() - rss).isEqualTo(i + 1);
        }
        CostModel c = t.table.costs();
        assertThat(p.timeNanos(TimeCategory.TRAP) - trap).isEqualTo(PAGES * c.trapNanos());
        t.valid();
    }

    @Test
    void nonblock_cancelsPopulate() {
        long flt = p.minflt();
        long rss = p.rssPages();
        long a = p.mmap(0, LEN, RW, ANON | Mman.MAP_POPULATE | Mman.MAP_NONBLOCK);
        assertThat(a).isPositive();
        assertThat(p.minflt()).isEqualTo(flt);
        assertThat(p.rssPages()).isEqualTo(rss);
        assertThat(p.touchRange(a, LEN, true)).isEqualTo(PAGES);
        assertThat(p.minflt() - flt).isEqualTo(PAGES);
    }

    @Test
    void readOnlyPopulate_mapsTheZeroPage_andAddsNothingToRss() {
        long flt = p.minflt();
        long rss = p.rssPages();
        long allocated = t.pages.allocatedPages();
        long a = p.mmap(0, LEN, Mman.PROT_READ, ANON | Mman.MAP_POPULATE);
        assertThat(p.minflt() - flt).isEqualTo(PAGES);
        assertThat(p.rssPages()).isEqualTo(rss);
        for (long i = 0; i < PAGES; i += 97) {
            assertThat(p.pfnAt(a + (i << 12))).isEqualTo(t.table.zeroPfn());
        }
        // Only page tables were allocated: 8 MiB, 2 MiB aligned, is four PTE tables.
        assertThat(t.pages.allocatedPages() - allocated).isEqualTo(4);
        assertThat(p.smapsRollup().rss()).isEqualTo(p.rssPages() << 12);
        t.valid();
    }

    @Test
    void sharedAnonymousPopulate_allocatesShmemPagesWithReadFaults() {
        long flt = p.minflt();
        long a = p.mmap(0, LEN, RW, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS | Mman.MAP_POPULATE);
        assertThat(p.minflt() - flt).isEqualTo(PAGES);
        assertThat(p.rss(Pte.MM_SHMEMPAGES)).isEqualTo(PAGES);
        // Read-faulted shared pages are mapped read-only: the first write takes a (minor) fault.
        assertThat(p.writeU64(a, 42)).isTrue();
        assertThat(p.minflt() - flt).isEqualTo(PAGES + 1);
        assertThat(p.readU64(a)).isEqualTo(42);
        assertThat(p.madvise(a, LEN, Mman.MADV_DONTNEED)).isZero();
        assertThat(p.rss(Pte.MM_SHMEMPAGES)).isZero();
        assertThat(p.readU64(a))
                .as("shmem keeps its data when the mapping is dropped")
                .isEqualTo(42);
        t.valid();
        assertThat(p.munmap(a, LEN)).isZero();
        t.valid();
    }

    @Test
    void protNonePopulate_faultsNothing() {
        long flt = p.minflt();
        long a = p.mmap(0, LEN, Mman.PROT_NONE, ANON | Mman.MAP_POPULATE);
        assertThat(a).isPositive();
        assertThat(p.minflt()).isEqualTo(flt);
    }

    @Test
    void madvisePopulateWrite_faultsTheRange_andReportsErrors() {
        long a = p.mmap(0, LEN, RW, ANON);
        long flt = p.minflt();
        assertThat(p.madvise(a, LEN, Mman.MADV_POPULATE_WRITE)).isZero();
        assertThat(p.minflt() - flt).isEqualTo(PAGES);
        assertThat(p.madvise(a, LEN, Mman.MADV_POPULATE_WRITE))
                .as("nothing left to fault")
                .isZero();
        assertThat(p.minflt() - flt).isEqualTo(PAGES);
        long ro = p.mmap(0, 4096, Mman.PROT_READ, ANON);
        assertThat(p.madvise(ro, 4096, Mman.MADV_POPULATE_WRITE)).isEqualTo(-Errno.EFAULT);
        assertThat(p.madvise(ro, 4096, Mman.MADV_POPULATE_READ)).isZero();
        assertThat(p.madvise(ro + (1L << 30), 4096, Mman.MADV_POPULATE_READ)).isEqualTo(-Errno.ENOMEM);
    }

    @Test
    void largeAnonymousMappings_areTwoMegabyteAligned() {
        long a = p.mmap(0, LEN, RW, ANON);
        assertThat(a & (Pte.PMD_SIZE - 1)).isZero();
        long b = p.mmap(0, LEN + 4096, RW, ANON);
        assertThat(b & (Pte.PMD_SIZE - 1))
                .as("not a multiple of 2 MiB: not aligned")
                .isNotZero();
    }
}
