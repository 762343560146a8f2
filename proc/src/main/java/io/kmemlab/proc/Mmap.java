package io.kmemlab.proc;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Overcommit;
import io.kmemlab.mm.VmEvent;
import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.TimeCategory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Our {@code mm/mmap.c}, {@code mm/vma.c}, {@code mm/mremap.c}, {@code mm/mprotect.c} and
 * {@code mm/madvise.c}: the VMA side of the memory system calls. Splits and merges follow
 * {@code __split_vma} and {@code vma_merge_*}: two neighbours merge when they touch, have the same
 * flags and backing, continuous page offsets and compatible anon_vmas. Commit charges go through
 * the machine's {@link Overcommit}.
 */
final class Mmap {
    private final ProcessTable t;

    Mmap(ProcessTable t) {
        this.t = t;
    }

    private Overcommit overcommit() {
        return t.machine.overcommit();
    }

    /** security_vm_enough_memory_mm(): charges {@code pages} to Committed_AS or refuses. */
    boolean enoughMemory(Process p, long pages) {
        return pages <= 0 || overcommit().vmEnoughMemory(pages, p.mm.totalVm, p.uid == 0, p.pid, p.comm) == 0;
    }

    static long pageAlign(long len) {
        return (len + Addr.PAGE_SIZE - 1) & Addr.PAGE_MASK;
    }

    // --- merging and splitting ---------------------------------------------------------------

    /** Can {@code a}, ending where {@code b} starts, merge with {@code b}? (is_mergeable_vma and friends). */
    static boolean canMerge(Vma a, Vma b) {
        return a.end == b.start
                && a.flags == b.flags
                && a.file == b.file
                && a.shmem == b.shmem
                && a.pgoff + a.pages() == b.pgoff
                && (a.anonVma == 0 || b.anonVma == 0 || a.anonVma == b.anonVma)
                && (a.flags & (VmFlags.VM_IO | VmFlags.VM_PFNMAP | VmFlags.VM_DONTEXPAND)) == 0;
    }

    /** Merges {@code v} with the neighbours it can merge with; returns the area that holds its range. */
    Vma merge(Process p, Vma v) {
        Mm mm = p.mm;
        Map.Entry<Long, Vma> pe = mm.vmas.lowerEntry(v.start);
        if (pe != null && canMerge(pe.getValue(), v)) {
            Vma prev = pe.getValue();
            mm.remove(v);
            prev.end = v.end;
            prev.anonVma = Math.max(prev.anonVma, v.anonVma);
            dropRef(p, v);
            v = prev;
        }
        Vma next = mm.vmas.get(v.end);
        if (next != null && canMerge(v, next)) {
            mm.remove(next);
            v.end = next.end;
            v.anonVma = Math.max(v.anonVma, next.anonVma);
            dropRef(p, next);
        }
        return v;
    }

    private void dropRef(Process p, Vma gone) {
        if (gone.shmem != null) {
            t.memory.releaseShmem(p, gone.shmem);
        }
    }

    /** __split_vma(): {@code v} keeps [start, at), the returned new area takes [at, end). */
    static Vma split(Mm mm, Vma v, long at) {
        assert v.start < at && at < v.end : v + " at " + Addr.hex(at);
        Vma right = v.sibling(at, v.end);
        v.end = at;
        mm.insert(right);
        return right;
    }

    /**
     * anon_vma_prepare(): gives {@code v} an anon_vma on its first anonymous page, the one of a
     * neighbour it could merge with if there is one (find_mergeable_anon_vma), so that such
     * neighbours stay mergeable.
     */
    void anonVmaPrepare(Mm mm, Vma v) {
        if (v.anonVma != 0) {
            return;
        }
        Map.Entry<Long, Vma> pe = mm.vmas.lowerEntry(v.start);
        if (pe != null && pe.getValue().anonVma != 0 && reusable(pe.getValue(), v)) {
            v.anonVma = pe.getValue().anonVma;
            return;
        }
        Vma next = mm.vmas.get(v.end);
        if (next != null && next.anonVma != 0 && reusable(v, next)) {
            v.anonVma = next.anonVma;
            return;
        }
        v.anonVma = t.nextAnonVma++;
    }

