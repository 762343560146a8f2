package io.kmemlab.proc;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PhysMem;

/**
 * The four-level page tables of one address space, in frames from the page allocator: a PGD page,
 * and PUD, PMD and PTE tables allocated on the first fault below them ({@code __pud_alloc},
 * {@code __pmd_alloc}, {@code __pte_alloc}) and freed by munmap when no VMA is left in the range a
 * table maps ({@code free_pgtables}), all at exit. Entries are words in the tables' bytes (see
 * {@link Pte}); a walk is four reads and allocates nothing.
 *
 * <p>{@code nr_ptes + nr_pmds + nr_puds} pages make VmPTE ({@code mm_pgtables_bytes}); the PGD is
 * counted in the machine's NR_PAGETABLE with the others but not in VmPTE, as in the kernel.
 */
final class PageTables {
    /** Allocates and frees table pages for the tables (the owning process's page allocator calls). */
    interface TablePages {
        /** A zeroed page for a table, or a negative number if there is none even after the OOM killer. */
        int allocTable();

        void freeTable(int pfn);
    }

    private static final int LEVEL_PUD = 0;
    private static final int LEVEL_PMD = 1;
    private static final int LEVEL_PTE = 2;

    private final PhysMem mem;
    private final TablePages pages;
    final int pgdPfn;
    /** nr_puds, nr_pmds, nr_ptes: table pages per level below the PGD. */
    final long[] nrTables = new long[3];

    PageTables(PhysMem mem, TablePages pages, int pgdPfn) {
        this.mem = mem;
        this.pages = pages;
        this.pgdPfn = pgdPfn;
    }

    /** mm_pgtables_bytes(). */
    long pgtablesBytes() {
        return (nrTables[LEVEL_PUD] + nrTables[LEVEL_PMD] + nrTables[LEVEL_PTE]) << Addr.PAGE_SHIFT;
    }

    /** Table pages including the PGD (what NR_PAGETABLE holds for this address space). */
    long tablePages() {
        return 1 + nrTables[LEVEL_PUD] + nrTables[LEVEL_PMD] + nrTables[LEVEL_PTE];
    }

    /**
     * The direct-map address of the PTE for {@code uaddr}, allocating missing tables if
     * {@code alloc}.
     *
     * @return the slot's address, or 0 if a table is missing (and {@code !alloc}) or could not be
     *     allocated
     */
    long pteSlot(long uaddr, boolean alloc) {
        int t = next(pgdPfn, Pte.index(uaddr, Pte.PGDIR_SHIFT), alloc, LEVEL_PUD);
        if (t < 0) {
            return 0;
        }
        t = next(t, Pte.index(uaddr, Pte.PUD_SHIFT), alloc, LEVEL_PMD);
        if (t < 0) {
            return 0;
        }
        t = next(t, Pte.index(uaddr, Pte.PMD_SHIFT), alloc, LEVEL_PTE);
        if (t < 0) {
            return 0;
        }
        return Pte.slot(t, Pte.index(uaddr, Addr.PAGE_SHIFT));
    }

    /** The PTE for {@code uaddr}, or 0 (pte_none) if no table maps it. */
    long pte(long uaddr) {
        long slot = pteSlot(uaddr, false);
        return slot == 0 ? 0 : mem.readU64(slot);
    }

    private int next(int tablePfn, int index, boolean alloc, int level) {
        long slot = Pte.slot(tablePfn, index);
        long e = mem.readU64(slot);
        if (Pte.present(e)) {
            return Pte.pfn(e);
        }
        if (!alloc) {
            return -1;
        }
        int pfn = pages.allocTable();
        if (pfn < 0) {
            return -1;
        }
        // The OOM killer may have run while allocating: the entry may be filled now (never for
        // this address space's own tables, which only its own faults fill), so write it once.
        mem.writeU64(slot, Pte.table(pfn));
        nrTables[level]++;
        return pfn;
    }

