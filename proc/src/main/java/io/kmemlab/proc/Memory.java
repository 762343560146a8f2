package io.kmemlab.proc;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.VmEvent;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.trace.EventType;
import io.kmemlab.mm.trace.KmemEvent;
import io.kmemlab.mm.trace.Tracer;
import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.TimeCategory;

/**
 * Our {@code mm/memory.c} and {@code mm/gup.c}: the page-fault handler, the zap of a range, the
 * population loop of MAP_POPULATE and MADV_POPULATE_*, and the user accesses of a process. One per
 * {@link ProcessTable}; nothing here allocates a Java object per page.
 *
 * <p>Faults, as {@code handle_mm_fault} dispatches them:
 * <pre>
 *  PTE none, anonymous, read    do_anonymous_page: map the shared zero page (special, read-only)
 *  PTE none, anonymous, write   do_anonymous_page: a zeroed page, GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP
 *  PTE zero page, write         do_wp_page → wp_page_copy: a zeroed page replaces it
 *  PTE none, shmem              shmem_fault: the file's page, allocated and cleared on first use
 *  PTE none, file, read         filemap_fault: a page-cache page (GFP_HIGHUSER_MOVABLE|__GFP_COMP)
 *  PTE none, file, write        do_cow_fault: a private copy of the file page
 *  PTE file page, write         do_wp_page → wp_page_copy: a private copy replaces it
 *  PTE shmem read-only, write   do_wp_page → wp_page_shared: made writable
 * </pre>
 * Every fault counts PGFAULT; a successful one counts a minor fault of the process
 * (mm_account_fault, also for faults GUP raises, which skip the trap's cost). The flags are the
 * ones the real trace shows: 6.18 allocates user memory as folios, so order-0 faults carry
 * __GFP_COMP too ({@code vma_alloc_zeroed_movable_folio}).
 */
final class Memory {
    /** Anonymous memory: vma_alloc_zeroed_movable_folio(). */
    static final int GFP_ANON = Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_ZERO | Gfp.__GFP_COMP;
    /** Page cache, shmem and COW copies: filemap_alloc_folio(), shmem_alloc_folio(), wp_page_copy(). */
    static final int GFP_PAGECACHE = Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_COMP;
    /** GFP_PGTABLE_USER: page-table pages. */
    static final int GFP_PGTABLE_USER = Gfp.GFP_KERNEL_ACCOUNT | Gfp.__GFP_ZERO;

    static final int FAULT_OK = 0;
    static final int FAULT_OOM = 1;
    static final int FAULT_SIGBUS = 2;

    /** FOLIO_BATCH_SIZE: release_pages frees in batches of this many (free_unref_folios). */
    static final int FREE_BATCH = 31;

    private final ProcessTable t;
    private final Machine machine;
    private final PhysMem mem;
    private final PageFrames frames;
    private final Tracer tracer;
    private final int[] batch = new int[FREE_BATCH];
    private final int[] batchOrders = new int[FREE_BATCH];
    private int nBatch;

    Memory(ProcessTable t) {
        this.t = t;
        this.machine = t.machine;
        this.mem = machine.mem();
        this.frames = machine.frames();
        this.tracer = machine.tracer();
    }

    private PageAllocator pa() {
        return machine.pageAllocator();
    }

    // --- page allocation ---------------------------------------------------------------------

    /**
     * An order-0 page for user memory or a page table, with the OOM path of
     * __alloc_pages_slowpath when the allocator has none: lazily freed pages are reclaimed first,
     * then the OOM killer picks a victim and the allocation is retried while the caller lives.
     *
     * @return the pfn, or -1 (no memory, or the caller was killed)
     */
    int allocPage(Process p, int gfp, PageUse use) {
        p.charge(TimeCategory.PAGE_ALLOC, t.costs.pageAllocNanos());
        int pfn = pa().allocPages(p.cpu, gfp, 0);
        while (pfn == PageAllocator.NO_PAGE) {
            if (!t.oom.outOfMemory(p, gfp, 0) || !p.alive) {
                return -1;
            }
            pfn = pa().allocPages(p.cpu, gfp, 0);
        }
        if ((gfp & Gfp.__GFP_ZERO) != 0 || use == PageUse.PAGE_CACHE || use == PageUse.SHMEM) {
            // __GFP_ZERO's clear, or clear_highpage() of a new shmem page; the model's file
            // contents are zeros, so a page-cache page is cleared too (its "read").
            if ((gfp & Gfp.__GFP_ZERO) == 0) {
                mem.fill(Addr.pfnToVirt(pfn), 0, Addr.PAGE_SIZE);
            }
            p.charge(TimeCategory.PAGE_CLEAR, t.costs.clearPageNanos());
        }
        t.pagesAllocated[use.ordinal()]++;
        return pfn;
    }