    /** anon_vma_compatible(): adjacent, same flags but access bits, continuous offsets. */
    private static boolean reusable(Vma a, Vma b) {
        int mask = ~(VmFlags.VM_ACCESS_FLAGS | VmFlags.VM_MAYREAD | VmFlags.VM_MAYWRITE | VmFlags.VM_MAYEXEC);
        return a.end == b.start
                && (a.flags & mask) == (b.flags & mask)
                && a.file == b.file
                && a.shmem == b.shmem
                && a.pgoff + a.pages() == b.pgoff;
    }

    // --- get_unmapped_area -------------------------------------------------------------------

    /** Is [start, end) free, guard gaps included (the hint check of arch_get_unmapped_area_topdown)? */
    private boolean rangeFree(Mm mm, long start, long end) {
        Vma next = mm.findVma(start);
        Vma prev = mm.prevOf(start);
        return (next == null || end <= next.startGap(t.stackGuardGap())) && (prev == null || start >= prev.end);
    }

    /**
     * vm_unmapped_area() top-down: the highest address {@code a} (a multiple of align + 1) with
     * [a, a + len) in a gap below {@code high} and at or above {@code low}.
     *
     * @return the address, or -1
     */
    private long unmappedAreaTopdown(Mm mm, long len, long low, long high, long alignMask) {
        long gap = t.stackGuardGap();
        Vma above = mm.findVma(high);
        long top = above == null ? high : Math.min(high, above.startGap(gap));
        Map.Entry<Long, Vma> e = mm.vmas.lowerEntry(high);
        while (true) {
            Vma below = e == null ? null : e.getValue();
            if (below != null && below.end > top) {
                top = Math.min(top, below.startGap(gap));
                e = mm.vmas.lowerEntry(below.start);
                continue;
            }
            long bottom = Math.max(below == null ? 0 : below.end, low);
            if (top >= len) {
                long a = (top - len) & ~alignMask;
                if (a >= bottom) {
                    return a;
                }
            }
            if (below == null || bottom <= low) {
                return -1;
            }
            top = below.startGap(gap);
            e = mm.vmas.lowerEntry(below.start);
        }
    }

    /** vm_unmapped_area() bottom-up (the fallback of the top-down allocator). */
    private long unmappedAreaBottomUp(Mm mm, long len, long low, long high, long alignMask) {
        long gap = t.stackGuardGap();
        long start = low;
        while (true) {
            long a = (start + alignMask) & ~alignMask;
            if (a + len > high || a + len < a) {
                return -1;
            }
            Vma next = mm.findVma(a);
            Vma prev = mm.prevOf(a);
            if (prev != null && prev.end > a) {
                start = prev.end;
                continue;
            }
            if (next == null || a + len <= next.startGap(gap)) {
                return a;
            }
            start = next.end;
        }
    }

    /**
     * get_unmapped_area() with x86-64's top-down allocator (arch_get_unmapped_area_topdown):
     * MAP_FIXED takes the address as given; a free hint is honoured; else the highest gap below
     * mmap_base, falling back to bottom-up from TASK_UNMAPPED_BASE. An anonymous private mapping
     * whose length is a multiple of 2 MiB is placed on a 2 MiB boundary
     * (thp_get_unmapped_area_vmflags).
     *
     * @return the address or -errno
     */
    long getUnmappedArea(Process p, long addr, long len, int flags, boolean thpEligible) {
        Mm mm = p.mm;
        long taskSize = ProcessTable.TASK_SIZE;
        if (len > taskSize - t.mmapMinAddr()) {
            return -Errno.ENOMEM;
        }
        if ((flags & Mman.MAP_FIXED) != 0) {
            if ((addr & ~Addr.PAGE_MASK) != 0) {
                return -Errno.EINVAL;
            }
            if (addr > taskSize - len) {
                return -Errno.ENOMEM;
            }
            return addr < t.mmapMinAddr() && p.uid != 0 ? -Errno.EPERM : addr;
        }
        if (addr != 0) {
            long a = pageAlign(addr);
            if (a >= t.mmapMinAddr() && taskSize - len >= a && rangeFree(mm, a, a + len)) {
                return a;
            }
        } else if (thpEligible && (len & (Pte.PMD_SIZE - 1)) == 0) {
            long padded = len + Pte.PMD_SIZE;
            long r = unmappedAreaTopdown(mm, padded, Math.max(Addr.PAGE_SIZE, t.mmapMinAddr()), mm.mmapBase, 0);
            if (r >= 0) {
                long offSub = (-r) & (Pte.PMD_SIZE - 1);
                return offSub == 0 ? r + Pte.PMD_SIZE : r + offSub;
            }
        }
        long a = unmappedAreaTopdown(mm, len, Math.max(Addr.PAGE_SIZE, t.mmapMinAddr()), mm.mmapBase, 0);
        if (a < 0) {
            a = unmappedAreaBottomUp(mm, len, mm.mmapLegacyBase, taskSize, 0);
        }
        return a < 0 ? -Errno.ENOMEM : a;
    }

