package io.kmemlab.boot.malloc;

import java.util.List;

/**
 * What one allocator did with one trace in one emulated process: the figures of {@code malloc
 * replay --stats} and of one column of {@code malloc compare}. Counts of system calls, faults and
 * virtual time are from the allocator's creation to the end of the trace.
 *
 * @param allocator the allocator's label ({@code first-fit}, {@code first-fit:coalesce=off})
 * @param pid the process it ran in
 * @param applied operations applied
 * @param nullReturns allocations that returned NULL for a non-zero size
 * @param diedAt the trace line at which the process died (0: it did not)
 * @param death why it died, with its stderr ("" if it did not)
 * @param peakHeapBytes the most the allocator held from the kernel
 * @param finalHeapBytes what it held at the end
 * @param rssKb the process's VmRSS at the end
 * @param peakRssKb its VmHWM
 * @param peakLiveRequested the most bytes the program had live (requested sizes)
 * @param liveRequested requested bytes live at the end
 * @param liveUsable usable bytes of the blocks live at the end
 * @param liveBlocks blocks live at the end
 * @param externalFragmentation 1 − largest free block ÷ free bytes, at the end
 * @param freeBytes free bytes inside the heap at the end
 * @param syscalls brk, mmap, munmap, mremap, mprotect, madvise calls (in {@link
 *     io.kmemlab.mm.user.Syscall} order, without exit_group)
 * @param pageTablesKb the process's page tables at the end (VmPTE)
 * @param minflt minor faults
 * @param virtualNanos virtual time
 * @param badFrees frees and reallocs the allocator refused (and reported)
 * @param dataErrors blocks whose bytes were wrong under {@code --fill} (realloc lost data, calloc
 *     not zeroed)
 * @param firstDataErrorLine the trace line of the first (0: none)
 * @param brkEndOffset the program break at the end, less the initial one (replay.c's
 *     {@code brk_end_offset})
 * @param invalid what validate() found at the end
 * @param series heap and RSS over the trace
 */
public record MallocFigures(
        String allocator,
        int pid,
        long applied,
        long nullReturns,
        int diedAt,
        String death,
        long peakHeapBytes,
        long finalHeapBytes,
        long rssKb,
        long peakRssKb,
        long peakLiveRequested,
        long liveRequested,
        long liveUsable,
        long liveBlocks,
        double externalFragmentation,
        long freeBytes,
        long[] syscalls,
        long pageTablesKb,
        long minflt,
        long virtualNanos,
        long badFrees,
        long dataErrors,
        int firstDataErrorLine,
        long brkEndOffset,
        List<String> invalid,
        HeapSeries series) {

    /** The malloc lab's utilisation: peak live requested bytes ÷ the final heap (0 with no heap). */
    public double utilisation() {
        return finalHeapBytes == 0 ? 0 : (double) peakLiveRequested / finalHeapBytes;
    }

    /** Internal fragmentation at the end: usable − requested bytes of the live blocks. */
    public long internalFragmentation() {
        return liveUsable - liveRequested;
    }

    public long totalSyscalls() {
        long t = 0;
        for (long s : syscalls) {
            t += s;
        }
        return t;
    }
}
