package io.kmemlab.boot.populate;

import io.kmemlab.boot.Kernel;
import io.kmemlab.mm.VmEvent;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.TimeCategory;
import io.kmemlab.proc.PageUse;
import io.kmemlab.proc.Process;
import io.kmemlab.proc.ProcessTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The founding question, "what does mmap(MAP_POPULATE) do for large arena pre-allocation?",
 * answered on the emulated kernel: a process maps an arena of {@code size} bytes in each of four
 * ways and then writes (or, read-only, reads) one byte in every page, and the run records, per
 * variant, the faults and time inside mmap and during the touches, RSS over virtual time, where the
 * time went, and what the page allocator gave out.
 *
 * <pre>
 *  populate        PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE
 *  demand          PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS
 *  nonblock        PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE|MAP_NONBLOCK
 *  read-only       PROT_READ,            MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE (touches read)
 * </pre>
 *
 * Each variant runs in a process of its own, which exits before the next one starts.
 */
public final class PopulateDemo {
    /** One way of mapping the arena. */
    public enum Variant {
        POPULATE("MAP_POPULATE", Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_POPULATE, true),
        DEMAND("demand faults", Mman.PROT_READ | Mman.PROT_WRITE, 0, true),
        NONBLOCK(
                "MAP_POPULATE|MAP_NONBLOCK",
                Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_POPULATE | Mman.MAP_NONBLOCK,
                true),
        READ_ONLY("MAP_POPULATE, PROT_READ", Mman.PROT_READ, Mman.MAP_POPULATE, false);

        private final String label;
        private final int prot;
        private final int extraFlags;
        private final boolean write;

        Variant(String label, int prot, int extraFlags, boolean write) {
            this.label = label;
            this.prot = prot;
            this.extraFlags = extraFlags;
            this.write = write;
        }

        public String label() {
            return label;
        }

        public int prot() {
            return prot;
        }

        public int flags() {
            return Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | extraFlags;
        }

        /** Do the touches write (else read)? */
        public boolean write() {
            return write;
        }
    }

    /**
     * What one variant did.
     *
     * @param mmapNanos virtual time inside the mmap call
     * @param mmapFaults minor faults inside it
     * @param rssAfterMmap RSS (pages) when it returned, less the process's RSS before it
     * @param touchNanos virtual time of the loop touching every page
     * @param touchFaults minor faults during the loop
     * @param rssAfterTouch RSS (pages) after it, less the process's RSS before the mmap
     * @param nanosByCategory the process's virtual time from the mmap on, by {@link TimeCategory}
     * @param pagesByUse pages the page allocator gave the process table from the mmap on, by {@link PageUse}
     * @param freeBefore the page allocator's free pages (on its free lists and per-CPU lists) before the mmap
     * @param freeAfter the same after the touches
     * @param pgfault the machine's PGFAULT events from the mmap on
     * @param rssNanos virtual time of each RSS sample, from the mmap call's start
     * @param rssPages RSS (pages, above the process's RSS before the mmap) at each sample
     */
    public record Run(
            Variant variant,
            long mmapNanos,
            long mmapFaults,
            long rssAfterMmap,
            long touchNanos,
            long touchFaults,
            long rssAfterTouch,
            long[] nanosByCategory,
            long[] pagesByUse,
            long freeBefore,
            long freeAfter,
            long pgfault,
            long[] rssNanos,
            long[] rssPages) {}

    private PopulateDemo() {}

    /** Runs every variant on {@code kernel} with an arena of {@code size} bytes. */
    public static List<Run> run(Kernel kernel, long size) {
        List<Run> out = new ArrayList<>();
        for (Variant v : Variant.values()) {
            out.add(run(kernel, size, v));
        }
        return out;
    }

    /** One variant in a fresh process, which exits afterwards. */
    public static Run run(Kernel kernel, long size, Variant v) {
        ProcessTable table = kernel.processes();
        var machine = kernel.machine();
        Process p = table.spawn("arena");
        if (p == null) {
            throw new IllegalStateException("no memory to spawn a process");
        }
        Series series = new Series();
        long base = p.rssPages();
        long[] timeBefore = times(p);
        long[] pagesBefore = pages(table);
        var metric = kernel.pageAllocator().metric();
        long freeBefore = metric.nrFreePages() + metric.pcpPages();
        long pgfault = machine.vmEvent(VmEvent.PGFAULT);
        long t0 = machine.clock().nanos();
        p.setRssObserver((nanos, member, pages, rss) -> series.add(nanos - t0, rss - base));
        series.add(0, 0);
        long flt = p.minflt();
        long addr = p.mmap(0, size, v.prot(), v.flags());
        long t1 = machine.clock().nanos();
        long mmapFaults = p.minflt() - flt;
        long rssAfterMmap = p.rssPages() - base;
        series.add(t1 - t0, rssAfterMmap);
        if (addr <= 0) {
            throw new IllegalStateException("mmap of " + size + " bytes failed: " + addr);
        }
        p.touchRange(addr, size, v.write());
        long t2 = machine.clock().nanos();
        series.add(t2 - t0, p.rssPages() - base);
        long[] time = times(p);
        long[] used = pages(table);
        for (int i = 0; i < time.length; i++) {
            time[i] -= timeBefore[i];
        }
        for (int i = 0; i < used.length; i++) {
            used[i] -= pagesBefore[i];
        }
        Run r = new Run(
                v,
                t1 - t0,
                mmapFaults,
                rssAfterMmap,
                t2 - t1,
                p.minflt() - flt - mmapFaults,
                p.rssPages() - base,
                time,
                used,
                freeBefore,
                metric.nrFreePages() + metric.pcpPages(),
                machine.vmEvent(VmEvent.PGFAULT) - pgfault,
                series.nanos(),
                series.pages());
        p.setRssObserver(null);
        p.exitGroup(0);
        return r;
    }

    private static long[] times(Process p) {
        long[] t = new long[TimeCategory.COUNT];
        for (TimeCategory c : TimeCategory.values()) {
            t[c.ordinal()] = p.timeNanos(c);
        }
        return t;
    }

    private static long[] pages(ProcessTable table) {
        long[] t = new long[PageUse.COUNT];
        for (PageUse u : PageUse.values()) {
            t[u.ordinal()] = table.pagesAllocated(u);
        }
        return t;
    }

    /** RSS samples at least {@link #STEP} ns apart (the last one follows the latest change). */
    private static final class Series {
        private static final long STEP = 20_000;
        private long[] nanos = new long[256];
        private long[] pages = new long[256];
        private int n;

        void add(long t, long rss) {
            if (n >= 2 && t - nanos[n - 2] < STEP) {
                nanos[n - 1] = t;
                pages[n - 1] = rss;
                return;
            }
            if (n == nanos.length) {
                nanos = Arrays.copyOf(nanos, n * 2);
                pages = Arrays.copyOf(pages, n * 2);
            }
            nanos[n] = t;
            pages[n] = rss;
            n++;
        }

        long[] nanos() {
            return Arrays.copyOf(nanos, n);
        }

        long[] pages() {
            return Arrays.copyOf(pages, n);
        }
    }
}