    // --- mmap --------------------------------------------------------------------------------

    /** do_mmap() + mmap_region() for anonymous memory, then mm_populate() if asked. */
    long mmap(Process p, long addr, long len, int prot, int flags) {
        Mm mm = p.mm;
        p.charge(TimeCategory.VMA, t.costs.vmaNanos());
        int type = flags & Mman.MAP_TYPE;
        if (type != Mman.MAP_SHARED && type != Mman.MAP_PRIVATE && type != Mman.MAP_SHARED_VALIDATE) {
            return -Errno.EINVAL;
        }
        if ((flags & Mman.MAP_ANONYMOUS) == 0) {
            return -Errno.EBADF;
        }
        if (len == 0) {
            return -Errno.EINVAL;
        }
        if ((prot & ~(Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC)) != 0) {
            return -Errno.EINVAL;
        }
        if ((flags & Mman.MAP_HUGETLB) != 0) {
            // hugetlb_file_setup: the pool has no pages in this model.
            return -Errno.ENOMEM;
        }
        long plen = pageAlign(len);
        if (plen == 0 || plen < 0) {
            return -Errno.ENOMEM;
        }
        if ((flags & Mman.MAP_FIXED_NOREPLACE) != 0) {
            flags |= Mman.MAP_FIXED;
        }
        if (mm.mapCount() > t.maxMapCount()) {
            return -Errno.ENOMEM;
        }
        boolean shared = type != Mman.MAP_PRIVATE;
        int vmFlags = VmFlags.protBits(prot)
                | VmFlags.mapBits(flags)
                | VmFlags.VM_MAYREAD
                | VmFlags.VM_MAYWRITE
                | VmFlags.VM_MAYEXEC;
        if (shared) {
            if ((vmFlags & VmFlags.VM_GROWSDOWN) != 0) {
                return -Errno.EINVAL;
            }
            vmFlags |= VmFlags.VM_SHARED | VmFlags.VM_MAYSHARE;
        }
        long start = getUnmappedArea(p, addr, plen, flags, !shared);
        if (Errno.isError(start)) {
            return start;
        }
        if ((flags & Mman.MAP_FIXED_NOREPLACE) != 0 && mm.occupied(start, start + plen)) {
            return -Errno.EEXIST;
        }
        if ((vmFlags & VmFlags.VM_LOCKED) != 0 && !mlockOk(p, plen >>> Addr.PAGE_SHIFT)) {
            return -Errno.EAGAIN;
        }
        if ((flags & Mman.MAP_NORESERVE) != 0 && overcommit().overcommitMemory() != Overcommit.OVERCOMMIT_NEVER) {
            vmFlags |= VmFlags.VM_NORESERVE;
        }
        long pages = plen >>> Addr.PAGE_SHIFT;
        // __mmap_region: the commit charge of an accountable mapping, less what the areas it
        // replaces were charged (their charge moves to it); refused, nothing changes.
        boolean accountable =
                (vmFlags & (VmFlags.VM_NORESERVE | VmFlags.VM_SHARED | VmFlags.VM_WRITE)) == VmFlags.VM_WRITE;
        if (accountable) {
            long charged = pages - accountedIn(mm, start, start + plen);
            if (!enoughMemory(p, charged)) {
                return -Errno.ENOMEM;
            }
            vmFlags |= VmFlags.VM_ACCOUNT;
        }
        if (mm.occupied(start, start + plen)) {
            unmapRange(p, start, start + plen, accountable);
        }
        Vma v = new Vma(start, start + plen, vmFlags, shared ? 0 : start >>> Addr.PAGE_SHIFT);
        if (shared) {
            v.shmem = new ShmemFile(t.nextShmemIno++, pages);
        }
        mm.insert(v);
        mm.statAccount(vmFlags, pages);
        merge(p, v);
        if ((vmFlags & VmFlags.VM_LOCKED) != 0
                || (flags & (Mman.MAP_POPULATE | Mman.MAP_NONBLOCK)) == Mman.MAP_POPULATE) {
            t.memory.mmPopulate(p, start, plen);
        }
        return start;
    }