    int allocTablePage(Process p) {
        int pfn = allocPage(p, GFP_PGTABLE_USER, PageUse.PAGE_TABLE);
        if (pfn >= 0) {
            machine.addNodeStat(NodeStat.NR_PAGETABLE, 1);
        }
        return pfn;
    }

    void freeTablePage(Process p, int pfn) {
        machine.addNodeStat(NodeStat.NR_PAGETABLE, -1);
        t.pagesFreed[PageUse.PAGE_TABLE.ordinal()]++;
        pa().freePages(p.cpu, pfn, 0);
    }

    /** Queues a page for the batched free (tlb_remove_page → release_pages). */
    void queueFree(Process p, int pfn, PageUse use) {
        t.pagesFreed[use.ordinal()]++;
        batch[nBatch++] = pfn;
        if (nBatch == FREE_BATCH) {
            flushFree(p);
        }
    }

    /** tlb_finish_mmu(): frees what is queued, as one free_unref_folios() batch. */
    void flushFree(Process p) {
        if (nBatch > 0) {
            pa().freePagesBatch(p.cpu, batch, batchOrders, nBatch);
            nBatch = 0;
        }
    }

    // --- RSS ---------------------------------------------------------------------------------

    /** add_mm_counter(): and its rss_stat event. {@code curr}: the process is the one running. */
    void addRss(Process p, int member, long delta, boolean curr) {
        Mm mm = p.mm;
        if (delta < 0) {
            mm.updateHiwaterRss();
        }
        mm.rss[member] += delta;
        if (member == Pte.MM_ANONPAGES) {
            machine.addNodeStat(NodeStat.NR_ANON_MAPPED, delta);
        }
        if (tracer.on(EventType.RSS_STAT)) {
            tracer.emit(p.cpu, new KmemEvent.RssStat(mm.mmId, curr, member, mm.rss[member] << Addr.PAGE_SHIFT));
        }
        if (p.rssObserver != null) {
            p.rssObserver.rssChanged(machine.clock().nanos(), member, mm.rss[member], mm.rssPages());
        }
    }

    // --- faults ------------------------------------------------------------------------------

    /**
     * handle_mm_fault() for {@code addr} in {@code vma}, whose permissions the caller checked.
     *
     * @param gup raised by get_user_pages (populate), not by a user access: no trap
     * @return {@link #FAULT_OK}, {@link #FAULT_OOM} or {@link #FAULT_SIGBUS}
     */
    int handleFault(Process p, Vma vma, long addr, boolean write, boolean gup) {
        machine.countVmEvent(VmEvent.PGFAULT, 1);
        if (!gup) {
            p.charge(TimeCategory.TRAP, t.costs.trapNanos());
        }
        p.charge(TimeCategory.FAULT, t.costs.faultNanos());
        long page = addr & Addr.PAGE_MASK;
        long slot = p.mm.pgtables.pteSlot(page, true);
        if (slot == 0 || !p.alive) {
            return FAULT_OOM;
        }
        long e = mem.readU64(slot);
        int ret;
        if (!Pte.present(e)) {
            if (vma.shmem != null) {
                ret = shmemFault(p, vma, page, slot, write);
            } else if (vma.file != null) {
                ret = write ? cowFault(p, vma, page, slot, -1) : fileFault(p, vma, slot);
            } else {
                ret = anonFault(p, vma, page, slot, write);
            }
        } else if (write && !Pte.writable(e)) {
            ret = wpFault(p, vma, page, slot, e);
        } else {
            ret = FAULT_OK;
        }
        if (ret == FAULT_OK) {
            p.minflt++;
        }
        return ret;
    }

