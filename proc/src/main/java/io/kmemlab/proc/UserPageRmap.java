package io.kmemlab.proc;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.page.MovableOwner;
import java.util.Arrays;

/**
 * The reverse map of anonymous user pages: pfn → (process, user address), the model's
 * {@code folio->mapping} (anon_vma) and {@code folio->index}. Compaction uses it to move a user
 * page: {@link #mayMigrate} says whether a movable page is one of ours, {@link #migrated} rewrites
 * the PTE that maps it to the new frame ({@code remove_migration_ptes}), which is all a process
 * sees of the move. The table is the page allocator's {@link MovableOwner} for user pages; boot
 * registers it, so compaction moves the pages of running processes.
 *
 * <p>Each mapped anonymous page has a slot; the frame's {@code page_private} holds slot + 1. Slots
 * are recycled through a free list and the arrays double when full, so the fault path allocates
 * no object per page. Page-cache, shmem and page-table pages are not in the map: they are not
 * movable here (the model's pinned pages).
 */
public final class UserPageRmap implements MovableOwner {
    private final PageFrames frames;
    private final PhysMem mem;
    private int[] slotPfn = new int[1024];
    private long[] slotAddr = new long[1024];
    private Process[] slotProc = new Process[1024];
    /** Head of the free slot list (linked through slotPfn as -2 - next), or -1. */
    private int freeHead = -1;

    private int used;
    private int size;
    private long migrations;

    UserPageRmap(PageFrames frames, PhysMem mem) {
        this.frames = frames;
        this.mem = mem;
    }

    /** page_add_new_anon_rmap(): {@code pfn} is mapped by {@code p} at {@code uaddr}. */
    void add(int pfn, Process p, long uaddr) {
        int slot;
        if (freeHead >= 0) {
            slot = freeHead;
            freeHead = -2 - slotPfn[slot];
        } else {
            if (used == slotPfn.length) {
                int n = used * 2;
                slotPfn = Arrays.copyOf(slotPfn, n);
                slotAddr = Arrays.copyOf(slotAddr, n);
                slotProc = Arrays.copyOf(slotProc, n);
            }
            slot = used++;
        }
        slotPfn[slot] = pfn;
        slotAddr[slot] = uaddr;
        slotProc[slot] = p;
        frames.setPriv(pfn, slot + 1);
        size++;
    }

    /** The slot of {@code pfn}, or -1 if it is not a mapped anonymous page. */
    private int slotOf(int pfn) {
        if (pfn < 0 || pfn >= frames.nrFrames()) {
            return -1;
        }
        int slot = frames.priv(pfn) - 1;
        return slot >= 0 && slot < used && slotPfn[slot] == pfn && slotProc[slot] != null ? slot : -1;
    }

    /** folio_remove_rmap_pte(): {@code pfn} is no longer mapped. */
    void remove(int pfn) {
        int slot = slotOf(pfn);
        assert slot >= 0 : "pfn " + pfn + " is not in the rmap";
        if (slot < 0) {
            return;
        }
        slotProc[slot] = null;
        slotPfn[slot] = -2 - freeHead;
        freeHead = slot;
        frames.setPriv(pfn, 0);
        size--;
    }

    /** mremap moved the PTE of {@code pfn} to {@code uaddr}. */
    void moved(int pfn, long uaddr) {
        int slot = slotOf(pfn);
        if (slot >= 0) {
            slotAddr[slot] = uaddr;
        }
    }

    /** The process mapping {@code pfn}, or null. */
    public Process owner(int pfn) {
        int slot = slotOf(pfn);
        return slot < 0 ? null : slotProc[slot];
    }

    /** The user address {@code pfn} is mapped at, or -1. */
    public long address(int pfn) {
        int slot = slotOf(pfn);
        return slot < 0 ? -1 : slotAddr[slot];
    }

    /** Mapped anonymous pages. */
    public int size() {
        return size;
    }

    /** Pages moved by {@link #migrated}. */
    public long migrations() {
        return migrations;
    }

    /** Is this an order-0 anonymous page some process maps? */
    @Override
    public boolean owns(int pfn, int order) {
        return order == 0 && slotOf(pfn) >= 0;
    }

    /** May compaction move this page? Only an order-0 anonymous page a live process maps. */
    @Override
    public boolean mayMigrate(int pfn, int order) {
        int slot = order == 0 ? slotOf(pfn) : -1;
        return slot >= 0 && slotProc[slot].alive;
    }

    /**
     * The page at {@code oldPfn} now lives at {@code newPfn} (its bytes already copied): the PTE
     * that mapped it is rewritten and the map follows. A pfn that is not ours is ignored.
     */
    @Override
    public void migrated(int oldPfn, int newPfn, int order) {
        int slot = order == 0 ? slotOf(oldPfn) : -1;
        if (slot < 0) {
            return;
        }
        Process p = slotProc[slot];
        long ptSlot = p.mm.pgtables.pteSlot(slotAddr[slot], false);
        long e = ptSlot == 0 ? 0 : mem.readU64(ptSlot);
        assert Pte.present(e) && Pte.pfn(e) == oldPfn
                : "rmap of pfn " + oldPfn + " disagrees with the PTE at " + Addr.hex(slotAddr[slot]);
        mem.writeU64(ptSlot, Pte.withPfn(e, newPfn));
        slotPfn[slot] = newPfn;
        frames.setPriv(oldPfn, 0);
        frames.setPriv(newPfn, slot + 1);
        migrations++;
    }
}