    /** mlock_future_ok(): RLIMIT_MEMLOCK (8 MiB) unless privileged. */
    private boolean mlockOk(Process p, long pages) {
        return p.uid == 0 || (p.mm.lockedVm + pages) << Addr.PAGE_SHIFT <= ProcessTable.RLIMIT_MEMLOCK;
    }

    /** Pages of VM_ACCOUNT areas inside [start, end). */
    private static long accountedIn(Mm mm, long start, long end) {
        long n = 0;
        for (Vma v = mm.findVma(start); v != null && v.start < end; v = mm.nextFrom(v.end)) {
            if ((v.flags & VmFlags.VM_ACCOUNT) != 0) {
                n += (Math.min(end, v.end) - Math.max(start, v.start)) >>> Addr.PAGE_SHIFT;
            }
        }
        return n;
    }

    // --- munmap ------------------------------------------------------------------------------

    /** munmap(2) → do_vmi_munmap(). */
    int munmap(Process p, long start, long len) {
        p.charge(TimeCategory.VMA, t.costs.vmaNanos());
        long taskSize = ProcessTable.TASK_SIZE;
        if ((start & ~Addr.PAGE_MASK) != 0 || start > taskSize || len > taskSize - start || start < 0 || len < 0) {
            return -Errno.EINVAL;
        }
        long end = start + pageAlign(len);
        if (end == start) {
            return -Errno.EINVAL;
        }
        Vma first = p.mm.findVma(start);
        if (first != null && first.start < start && end < first.end && p.mm.mapCount() >= t.maxMapCount()) {
            return -Errno.ENOMEM;
        }
        unmapRange(p, start, end, false);
        return 0;
    }

    /**
     * do_vmi_align_munmap(): splits the areas at start and end, zaps and removes every area in
     * between, gives back their commit charge (unless {@code keepCharge}: MAP_FIXED over them,
     * whose new area takes it over) and frees the page tables left without an area.
     */
    void unmapRange(Process p, long start, long end, boolean keepCharge) {
        Mm mm = p.mm;
        Vma v = mm.findVma(start);
        if (v == null || v.start >= end) {
            return;
        }
        mm.updateHiwaterVm();
        if (v.start < start) {
            v = split(mm, v, start);
        }
        while (v != null && v.start < end) {
            if (v.end > end) {
                split(mm, v, end);
            }
            Vma next = mm.nextFrom(v.end);
            removeVma(p, v, keepCharge, true);
            v = next;
        }
        mm.pgtables.freeEmpty(start, end, mm::occupied);
    }

    /** remove_vma() after unmap_vmas(): zap, charge back, counters, backing reference. */
    void removeVma(Process p, Vma v, boolean keepCharge, boolean curr) {
        Mm mm = p.mm;
        t.memory.zap(p, v, v.start, v.end, curr);
        if ((v.flags & VmFlags.VM_ACCOUNT) != 0 && !keepCharge) {
            overcommit().unacct(v.pages());
        }
        mm.statAccount(v.flags, -v.pages());
        mm.remove(v);
        dropRef(p, v);
    }

    /** exit_mmap(): every area zapped and removed, every page table freed. */
    void exitMmap(Process p, boolean curr) {
        Mm mm = p.mm;
        mm.updateHiwaterVm();
        List<Vma> all = new ArrayList<>(mm.vmas.values());
        for (Vma v : all) {
            removeVma(p, v, false, curr);
        }
        mm.pgtables.freeAll();
    }

    // --- brk ---------------------------------------------------------------------------------