    private static long nx(Vma vma) {
        return (vma.flags & VmFlags.VM_EXEC) != 0 ? 0 : Pte.NX;
    }

    /** do_anonymous_page(). */
    private int anonFault(Process p, Vma vma, long page, long slot, boolean write) {
        if (!write) {
            mem.writeU64(
                    slot,
                    Pte.make(
                            t.zeroPfn,
                            Pte.PRESENT | Pte.USER | Pte.ACCESSED | Pte.SPECIAL | nx(vma),
                            Pte.MM_ANONPAGES));
            return FAULT_OK;
        }
        return newAnonPage(p, vma, page, slot);
    }

    /** A zeroed anonymous page at {@code page} (do_anonymous_page's write path, COW of the zero page). */
    private int newAnonPage(Process p, Vma vma, long page, long slot) {
        t.mmap.anonVmaPrepare(p.mm, vma);
        int pfn = allocPage(p, GFP_ANON, PageUse.ANON);
        if (pfn < 0) {
            return FAULT_OOM;
        }
        if (!p.alive) {
            pa().freePages(p.cpu, pfn, 0);
            return FAULT_OOM;
        }
        mem.writeU64(
                slot,
                Pte.make(pfn, Pte.PRESENT | Pte.RW | Pte.USER | Pte.ACCESSED | Pte.DIRTY | nx(vma), Pte.MM_ANONPAGES));
        t.rmap.add(pfn, p, page);
        addRss(p, Pte.MM_ANONPAGES, 1, true);
        return FAULT_OK;
    }

    /** do_wp_page(): a write to a present read-only PTE. */
    private int wpFault(Process p, Vma vma, long page, long slot, long e) {
        if (Pte.special(e)) {
            return newAnonPage(p, vma, page, slot);
        }
        switch (Pte.member(e)) {
            case Pte.MM_FILEPAGES:
                return cowFault(p, vma, page, slot, Pte.pfn(e));
            default:
                // wp_page_shared() (shmem) or a reused exclusive anonymous page: just writable.
                mem.writeU64(slot, e | Pte.RW | Pte.DIRTY);
                return FAULT_OK;
        }
    }

    /** filemap_fault(): a page-cache page of the program image, mapped read-only. */
    private int fileFault(Process p, Vma vma, long slot) {
        int pfn = allocPage(p, GFP_PAGECACHE, PageUse.PAGE_CACHE);
        if (pfn < 0) {
            return FAULT_OOM;
        }
        if (!p.alive) {
            pa().freePages(p.cpu, pfn, 0);
            return FAULT_OOM;
        }
        mem.writeU64(slot, Pte.make(pfn, Pte.PRESENT | Pte.USER | Pte.ACCESSED | nx(vma), Pte.MM_FILEPAGES));
        addRss(p, Pte.MM_FILEPAGES, 1, true);
        return FAULT_OK;
    }

    /**
     * do_cow_fault() / wp_page_copy() of a file page: a private anonymous copy ({@code oldPfn} the
     * file page mapped now, or -1 for none: the copy is of the file's bytes, zeros here).
     */
    private int cowFault(Process p, Vma vma, long page, long slot, int oldPfn) {
        t.mmap.anonVmaPrepare(p.mm, vma);
        int pfn = allocPage(p, GFP_PAGECACHE, PageUse.ANON);
        if (pfn < 0) {
            return FAULT_OOM;
        }
        if (!p.alive) {
            pa().freePages(p.cpu, pfn, 0);
            return FAULT_OOM;
        }
        if (oldPfn >= 0) {
            mem.copy(Addr.pfnToVirt(pfn), Addr.pfnToVirt(oldPfn), Addr.PAGE_SIZE);
        } else {
            mem.fill(Addr.pfnToVirt(pfn), 0, Addr.PAGE_SIZE);
        }
        p.charge(TimeCategory.PAGE_CLEAR, t.costs.copyPageNanos());
        mem.writeU64(
                slot,
                Pte.make(pfn, Pte.PRESENT | Pte.RW | Pte.USER | Pte.ACCESSED | Pte.DIRTY | nx(vma), Pte.MM_ANONPAGES));
        t.rmap.add(pfn, p, page);
        if (oldPfn >= 0) {
            // No page cache in the model: the file page goes back to the allocator.
            addRss(p, Pte.MM_FILEPAGES, -1, true);
            queueFree(p, oldPfn, PageUse.PAGE_CACHE);
            flushFree(p);
        }
        addRss(p, Pte.MM_ANONPAGES, 1, true);
        return FAULT_OK;
    }

