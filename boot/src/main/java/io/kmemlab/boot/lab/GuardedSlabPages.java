package io.kmemlab.boot.lab;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.page.PageAllocator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel's page allocator and memory as a student's slab allocator sees them: the blocks it
 * obtains are recorded (so the check knows which pages are the allocator's, and that destroy gave
 * them back), and every load or store must fall inside one of them and outside every object still
 * allocated (the check's model, read live). A stop is a {@link GuardedSpace.Violation}; each
 * access costs {@link GuardedSpace#ACCESS_NANOS} of virtual time.
 */
final class GuardedSlabPages implements SlabPages, SlabFootprint {
    private static final int GFP = Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN;

    private final PageAllocator pages;
    private final PhysMem mem;
    /** Live objects: address → size. */
    private final TreeMap<Long, Long> live;

    private final long accessBudget;
    /** Held blocks: start address → order. */
    private final TreeMap<Long, Integer> held = new TreeMap<>();

    private long heldPages;
    private long accesses;
    private long total;

    GuardedSlabPages(PageAllocator pages, PhysMem mem, TreeMap<Long, Long> live, long accessBudget) {
        this.pages = pages;
        this.mem = mem;
        this.live = live;
        this.accessBudget = accessBudget;
    }

    void newCall() {
        accesses = 0;
    }

    long totalAccesses() {
        return total;
    }

    /** The blocks held now, start → order. */
    Map<Long, Integer> held() {
        return held;
    }

    @Override
    public long pages() {
        return heldPages;
    }

    @Override
    public long[] blockOf(long addr) {
        Map.Entry<Long, Integer> e = held.floorEntry(addr);
        if (e == null) {
            return null;
        }
        long end = e.getKey() + ((long) PAGE_SIZE << e.getValue());
        return addr < end ? new long[] {e.getKey(), end} : null;
    }

    @Override
    public long allocPages(int order) {
        tick();
        if (order < 0 || order > PageAllocator.MAX_PAGE_ORDER) {
            return 0;
        }
        int pfn = pages.allocPages(0, GFP, order);
        if (pfn == PageAllocator.NO_PAGE) {
            return 0;
        }
        long addr = Addr.pfnToVirt(pfn);
        held.put(addr, order);
        heldPages += 1L << order;
        return addr;
    }

    @Override
    public boolean freePages(long addr, int order) {
        tick();
        Integer o = held.get(addr);
        if (o == null || o != order) {
            return false;
        }
        long end = addr + ((long) PAGE_SIZE << order);
        Map.Entry<Long, Long> obj = live.lowerEntry(end);
        if (obj != null && obj.getKey() + obj.getValue() > addr) {
            throw new GuardedSpace.Violation(String.format(
                    "freed the pages at 0x%x while object 0x%x (%d bytes) on them is still allocated",
                    addr, obj.getKey(), obj.getValue()));
        }
        held.remove(addr);
        heldPages -= 1L << order;
        pages.freePages(0, Addr.virtToPfn(addr), order);
        return true;
    }

    private void tick() {
        if (++accesses > accessBudget) {
            throw new GuardedSpace.Violation(
                    "made more than " + accessBudget + " memory accesses in one call (an endless loop?)");
        }
        if (Thread.interrupted()) {
            throw new GuardedSpace.Violation("was still running when the time limit ran out (an endless loop?)");
        }
        total++;
    }

    private void access(String what, long addr, int len) {
        tick();
        long[] b = blockOf(addr);
        if (b == null || addr + len > b[1]) {
            throw new GuardedSpace.Violation(String.format(
                    "%s of %d bytes at 0x%x, which is not in a block of pages it holds", what, len, addr));
        }
        Map.Entry<Long, Long> obj = live.lowerEntry(addr + len);
        if (obj != null && obj.getKey() + obj.getValue() > addr) {
            throw new GuardedSpace.Violation(String.format(
                    "%s of %d bytes at 0x%x, inside object 0x%x (%d bytes), which it handed out and is still"
                            + " allocated",
                    what, len, addr, obj.getKey(), obj.getValue()));
        }
    }

    @Override
    public long readU64(long addr) {
        access("a read", addr, 8);
        return mem.readU64(addr);
    }

    @Override
    public void writeU64(long addr, long value) {
        access("a write", addr, 8);
        mem.writeU64(addr, value);
    }

    @Override
    public int readU32(long addr) {
        access("a read", addr, 4);
        return mem.readU32(addr);
    }

    @Override
    public void writeU32(long addr, int value) {
        access("a write", addr, 4);
        mem.writeU32(addr, value);
    }

    @Override
    public int readU8(long addr) {
        access("a read", addr, 1);
        return mem.readU8(addr);
    }

    @Override
    public void writeU8(long addr, int value) {
        access("a write", addr, 1);
        mem.writeU8(addr, value);
    }
}
