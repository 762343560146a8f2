package io.kmemlab.slob;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PfnList;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.SpinLock;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.slab.SlabIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SLOB heap: order-0 pages carved into blocks, three lists of partially free pages, first fit
 * inside a page with list rotation over pages ({@code slob_alloc}, {@code slob_page_alloc},
 * {@code slob_free} of Linux 6.3 {@code mm/slob.c}), plus the teaching fit policies.
 *
 * <p>Per-page state ({@code struct slab} under SLOB: free units, first free block, on-list) lives
 * in a table indexed by the page's {@code PageFrames.priv}; free-block headers live in the page's
 * bytes ({@link SlobBlock}). Every method that touches the lists or headers holds
 * {@code slob_lock}; the page allocator is called without it, as the kernel does.
 */
final class SlobHeap implements SlobMetric {
    private static final Logger LOG = LoggerFactory.getLogger(SlobHeap.class);
    private static final int NO_LIST = -1;
    private static final int END = SlobBlock.UNITS_PER_PAGE;

    private final Machine machine;
    private final PhysMem mem;
    private final PageFrames frames;
    private final SpinLock slobLock = new SpinLock("slob_lock");
    private final PfnList[] lists = new PfnList[SlobList.values().length];
    private final SlobFit fit;

    // The per-page table, one slot per heap page (struct slab's SLOB fields), its slot numbers
    // from the common per-slab id table.
    private int[] slotPfn = new int[16];
    /**
     * Each heap page's bytes once backed ({@link #frameOf}): PhysMem never replaces a frame it has
     * backed, so the walks read headers with one load instead of PhysMem's directory lookup.
     */
    private byte[][] slotFrame = new byte[16][];

    private int[] slotUnits = new int[16];
    private int[] slotFreelist = new int[16];
    private byte[] slotList = new byte[16];
    private boolean[] slotBroken = new boolean[16];
    private final SlabIds slots = new SlabIds(0, 16, this::growSlots);

    // Next fit's rover: per list, the page and unit offset just past the last allocation.
    private final int[] roverPfn = new int[SlobList.values().length];
    private final int[] roverOff = new int[SlobList.values().length];

    // Result of a block search (no object per search).
    private int foundPfn;
    private int foundPrev;
    private int foundPrevUnits;
    private int foundNext;
    private int foundCur;
    private int foundAvail;
    private int foundDelta;

    // Result of the free-path check walk (clearOfFreeBlocks), reused by insert(): the free block
    // before the freed one (-1 if none) and the one after it (END if none), with their headers.
    private int freePrev;
    private int freePrevUnits;
    private int freeNext;
    private int freeNextUnits;
    private int freeNextNext;

    private long heapPages;
    private long bigPages;
    private long heapPagesAllocated;
    private long heapPagesFreed;
    private long rejected;

    SlobHeap(Machine machine, SlobFit fit) {
        this.machine = machine;
        this.mem = machine.mem();
        this.frames = machine.frames();
        this.fit = fit;
        machine.locks().register(slobLock, "slob_alloc");
        for (int i = 0; i < lists.length; i++) {
            lists[i] = new PfnList(frames);
        }
        Arrays.fill(roverPfn, PageFrames.NIL);
    }

    SlobFit fit() {
        return fit;
    }

    SpinLock lock() {
        return slobLock;
    }

    PfnList list(SlobList which) {
        return lists[which.ordinal()];
    }

    // --- the per-page table ----------------------------------------------------------------

    /** The table slot of a SLOB heap page, or -1 if {@code pfn} is not one. */
    int slotOf(int pfn) {
        if (!frames.valid(pfn) || !frames.test(pfn, PageFrames.PG_SLAB) || frames.test(pfn, PageFrames.PG_TAIL)) {
            return -1;
        }
        int slot = frames.priv(pfn);
        return slots.inRange(slot) && slotPfn[slot] == pfn ? slot : -1;
    }

    boolean isHeapPage(int pfn) {
        return slotOf(pfn) >= 0;
    }

    /** sp->units of a heap page. */
    int pageUnits(int pfn) {
        return slotUnits[slotOf(pfn)];
    }