    /** shmem_fault(): the object's page at this offset, allocated on first use. */
    private int shmemFault(Process p, Vma vma, long page, long slot, boolean write) {
        ShmemFile f = vma.shmem;
        long idx = vma.pageIndex(page);
        if (idx >= f.sizePages) {
            return FAULT_SIGBUS;
        }
        int pfn = f.pfns[(int) idx];
        if (pfn == PageFrames.NIL) {
            pfn = allocPage(p, GFP_PAGECACHE, PageUse.SHMEM);
            if (pfn < 0) {
                return FAULT_OOM;
            }
            f.pfns[(int) idx] = pfn;
            f.nrPages++;
            machine.addNodeStat(NodeStat.NR_SHMEM, 1);
        }
        long bits = Pte.PRESENT | Pte.USER | Pte.ACCESSED | nx(vma);
        if (write) {
            bits |= Pte.RW | Pte.DIRTY;
        }
        mem.writeU64(slot, Pte.make(pfn, bits, Pte.MM_SHMEMPAGES));
        addRss(p, Pte.MM_SHMEMPAGES, 1, true);
        return FAULT_OK;
    }

    // --- zap ---------------------------------------------------------------------------------

    /**
     * zap_pte_range() over [start, end) of {@code vma}: clears the PTEs, gives anonymous and
     * page-cache pages back in batches (shmem pages stay with their object), and updates the RSS
     * once per page table, as add_mm_rss_vec() does.
     */
    void zap(Process p, Vma vma, long start, long end, boolean curr) {
        PageTables pt = p.mm.pgtables;
        long addr = start;
        while (addr < end) {
            long tableEnd = Math.min((addr | (Pte.PMD_SIZE - 1)) + 1, end);
            int table = pt.pteTable(addr);
            if (table >= 0) {
                long file = 0;
                long anon = 0;
                long shmem = 0;
                for (long a = addr; a < tableEnd; a += Addr.PAGE_SIZE) {
                    long slot = Pte.slot(table, Pte.index(a, Addr.PAGE_SHIFT));
                    long e = mem.readU64(slot);
                    if (!Pte.present(e)) {
                        continue;
                    }
                    mem.writeU64(slot, 0);
                    p.charge(TimeCategory.ZAP, t.costs.zapPageNanos());
                    if (Pte.special(e)) {
                        continue;
                    }
                    int pfn = Pte.pfn(e);
                    switch (Pte.member(e)) {
                        case Pte.MM_ANONPAGES -> {
                            anon--;
                            t.rmap.remove(pfn);
                            queueFree(p, pfn, PageUse.ANON);
                        }
                        case Pte.MM_SHMEMPAGES -> shmem--;
                        default -> {
                            file--;
                            queueFree(p, pfn, PageUse.PAGE_CACHE);
                        }
                    }
                }
                if (file != 0) {
                    addRss(p, Pte.MM_FILEPAGES, file, curr);
                }
                if (anon != 0) {
                    addRss(p, Pte.MM_ANONPAGES, anon, curr);
                }
                if (shmem != 0) {
                    addRss(p, Pte.MM_SHMEMPAGES, shmem, curr);
                }
            }
            addr = tableEnd;
        }
        flushFree(p);
    }

    /** Frees a shmem object's pages when its last mapping goes (shmem_evict_inode). */
    void releaseShmem(Process p, ShmemFile f) {
        if (--f.refs > 0) {
            return;
        }
        for (int i = 0; i < f.pfns.length; i++) {
            if (f.pfns[i] != PageFrames.NIL) {
                queueFree(p, f.pfns[i], PageUse.SHMEM);
                f.pfns[i] = PageFrames.NIL;
            }
        }
        machine.addNodeStat(NodeStat.NR_SHMEM, -f.nrPages);
        f.nrPages = 0;
        flushFree(p);
    }

