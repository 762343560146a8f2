package io.kmemlab.proc;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.user.TimeCategory;
import java.util.List;

/**
 * The /proc files of a process, as Linux 6.18 prints them ({@code fs/proc/array.c},
 * {@code fs/proc/task_mmu.c}): pure functions of a {@link ProcessMetric}. The memory lines are the
 * model's; the lines about credentials, signals, capabilities and scheduling print what a plain
 * single-threaded user process has (no signals pending, no capabilities, no seccomp).
 */
public final class ProcViews {
    /** CAP_LAST_CAP = 40 (CAP_CHECKPOINT_RESTORE): the bounding set of a normal process. */
    private static final String CAP_BND = "000001ffffffffff";
    /** MAX_NUMNODES with CONFIG_NODES_SHIFT=10 (distribution kernels). */
    private static final int MAX_NUMNODES = 1024;
    /** USER_HZ: the clock ticks of /proc/PID/stat. */
    private static final long USER_HZ = 100;
    /** The gate VMA every x86-64 process's maps ends with (vsyscall=xonly). */
    private static final String VSYSCALL = "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0";
    /** seq_setwidth(m, 25 + sizeof(void *) * 6 - 1): where a name starts. */
    private static final int NAME_COLUMN = 25 + 8 * 6 - 1;

    private ProcViews() {}

    /** seq_put_decimal_ull_width(m, label, kB, 8) + " kB\n". */
    private static void kb(StringBuilder sb, String label, long kb) {
        sb.append(label);
        String v = Long.toString(kb);
        for (int i = v.length(); i < 8; i++) {
            sb.append(' ');
        }
        sb.append(v).append(" kB\n");
    }

    /**
     * /proc/PID/status (proc_pid_status: task_state, task_mem, then the rest).
     *
     * @param sigqLimit RLIMIT_SIGPENDING (max_threads / 2 = totalram_pages / 64)
     */
    public static String status(ProcessMetric m, int nrCpus, long sigqLimit) {
        StringBuilder sb = new StringBuilder(1536);
        int id = m.uid();
        sb.append("Name:\t").append(m.comm()).append('\n');
        sb.append("Umask:\t0022\n");
        sb.append("State:\t")
                .append(m.running() ? "R (running)" : "S (sleeping)")
                .append('\n');
        sb.append("Tgid:\t").append(m.pid()).append('\n');
        sb.append("Ngid:\t0\n");
        sb.append("Pid:\t").append(m.pid()).append('\n');
        sb.append("PPid:\t").append(m.ppid()).append('\n');
        sb.append("TracerPid:\t0\n");
        sb.append("Uid:\t")
                .append(id)
                .append('\t')
                .append(id)
                .append('\t')
                .append(id)
                .append('\t')
                .append(id)
                .append('\n');
        sb.append("Gid:\t")
                .append(id)
                .append('\t')
                .append(id)
                .append('\t')
                .append(id)
                .append('\t')
                .append(id)
                .append('\n');
        sb.append("FDSize:\t64\n");
        sb.append("Groups:\t").append(id).append(" \n");
        sb.append("NStgid:\t").append(m.pid()).append('\n');
        sb.append("NSpid:\t").append(m.pid()).append('\n');
        sb.append("NSpgid:\t").append(m.pid()).append('\n');
        sb.append("NSsid:\t").append(m.pid()).append('\n');
        sb.append("Kthread:\t0\n");
        // task_mem()
        long text = Math.min(Mmap.pageAlign(m.endCode()) - (m.startCode() & Addr.PAGE_MASK), m.execVm() << 12);
        long lib = (m.execVm() << 12) - text;
        kb(sb, "VmPeak:\t", m.hiwaterVm() << 2);
        kb(sb, "VmSize:\t", m.totalVm() << 2);
        kb(sb, "VmLck:\t", m.lockedVm() << 2);
        kb(sb, "VmPin:\t", m.pinnedVm() << 2);
        kb(sb, "VmHWM:\t", m.hiwaterRss() << 2);
        kb(sb, "VmRSS:\t", m.rssPages() << 2);
        kb(sb, "RssAnon:\t", m.rss(Pte.MM_ANONPAGES) << 2);
        kb(sb, "RssFile:\t", m.rss(Pte.MM_FILEPAGES) << 2);
        kb(sb, "RssShmem:\t", m.rss(Pte.MM_SHMEMPAGES) << 2);
        kb(sb, "VmData:\t", m.dataVm() << 2);
        kb(sb, "VmStk:\t", m.stackVm() << 2);
        kb(sb, "VmExe:\t", text >> 10);
        kb(sb, "VmLib:\t", lib >> 10);
        kb(sb, "VmPTE:\t", m.pgtablesBytes() >> 10);
        kb(sb, "VmSwap:\t", m.rss(Pte.MM_SWAPENTS) << 2);
        kb(sb, "HugetlbPages:\t", 0);
        sb.append("CoreDumping:\t0\n");
        sb.append("THP_enabled:\t1\n");
        sb.append("untag_mask:\t0xffffffffffffffff\n");
        sb.append("Threads:\t1\n");
        sb.append("SigQ:\t0/").append(sigqLimit).append('\n');
        for (String s : new String[] {"SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt", "CapInh", "CapPrm", "CapEff"}) {
            sb.append(s).append(":\t0000000000000000\n");
        }
        sb.append("CapBnd:\t").append(CAP_BND).append('\n');
        sb.append("CapAmb:\t0000000000000000\n");
        sb.append("NoNewPrivs:\t0\n");
        sb.append("Seccomp:\t0\n");
        sb.append("Seccomp_filters:\t0\n");
        sb.append("Speculation_Store_Bypass:\tthread vulnerable\n");
        sb.append("SpeculationIndirectBranch:\tconditional enabled\n");
        sb.append("Cpus_allowed:\t").append(bitmap(nrCpus)).append('\n');
        sb.append("Cpus_allowed_list:\t")
                .append(nrCpus == 1 ? "0" : "0-" + (nrCpus - 1))
                .append('\n');
        sb.append("Mems_allowed:\t");
        for (int i = MAX_NUMNODES / 32 - 1; i >= 0; i--) {
            sb.append(i == 0 ? "00000001" : "00000000,");
        }
        sb.append('\n');
        sb.append("Mems_allowed_list:\t0\n");
        sb.append("voluntary_ctxt_switches:\t0\n");
        sb.append("nonvoluntary_ctxt_switches:\t0\n");
        sb.append("x86_Thread_features:\t\n");
        sb.append("x86_Thread_features_locked:\t\n");
        return sb.toString();
    }

