package io.kmemlab.proc;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Syscall;
import io.kmemlab.mm.user.TimeCategory;
import io.kmemlab.mm.user.UserSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A process on the emulated kernel: a task with one address space ({@link Mm}), and the system
 * calls and memory accesses of a user program. This is the whole interface a user-space allocator
 * needs: it asks for memory with {@link #brk}, {@link #mmap}, {@link #munmap}, {@link #mremap},
 * {@link #madvise} and {@link #mprotect}, and reads and writes its own memory with
 * {@link #readU64}/{@link #writeU64} and friends, which go through the page tables and fault
 * pages in as a CPU would. Every call is counted, timed in virtual time and its bytes recorded
 * ({@link ProcessMetric#syscalls}, {@link ProcessMetric#syscallBytes},
 * {@link ProcessMetric#syscallNanos}); faults are counted in {@link #minflt()}.
 *
 * <p>System calls return what the raw system call returns: an address or 0 on success, a negated
 * errno ({@link Errno}) on failure; brk returns the new break, or the old one if it could not move.
 * A process killed (OOM killer, SIGSEGV, SIGBUS) or exited answers every call with -ESRCH and
 * every read with 0.
 *
 * <p>Each call runs on the process's CPU ({@link #runOn}): the rss_stat and page allocator
 * events name that CPU and this process.
 */
public final class Process implements ProcessMetric, UserSpace, PageTables.TablePages {
    public static final int SIGABRT = 6;
    public static final int SIGBUS = 7;
    public static final int SIGKILL = 9;
    public static final int SIGSEGV = 11;

    final ProcessTable table;
    final int pid;
    final String comm;
    final int uid;
    final long startNanos;
    final Mm mm;
    int cpu;
    boolean alive = true;
    boolean randomized;
    int exitCode;
    int killSignal;
    long minflt;
    final long[] syscallCount = new long[Syscall.COUNT];
    final long[] syscallErrors = new long[Syscall.COUNT];
    final long[] syscallBytes = new long[Syscall.COUNT];
    final long[] syscallNanos = new long[Syscall.COUNT];
    final long[] timeNanos = new long[TimeCategory.COUNT];
    RssObserver rssObserver;
    /** The address of the last access that killed the process (SIGSEGV, SIGBUS), or -1. */
    long faultAddr = -1;
    /** What the process wrote to stderr (allocator aborts and warnings), in order. */
    private final List<String> stderr = new ArrayList<>();
    /** One page of bounce buffer for {@link #copy}: no allocation per call. */
    private final byte[] bounce = new byte[Addr.PAGE_SIZE];

    Process(ProcessTable table, int pid, String comm, int uid, long mmId) {
        this.table = table;
        this.pid = pid;
        this.comm = comm;
        this.uid = uid;
        this.startNanos = table.machine.clock().nanos();
        this.mm = new Mm(mmId);
    }

    /** Told whenever an RSS counter changes: for charts of RSS over virtual time. */
    public interface RssObserver {
        /** Counter {@code member} ({@link Pte#MM_ANONPAGES} …) is now {@code pages}; the total RSS is {@code rssPages}. */
        void rssChanged(long nanos, int member, long pages, long rssPages);
    }

    public void setRssObserver(RssObserver observer) {
        this.rssObserver = observer;
    }

    /** The CPU the process's next calls run on. */
    public void runOn(int cpu) {
        if (!table.machine.cpus().valid(cpu)) {
            throw new IllegalArgumentException("no CPU " + cpu);
        }
        this.cpu = cpu;
    }

    public ProcessTable table() {
        return table;
    }

    /** The process's read-only counters and layout (this object). */
    public ProcessMetric metric() {
        return this;
    }

    // --- system calls ------------------------------------------------------------------------

    /** Dead, or the machine panicked: every call answers -ESRCH. */
    private boolean gone() {
        return !alive || table.panicMessage != null;
    }

    private long enter(Syscall s) {
        table.switchTo(this);
        syscallCount[s.ordinal()]++;
        charge(TimeCategory.SYSCALL, table.costs.syscallNanos());
        return table.machine.clock().nanos();
    }

    private long leave(Syscall s, long t0, long bytes, long ret) {
        syscallNanos[s.ordinal()] += table.machine.clock().nanos() - t0 + table.costs.syscallNanos();
        syscallBytes[s.ordinal()] += bytes;
        if (Errno.isError(ret)) {
            syscallErrors[s.ordinal()]++;
        }
        return ret;
    }

    /**
     * brk(2): moves the program break to {@code addr} (0 asks for it).
     *
     * @return the new break, or the current one if it could not move
     */
    public long brk(long addr) {
        if (gone()) {
            return -Errno.ESRCH;
        }
        long t0 = enter(Syscall.BRK);
        long before = mm.brk;
        long ret = table.mmap.brk(this, addr);
        return leave(Syscall.BRK, t0, Math.abs(ret - before), ret);
    }

    /**
     * mmap(2) of anonymous memory (fd -1, offset 0).
     *
     * @param flags MAP_PRIVATE or MAP_SHARED, MAP_ANONYMOUS, and any of MAP_FIXED,
     *     MAP_FIXED_NOREPLACE, MAP_NORESERVE, MAP_POPULATE, MAP_NONBLOCK, MAP_LOCKED, MAP_STACK,
     *     MAP_GROWSDOWN
     * @return the address, or -errno
     */
    public long mmap(long addr, long len, int prot, int flags) {
        if (gone()) {
            return -Errno.ESRCH;
        }
        long t0 = enter(Syscall.MMAP);
        long ret = table.mmap.mmap(this, addr, len, prot, flags);
        return leave(Syscall.MMAP, t0, len, ret);
    }

    /** munmap(2). @return 0 or -errno */
    public int munmap(long addr, long len) {
        if (gone()) {
            return -Errno.ESRCH;
        }
        long t0 = enter(Syscall.MUNMAP);
        int ret = table.mmap.munmap(this, addr, len);
        return (int) leave(Syscall.MUNMAP, t0, len, ret);
    }

    /**
     * mremap(2): MREMAP_MAYMOVE and MREMAP_FIXED (MREMAP_DONTUNMAP is refused with EINVAL).
     *
     * @return the (new) address, or -errno
     */
    public long mremap(long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        if (gone()) {
            return -Errno.ESRCH;
        }
        long t0 = enter(Syscall.MREMAP);
        long ret = table.mmap.mremap(this, oldAddr, oldLen, newLen, flags, newAddr);
        return leave(Syscall.MREMAP, t0, newLen, ret);
    }

    /** mprotect(2). @return 0 or -errno */
    public int mprotect(long addr, long len, int prot) {
        if (gone()) {
            return -Errno.ESRCH;
        }
        long t0 = enter(Syscall.MPROTECT);
        int ret = table.mmap.mprotect(this, addr, len, prot);
        return (int) leave(Syscall.MPROTECT, t0, len, ret);
    }

    /**
     * madvise(2): MADV_DONTNEED, MADV_FREE, MADV_POPULATE_READ, MADV_POPULATE_WRITE (MADV_NORMAL,
     * MADV_RANDOM, MADV_SEQUENTIAL and MADV_WILLNEED are accepted and change nothing here).
     *
     * @return 0 or -errno
     */
    public int madvise(long addr, long len, int advice) {
        if (gone()) {
            return -Errno.ESRCH;
        }
        long t0 = enter(Syscall.MADVISE);
        int ret = table.mmap.madvise(this, addr, len, advice);
        return (int) leave(Syscall.MADVISE, t0, len, ret);
    }

    /** exit_group(2): the address space is torn down and the process leaves the table. */
    public void exitGroup(int status) {
        if (!alive) {
            return;
        }
        long t0 = enter(Syscall.EXIT_GROUP);
        leave(Syscall.EXIT_GROUP, t0, 0, 0);
        table.exit(this, status & 0xff, 0, true);
    }

    // --- user memory -------------------------------------------------------------------------

    /**
     * A user access of one page, as the CPU makes it: faults the page in if needed (a write to the
     * zero page or a read-only shared page faults again). A bad access kills the process.
     *
     * @return true if the access succeeded
     */
    public boolean touch(long uaddr, boolean write) {
        return alive && table.memory.userAddress(this, uaddr, write) != 0;
    }

    /**
     * Touches every page of [uaddr, uaddr + len), as a loop writing (or reading) one byte per page
     * would.
     *
     * @return the pages touched, fewer if an access killed the process
     */
    public long touchRange(long uaddr, long len, boolean write) {
        long n = 0;
        long end = uaddr + len;
        for (long a = uaddr; a < end && alive; a = (a & Addr.PAGE_MASK) + Addr.PAGE_SIZE) {
            if (table.memory.userAddress(this, a, write) == 0) {
                break;
            }
            n++;
        }
        return n;
    }

    /** A little-endian u64 at {@code uaddr} (any alignment), or 0 if the access kills the process. */
    public long readU64(long uaddr) {
        PhysMem mem = table.machine.mem();
        if (Addr.offsetInPage(uaddr) <= Addr.PAGE_SIZE - 8) {
            long k = alive ? table.memory.userAddress(this, uaddr, false) : 0;
            return k == 0 ? 0 : mem.readU64(k);
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | readU8(uaddr + i);
        }
        return v;
    }

    /** Writes a little-endian u64 at {@code uaddr}. @return false if the access killed the process */
    public boolean writeU64(long uaddr, long value) {
        PhysMem mem = table.machine.mem();
        if (Addr.offsetInPage(uaddr) <= Addr.PAGE_SIZE - 8) {
            long k = alive ? table.memory.userAddress(this, uaddr, true) : 0;
            if (k == 0) {
                return false;
            }
            mem.writeU64(k, value);
            return true;
        }
        for (int i = 0; i < 8; i++) {
            if (!writeU8(uaddr + i, (int) (value >>> (8 * i)))) {
                return false;
            }
        }
        return true;
    }

    public int readU8(long uaddr) {
        long k = alive ? table.memory.userAddress(this, uaddr, false) : 0;
        return k == 0 ? 0 : table.machine.mem().readU8(k);
    }

    public boolean writeU8(long uaddr, int value) {
        long k = alive ? table.memory.userAddress(this, uaddr, true) : 0;
        if (k == 0) {
            return false;
        }
        table.machine.mem().writeU8(k, value);
        return true;
    }

    /** copy_to_user: writes {@code len} bytes page by page. @return false if an access killed the process */
    public boolean write(long uaddr, byte[] src, int off, int len) {
        int done = 0;
        while (done < len) {
            long a = uaddr + done;
            int n = Math.min(len - done, Addr.PAGE_SIZE - Addr.offsetInPage(a));
            long k = alive ? table.memory.userAddress(this, a, true) : 0;
            if (k == 0) {
                return false;
            }
            table.machine.mem().write(k, src, off + done, n);
            done += n;
        }
        return true;
    }

    /** copy_from_user: reads {@code len} bytes page by page. @return false if an access killed the process */
    public boolean read(long uaddr, byte[] dst, int off, int len) {
        int done = 0;
        while (done < len) {
            long a = uaddr + done;
            int n = Math.min(len - done, Addr.PAGE_SIZE - Addr.offsetInPage(a));
            long k = alive ? table.memory.userAddress(this, a, false) : 0;
            if (k == 0) {
                return false;
            }
            table.machine.mem().read(k, dst, off + done, n);
            done += n;
        }
        return true;
    }

    /** memset of user memory. @return false if an access killed the process */
    public boolean fill(long uaddr, int value, long len) {
        long done = 0;
        while (done < len) {
            long a = uaddr + done;
            long n = Math.min(len - done, Addr.PAGE_SIZE - Addr.offsetInPage(a));
            long k = alive ? table.memory.userAddress(this, a, true) : 0;
            if (k == 0) {
                return false;
            }
            table.machine.mem().fill(k, value, n);
            done += n;
        }
        return true;
    }

    /**
     * The frame behind {@code uaddr} without touching it (follow_page, no fault): its pfn, or -1
     * if no page is mapped there.
     */
    public int pfnAt(long uaddr) {
        if (!alive || uaddr < 0 || uaddr >= ProcessTable.TASK_SIZE) {
            return -1;
        }
        long e = mm.pgtables.pte(uaddr);
        return Pte.present(e) ? Pte.pfn(e) : -1;
    }

    /** memmove through the page tables, one page-sized chunk at a time (backwards if dst overlaps above src). */
    @Override
    public boolean copy(long dst, long src, long len) {
        if (len <= 0 || dst == src) {
            return alive || len <= 0;
        }
        boolean backwards = dst > src && dst < src + len;
        long done = 0;
        while (done < len) {
            int n = (int) Math.min(len - done, bounce.length);
            long off = backwards ? len - done - n : done;
            if (!read(src + off, bounce, 0, n) || !write(dst + off, bounce, 0, n)) {
                return false;
            }
            done += n;
        }
        return true;
    }

    // --- what an allocator sees besides the calls --------------------------------------------

    @Override
    public void chargeUser(long nanos) {
        charge(TimeCategory.USER, nanos);
    }

    /** abort(3): the message on stderr, then death by SIGABRT (the address space goes). */
    @Override
    public void abort(String message) {
        if (!alive) {
            return;
        }
        stderr.add(message);
        table.exit(this, 0, SIGABRT, true);
    }

    @Override
    public void warn(String message) {
        stderr.add(message);
    }

    /** The lines the process wrote to stderr (allocator reports), oldest first. */
    public List<String> stderr() {
        return Collections.unmodifiableList(stderr);
    }

    @Override
    public long nowNanos() {
        return table.machine.clock().nanos();
    }

    // --- time --------------------------------------------------------------------------------

    /** Advances the machine's clock and books the time to {@code category}. */
    void charge(TimeCategory category, long nanos) {
        if (nanos != 0) {
            table.machine.clock().advance(nanos);
            timeNanos[category.ordinal()] += nanos;
        }
    }

    // --- page tables' pages ------------------------------------------------------------------

    @Override
    public int allocTable() {
        return table.memory.allocTablePage(this);
    }

    @Override
    public void freeTable(int pfn) {
        table.memory.freeTablePage(this, pfn);
    }

    // --- metric ------------------------------------------------------------------------------

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int ppid() {
        return 1;
    }

    @Override
    public String comm() {
        return comm;
    }

    @Override
    public int uid() {
        return uid;
    }

    @Override
    public boolean alive() {
        return alive;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }

    @Override
    public int killSignal() {
        return killSignal;
    }

    @Override
    public boolean running() {
        return table.current() == this;
    }

    @Override
    public int cpu() {
        return cpu;
    }

    @Override
    public boolean randomized() {
        return randomized;
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    @Override
    public long minflt() {
        return minflt;
    }

    @Override
    public long majflt() {
        return 0;
    }

    @Override
    public long totalVm() {
        return mm.totalVm;
    }

    @Override
    public long hiwaterVm() {
        return Math.max(mm.hiwaterVm, mm.totalVm);
    }

    @Override
    public long lockedVm() {
        return mm.lockedVm;
    }

    @Override
    public long pinnedVm() {
        return mm.pinnedVm;
    }

    @Override
    public long dataVm() {
        return mm.dataVm;
    }

    @Override
    public long stackVm() {
        return mm.stackVm;
    }

    @Override
    public long execVm() {
        return mm.execVm;
    }

    @Override
    public long rss(int member) {
        return mm.rss[member];
    }

    @Override
    public long rssPages() {
        return mm.rssPages();
    }

    @Override
    public long hiwaterRss() {
        return Math.max(mm.hiwaterRss, mm.rssPages());
    }

    @Override
    public long pgtablesBytes() {
        return mm.pgtables == null ? 0 : mm.pgtables.pgtablesBytes();
    }

    @Override
    public long pageTablePages() {
        return mm.pgtables == null ? 0 : mm.pgtables.tablePages();
    }

    @Override
    public long startCode() {
        return mm.startCode;
    }

    @Override
    public long endCode() {
        return mm.endCode;
    }

    @Override
    public long startData() {
        return mm.startData;
    }

    @Override
    public long endData() {
        return mm.endData;
    }

    @Override
    public long startBrk() {
        return mm.startBrk;
    }

    @Override
    public long brkAddress() {
        return mm.brk;
    }

    @Override
    public long startStack() {
        return mm.startStack;
    }

    @Override
    public long mmapBase() {
        return mm.mmapBase;
    }

    @Override
    public long argStart() {
        return mm.argStart;
    }

    @Override
    public long argEnd() {
        return mm.argEnd;
    }

    @Override
    public long envStart() {
        return mm.envStart;
    }

    @Override
    public long envEnd() {
        return mm.envEnd;
    }

    @Override
    public int mapCount() {
        return mm.mapCount();
    }

    @Override
    public long committedPages() {
        long n = 0;
        for (Vma v : mm.vmas.values()) {
            if ((v.flags & VmFlags.VM_ACCOUNT) != 0) {
                n += v.pages();
            }
        }
        return n;
    }

    @Override
    public List<VmaInfo> vmas() {
        List<VmaInfo> out = new ArrayList<>(mm.vmas.size());
        for (Vma v : mm.vmas.values()) {
            out.add(VmaInfo.of(v, mm));
        }
        return out;
    }

    @Override
    public SmapsRollup smapsRollup() {
        return SmapsRollup.gather(this);
    }

    @Override
    public long syscalls(Syscall s) {
        return syscallCount[s.ordinal()];
    }

    @Override
    public long syscallErrors(Syscall s) {
        return syscallErrors[s.ordinal()];
    }

    @Override
    public long syscallBytes(Syscall s) {
        return syscallBytes[s.ordinal()];
    }

    @Override
    public long syscallNanos(Syscall s) {
        return syscallNanos[s.ordinal()];
    }

    @Override
    public long timeNanos(TimeCategory c) {
        return timeNanos[c.ordinal()];
    }

    @Override
    public long faultAddress() {
        return faultAddr;
    }

    /**
     * Checks the address space's invariants: the VMAs (aligned, disjoint, below TASK_SIZE, no
     * mergeable neighbours), the vm counters against the VMAs, every present PTE inside a VMA and
     * the RSS counters against the PTEs, every page table over a range some VMA meets, and the
     * reverse map of every anonymous page.
     *
     * @return a description of each violation; empty if consistent
     */
    public List<String> validate() {
        return Validator.validate(this);
    }

    @Override
    public String toString() {
        return comm + "[" + pid + "]";
    }
}