    // --- population --------------------------------------------------------------------------

    /**
     * populate_vma_page_range() / faultin_page_range() over [start, end) of one VMA: every page
     * not mapped as needed is faulted in, as __get_user_pages does (a mapped page, or for a
     * write a writable one, is skipped).
     *
     * @return 0, or -ENOMEM (out of memory, or killed) or -EFAULT (SIGBUS)
     */
    int populate(Process p, Vma vma, long start, long end, boolean write) {
        PageTables pt = p.mm.pgtables;
        for (long a = start; a < end; a += Addr.PAGE_SIZE) {
            if (!p.alive) {
                return -Errno.EINTR;
            }
            long e = pt.pte(a);
            if (Pte.present(e) && (!write || Pte.writable(e))) {
                continue;
            }
            int r = handleFault(p, vma, a, write, true);
            if (r != FAULT_OK) {
                return r == FAULT_OOM ? -Errno.ENOMEM : -Errno.EFAULT;
            }
        }
        return 0;
    }

    /**
     * __mm_populate(start, len, ignore_errors = 1): MAP_POPULATE's loop, best effort, run after the
     * mapping exists: each VMA in the range is populated with write faults if it is private and
     * writable (breaking COW now) and read faults otherwise; inaccessible VMAs and errors are
     * skipped.
     */
    void mmPopulate(Process p, long start, long len) {
        long end = start + len;
        long nstart = start;
        while (nstart < end && p.alive) {
            Vma vma = p.mm.findVma(nstart);
            if (vma == null || vma.start >= end) {
                break;
            }
            nstart = Math.max(nstart, vma.start);
            long nend = Math.min(end, vma.end);
            if ((vma.flags & (VmFlags.VM_IO | VmFlags.VM_PFNMAP)) == 0 && vma.readable()) {
                boolean write = (vma.flags & (VmFlags.VM_WRITE | VmFlags.VM_SHARED)) == VmFlags.VM_WRITE;
                populate(p, vma, nstart, nend, write);
            }
            nstart = nend;
        }
    }

    // --- user access -------------------------------------------------------------------------

    /**
     * The direct-map address of user byte {@code uaddr} for an access, after faulting the page in
     * as the MMU and the fault handler would. A write sets the PTE's dirty bit (and takes a
     * MADV_FREE'd page back). An access outside every VMA or against its permissions is SIGSEGV, a
     * shmem access past the object's end SIGBUS, and an OOM kill of the process ends it too.
     *
     * @return the address, or 0 if the process died
     */
    long userAddress(Process p, long uaddr, boolean write) {
        Mm mm = p.mm;
        if (uaddr < 0 || uaddr >= ProcessTable.TASK_SIZE) {
            t.signal(p, Process.SIGSEGV, uaddr, write, false);
            return 0;
        }
        Vma vma = mm.vmaAt(uaddr);
        if (vma == null) {
            vma = t.mmap.expandStack(p, uaddr);
            if (vma == null) {
                t.signal(p, Process.SIGSEGV, uaddr, write, false);
                return 0;
            }
        }
        long slot = mm.pgtables.pteSlot(uaddr, false);
        long e = slot == 0 ? 0 : mem.readU64(slot);
        if (write ? !vma.writable() : !vma.readable()) {
            t.signal(p, Process.SIGSEGV, uaddr, write, Pte.present(e));
            return 0;
        }
        if (!Pte.present(e) || (write && !Pte.writable(e))) {
            int r = handleFault(p, vma, uaddr, write, false);
            if (r != FAULT_OK) {
                if (r == FAULT_SIGBUS) {
                    t.signal(p, Process.SIGBUS, uaddr, write, false);
                }
                return 0;
            }
            slot = mm.pgtables.pteSlot(uaddr, false);
            e = mem.readU64(slot);
        }
        if (write && (e & (Pte.DIRTY | Pte.LAZYFREE)) != Pte.DIRTY) {
            mem.writeU64(slot, (e | Pte.DIRTY) & ~Pte.LAZYFREE);
        }
        p.charge(TimeCategory.USER, t.costs.touchNanos());
        return Addr.pfnToVirt(Pte.pfn(e)) + Addr.offsetInPage(uaddr);
    }
}