    /** Frame of the PTE table covering {@code uaddr}, or -1. */
    int pteTable(long uaddr) {
        int t = peek(pgdPfn, Pte.index(uaddr, Pte.PGDIR_SHIFT));
        t = t < 0 ? -1 : peek(t, Pte.index(uaddr, Pte.PUD_SHIFT));
        return t < 0 ? -1 : peek(t, Pte.index(uaddr, Pte.PMD_SHIFT));
    }

    private int peek(int tablePfn, int index) {
        long e = mem.readU64(Pte.slot(tablePfn, index));
        return Pte.present(e) ? Pte.pfn(e) : -1;
    }

    /** Is some VMA left in [start, end)? (free_pgtables' floor and ceiling.) */
    interface Occupied {
        boolean any(long start, long end);
    }

    /**
     * free_pgtables() after [start, end) was unmapped: frees every PTE, PMD and PUD table whose
     * range meets [start, end) and holds no VMA any more. The tables must hold no present entry
     * (the range was zapped).
     */
    void freeEmpty(long start, long end, Occupied occupied) {
        freeLevel(pgdPfn, 0, Pte.PGDIR_SHIFT, start, end, occupied);
    }

    /** Frees every table below the PGD (exit_mmap). The PGD itself goes with the address space. */
    void freeAll() {
        freeLevel(pgdPfn, 0, Pte.PGDIR_SHIFT, 0, 1L << 47, (s, e) -> false);
    }

    /** Walks the table at {@code tablePfn} (mapping from {@code base}, entries of 1 << shift bytes). */
    private void freeLevel(int tablePfn, long base, int shift, long start, long end, Occupied occupied) {
        long span = 1L << shift;
        int first = (int) ((Math.max(start, base) - base) >>> shift);
        long lastAddr = Math.min(end, base + (span << 9)) - 1;
        int last = (int) ((lastAddr - base) >>> shift);
        for (int i = first; i <= last; i++) {
            long slot = Pte.slot(tablePfn, i);
            long e = mem.readU64(slot);
            if (!Pte.present(e)) {
                continue;
            }
            long rs = base + (long) i * span;
            int child = Pte.pfn(e);
            if (shift > Pte.PMD_SHIFT) {
                freeLevel(child, rs, shift - 9, start, end, occupied);
            }
            if (!occupied.any(rs, rs + span)) {
                mem.writeU64(slot, 0);
                nrTables[levelOf(shift)]--;
                pages.freeTable(child);
            }
        }
    }

    /**
     * Visits this address space's table pages and the pages its PTEs map, read only (for {@link
     * ProcessTable#forEachUserFrame}).
     */
    void walk(Process owner, UserFrameVisitor v) {
        v.pageTable(pgdPfn, owner, UserFrameVisitor.PGD);
        walkLevel(owner, pgdPfn, 0, Pte.PGDIR_SHIFT, UserFrameVisitor.PGD, v);
    }

    private void walkLevel(Process owner, int tablePfn, long base, int shift, int level, UserFrameVisitor v) {
        for (int i = 0; i < Pte.PTRS_PER_TABLE; i++) {
            long e = mem.readU64(Pte.slot(tablePfn, i));
            if (!Pte.present(e)) {
                continue;
            }
            long addr = base + ((long) i << shift);
            if (shift > Addr.PAGE_SHIFT) {
                v.pageTable(Pte.pfn(e), owner, level - 1);
                walkLevel(owner, Pte.pfn(e), addr, shift - 9, level - 1, v);
            } else if (!Pte.special(e)) {
                v.userPage(Pte.pfn(e), owner, addr, Pte.member(e));
            }
        }
    }

    /** The level of the tables an entry of a table with this shift points at. */
    private static int levelOf(int shift) {
        return shift == Pte.PGDIR_SHIFT ? LEVEL_PUD : shift == Pte.PUD_SHIFT ? LEVEL_PMD : LEVEL_PTE;
    }
}
