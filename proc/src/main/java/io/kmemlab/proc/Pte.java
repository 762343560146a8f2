package io.kmemlab.proc;

import io.kmemlab.mm.Addr;

/**
 * The x86-64 page-table entry, the one place that builds and takes apart entries and user
 * virtual addresses (4-level paging, {@code arch/x86/include/asm/pgtable_types.h}).
 *
 * <pre>
 *  user virtual address (47 bits, TASK_SIZE = 2^47 - 4 KiB)
 *  47       39 38       30 29       21 20       12 11          0
 *  +----------+-----------+-----------+-----------+-------------+
 *  | PGD idx  |  PUD idx  |  PMD idx  |  PTE idx  | page offset |   (P4D folded into the PGD)
 *  +----------+-----------+-----------+-----------+-------------+
 *
 *  entry (every level; a table entry points at the next table's frame with _PAGE_TABLE)
 *  63  62   55  54 53 52 51                        12 11 10 9  8 7  6 5 4   3   2  1  0
 *  +--+--------+--+-----+----------------------------+-----+--+-+--+-+-+---+---+--+--+--+
 *  |NX|   -    |LF|  mm |            pfn             |  -  |SP|G|PS|D|A|PCD|PWT|US|RW|P |
 *  +--+--------+--+-----+----------------------------+-----+--+-+--+-+-+---+---+--+--+--+
 *  SP  _PAGE_SPECIAL: the shared zero page (vm_normal_page() returns no page for it)
 *  mm  kmemlab: the mm counter the page is charged to (MM_FILEPAGES 0, MM_ANONPAGES 1,
 *      MM_SHMEMPAGES 3); the kernel finds it from the folio (mm_counter())
 *  LF  kmemlab: MADV_FREE'd, lazily freeable; the kernel clears the folio's swap-backed flag
 * </pre>
 *
 * Entries are read and written as little-endian 64-bit words in the table's frame (real bytes in
 * {@link io.kmemlab.mm.PhysMem}), so a table page holds 512 of them as in the kernel.
 */
public final class Pte {
    public static final long PRESENT = 1L;
    public static final long RW = 1L << 1;
    public static final long USER = 1L << 2;
    public static final long ACCESSED = 1L << 5;
    public static final long DIRTY = 1L << 6;
    public static final long SPECIAL = 1L << 9;
    public static final long NX = 1L << 63;
    /** _PAGE_TABLE: what an upper-level entry holds besides the next table's pfn. */
    public static final long TABLE = PRESENT | RW | USER | ACCESSED | DIRTY;

    private static final int MEMBER_SHIFT = 52;
    private static final long MEMBER_MASK = 3L << MEMBER_SHIFT;
    public static final long LAZYFREE = 1L << 54;
    private static final long PFN_MASK = ((1L << 52) - 1) & Addr.PAGE_MASK;

    /** MM counters (enum mm counters / NR_MM_COUNTERS), the rss_stat member numbers. */
    public static final int MM_FILEPAGES = 0;

    public static final int MM_ANONPAGES = 1;
    public static final int MM_SWAPENTS = 2;
    public static final int MM_SHMEMPAGES = 3;
    public static final int NR_MM_COUNTERS = 4;

    public static final int PGDIR_SHIFT = 39;
    public static final int PUD_SHIFT = 30;
    public static final int PMD_SHIFT = 21;
    /** Entries per table page. */
    public static final int PTRS_PER_TABLE = 512;

    public static final long PMD_SIZE = 1L << PMD_SHIFT;
    public static final long PUD_SIZE = 1L << PUD_SHIFT;
    public static final long PGDIR_SIZE = 1L << PGDIR_SHIFT;

    private Pte() {}

    /** An entry mapping {@code pfn} with {@code bits}, charged to {@code member}. */
    public static long make(int pfn, long bits, int member) {
        return ((long) pfn << Addr.PAGE_SHIFT) | bits | ((long) member << MEMBER_SHIFT);
    }

    /** An upper-level entry pointing at the table in frame {@code pfn}. */
    public static long table(int pfn) {
        return ((long) pfn << Addr.PAGE_SHIFT) | TABLE;
    }

    public static boolean present(long e) {
        return (e & PRESENT) != 0;
    }

    public static int pfn(long e) {
        return (int) ((e & PFN_MASK) >>> Addr.PAGE_SHIFT);
    }

    public static int member(long e) {
        return (int) ((e & MEMBER_MASK) >>> MEMBER_SHIFT);
    }

    public static boolean special(long e) {
        return (e & SPECIAL) != 0;
    }

    public static boolean writable(long e) {
        return (e & RW) != 0;
    }

    public static boolean dirty(long e) {
        return (e & DIRTY) != 0;
    }

    /** Same entry, other frame (migration: remove_migration_pte). */
    public static long withPfn(long e, int pfn) {
        return (e & ~PFN_MASK) | ((long) pfn << Addr.PAGE_SHIFT);
    }

    /** Index of the entry for {@code uaddr} in the table of the level whose shift is given. */
    public static int index(long uaddr, int shift) {
        return (int) ((uaddr >>> shift) & (PTRS_PER_TABLE - 1));
    }

    /** Byte address (direct map) of entry {@code index} of the table in frame {@code tablePfn}. */
    public static long slot(int tablePfn, int index) {
        return Addr.pfnToVirt(tablePfn) + ((long) index << 3);
    }
}