    /** Offset of sp->freelist ({@link SlobBlock#UNITS_PER_PAGE} when the page is full). */
    int pageFreelist(int pfn) {
        return slotFreelist[slotOf(pfn)];
    }

    /** The list a heap page is on, or null (full, or set aside after corruption). */
    SlobList pageList(int pfn) {
        int l = slotList[slotOf(pfn)];
        return l == NO_LIST ? null : SlobList.byOrdinal(l);
    }

    private void growSlots(int n) {
        slotPfn = Arrays.copyOf(slotPfn, n);
        slotFrame = Arrays.copyOf(slotFrame, n);
        slotUnits = Arrays.copyOf(slotUnits, n);
        slotFreelist = Arrays.copyOf(slotFreelist, n);
        slotList = Arrays.copyOf(slotList, n);
        slotBroken = Arrays.copyOf(slotBroken, n);
    }

    private int newSlot(int pfn) {
        int slot = slots.allocate();
        slotPfn[slot] = pfn;
        slotFrame[slot] = null;
        slotList[slot] = NO_LIST;
        slotBroken[slot] = false;
        frames.setPriv(pfn, slot);
        return slot;
    }

    private void releaseSlot(int slot) {
        slotPfn[slot] = PageFrames.NIL;
        slotFrame[slot] = null;
        slotUnits[slot] = 0;
        slotFreelist[slot] = END;
        slotList[slot] = NO_LIST;
        slots.release(slot);
    }

    /** The bytes of heap page {@code slot} (PhysMem#frameIfBacked, cached), or null while untouched. */
    private byte[] frameOf(int slot) {
        byte[] f = slotFrame[slot];
        if (f == null) {
            f = mem.frameIfBacked(slotPfn[slot]);
            slotFrame[slot] = f;
        }
        return f;
    }

    /** The 32-bit word at {@code addr} on heap page {@code slot} (kmalloc's size header). */
    int readU32(int slot, long addr) {
        byte[] f = frameOf(slot);
        return f != null ? PhysMem.readU32(f, addr) : mem.readU32(addr);
    }

    /**
     * Writes the 32-bit word at {@code addr} of the block {@link #alloc} returned last (kmalloc's
     * size header), through that page's bytes.
     */
    void writeU32InLastBlock(long addr, int value) {
        int slot = lastTakeSlot;
        byte[] f = slot >= 0 && slotPfn[slot] == Addr.virtToPfn(addr) ? frameOf(slot) : null;
        if (f != null) {
            PhysMem.writeU32(f, addr, value);
        } else {
            mem.writeU32(addr, value);
        }
    }

    /** The slot of the page {@link #take} carved the last block from, or -1. */
    private int lastTakeSlot = -1;

    /** set_slob_page_free: list_add at the head of a list. */
    private void addToList(int slot, SlobList which) {
        lists[which.ordinal()].addHead(slotPfn[slot]);
        slotList[slot] = (byte) which.ordinal();
    }

    /** clear_slob_page_free: list_del. */
    private void removeFromList(int slot) {
        lists[slotList[slot]].remove(slotPfn[slot]);
        slotList[slot] = NO_LIST;
    }

    // --- pages from the page allocator ----------------------------------------------------

