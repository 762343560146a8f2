package io.kmemlab.boot.lab;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PhysMem;
import java.util.BitSet;

/**
 * The machine's struct page array and frames as a student's page allocator sees them: a struct
 * page of a frame outside the managed ranges, and the bytes of a frame handed out (its owner's
 * memory, which the check knows from its own model), are not the allocator's to touch, and such an
 * access is stopped; so is a call over its budget of accesses, or one still running after the
 * check gave up on it (the worker is interrupted). Each access costs {@link
 * GuardedSpace#ACCESS_NANOS} of virtual time.
 */
final class GuardedPages implements PageMemory {
    private final int nrFrames;
    private final BitSet managed;
    private final BitSet allocated;
    private final long accessBudget;
    private final int[] flags;
    private final int[] property;
    private final int[] next;
    private final int[] prev;
    private final PhysMem mem;
    private long accesses;
    private long total;

    /** {@code managed} and {@code allocated} are the check's model, read live. */
    GuardedPages(int nrFrames, BitSet managed, BitSet allocated, long accessBudget) {
        this.nrFrames = nrFrames;
        this.managed = managed;
        this.allocated = allocated;
        this.accessBudget = accessBudget;
        this.flags = new int[nrFrames];
        this.property = new int[nrFrames];
        this.next = new int[nrFrames];
        this.prev = new int[nrFrames];
        this.mem = new PhysMem(nrFrames);
    }

    void newCall() {
        accesses = 0;
    }

    /** Accesses made so far, over every call. */
    long totalAccesses() {
        return total;
    }

    private void access(String what, int pfn) {
        if (++accesses > accessBudget) {
            throw new GuardedSpace.Violation(
                    "made more than " + accessBudget + " memory accesses in one call (an endless loop?)");
        }
        if (Thread.interrupted()) {
            throw new GuardedSpace.Violation("was still running when the time limit ran out (an endless loop?)");
        }
        total++;
        if (pfn < 0 || pfn >= nrFrames || !managed.get(pfn)) {
            throw new GuardedSpace.Violation(
                    String.format("%s of pfn 0x%x, which is not in a range init_memmap gave it", what, pfn));
        }
    }

    private void frameAccess(String what, int pfn, int offset) {
        access(what, pfn);
        if (offset < 0 || offset > PAGE_SIZE - 8 || (offset & 7) != 0) {
            throw new GuardedSpace.Violation(String.format(
                    "%s of pfn 0x%x at offset %d, which is not a multiple of 8 inside the frame", what, pfn, offset));
        }
        if (allocated.get(pfn)) {
            throw new GuardedSpace.Violation(String.format(
                    "%s of pfn 0x%x at offset %d, a frame it had handed out (its owner's memory)", what, pfn, offset));
        }
    }

    @Override
    public int nrFrames() {
        return nrFrames;
    }

    @Override
    public int flags(int pfn) {
        access("a read of the flags", pfn);
        return flags[pfn];
    }

    @Override
    public void setFlags(int pfn, int value) {
        access("a write of the flags", pfn);
        flags[pfn] = value;
    }

    @Override
    public int property(int pfn) {
        access("a read of the property", pfn);
        return property[pfn];
    }

    @Override
    public void setProperty(int pfn, int value) {
        access("a write of the property", pfn);
        property[pfn] = value;
    }

    @Override
    public int next(int pfn) {
        access("a read of next", pfn);
        return next[pfn];
    }

    @Override
    public void setNext(int pfn, int value) {
        access("a write of next", pfn);
        next[pfn] = value;
    }

    @Override
    public int prev(int pfn) {
        access("a read of prev", pfn);
        return prev[pfn];
    }

    @Override
    public void setPrev(int pfn, int value) {
        access("a write of prev", pfn);
        prev[pfn] = value;
    }

    @Override
    public long readU64(int pfn, int offset) {
        frameAccess("a read of the bytes", pfn, offset);
        return mem.readU64(Addr.pfnToVirt(pfn) + offset);
    }

    @Override
    public void writeU64(int pfn, int offset, long value) {
        frameAccess("a write of the bytes", pfn, offset);
        mem.writeU64(Addr.pfnToVirt(pfn) + offset, value);
    }
}