    /** %*pb of a mask with the first {@code n} bits set, in n bits: 32-bit chunks, commas between. */
    static String bitmap(int n) {
        StringBuilder sb = new StringBuilder();
        int chunks = (n + 31) / 32;
        for (int c = chunks - 1; c >= 0; c--) {
            int bits = Math.min(32, n - c * 32);
            long word = bits == 32 ? 0xffffffffL : (1L << bits) - 1;
            String hex = Long.toHexString(word);
            int width = c == chunks - 1 ? (((n - 1) % 32) / 4 + 1) : 8;
            for (int i = hex.length(); i < width; i++) {
                sb.append('0');
            }
            sb.append(hex);
            if (c > 0) {
                sb.append(',');
            }
        }
        return sb.toString();
    }

    /** show_vma_header_prefix(): {@code start-end perms pgoff dev:dev ino }. */
    private static void header(StringBuilder sb, long start, long end, int flags, long pgoff, int dev, long ino) {
        hex(sb, start, 8);
        sb.append('-');
        hex(sb, end, 8);
        sb.append(' ').append(VmFlags.permissions(flags)).append(' ');
        hex(sb, pgoff, 8);
        sb.append(' ');
        hex(sb, (dev >>> 8) & 0xfff, 2);
        sb.append(':');
        hex(sb, dev & 0xff, 2);
        sb.append(' ').append(ino).append(' ');
    }

    /** seq_pad(m, ' ') before a name: spaces up to the name column (the caller adds the ' ' and the name). */
    private static void pad(StringBuilder sb, int lineStart) {
        while (sb.length() - lineStart < NAME_COLUMN) {
            sb.append(' ');
        }
    }