    /** The brk system call (SYSCALL_DEFINE1(brk) and do_brk_flags()). */
    long brk(Process p, long newBrk) {
        Mm mm = p.mm;
        long origbrk = mm.brk;
        if (newBrk < mm.startBrk || newBrk >= ProcessTable.TASK_SIZE) {
            return origbrk;
        }
        p.charge(TimeCategory.VMA, t.costs.vmaNanos());
        long newbrk = pageAlign(newBrk);
        long oldbrk = pageAlign(mm.brk);
        if (oldbrk == newbrk) {
            mm.brk = newBrk;
            return newBrk;
        }
        if (newBrk <= mm.brk) {
            mm.brk = newBrk;
            unmapRange(p, newbrk, oldbrk, false);
            return newBrk;
        }
        Vma next = mm.findVma(oldbrk);
        if (next != null && newbrk + Addr.PAGE_SIZE > next.startGap(t.stackGuardGap())) {
            return origbrk;
        }
        long len = newbrk - oldbrk;
        if (mm.mapCount() > t.maxMapCount() || !enoughMemory(p, len >>> Addr.PAGE_SHIFT)) {
            return origbrk;
        }
        int flags = VmFlags.VM_DATA_DEFAULT_FLAGS | VmFlags.VM_ACCOUNT;
        Vma v = new Vma(oldbrk, newbrk, flags, oldbrk >>> Addr.PAGE_SHIFT);
        mm.insert(v);
        mm.statAccount(flags, len >>> Addr.PAGE_SHIFT);
        merge(p, v);
        mm.brk = newBrk;
        return newBrk;
    }

    // --- mremap ------------------------------------------------------------------------------

    /** mremap(2). */
    long mremap(Process p, long addr, long oldLenIn, long newLenIn, int flags, long newAddr) {
        Mm mm = p.mm;
        p.charge(TimeCategory.VMA, t.costs.vmaNanos());
        if ((flags & ~(Mman.MREMAP_MAYMOVE | Mman.MREMAP_FIXED | Mman.MREMAP_DONTUNMAP)) != 0
                || ((flags & Mman.MREMAP_FIXED) != 0 && (flags & Mman.MREMAP_MAYMOVE) == 0)
                || (flags & Mman.MREMAP_DONTUNMAP) != 0) {
            return -Errno.EINVAL;
        }
        if ((addr & ~Addr.PAGE_MASK) != 0 || oldLenIn < 0 || newLenIn < 0) {
            return -Errno.EINVAL;
        }
        long oldLen = pageAlign(oldLenIn);
        long newLen = pageAlign(newLenIn);
        if (newLen == 0 || oldLen == 0) {
            // old_len 0 duplicates a shared mapping; kmemlab models only the private refusal.
            return -Errno.EINVAL;
        }
        if ((flags & Mman.MREMAP_FIXED) != 0) {
            return mremapTo(p, addr, oldLen, newLen, newAddr);
        }
        Vma vma = mm.vmaAt(addr);
        if (vma == null || oldLen > vma.end - addr) {
            return -Errno.EFAULT;
        }
        if (newLen <= oldLen) {
            if (newLen < oldLen) {
                unmapRange(p, addr + newLen, addr + oldLen, false);
            }
            return addr;
        }
        if ((vma.flags & (VmFlags.VM_DONTEXPAND | VmFlags.VM_PFNMAP)) != 0) {
            return -Errno.EFAULT;
        }
        long delta = newLen - oldLen;
        long deltaPages = delta >>> Addr.PAGE_SHIFT;
        if ((vma.flags & VmFlags.VM_LOCKED) != 0 && !mlockOk(p, deltaPages)) {
            return -Errno.EAGAIN;
        }
        if (addr + oldLen == vma.end
                && vma.end + delta <= ProcessTable.TASK_SIZE
                && vma.end + delta > vma.end
                && rangeFree(mm, vma.end, vma.end + delta)) {
            // vma_expand in place.
            if ((vma.flags & VmFlags.VM_ACCOUNT) != 0 && !enoughMemory(p, deltaPages)) {
                return -Errno.ENOMEM;
            }
            long oldEnd = vma.end;
            vma.end += delta;
            mm.statAccount(vma.flags, deltaPages);
            // vma_merge_extend(): the grown area merges with the next one if it now touches it.
            merge(p, vma);
            if ((vma.flags & VmFlags.VM_LOCKED) != 0) {
                t.memory.mmPopulate(p, oldEnd, delta);
            }
            return addr;
        }
        if ((flags & Mman.MREMAP_MAYMOVE) == 0) {
            return -Errno.ENOMEM;
        }
        int gflags = (vma.flags & VmFlags.VM_MAYSHARE) != 0 ? Mman.MAP_SHARED : Mman.MAP_PRIVATE;
        long to = getUnmappedArea(p, 0, newLen, gflags, vma.anonymous());
        if (Errno.isError(to)) {
            return to;
        }
        return moveVma(p, vma, addr, oldLen, newLen, to);
    }

