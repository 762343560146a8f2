package io.kmemlab.mm.testing;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MachineConfig;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.page.PageAllocatorMetric;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A deliberately simple page allocator for testing the layers above the buddy allocator without
 * depending on it: naturally aligned first fit over a bitmap. It honours __GFP_COMP, __GFP_ZERO
 * and __GFP_NOWARN, marks frames as the buddy allocator would, and counts what is allocated so
 * tests can check that slab allocators return every page.
 */
public final class SimplePageAllocator implements PageAllocator, PageAllocatorMetric {
    private final Machine machine;
    private final PageFrames frames;
    private final BitSet used = new BitSet();
    private final int firstPfn;
    private final int endPfn;
    private long allocatedPages;
    private long failures;
    private long allocCalls;

    /** Manages every frame of the machine from pfn 1 on (pfn 0 is never handed out). */
    public SimplePageAllocator(Machine machine) {
        this(machine, 1, machine.nrFrames());
    }

    public SimplePageAllocator(Machine machine, int firstPfn, int endPfn) {
        this.machine = machine;
        this.frames = machine.frames();
        this.firstPfn = firstPfn;
        this.endPfn = endPfn;
    }

    /** A booted-enough machine: this allocator attached, nothing else. */
    public static Machine machine(long memBytes, int nrCpus) {
        Machine m = new Machine(MachineConfig.of(memBytes, nrCpus));
        m.setPageAllocator(new SimplePageAllocator(m));
        return m;
    }

    @Override
    public int allocPages(int cpu, int gfpFlags, int order) {
        allocCalls++;
        if (order < 0 || order > 10) {
            machine.dmesg().report(ReportKind.WARN, "WARNING: alloc_pages: order " + order + " > MAX_PAGE_ORDER");
            failures++;
            return NO_PAGE;
        }
        int size = 1 << order;
        int start = (firstPfn + size - 1) & -size;
        for (int pfn = start; pfn + size <= endPfn; pfn += size) {
            int clear = used.nextSetBit(pfn);
            if (clear < 0 || clear >= pfn + size) {
                used.set(pfn, pfn + size);
                allocatedPages += size;
                frames.setRefcount(pfn, 1);
                frames.setOrder(pfn, order);
                if ((gfpFlags & Gfp.__GFP_COMP) != 0 && order > 0) {
                    frames.prepCompound(pfn, order);
                }
                if ((gfpFlags & Gfp.__GFP_ZERO) != 0) {
                    machine.mem().fill(Addr.pfnToVirt(pfn), 0, (long) size << Addr.PAGE_SHIFT);
                }
                return pfn;
            } else {
                pfn = (clear & -size);
            }
        }
        failures++;
        if ((gfpFlags & Gfp.__GFP_NOWARN) == 0) {
            machine.dmesg()
                    .report(
                            ReportKind.PAGE_ALLOC_FAILURE,
                            "test: page allocation failure: order:" + order + ", mode:0x"
                                    + Integer.toHexString(gfpFlags) + "(" + Gfp.format(gfpFlags) + ")");
        }
        return NO_PAGE;
    }

    @Override
    public boolean freePages(int cpu, int pfn, int order) {
        int size = 1 << order;
        if (pfn < firstPfn
                || pfn + size > endPfn
                || used.nextClearBit(pfn) < pfn + size
                || frames.refcount(pfn) == 0
                || frames.test(pfn, PageFrames.PG_TAIL)) {
            machine.dmesg()
                    .report(
                            ReportKind.BAD_PAGE,
                            "BUG: Bad page state: pfn:0x" + Integer.toHexString(pfn) + " order:" + order);
            return false;
        }
        if (frames.test(pfn, PageFrames.PG_HEAD)) {
            frames.clearCompound(pfn, frames.order(pfn));
        }
        for (int p = pfn; p < pfn + size; p++) {
            frames.reset(p);
        }
        used.clear(pfn, pfn + size);
        allocatedPages -= size;
        return true;
    }

    @Override
    public void drainAll() {}

    @Override
    public PageAllocatorMetric metric() {
        return this;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        if (used.cardinality() != allocatedPages) {
            out.add("allocated page count " + allocatedPages + " != bitmap " + used.cardinality());
        }
        return out;
    }

    /** Pages currently allocated. */
    public long allocatedPages() {
        return allocatedPages;
    }

    public long allocCalls() {
        return allocCalls;
    }

    @Override
    public long nrFreePages() {
        return (endPfn - firstPfn) - allocatedPages;
    }

    @Override
    public long managedPages() {
        return endPfn - firstPfn;
    }

    @Override
    public long pcpPages() {
        return 0;
    }

    @Override
    public long nrFreeBlocks(int order) {
        return 0;
    }

    @Override
    public long allocFailures() {
        return failures;
    }
}