    /**
     * slob_new_pages: 2^order pages for SLOB, counted in NR_SLAB_UNRECLAIMABLE_B.
     *
     * @return the head pfn or {@link PageAllocator#NO_PAGE}
     */
    int newPages(int cpu, int gfp, int order) {
        int pfn = machine.pageAllocator().allocPages(cpu, gfp, order);
        if (pfn == PageAllocator.NO_PAGE) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("slob_new_pages: no order-{} page for gfp {}", order, Gfp.format(gfp));
            }
            return pfn;
        }
        machine.addNodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B, (long) Addr.PAGE_SIZE << order);
        return pfn;
    }

    /** slob_free_pages: uncounts and frees 2^order pages. */
    void freePages(int cpu, int pfn, int order) {
        machine.addNodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B, -((long) Addr.PAGE_SIZE << order));
        machine.pageAllocator().freePages(cpu, pfn, order);
    }

    void countBigPages(long delta) {
        bigPages += delta;
    }

    // --- slob_alloc ---------------------------------------------------------------------

    /**
     * slob_alloc(size, gfp, align, node = NUMA_NO_NODE, align_offset).
     *
     * @param size bytes (for kmalloc, the request plus the header)
     * @return the block's address, or 0 if no page could be had
     */
    long alloc(int cpu, int size, int gfp, int align, int alignOffset) {
        int units = SlobBlock.units(size);
        SlobList which = SlobList.forSize(size);
        long b = 0;
        slobLock.lock();
        try {
            if (search(which, units, align, alignOffset)) {
                b = take(which, units);
            }
        } finally {
            slobLock.unlock();
        }
        if (b == 0) {
            b = allocFreshPage(cpu, which, units, gfp, align, alignOffset);
            if (b == 0) {
                return 0;
            }
        }
        if ((gfp & Gfp.__GFP_ZERO) != 0) {
            mem.fill(b, 0, size);
        }
        return b;
    }

    /** No page on the list had room: a fresh page goes to the head of the list (slob_alloc). */
    private long allocFreshPage(int cpu, SlobList which, int units, int gfp, int align, int alignOffset) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("slob_alloc: no {} page fits {} units (align {}): new page", which.label(), units, align);
        }
        int pfn = newPages(cpu, gfp & ~Gfp.__GFP_ZERO, 0);
        if (pfn == PageAllocator.NO_PAGE) {
            return 0;
        }
        slobLock.lock();
        try {
            frames.set(pfn, PageFrames.PG_SLAB);
            int slot = newSlot(pfn);
            heapPages++;
            heapPagesAllocated++;
            slotUnits[slot] = END;
            slotFreelist[slot] = 0;
            SlobBlock.set(mem, Addr.pfnToVirt(pfn), 0, END, END);
            addToList(slot, which);
            boolean found = findInPage(slot, units, align, alignOffset, 0, END);
            assert found : "a fresh SLOB page must satisfy " + units + " units";
            return take(which, units);
        } finally {
            slobLock.unlock();
        }
    }

    /**
     * Finds the block to allocate from among the pages of a list, into the found* fields. Pages
     * with fewer free units than requested are skipped without looking at their blocks.
     */
    private boolean search(SlobList which, int units, int align, int alignOffset) {
        PfnList list = lists[which.ordinal()];
        int head = list.first();
        if (fit == SlobFit.BEST || fit == SlobFit.WORST) {
            return searchAll(list, units, align, alignOffset);
        }
        boolean resume = fit == SlobFit.NEXT && head != PageFrames.NIL && roverPfn[which.ordinal()] == head;
        int from = resume ? roverOff[which.ordinal()] : 0;
        for (int pfn = head; pfn != PageFrames.NIL; pfn = list.next(pfn)) {
            int slot = frames.priv(pfn);
            if (slotUnits[slot] < units) {
                continue;
            }
            if (findInPage(slot, units, align, alignOffset, pfn == head ? from : 0, END)) {
                return true;
            }
        }
        if (resume && from > 0) {
            int slot = frames.priv(head);
            return slotUnits[slot] >= units && findInPage(slot, units, align, alignOffset, 0, from);
        }
        return false;
    }

    /**
     * First fit inside one page over the blocks that start in [from, to): the walk of
     * slob_page_alloc, with the alignment the block would need.
     */
    private boolean findInPage(int slot, int units, int align, int alignOffset, int from, int to) {
        long base = Addr.pfnToVirt(slotPfn[slot]);
        // the page's bytes once for the whole walk: each visit is then one array read
        byte[] frame = frameOf(slot);
        int prev = -1;
        int prevUnits = 0;
        for (int cur = slotFreelist[slot]; cur < to; ) {
            // one read for both header words; size and next decoded as slob_units/slob_next
            int header = SlobBlock.header(frame, mem, base, cur);
            int avail = SlobBlock.sizeOf(header);
            int next = SlobBlock.nextOf(header);
            if (next <= cur || next > END || avail > next - cur) {
                brokenList(slot, cur, avail, next);
                return false;
            }
            // delta >= 0, so a block smaller than the request cannot fit: skip the alignment sum
            if (cur >= from && avail >= units) {
                int delta = alignDelta(base, cur, align, alignOffset);
                if (avail >= units + delta) {
                    found(slot, prev, prevUnits, cur, avail, next, delta);
                    return true;
                }
            }
            if (next == END) {
                return false;
            }
            prev = cur;
            prevUnits = avail;
            cur = next;
        }
        return false;
    }

    /** Best or worst fit: every block of every page with enough free units is a candidate. */
    private boolean searchAll(PfnList list, int units, int align, int alignOffset) {
        boolean best = fit == SlobFit.BEST;
        int bestRemainder = -1;
        for (int pfn = list.first(); pfn != PageFrames.NIL; pfn = list.next(pfn)) {
            int slot = frames.priv(pfn);
            if (slotUnits[slot] < units) {
                continue;
            }
            long base = Addr.pfnToVirt(pfn);
            byte[] frame = frameOf(slot);
            int prev = -1;
            int prevUnits = 0;
            for (int cur = slotFreelist[slot]; cur < END; ) {
                int header = SlobBlock.header(frame, mem, base, cur);
                int avail = SlobBlock.sizeOf(header);
                int next = SlobBlock.nextOf(header);
                if (next <= cur || next > END || avail > next - cur) {
                    brokenList(slot, cur, avail, next);
                    break;
                }
                int delta = alignDelta(base, cur, align, alignOffset);
                if (avail >= units + delta) {
                    int remainder = avail - delta - units;
                    if (bestRemainder < 0 || (best ? remainder < bestRemainder : remainder > bestRemainder)) {
                        bestRemainder = remainder;
                        found(slot, prev, prevUnits, cur, avail, next, delta);
                        if (best && remainder == 0) {
                            return true;
                        }
                    }
                }
                prev = cur;
                prevUnits = avail;
                cur = next;
            }
        }
        return bestRemainder >= 0;
    }

    /** Records the chosen block with the header values the search already read, for take(). */
    private void found(int slot, int prev, int prevUnits, int cur, int avail, int next, int delta) {
        foundPfn = slotPfn[slot];
        foundPrev = prev;
        foundPrevUnits = prevUnits;
        foundNext = next;
        foundCur = cur;
        foundAvail = avail;
        foundDelta = delta;
    }

    /** Units between {@code cur} and the position that puts {@code cur + alignOffset} on {@code align}. */
    private static int alignDelta(long base, int cur, int align, int alignOffset) {
        if (align == 0) {
            return 0;
        }
        long addr = SlobBlock.addr(base, cur);
        long aligned = ((addr + alignOffset + align - 1) & -(long) align) - alignOffset;
        return (int) ((aligned - addr) / SlobBlock.SLOB_UNIT);
    }

    /**
     * Carves {@code units} out of the found block (slob_page_alloc from "avail >= units + delta"
     * on), then rotates the list to the page (list_rotate_to_front) if it is still on it.
     */
    private long take(SlobList which, int units) {
        int pfn = foundPfn;
        int slot = frames.priv(pfn);
        long base = Addr.pfnToVirt(pfn);
        int prev = foundPrev;
        int prevUnits = foundPrevUnits;
        int cur = foundCur;
        int avail = foundAvail;
        int delta = foundDelta;
        // the headers are as the search read them (same lock hold): no need to read them again
        int next = foundNext;
        byte[] frame = frameOf(slot);
        if (delta > 0) {
            // split off the head: the fragment stays free and keeps counting in sp->units
            SlobBlock.set(frame, mem, base, cur + delta, avail - delta, next);
            SlobBlock.set(frame, mem, base, cur, delta, cur + delta);
            prev = cur;
            prevUnits = delta;
            cur += delta;
            avail -= delta;
        }
        if (avail == units) {
            link(frame, slot, base, prev, prevUnits, next);
        } else {
            link(frame, slot, base, prev, prevUnits, cur + units);
            SlobBlock.set(frame, mem, base, cur + units, avail - units, next);
        }
        slotUnits[slot] -= units;
        if (slotUnits[slot] == 0) {
            removeFromList(slot);
        } else {
            PfnList list = lists[which.ordinal()];
            if (slotList[slot] == which.ordinal()) {
                rotateToFront(list, pfn);
            }
        }
        roverPfn[which.ordinal()] = pfn;
        roverOff[which.ordinal()] = cur + units;
        lastTakeSlot = slot;
        return SlobBlock.addr(base, cur);
    }

    /** Points prev (or sp->freelist when prev is -1) at {@code to}. */
    private void link(byte[] frame, int slot, long base, int prev, int prevUnits, int to) {
        if (prev < 0) {
            slotFreelist[slot] = to;
        } else {
            SlobBlock.set(frame, mem, base, prev, prevUnits, to);
        }
    }

    /**
     * list_rotate_to_front(pfn, list): the list now starts at {@code pfn}, keeping its cyclic
     * order, so the next scan starts where this one succeeded (one splice, as the kernel's).
     */
    private static void rotateToFront(PfnList list, int pfn) {
        list.rotateToFront(pfn);
    }

    private void brokenList(int slot, int cur, int avail, int next) {
        int pfn = slotPfn[slot];
        if (!slotBroken[slot]) {
            slotBroken[slot] = true;
            rejected++;
            machine.dmesg()
                    .report(
                            ReportKind.SLAB_CORRUPTION,
                            String.format(
                                    Locale.ROOT,
                                    "slob: free list of page pfn:0x%x corrupted at unit %d (size %d, next %d)%n"
                                            + "slob: page pfn:0x%x taken off the free lists",
                                    pfn,
                                    cur,
                                    avail,
                                    next,
                                    pfn));
        }
        if (slotList[slot] != NO_LIST) {
            removeFromList(slot);
        }
    }

    // --- slob_free ----------------------------------------------------------------------

    /**
     * slob_free(block, size) after the checks real SLOB does not make: the block must lie on a
     * heap page, inside it, unit aligned and clear of every free block.
     *
     * @param fn the caller's name for reports (kfree, kmem_cache_free)
     * @return false if the free was rejected and reported
     */
    boolean free(int cpu, long b, int size, String fn) {
        int units = SlobBlock.units(size);
        int pfn = Addr.virtToPfn(b);
        long base = Addr.pfnToVirt(pfn);
        int off = SlobBlock.offset(base, b);
        boolean returnPage = false;
        slobLock.lock("slob_free");
        try {
            int slot = checkFreeLocked(b, size, fn);
            if (slot < 0) {
                return false;
            }
            if (slotUnits[slot] + units == END) {
                // the page is wholly free: straight back to the page allocator
                unlinkFreePage(slot, pfn);
                returnPage = true;
            } else if (slotList[slot] == NO_LIST) {
                // the page was full: it becomes partially free, listed by this block's size
                slotUnits[slot] = units;
                slotFreelist[slot] = off;
                SlobBlock.set(mem, base, off, units, END);
                addToList(slot, SlobList.forSize(size));
            } else {
                slotUnits[slot] += units;
                // checkFreeLocked walked this page (sp->units > 0): insert where that walk stopped
                insert(slot, base, off, units);
            }
        } finally {
            slobLock.unlock();
        }
        if (returnPage) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("slob_free: page pfn:0x{} wholly free, back to the page allocator", Integer.toHexString(pfn));
            }
            freePages(cpu, pfn, 0);
        }
        return true;
    }

    /**
     * Takes a wholly free heap page off SLOB's books (off its list, PG_slab and its slot gone, no
     * rover pointing at it) before {@link #free} hands it back to the page allocator. A method of
     * its own so that free stays small enough for the JIT to inline.
     */
    private void unlinkFreePage(int slot, int pfn) {
        if (slotList[slot] != NO_LIST) {
            removeFromList(slot);
        }
        frames.clear(pfn, PageFrames.PG_SLAB);
        frames.setPriv(pfn, 0);
        releaseSlot(slot);
        heapPages--;
        heapPagesFreed++;
        for (int i = 0; i < roverPfn.length; i++) {
            if (roverPfn[i] == pfn) {
                roverPfn[i] = PageFrames.NIL;
            }
        }
    }

    /**
     * The checks of {@link #free} without freeing, for a free that is deferred (RCU): reports and
     * returns false if the block could not be freed.
     */
    boolean checkFree(long b, int size, String fn) {
        slobLock.lock("slob_free");
        try {
            return checkFreeLocked(b, size, fn) >= 0;
        } finally {
            slobLock.unlock();
        }
    }

    /** @return the page's slot if [b, b + size) may be freed, else -1 after a report */
    private int checkFreeLocked(long b, int size, String fn) {
        int units = SlobBlock.units(size);
        int pfn = Addr.virtToPfn(b);
        int slot = slotOf(pfn);
        if (slot < 0) {
            reject(ReportKind.SLAB_BAD_FREE, "slob: %s: invalid free of %s: not on a SLOB page", fn, Addr.hex(b));
            return -1;
        }
        long base = Addr.pfnToVirt(pfn);
        int off = SlobBlock.offset(base, b);
        if ((b & (SlobBlock.SLOB_UNIT - 1)) != 0 || units <= 0 || off + units > END) {
            reject(
                    ReportKind.SLAB_BAD_FREE,
                    "slob: %s: invalid free of %s: %d bytes at page offset %d do not fit the page",
                    fn,
                    Addr.hex(b),
                    size,
                    Addr.offsetInPage(b));
            return -1;
        }
        if (slotBroken[slot]) {
            reject(
                    ReportKind.SLAB_CORRUPTION,
                    "slob: %s: free of %s into page pfn:0x%x with a corrupted free list ignored",
                    fn,
                    Addr.hex(b),
                    pfn);
            return -1;
        }
        if (slotUnits[slot] > 0 && !clearOfFreeBlocks(slot, base, off, units, b, fn)) {
            return -1;
        }
        return slot;
    }

    /**
     * Address-ordered insertion with coalescing, as the last part of slob_free. The place comes
     * from the check walk that {@link #clearOfFreeBlocks} just made of the same list under the same
     * lock hold (free[Prev|Next]*), so the list is walked once per free; the header writes are
     * those of slob_free, in its order.
     */
    private void insert(int slot, long base, int b, int units) {
        int prev = freePrev;
        int next = freeNext;
        int blockNext = next;
        if (next != END && b + units == next) {
            units += freeNextUnits;
            blockNext = freeNextNext;
        }
        byte[] frame = frameOf(slot);
        SlobBlock.set(frame, mem, base, b, units, blockNext);
        if (prev < 0) {
            slotFreelist[slot] = b;
            return;
        }
        int prevUnits = freePrevUnits;
        if (prev + prevUnits == b) {
            SlobBlock.set(frame, mem, base, prev, prevUnits + units, blockNext);
        } else {
            SlobBlock.set(frame, mem, base, prev, prevUnits, b);
        }
    }

    /**
     * True if [off, off + units) overlaps no free block; otherwise reports a double free. On true,
     * leaves in free[Prev|Next]* the free blocks either side of {@code off}, for {@link #insert}.
     */
    private boolean clearOfFreeBlocks(int slot, long base, int off, int units, long b, String fn) {
        freePrev = -1;
        freePrevUnits = 0;
        freeNext = END;
        // the page's bytes once for the walk, as findInPage does
        byte[] frame = frameOf(slot);
        for (int cur = slotFreelist[slot]; cur < END; ) {
            int header = SlobBlock.header(frame, mem, base, cur);
            int size = SlobBlock.sizeOf(header);
            int next = SlobBlock.nextOf(header);
            if (next <= cur || next > END || size > next - cur) {
                // reported (and counted) once for the page; this free is ignored
                brokenList(slot, cur, size, next);
                return false;
            }
            if (off < cur + size && cur < off + units) {
                return reject(
                        ReportKind.SLAB_CORRUPTION,
                        "slob: %s: double free of %s: its %d units overlap the free block at %s"
                                + " (%d units) in page pfn:0x%x",
                        fn,
                        Addr.hex(b),
                        units,
                        Addr.hex(SlobBlock.addr(base, cur)),
                        size,
                        slotPfn[slot]);
            }
            if (cur >= off + units) {
                freeNext = cur;
                freeNextUnits = size;
                freeNextNext = next;
                return true;
            }
            freePrev = cur;
            freePrevUnits = size;
            cur = next;
        }
        return true;
    }

    /** Reports a rejected call, counts it, and returns false. */
    boolean reject(ReportKind kind, String format, Object... args) {
        rejected++;
        machine.dmesg().report(kind, String.format(Locale.ROOT, format, args));
        return false;
    }

    /** True if {@code addr} lies inside a free block of its heap page. */
    boolean insideFreeBlock(long addr) {
        return insideFreeBlock(slotOf(Addr.virtToPfn(addr)), addr);
    }

    /** {@link #insideFreeBlock(long)} for an address on heap page {@code slot} (or -1: none). */
    boolean insideFreeBlock(int slot, long addr) {
        if (slot < 0 || slotUnits[slot] == 0 || slotBroken[slot]) {
            return false;
        }
        long base = Addr.pfnToVirt(slotPfn[slot]);
        int off = SlobBlock.offset(base, addr);
        byte[] frame = frameOf(slot);
        for (int cur = slotFreelist[slot]; cur < END && cur <= off; ) {
            int header = SlobBlock.header(frame, mem, base, cur);
            int size = SlobBlock.sizeOf(header);
            int next = SlobBlock.nextOf(header);
            if (off < cur + size) {
                return true;
            }
            if (next <= cur) {
                return false;
            }
            cur = next;
        }
        return false;
    }

    // --- walking for views and metrics ------------------------------------------------------

    /** Receives the free blocks of a page in address order. */
    interface BlockVisitor {
        void block(int off, int units);
    }

    /**
     * Walks the free blocks of a heap page; stops at a corrupted link.
     *
     * @return false if the walk met a corrupted header
     */
    boolean forEachFreeBlock(int pfn, BlockVisitor visitor) {
        int slot = slotOf(pfn);
        if (slot < 0 || slotUnits[slot] == 0) {
            return true;
        }
        long base = Addr.pfnToVirt(pfn);
        for (int cur = slotFreelist[slot]; cur < END; ) {
            int size = SlobBlock.size(mem, base, cur);
            int next = SlobBlock.next(mem, base, cur);
            if (next <= cur || next > END || size > next - cur) {
                return false;
            }
            visitor.block(cur, size);
            cur = next;
        }
        return true;
    }

    /** Heap pages in pfn order. */
    int[] heapPfns() {
        int[] out = new int[(int) heapPages];
        int n = 0;
        for (int s = 0; s < slots.high(); s++) {
            if (slotPfn[s] != PageFrames.NIL) {
                out[n++] = slotPfn[s];
            }
        }
        Arrays.sort(out, 0, n);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private int largestIn(int pfn) {
        int[] largest = {0};
        forEachFreeBlock(pfn, (off, units) -> largest[0] = Math.max(largest[0], units));
        return largest[0];
    }

    // --- SlobMetric ---------------------------------------------------------------------

    @Override
    public long heapPages() {
        return heapPages;
    }

    @Override
    public long pagesOnList(SlobList list) {
        return lists[list.ordinal()].size();
    }

    @Override
    public long fullPages() {
        long n = heapPages;
        for (PfnList l : lists) {
            n -= l.size();
        }
        return n;
    }

    @Override
    public long freeUnits() {
        long n = 0;
        for (int s = 0; s < slots.high(); s++) {
            if (slotPfn[s] != PageFrames.NIL) {
                n += slotUnits[s];
            }
        }
        return n;
    }

    @Override
    public long freeUnits(SlobList list) {
        long n = 0;
        PfnList l = lists[list.ordinal()];
        for (int pfn = l.first(); pfn != PageFrames.NIL; pfn = l.next(pfn)) {
            n += slotUnits[frames.priv(pfn)];
        }
        return n;
    }

    @Override
    public int largestFreeBlock() {
        int largest = 0;
        for (int pfn : heapPfns()) {
            largest = Math.max(largest, largestIn(pfn));
        }
        return largest;
    }

    @Override
    public int largestFreeBlock(SlobList list) {
        int largest = 0;
        PfnList l = lists[list.ordinal()];
        for (int pfn = l.first(); pfn != PageFrames.NIL; pfn = l.next(pfn)) {
            largest = Math.max(largest, largestIn(pfn));
        }
        return largest;
    }

    @Override
    public long freeBlocks() {
        long[] n = {0};
        for (int pfn : heapPfns()) {
            forEachFreeBlock(pfn, (off, units) -> n[0]++);
        }
        return n[0];
    }

    @Override
    public long bigPages() {
        return bigPages;
    }

    @Override
    public long heapPagesAllocated() {
        return heapPagesAllocated;
    }

    @Override
    public long heapPagesFreed() {
        return heapPagesFreed;
    }

    @Override
    public long rejected() {
        return rejected;
    }

    @Override
    public long lockAcquisitions() {
        return slobLock.acquisitions();
    }

    // --- validate -------------------------------------------------------------------------

    /**
     * Checks, for every heap page: PG_slab and the table slot agree; free blocks are in address
     * order, inside the page and do not overlap; their units sum to sp->units; sp->units is below
     * a whole page; a page is on a list exactly when it has free units (or was set aside after a
     * reported corruption), and on the list it says. And every listed page is a heap page.
     */
    List<String> validate() {
        List<String> errors = new ArrayList<>();
        long live = 0;
        for (int s = 0; s < slots.high(); s++) {
            int pfn = slotPfn[s];
            if (pfn == PageFrames.NIL) {
                continue;
            }
            live++;
            String page = String.format(Locale.ROOT, "slob page pfn:0x%x", pfn);
            if (!frames.test(pfn, PageFrames.PG_SLAB) || frames.priv(pfn) != s) {
                errors.add(page + ": PG_slab or page_private does not name slot " + s);
                continue;
            }
            if (slotUnits[s] < 0 || slotUnits[s] >= END) {
                errors.add(page + ": units " + slotUnits[s] + " outside [0, " + END + ")");
            }
            if (slotBroken[s]) {
                if (slotList[s] != NO_LIST) {
                    errors.add(page + ": corrupted page still on a list");
                }
                continue;
            }
            validateBlocks(s, page, errors);
            if (slotUnits[s] == 0 && slotList[s] != NO_LIST) {
                errors.add(page + ": full page on the "
                        + SlobList.byOrdinal(slotList[s]).label() + " list");
            }
            if (slotUnits[s] > 0 && slotList[s] == NO_LIST) {
                errors.add(page + ": " + slotUnits[s] + " free units but on no list");
            }
            if (slotList[s] != NO_LIST && !lists[slotList[s]].contains(pfn)) {
                errors.add(
                        page + ": not on the " + SlobList.byOrdinal(slotList[s]).label() + " list it names");
            }
        }
        if (live != heapPages) {
            errors.add("slob: " + live + " pages in the page table but heapPages " + heapPages);
        }
        for (SlobList which : SlobList.values()) {
            PfnList l = lists[which.ordinal()];
            long n = 0;
            for (int pfn = l.first(); pfn != PageFrames.NIL && n <= heapPages; pfn = l.next(pfn)) {
                n++;
                int slot = slotOf(pfn);
                if (slot < 0 || slotList[slot] != which.ordinal()) {
                    errors.add(String.format(
                            Locale.ROOT,
                            "slob: pfn:0x%x on the %s list is not a %s SLOB page",
                            pfn,
                            which.label(),
                            which.label()));
                }
            }
            if (n != l.size()) {
                errors.add("slob: " + which.label() + " list walks " + n + " pages but counts " + l.size());
            }
        }
        return errors;
    }

    private void validateBlocks(int s, String page, List<String> errors) {
        long base = Addr.pfnToVirt(slotPfn[s]);
        int sum = 0;
        int count = 0;
        int cur = slotFreelist[s];
        if (slotUnits[s] == 0) {
            return;
        }
        while (cur < END) {
            int size = SlobBlock.size(mem, base, cur);
            int next = SlobBlock.next(mem, base, cur);
            if (cur + size > END) {
                errors.add(page + ": free block at unit " + cur + " (" + size + " units) passes the page end");
                return;
            }
            if (next <= cur || next > END) {
                errors.add(page + ": free block at unit " + cur + " links to unit " + next + " (not after it)");
                return;
            }
            if (cur + size > next) {
                errors.add(
                        page + ": free block at unit " + cur + " (" + size + " units) overlaps the block at " + next);
                return;
            }
            sum += size;
            if (++count > END) {
                errors.add(page + ": free list does not end");
                return;
            }
            cur = next;
        }
        if (cur != END) {
            errors.add(page + ": free list ends at unit " + cur + ", not the page end");
        }
        if (sum != slotUnits[s]) {
            errors.add(page + ": free blocks hold " + sum + " units but sp->units is " + slotUnits[s]);
        }
    }
}