    /** mremap_to(): MREMAP_FIXED. */
    private long mremapTo(Process p, long addr, long oldLen, long newLen, long newAddr) {
        Mm mm = p.mm;
        if ((newAddr & ~Addr.PAGE_MASK) != 0
                || newLen > ProcessTable.TASK_SIZE
                || newAddr > ProcessTable.TASK_SIZE - newLen
                || newAddr < 0) {
            return -Errno.EINVAL;
        }
        if (addr + oldLen > newAddr && newAddr + newLen > addr) {
            return -Errno.EINVAL;
        }
        Vma vma = mm.vmaAt(addr);
        if (vma == null || oldLen > vma.end - addr) {
            return -Errno.EFAULT;
        }
        unmapRange(p, newAddr, newAddr + newLen, false);
        if (oldLen > newLen) {
            unmapRange(p, addr + newLen, addr + oldLen, false);
            oldLen = newLen;
        }
        vma = mm.vmaAt(addr);
        return moveVma(p, vma, addr, oldLen, newLen, newAddr);
    }

    /**
     * move_vma(): a new area at {@code to} takes the pages of [addr, addr + oldLen) by moving their
     * PTEs (move_page_tables: the pages stay where they are), and the old range is unmapped; the
     * commit charge moves with it, plus the growth.
     */
    private long moveVma(Process p, Vma vma, long addr, long oldLen, long newLen, long to) {
        Mm mm = p.mm;
        if (mm.mapCount() >= t.maxMapCount() - 3) {
            return -Errno.ENOMEM;
        }
        long oldPages = oldLen >>> Addr.PAGE_SHIFT;
        long newPages = newLen >>> Addr.PAGE_SHIFT;
        boolean accounted = (vma.flags & VmFlags.VM_ACCOUNT) != 0;
        if (accounted && !enoughMemory(p, newPages - oldPages)) {
            return -Errno.ENOMEM;
        }
        // Page tables for the destination first, so that a failure changes nothing.
        for (long a = to; a < to + Math.min(oldLen, newLen); a = (a | (Pte.PMD_SIZE - 1)) + 1) {
            if (mm.pgtables.pteSlot(a, true) == 0) {
                if (accounted) {
                    overcommit().unacct(newPages - oldPages);
                }
                if (p.alive) {
                    mm.pgtables.freeEmpty(to, to + newLen, mm::occupied);
                }
                return -Errno.ENOMEM;
            }
        }
        if (vma.start < addr) {
            vma = split(mm, vma, addr);
        }
        if (vma.end > addr + oldLen) {
            split(mm, vma, addr + oldLen);
        }
        Vma moved = new Vma(to, to + newLen, vma.flags, vma.pgoff);
        moved.anonVma = vma.anonVma;
        moved.shmem = vma.shmem;
        moved.file = vma.file;
        if (moved.shmem != null) {
            moved.shmem.refs++;
        }
        var mem = t.machine.mem();
        for (long off = 0; off < oldLen; off += Addr.PAGE_SIZE) {
            long from = mm.pgtables.pteSlot(addr + off, false);
            if (from == 0) {
                off = ((addr + off) | (Pte.PMD_SIZE - 1)) + 1 - addr - Addr.PAGE_SIZE;
                continue;
            }
            long e = mem.readU64(from);
            if (!Pte.present(e)) {
                continue;
            }
            long dst = mm.pgtables.pteSlot(to + off, true);
            mem.writeU64(from, 0);
            mem.writeU64(dst, e);
            if (!Pte.special(e) && Pte.member(e) == Pte.MM_ANONPAGES) {
                t.rmap.moved(Pte.pfn(e), to + off);
            }
        }
        // The new area is in place before the old one goes, so the page tables they share stay.
        mm.insert(moved);
        mm.statAccount(moved.flags, newPages);
        // The old area's charge moves to the new one: conceal VM_ACCOUNT so the unmap keeps it.
        vma.flags &= ~VmFlags.VM_ACCOUNT;
        unmapRange(p, addr, addr + oldLen, false);
        Vma merged = merge(p, moved);
        if ((merged.flags & VmFlags.VM_LOCKED) != 0 && newLen > oldLen) {
            t.memory.mmPopulate(p, to + oldLen, newLen - oldLen);
        }
        return to;
    }

