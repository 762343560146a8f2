package io.kmemlab.proc;

import io.kmemlab.mm.Addr;
import java.util.Map;
import java.util.TreeMap;

/**
 * An address space ({@code struct mm_struct}): the VMAs in an ordered map by start address (the
 * kernel's maple tree), the page tables, the RSS counters and the virtual-memory counters of
 * {@code vm_stat_account}, and the layout chosen at exec.
 *
 * <p>Invariants ({@link Process#validate}): VMAs are page aligned, non-empty, disjoint and below
 * TASK_SIZE; no two neighbours could merge; total_vm, data_vm, exec_vm, stack_vm and locked_vm are
 * the sums over the VMAs; rss[member] is the number of present PTEs charged to it; every page
 * table maps a range some VMA meets.
 */
final class Mm {
    final TreeMap<Long, Vma> vmas = new TreeMap<>();
    PageTables pgtables;
    /** MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES. */
    final long[] rss = new long[Pte.NR_MM_COUNTERS];

    long hiwaterRss;
    long hiwaterVm;
    long totalVm;
    long lockedVm;
    long pinnedVm;
    long dataVm;
    long execVm;
    long stackVm;
    /** The rss_stat tracepoint's mm_id (mm_ptr_to_hash). */
    final long mmId;

    long mmapBase;
    long mmapLegacyBase;
    long startCode;
    long endCode;
    long startData;
    long endData;
    long startBrk;
    long brk;
    long startStack;
    long argStart;
    long argEnd;
    long envStart;
    long envEnd;
    /**
     * A one-entry VMA cache (the kernel's per-thread vmacache, gone since the maple tree, kept for
     * speed and to spare the boxing of a map lookup per access); {@link #remove} clears it.
     */
    private Vma cached;

    Mm(long mmId) {
        this.mmId = mmId;
    }

    int mapCount() {
        return vmas.size();
    }

    long rssPages() {
        return rss[Pte.MM_FILEPAGES] + rss[Pte.MM_ANONPAGES] + rss[Pte.MM_SHMEMPAGES];
    }

    /** find_vma() that contains {@code addr}: the VMA with start ≤ addr &lt; end, or null. */
    Vma vmaAt(long addr) {
        Vma c = cached;
        if (c != null && c.start <= addr && addr < c.end) {
            return c;
        }
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        if (e == null || e.getValue().end <= addr) {
            return null;
        }
        cached = e.getValue();
        return cached;
    }

    /** find_vma(): the first VMA that ends above {@code addr}, or null. */
    Vma findVma(long addr) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        if (e != null && e.getValue().end > addr) {
            return e.getValue();
        }
        Map.Entry<Long, Vma> n = vmas.higherEntry(addr);
        return n == null ? null : n.getValue();
    }

    /** The VMA that ends at or below {@code addr}, nearest to it, or null (find_vma_prev). */
    Vma prevOf(long addr) {
        Map.Entry<Long, Vma> e = vmas.lowerEntry(addr);
        if (e == null) {
            return null;
        }
        Vma v = e.getValue();
        if (v.end <= addr) {
            return v;
        }
        Map.Entry<Long, Vma> p = vmas.lowerEntry(v.start);
        return p == null ? null : p.getValue();
    }

    /** The VMA that starts at or above {@code addr}, or null. */
    Vma nextFrom(long addr) {
        Map.Entry<Long, Vma> e = vmas.ceilingEntry(addr);
        return e == null ? null : e.getValue();
    }

    /** True if some VMA meets [start, end). */
    boolean occupied(long start, long end) {
        Map.Entry<Long, Vma> e = vmas.lowerEntry(end);
        return e != null && e.getValue().end > start;
    }

    void insert(Vma v) {
        assert v.start < v.end && (v.start & ~Addr.PAGE_MASK) == 0 && (v.end & ~Addr.PAGE_MASK) == 0 : v;
        vmas.put(v.start, v);
    }

    void remove(Vma v) {
        vmas.remove(v.start);
        if (cached == v) {
            cached = null;
        }
    }

    /** Moves {@code v}'s start in the map (vma_adjust of the start). */
    void setStart(Vma v, long start) {
        vmas.remove(v.start);
        v.start = start;
        vmas.put(start, v);
    }

    /** vm_stat_account(). */
    void statAccount(int flags, long pages) {
        totalVm += pages;
        if (VmFlags.isExec(flags)) {
            execVm += pages;
        } else if (VmFlags.isStack(flags)) {
            stackVm += pages;
        } else if (VmFlags.isData(flags)) {
            dataVm += pages;
        }
        if ((flags & VmFlags.VM_LOCKED) != 0) {
            lockedVm += pages;
        }
    }

    /** update_hiwater_rss(). */
    void updateHiwaterRss() {
        hiwaterRss = Math.max(hiwaterRss, rssPages());
    }

    /** update_hiwater_vm(). */
    void updateHiwaterVm() {
        hiwaterVm = Math.max(hiwaterVm, totalVm);
    }
}