    private static void hex(StringBuilder sb, long v, int width) {
        String h = Long.toHexString(v);
        for (int i = h.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(h);
    }

    /** /proc/PID/maps (show_map_vma for each VMA, then the gate VMA). */
    public static String maps(ProcessMetric m) {
        List<VmaInfo> vmas = m.vmas();
        StringBuilder sb = new StringBuilder(100 * (vmas.size() + 1));
        for (VmaInfo v : vmas) {
            int from = sb.length();
            header(sb, v.start(), v.end(), v.flags(), v.pgoffBytes(), v.dev(), v.ino());
            if (!v.name().isEmpty()) {
                pad(sb, from);
                sb.append(' ').append(v.name());
            }
            sb.append('\n');
        }
        int from = sb.length();
        sb.append(VSYSCALL).append(' ');
        pad(sb, from);
        sb.append(" [vsyscall]\n");
        return sb.toString();
    }

    /** /proc/PID/smaps_rollup (show_smaps_rollup → __show_smap(rollup_mode)). */
    public static String smapsRollup(SmapsRollup r) {
        StringBuilder sb = new StringBuilder(1024);
        int from = sb.length();
        header(sb, r.start(), r.end(), 0, 0, 0, 0);
        pad(sb, from);
        sb.append(" [rollup]\n");
        kb(sb, "Rss:            ", r.rss() >> 10);
        kb(sb, "Pss:            ", r.rss() >> 10);
        kb(sb, "Pss_Dirty:      ", r.pssDirty() >> 10);
        kb(sb, "Pss_Anon:       ", r.pssAnon() >> 10);
        kb(sb, "Pss_File:       ", r.pssFile() >> 10);
        kb(sb, "Pss_Shmem:      ", r.pssShmem() >> 10);
        kb(sb, "Shared_Clean:   ", 0);
        kb(sb, "Shared_Dirty:   ", 0);
        kb(sb, "Private_Clean:  ", r.privateClean() >> 10);
        kb(sb, "Private_Dirty:  ", r.privateDirty() >> 10);
        kb(sb, "Referenced:     ", r.referenced() >> 10);
        kb(sb, "Anonymous:      ", r.anonymous() >> 10);
        kb(sb, "KSM:            ", 0);
        kb(sb, "LazyFree:       ", r.lazyFree() >> 10);
        kb(sb, "AnonHugePages:  ", 0);
        kb(sb, "ShmemPmdMapped: ", 0);
        kb(sb, "FilePmdMapped:  ", 0);
        kb(sb, "Shared_Hugetlb: ", 0);
        sb.append("Private_Hugetlb:       0 kB\n");
        kb(sb, "Swap:           ", 0);
        kb(sb, "SwapPss:        ", 0);
        kb(sb, "Locked:         ", r.locked() >> 10);
        return sb.toString();
    }

    /** /proc/PID/stat (do_task_stat): 52 fields; minflt is the 10th. */
    public static String stat(ProcessMetric m) {
        StringBuilder sb = new StringBuilder(320);
        boolean running = m.running();
        long userTicks = m.timeNanos(TimeCategory.USER) / (1_000_000_000L / USER_HZ);
        long sysNanos = 0;
        for (TimeCategory c : TimeCategory.values()) {
            if (c != TimeCategory.USER) {
                sysNanos += m.timeNanos(c);
            }
        }
        long sysTicks = sysNanos / (1_000_000_000L / USER_HZ);
        long flags = m.randomized() ? 0x400000L : 0; // PF_RANDOMIZE
        sb.append(m.pid()).append(" (").append(m.comm()).append(") ").append(running ? 'R' : 'S');
        long[] f = {
            m.ppid(),
            m.pid(),
            m.pid(),
            0,
            -1,
            flags,
            m.minflt(),
            0,
            m.majflt(),
            0,
            userTicks,
            sysTicks,
            0,
            0,
            20,
            0,
            1,
            0,
            m.startNanos() / (1_000_000_000L / USER_HZ),
            m.totalVm() << 12,
            m.rssPages(),
        };
        for (long v : f) {
            sb.append(' ').append(v);
        }
        sb.append(" 18446744073709551615");
        long[] g = {
            m.startCode(),
            m.endCode(),
            m.startStack(),
            0,
            0,
            0,
            0,
            0,
            0,
            running ? 0 : 1,
            0,
            0,
            17,
            m.cpu(),
            0,
            0,
            0,
            0,
            0,
            m.startData(),
            m.endData(),
            m.startBrk(),
            m.argStart(),
            m.argEnd(),
            m.envStart(),
            m.envEnd(),
            0,
        };
        for (long v : g) {
            sb.append(' ').append(v);
        }
        return sb.append('\n').toString();
    }

    /** /proc/PID/statm (proc_pid_statm): size resident shared text lib data dt, in pages. */
    public static String statm(ProcessMetric m) {
        long shared = m.rss(Pte.MM_FILEPAGES) + m.rss(Pte.MM_SHMEMPAGES);
        long text = (Mmap.pageAlign(m.endCode()) - (m.startCode() & Addr.PAGE_MASK)) >>> 12;
        long resident = shared + m.rss(Pte.MM_ANONPAGES);
        return m.totalVm() + " " + resident + " " + shared + " " + text + " 0 " + (m.dataVm() + m.stackVm()) + " 0\n";
    }
}