    // --- mprotect ----------------------------------------------------------------------------

    /** mprotect(2) → do_mprotect_pkey(). */
    int mprotect(Process p, long start, long lenIn, int prot) {
        Mm mm = p.mm;
        p.charge(TimeCategory.VMA, t.costs.vmaNanos());
        if ((start & ~Addr.PAGE_MASK) != 0) {
            return -Errno.EINVAL;
        }
        if (lenIn == 0) {
            return 0;
        }
        long len = pageAlign(lenIn);
        long end = start + len;
        if (end <= start || lenIn < 0) {
            return -Errno.ENOMEM;
        }
        if ((prot & ~(Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC)) != 0) {
            return -Errno.EINVAL;
        }
        Vma vma = mm.vmaAt(start);
        if (vma == null) {
            return -Errno.ENOMEM;
        }
        long nstart = start;
        while (true) {
            int newflags = (vma.flags & ~VmFlags.VM_ACCESS_FLAGS) | VmFlags.protBits(prot);
            if ((newflags & ~(newflags >>> 4) & VmFlags.VM_ACCESS_FLAGS) != 0) {
                return -Errno.EACCES;
            }
            long tmp = Math.min(vma.end, end);
            int err = mprotectFixup(p, vma, nstart, tmp, newflags);
            if (err != 0) {
                return err;
            }
            nstart = tmp;
            if (nstart >= end) {
                return 0;
            }
            vma = mm.vmaAt(nstart);
            if (vma == null) {
                return -Errno.ENOMEM;
            }
        }
    }

    /** mprotect_fixup(): the flags of [start, end) inside {@code vma} become {@code newflags}. */
    private int mprotectFixup(Process p, Vma vma, long start, long end, int newflags) {
        Mm mm = p.mm;
        if (newflags == vma.flags) {
            return 0;
        }
        long pages = (end - start) >>> Addr.PAGE_SHIFT;
        int oldflags = vma.flags;
        if ((newflags & VmFlags.VM_WRITE) != 0) {
            if ((oldflags
                            & (VmFlags.VM_ACCOUNT
                                    | VmFlags.VM_WRITE
                                    | VmFlags.VM_HUGETLB
                                    | VmFlags.VM_SHARED
                                    | VmFlags.VM_NORESERVE))
                    == 0) {
                if (!enoughMemory(p, pages)) {
                    return -Errno.ENOMEM;
                }
                newflags |= VmFlags.VM_ACCOUNT;
            }
        } else if ((oldflags & VmFlags.VM_ACCOUNT) != 0 && vma.anonymous() && vma.anonVma == 0) {
            // An anonymous area without pages that is no longer writable gives its charge back.
            newflags &= ~VmFlags.VM_ACCOUNT;
        }
        if (vma.start < start) {
            vma = split(mm, vma, start);
        }
        if (vma.end > end) {
            split(mm, vma, end);
        }
        mm.statAccount(oldflags, -pages);
        vma.flags = newflags;
        mm.statAccount(newflags, pages);
        if ((oldflags & VmFlags.VM_ACCOUNT) != 0 && (newflags & VmFlags.VM_ACCOUNT) == 0) {
            overcommit().unacct(pages);
        }
        merge(p, vma);
        return 0;
    }

    // --- madvise -----------------------------------------------------------------------------

    /** madvise(2) → do_madvise(). */
    int madvise(Process p, long start, long lenIn, int advice) {
        Mm mm = p.mm;
        p.charge(TimeCategory.VMA, t.costs.vmaNanos());
        switch (advice) {
            case Mman.MADV_NORMAL,
                    Mman.MADV_RANDOM,
                    Mman.MADV_SEQUENTIAL,
                    Mman.MADV_WILLNEED,
                    Mman.MADV_DONTNEED,
                    Mman.MADV_FREE,
                    Mman.MADV_POPULATE_READ,
                    Mman.MADV_POPULATE_WRITE -> {}
            default -> {
                return -Errno.EINVAL;
            }
        }
        if ((start & ~Addr.PAGE_MASK) != 0 || lenIn < 0) {
            return -Errno.EINVAL;
        }
        long len = pageAlign(lenIn);
        if (lenIn != 0 && len == 0) {
            return -Errno.EINVAL;
        }
        long end = start + len;
        if (end < start) {
            return -Errno.EINVAL;
        }
        if (end == start) {
            return 0;
        }
        int unmappedError = 0;
        long nstart = start;
        while (nstart < end) {
            Vma vma = mm.findVma(nstart);
            if (vma == null || vma.start >= end) {
                return -Errno.ENOMEM;
            }
            if (vma.start > nstart) {
                unmappedError = -Errno.ENOMEM;
                nstart = vma.start;
            }
            long nend = Math.min(end, vma.end);
            int err = madviseVma(p, vma, nstart, nend, advice);
            if (err != 0) {
                return err;
            }
            nstart = nend;
        }
        return unmappedError;
    }

