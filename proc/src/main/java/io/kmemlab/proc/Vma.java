package io.kmemlab.proc;

import io.kmemlab.mm.Addr;

/**
 * A virtual memory area ({@code struct vm_area_struct}): [start, end) with one set of flags and
 * one backing. Anonymous private areas have no backing object and {@code pgoff = start >> 12} at
 * creation (kept when the area moves, so a moved area does not merge with its new neighbours);
 * shared anonymous areas are backed by a {@link ShmemFile} ("/dev/zero (deleted)"); the program
 * image's areas by a {@link ProgramImage} file.
 *
 * <p>{@code anonVma} names the area's {@code anon_vma}: 0 until the first anonymous page is
 * faulted in; areas split from one share it, and two areas merge only if at most one of them has
 * one or both have the same.
 */
final class Vma {
    long start;
    long end;
    int flags;
    /** vm_pgoff: the offset in pages of {@code start} in the backing (anonymous: start >> 12). */
    long pgoff;

    int anonVma;
    /** The shared-memory object of a MAP_SHARED|MAP_ANONYMOUS area, or null. */
    ShmemFile shmem;
    /** The file of a file-backed area (the program image), or null. */
    ProgramImage file;

    Vma(long start, long end, int flags, long pgoff) {
        this.start = start;
        this.end = end;
        this.flags = flags;
        this.pgoff = pgoff;
    }

    /** A copy of this area's backing and flags over [start, end) (the other half of a split). */
    Vma sibling(long newStart, long newEnd) {
        Vma v = new Vma(newStart, newEnd, flags, pgoff + ((newStart - start) >>> Addr.PAGE_SHIFT));
        v.anonVma = anonVma;
        v.shmem = shmem;
        v.file = file;
        if (shmem != null) {
            shmem.refs++;
        }
        return v;
    }

    long pages() {
        return (end - start) >>> Addr.PAGE_SHIFT;
    }

    /** vma_is_anonymous(): no backing object (private anonymous memory, the heap, the stack). */
    boolean anonymous() {
        return shmem == null && file == null;
    }

    /** The page offset of {@code addr} in the backing (linear_page_index). */
    long pageIndex(long addr) {
        return pgoff + ((addr - start) >>> Addr.PAGE_SHIFT);
    }

    /** vm_start_gap(): the start less the stack guard gap for a stack that grows down. */
    long startGap(long stackGuardGap) {
        if ((flags & VmFlags.VM_GROWSDOWN) != 0) {
            long gap = start - stackGuardGap;
            return gap > start ? 0 : gap;
        }
        return start;
    }

    boolean readable() {
        return (flags & (VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_EXEC)) != 0;
    }

    boolean writable() {
        return (flags & VmFlags.VM_WRITE) != 0;
    }

    @Override
    public String toString() {
        return Addr.hex(start) + "-" + Addr.hex(end) + " " + VmFlags.permissions(flags);
    }
}
