package io.kmemlab.proc;

import io.kmemlab.mm.user.Syscall;
import io.kmemlab.mm.user.TimeCategory;
import java.util.List;

/**
 * The read-only face of a process: what {@code /proc/PID/status}, {@code maps},
 * {@code smaps_rollup}, {@code stat} and {@code statm} print ({@link ProcViews} are pure functions
 * of it), what reports and charts read, and what tests assert against. Page counts are in pages
 * unless the name says bytes.
 */
public interface ProcessMetric {
    int pid();

    int ppid();

    String comm();

    int uid();

    boolean alive();

    /** The status exit_group gave, if the process exited. */
    int exitCode();

    /** The signal that killed the process (SIGKILL from the OOM killer, SIGSEGV, SIGBUS), or 0. */
    int killSignal();

    /** Is it the process commands run in (state R), rather than waiting (S)? */
    boolean running();

    int cpu();

    /** PF_RANDOMIZE: its layout was randomised at exec (kernel.randomize_va_space was not 0). */
    boolean randomized();

    /** Virtual time of its creation. */
    long startNanos();

    /** Minor faults: every fault that mapped a page, including those MAP_POPULATE raised. */
    long minflt();

    long majflt();

    /** mm->total_vm (VmSize). */
    long totalVm();

    /** VmPeak. */
    long hiwaterVm();

    long lockedVm();

    long pinnedVm();

    /** Private writable, non-stack mappings (VmData). */
    long dataVm();

    long stackVm();

    long execVm();

    /** An RSS counter: {@link Pte#MM_FILEPAGES}, {@link Pte#MM_ANONPAGES}, {@link Pte#MM_SWAPENTS}, {@link Pte#MM_SHMEMPAGES}. */
    long rss(int member);

    /** File + anon + shmem pages (VmRSS). */
    long rssPages();

    /** VmHWM. */
    long hiwaterRss();

    /** mm_pgtables_bytes() (VmPTE). */
    long pgtablesBytes();

    /** Page-table pages including the PGD (this process's share of NR_PAGETABLE). */
    long pageTablePages();

    long startCode();

    long endCode();

    long startData();

    long endData();

    long startBrk();

    /** The current program break. */
    long brkAddress();

    long startStack();

    long mmapBase();

    long argStart();

    long argEnd();

    long envStart();

    long envEnd();

    /** Number of VMAs (map_count). */
    int mapCount();

    /** Pages of its VM_ACCOUNT mappings: its share of Committed_AS. */
    long committedPages();

    /** The VMAs in address order, as /proc/PID/maps lists them. */
    List<VmaInfo> vmas();

    /** The page-table walk of /proc/PID/smaps_rollup. */
    SmapsRollup smapsRollup();

    long syscalls(Syscall s);

    long syscallErrors(Syscall s);

    /** Bytes the calls asked for: mmap/munmap/madvise/mprotect lengths, mremap new lengths, brk moves. */
    long syscallBytes(Syscall s);

    /** Virtual time inside the calls, population included. */
    long syscallNanos(Syscall s);

    long timeNanos(TimeCategory c);

    /** The address whose access killed the process, or -1. */
    long faultAddress();
}