    private int madviseVma(Process p, Vma vma, long start, long end, int advice) {
        switch (advice) {
            case Mman.MADV_DONTNEED:
                if ((vma.flags & (VmFlags.VM_LOCKED | VmFlags.VM_PFNMAP | VmFlags.VM_HUGETLB)) != 0) {
                    return -Errno.EINVAL;
                }
                p.mm.updateHiwaterRss();
                t.memory.zap(p, vma, start, end, true);
                return 0;
            case Mman.MADV_FREE:
                if (!vma.anonymous() || (vma.flags & (VmFlags.VM_LOCKED | VmFlags.VM_PFNMAP)) != 0) {
                    return -Errno.EINVAL;
                }
                lazyFree(p, start, end);
                return 0;
            case Mman.MADV_POPULATE_READ:
            case Mman.MADV_POPULATE_WRITE: {
                boolean write = advice == Mman.MADV_POPULATE_WRITE;
                if ((vma.flags & (VmFlags.VM_IO | VmFlags.VM_PFNMAP)) != 0) {
                    return -Errno.EINVAL;
                }
                if (write ? !vma.writable() : !vma.readable()) {
                    return -Errno.EFAULT;
                }
                int r = t.memory.populate(p, vma, start, end, write);
                return r == -Errno.EINTR ? -Errno.ENOMEM : r;
            }
            default:
                return 0;
        }
    }

    /**
     * madvise_free_pte_range(): every present anonymous page of the range becomes clean and lazily
     * freeable; reclaim may take it until it is written again. The zero page stays.
     */
    private void lazyFree(Process p, long start, long end) {
        var mem = t.machine.mem();
        long n = 0;
        for (long a = start; a < end; a += Addr.PAGE_SIZE) {
            int table = p.mm.pgtables.pteTable(a);
            if (table < 0) {
                a = (a | (Pte.PMD_SIZE - 1)) + 1 - Addr.PAGE_SIZE;
                continue;
            }
            long slot = Pte.slot(table, Pte.index(a, Addr.PAGE_SHIFT));
            long e = mem.readU64(slot);
            if (!Pte.present(e) || Pte.special(e) || Pte.member(e) != Pte.MM_ANONPAGES) {
                continue;
            }
            if ((e & Pte.LAZYFREE) == 0) {
                n++;
            }
            mem.writeU64(slot, (e & ~Pte.DIRTY) | Pte.LAZYFREE);
        }
        t.machine.countVmEvent(VmEvent.PGLAZYFREE, n);
    }

    // --- stack -------------------------------------------------------------------------------

    /**
     * expand_downwards(): an access just below a VM_GROWSDOWN area grows it, within RLIMIT_STACK
     * and the stack guard gap above the area below, charged like any private writable memory.
     *
     * @return the grown area, or null (SIGSEGV)
     */
    Vma expandStack(Process p, long uaddr) {
        Mm mm = p.mm;
        Vma next = mm.nextFrom(uaddr);
        if (next == null || (next.flags & VmFlags.VM_GROWSDOWN) == 0) {
            return null;
        }
        long newStart = uaddr & Addr.PAGE_MASK;
        if (next.end - newStart > ProcessTable.RLIMIT_STACK) {
            return null;
        }
        Vma prev = mm.prevOf(newStart);
        if (prev != null && newStart - prev.end < t.stackGuardGap()) {
            return null;
        }
        long grow = (next.start - newStart) >>> Addr.PAGE_SHIFT;
        if ((next.flags & VmFlags.VM_ACCOUNT) != 0 && !enoughMemory(p, grow)) {
            return null;
        }
        mm.statAccount(next.flags, grow);
        next.pgoff -= grow;
        mm.setStart(next, newStart);
        return next;
    }
}
