package io.kmemlab.proc;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Dmesg;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.Overcommit;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.user.TimeCategory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The processes of one machine (the kernel's task list, pid allocator and the state of
 * {@code mm/} that is not per process): the shared zero page, the reverse map of user pages, the
 * OOM killer, the sysctls of address-space layout and OOM, and the /proc files of each process.
 * One per {@link Machine}; built after the page allocator, by boot or by a test.
 *
 * <p>A process is created by {@link #spawn}, which does what execve of a small static PIE does
 * (load_elf_binary): a new address space with its PGD, the stack at the randomised top of the
 * address space, mmap_base below the stack gap, the image at the randomised ELF_ET_DYN_BASE and
 * the program break after it (randomise_va_space 2, or 0 under {@code norandmaps}).
 */
public final class ProcessTable {
    /** TASK_SIZE_MAX with 4-level paging: 2^47 − one page. */
    public static final long TASK_SIZE = (1L << 47) - Addr.PAGE_SIZE;
    /** DEFAULT_MAP_WINDOW (= TASK_SIZE with 4-level paging). */
    static final long DEFAULT_MAP_WINDOW = TASK_SIZE;
    /** STACK_TOP: TASK_SIZE_LOW. */
    static final long STACK_TOP = TASK_SIZE;
    /** ELF_ET_DYN_BASE: where a PIE is loaded, before randomisation (0x555555554000). */
    static final long ELF_ET_DYN_BASE = (DEFAULT_MAP_WINDOW / 3 * 2) & Addr.PAGE_MASK;
    /** STACK_RND_MASK of a 64-bit task: 22 bits of pages (16 GiB). */
    static final long STACK_RND_MASK = 0x3fffff;
    /** CONFIG_ARCH_MMAP_RND_BITS: 28 bits of pages. */
    static final int MMAP_RND_BITS = 28;
    /** RLIMIT_STACK's default soft limit (8 MiB). */
    static final long RLIMIT_STACK = 8L << 20;
    /** RLIMIT_MEMLOCK's default (8 MiB since 5.16). */
    static final long RLIMIT_MEMLOCK = 8L << 20;
    /** setup_arg_pages' stack_expand: the initial stack is this much plus the argument page. */
    static final long STACK_EXPAND = 128L << 10;
    /** arch_randomize_brk's range (SZ_32M). */
    static final long BRK_RND_RANGE = 32L << 20;
    /** The first pid a process gets (RESERVED_PIDS + 1: kmemlab models no kernel threads or init). */
    public static final int FIRST_PID = 301;
    /** uid of processes spawned without one. */
    public static final int DEFAULT_UID = 1000;

    final Machine machine;
    final CostModel costs;
    final SplittableRandom random;
    final TreeMap<Integer, Process> processes = new TreeMap<>();
    final UserPageRmap rmap;
    final Memory memory;
    final Mmap mmap;
    final OomKiller oom;
    final int zeroPfn;
    final long[] pagesAllocated = new long[PageUse.COUNT];
    final long[] pagesFreed = new long[PageUse.COUNT];
    private final long mmIdSalt;
    private final List<Process> exited = new ArrayList<>();
    private Process current;
    private int nextPid = FIRST_PID;
    int nextAnonVma = 1;
    long nextShmemIno = 1024;
    int randomizeVaSpace;
    int panicOnOom;
    private int maxMapCount = 65530;
    private long mmapMinAddr = 65536;
    private long stackGuardGapPages = 256;
    String panicMessage;
    Process lastOomVictim;
    private VirtualFs vfs;

    /**
     * Builds the table on a machine whose page allocator is attached, taking the zero page from
     * the page allocator (for machines without a kernel image), and sets the overcommit reserves
     * from the free memory, as the initcalls do.
     */
    public ProcessTable(Machine machine, ProcConfig config) {
        this(machine, config, -1);
    }

    /**
     * As {@link #ProcessTable(Machine, ProcConfig)}, with the zero page in frame {@code zeroPagePfn}
     * (empty_zero_page: a reserved page of the kernel image's bss, which reads as zeros), or -1
     * to allocate one.
     */
    public ProcessTable(Machine machine, ProcConfig config, int zeroPagePfn) {
        this.machine = machine;
        this.costs = config.costs();
        this.random = machine.random().split();
        this.mmIdSalt = random.nextLong();
        this.randomizeVaSpace = config.norandmaps() ? 0 : 2;
        this.panicOnOom = config.panicOnOom();
        this.rmap = new UserPageRmap(machine.frames(), machine.mem());
        this.memory = new Memory(this);
        this.mmap = new Mmap(this);
        this.oom = new OomKiller(this);
        PageAllocator pa = machine.pageAllocator();
        int zp = zeroPagePfn;
        if (zp < 0) {
            zp = pa.allocPages(0, Gfp.GFP_KERNEL | Gfp.__GFP_ZERO, 0);
            if (zp == PageAllocator.NO_PAGE) {
                throw new IllegalStateException("no page for the zero page");
            }
            pagesAllocated[PageUse.ZERO_PAGE.ordinal()]++;
        }
        machine.frames().set(zp, PageFrames.PG_RESERVED);
        this.zeroPfn = zp;
        machine.overcommit().initReserves(pa.metric().nrFreePages());
    }

    // --- processes ---------------------------------------------------------------------------

    /** Spawns {@code comm} running a small program ({@link ProgramImage#small}) as uid 1000. */
    public Process spawn(String comm) {
        return spawn(comm, DEFAULT_UID, ProgramImage.small("/usr/bin/" + comm));
    }

    /**
     * execve() of {@code image} in a new process: the layout of the class comment, the stack's
     * top page written (the argument strings), so the process starts with one anonymous page.
     *
     * @return the process, or null if there was no memory for it (or the machine panicked)
     */
    public Process spawn(String comm, int uid, ProgramImage image) {
        if (panicMessage != null) {
            return null;
        }
        int pid = nextPid++;
        long mmId = mix(mmIdSalt + pid) & 0xffffffffL;
        Process p = new Process(this, pid, comm.length() > 15 ? comm.substring(0, 15) : comm, uid, mmId);
        processes.put(pid, p);
        switchTo(p);
        registerFiles(p);
        int pgd = memory.allocTablePage(p);
        if (pgd < 0) {
            p.alive = false;
            processes.remove(pid);
            unregisterFiles(p);
            return null;
        }
        Mm mm = p.mm;
        mm.pgtables = new PageTables(machine.mem(), p, pgd);
        boolean rnd = randomizeVaSpace != 0;
        p.randomized = rnd;
        // arch_pick_mmap_layout(): mmap_base below the stack's rlimit, guard gap and random range.
        long stackRandom = rnd ? (random.nextLong() & STACK_RND_MASK) << Addr.PAGE_SHIFT : 0;
        long gap = RLIMIT_STACK + stackGuardGap() + (rnd ? STACK_RND_MASK << Addr.PAGE_SHIFT : 0);
        gap = Math.max(128L << 20, Math.min(gap, TASK_SIZE / 6 * 5));
        long mmapRnd = rnd ? (random.nextLong() & ((1L << MMAP_RND_BITS) - 1)) << Addr.PAGE_SHIFT : 0;
        mm.mmapBase = Mmap.pageAlign(TASK_SIZE - gap - mmapRnd);
        mm.mmapLegacyBase = Mmap.pageAlign(TASK_SIZE / 3) + mmapRnd;
        long loadBias =
                ELF_ET_DYN_BASE + (rnd ? (random.nextLong() & ((1L << MMAP_RND_BITS) - 1)) << Addr.PAGE_SHIFT : 0);
        long stackTop = (STACK_TOP - stackRandom) & Addr.PAGE_MASK;
        int[] segFlags = {
            VmFlags.VM_READ, VmFlags.VM_READ | VmFlags.VM_EXEC, VmFlags.VM_READ, VmFlags.VM_READ | VmFlags.VM_WRITE,
        };
        long[] segPages = image.segmentPages();
        long at = loadBias;
        long pgoff = 0;
        for (int i = 0; i < 4; i++) {
            int flags = segFlags[i] | VmFlags.VM_MAYREAD | VmFlags.VM_MAYWRITE | VmFlags.VM_MAYEXEC;
            if ((flags & VmFlags.VM_WRITE) != 0) {
                if (!mmap.enoughMemory(p, segPages[i])) {
                    exit(p, 0, 0, true);
                    return null;
                }
                flags |= VmFlags.VM_ACCOUNT;
            }
            Vma v = new Vma(at, at + (segPages[i] << Addr.PAGE_SHIFT), flags, pgoff);
            v.file = image;
            mm.insert(v);
            mm.statAccount(flags, segPages[i]);
            if (i == 1) {
                mm.startCode = at;
                mm.endCode = at + image.textBytes();
            } else if (i == 3) {
                mm.startData = at;
                mm.endData = at + image.dataBytes();
            }
            at = v.end;
            pgoff += segPages[i];
        }
        long brk = Mmap.pageAlign(mm.startData + image.dataBytes() + image.bssBytes());
        if (randomizeVaSpace > 1) {
            brk += Long.remainderUnsigned(random.nextLong(), BRK_RND_RANGE >>> Addr.PAGE_SHIFT) << Addr.PAGE_SHIFT;
        }
        mm.startBrk = brk;
        mm.brk = brk;
        // The stack: the argument page and stack_expand below it, accounted (insert_vm_struct,
        // expand_stack); argv and envp strings at the top.
        long stackPages = (STACK_EXPAND >>> Addr.PAGE_SHIFT) + 1;
        if (!mmap.enoughMemory(p, stackPages)) {
            exit(p, 0, 0, true);
            return null;
        }
        Vma stack = new Vma(
                stackTop - (stackPages << Addr.PAGE_SHIFT),
                stackTop,
                VmFlags.VM_STACK_FLAGS,
                (stackTop >>> Addr.PAGE_SHIFT) - stackPages);
        mm.insert(stack);
        mm.statAccount(stack.flags, stackPages);
        mm.envEnd = stackTop - 8 - 8;
        mm.envStart = mm.envEnd - 0x80;
        mm.argEnd = mm.envStart;
        mm.argStart = mm.argEnd - (comm.length() + 1);
        mm.startStack = (mm.argStart - 0x180) & ~0xfL;
        p.charge(TimeCategory.SYSCALL, costs.syscallNanos());
        p.charge(TimeCategory.VMA, costs.vmaNanos() * mm.mapCount());
        p.writeU64(mm.envEnd - 8, 0);
        return p;
    }

    /** Makes {@code p} the process running on its CPU (the shell's current process, /proc/self). */
    public void switchTo(Process p) {
        current = p;
        machine.cpus().setCurrent(p.cpu, p.comm, p.pid);
    }

    /** The process commands run in, or null. */
    public Process current() {
        return current != null && current.alive ? current : null;
    }

    public Process process(int pid) {
        return processes.get(pid);
    }

    /** Live processes by pid. */
    public Collection<Process> processes() {
        return Collections.unmodifiableCollection(processes.values());
    }

    /**
     * Walks the page tables of every live process, in pid order, naming each table page and each
     * mapped page to {@code v}; reads only. A page two processes map (a file page, a page shared
     * after fork) is visited once per mapping.
     */
    public void forEachUserFrame(UserFrameVisitor v) {
        for (Process p : processes.values()) {
            if (p.alive && p.mm.pgtables != null) {
                p.mm.pgtables.walk(p, v);
            }
        }
    }

    /** Processes that exited or were killed, oldest first. */
    public List<Process> exited() {
        return Collections.unmodifiableList(exited);
    }

    /** The last process the OOM killer killed, or null. */
    public Process lastOomVictim() {
        return lastOomVictim;
    }

    /** The panic message if the machine panicked (panic_on_oom), else null: nothing runs any more. */
    public String panicMessage() {
        return panicMessage;
    }

    /** do_exit() → exit_mm(): the address space goes, the process leaves the table. */
    void exit(Process p, int code, int signal, boolean curr) {
        if (!p.alive) {
            return;
        }
        if (p.mm.pgtables != null) {
            mmap.exitMmap(p, curr);
            memory.freeTablePage(p, p.mm.pgtables.pgdPfn);
        }
        p.alive = false;
        p.exitCode = code;
        p.killSignal = signal;
        processes.remove(p.pid);
        exited.add(p);
        unregisterFiles(p);
        if (current == p) {
            current = null;
        }
    }

    /**
     * force_sig_fault(): a bad access kills the process. SIGSEGV prints show_signal_msg()'s line
     * (KERN_INFO); x86's error code: 4 user, +2 write, +1 the page was present.
     */
    void signal(Process p, int sig, long addr, boolean write, boolean present) {
        if (!p.alive) {
            return;
        }
        p.faultAddr = addr;
        if (sig == Process.SIGSEGV) {
            int code = 4 | (write ? 2 : 0) | (present ? 1 : 0);
            machine.dmesg()
                    .info(String.format(
                            Locale.ROOT,
                            "%s[%d]: segfault at %x ip %016x sp %016x error %x likely on CPU %d (core %d, socket 0)",
                            p.comm,
                            p.pid,
                            addr,
                            p.mm.startCode,
                            p.mm.startStack,
                            code,
                            p.cpu,
                            p.cpu));
        }
        exit(p, 0, sig, true);
    }

    /** panic(): the machine stops; every process call fails from now on. */
    void panic(String message) {
        panicMessage = message;
        machine.dmesg().report(ReportKind.OOM, "Kernel panic - not syncing: " + message);
        machine.dmesg().printk(Dmesg.Level.EMERG, "---[ end Kernel panic - not syncing: " + message + " ]---");
    }

    // --- settings ----------------------------------------------------------------------------

    /** stack_guard_gap in bytes (256 pages). */
    long stackGuardGap() {
        return stackGuardGapPages << Addr.PAGE_SHIFT;
    }

    long mmapMinAddr() {
        return mmapMinAddr;
    }

    int maxMapCount() {
        return maxMapCount;
    }

    public int randomizeVaSpace() {
        return randomizeVaSpace;
    }

    public CostModel costs() {
        return costs;
    }

    public UserPageRmap rmap() {
        return rmap;
    }

    /** The shared zero page's pfn. */
    public int zeroPfn() {
        return zeroPfn;
    }

    /** Pages taken from the page allocator for {@code use} since boot. */
    public long pagesAllocated(PageUse use) {
        return pagesAllocated[use.ordinal()];
    }

    /** Pages given back to the page allocator from {@code use} since boot. */
    public long pagesFreed(PageUse use) {
        return pagesFreed[use.ordinal()];
    }

    /** The GFP flags pages for {@code use} are allocated with. */
    public static int gfpOf(PageUse use) {
        return switch (use) {
            case ANON -> Memory.GFP_ANON;
            case PAGE_CACHE, SHMEM -> Memory.GFP_PAGECACHE;
            case PAGE_TABLE -> Memory.GFP_PGTABLE_USER;
            case ZERO_PAGE -> Gfp.GFP_KERNEL | Gfp.__GFP_ZERO;
        };
    }

    // --- /proc -------------------------------------------------------------------------------

    /**
     * Registers the sysctls (vm.overcommit_*, vm.panic_on_oom, vm.max_map_count,
     * vm.mmap_min_addr, kernel.randomize_va_space) and, from now on, each process's
     * {@code /proc/PID/status}, {@code maps}, {@code smaps_rollup}, {@code stat} and
     * {@code statm}, and {@code /proc/self/…} for the current process.
     */
    public void registerFiles(VirtualFs fs) {
        this.vfs = fs;
        machine.overcommit().registerFiles(fs);
        Overcommit.sysctl(fs, "panic_on_oom", () -> panicOnOom, v -> {
            if (v < 0 || v > 2) {
                return "EINVAL";
            }
            panicOnOom = (int) v;
            return null;
        });
        Overcommit.sysctl(fs, "max_map_count", () -> maxMapCount, v -> {
            if (v < 0 || v > Integer.MAX_VALUE) {
                return "EINVAL";
            }
            maxMapCount = (int) v;
            return null;
        });
        Overcommit.sysctl(fs, "mmap_min_addr", () -> mmapMinAddr, v -> {
            if (v < 0) {
                return "EINVAL";
            }
            mmapMinAddr = Mmap.pageAlign(v);
            return null;
        });
        fs.register("/proc/sys/kernel/randomize_va_space", 0644, () -> randomizeVaSpace + "\n", text -> {
            String s = text == null ? "" : text.trim();
            if (!s.matches("[0-2]")) {
                return "EINVAL";
            }
            randomizeVaSpace = Integer.parseInt(s);
            return null;
        });
        int nrCpus = machine.cpus().nrCpus();
        for (String name : FILES) {
            fs.register("/proc/self/" + name, 0444, () -> {
                Process c = current();
                return c == null ? "" : view(name, c, nrCpus);
            });
        }
        for (Process p : processes.values()) {
            registerFiles(p);
        }
    }

    private static final String[] FILES = {"status", "maps", "smaps_rollup", "stat", "statm"};

    private void registerFiles(Process p) {
        if (vfs == null || vfs.exists("/proc/" + p.pid + "/status")) {
            return;
        }
        int nrCpus = machine.cpus().nrCpus();
        for (String name : FILES) {
            vfs.register("/proc/" + p.pid + "/" + name, 0444, () -> view(name, p, nrCpus));
        }
    }

    private void unregisterFiles(Process p) {
        if (vfs == null) {
            return;
        }
        for (String name : FILES) {
            vfs.unregister("/proc/" + p.pid + "/" + name);
        }
    }

    private String view(String name, Process p, int nrCpus) {
        long totalram = machine.pageAllocator().metric().managedPages();
        return switch (name) {
            case "status" -> ProcViews.status(p, nrCpus, totalram / 64);
            case "maps" -> ProcViews.maps(p);
            case "smaps_rollup" -> ProcViews.smapsRollup(p.smapsRollup());
            case "stat" -> ProcViews.stat(p);
            default -> ProcViews.statm(p);
        };
    }

    // --- checks ------------------------------------------------------------------------------

    /**
     * Every process's {@link Process#validate}, and the machine-wide sums: NR_ANON_MAPPED is the
     * processes' anonymous RSS, NR_PAGETABLE their page-table pages, NR_SHMEM their shmem pages,
     * and the reverse map holds exactly their anonymous pages.
     */
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        long anon = 0;
        long tables = 0;
        long committed = 0;
        for (Process p : processes.values()) {
            committed += p.committedPages();
            for (String s : p.validate()) {
                out.add(p + ": " + s);
            }
            anon += p.rss(Pte.MM_ANONPAGES);
            tables += p.pageTablePages();
        }
        if (machine.overcommit().committedPages() != committed) {
            out.add("Committed_AS " + machine.overcommit().committedPages() + " pages != Σ VM_ACCOUNT pages "
                    + committed);
        }
        if (rmap.size() != anon) {
            out.add("rmap holds " + rmap.size() + " pages, the processes' MM_ANONPAGES sum to " + anon);
        }
        if (machine.nodeStat(NodeStat.NR_ANON_MAPPED) != anon) {
            out.add("NR_ANON_MAPPED " + machine.nodeStat(NodeStat.NR_ANON_MAPPED) + " != Σ MM_ANONPAGES " + anon);
        }
        if (machine.nodeStat(NodeStat.NR_PAGETABLE) != tables) {
            out.add("NR_PAGETABLE " + machine.nodeStat(NodeStat.NR_PAGETABLE) + " != Σ page-table pages " + tables);
        }
        return out;
    }

    /** splitmix64's finaliser: the mm_id hash (mm_ptr_to_hash). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
