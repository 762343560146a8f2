package io.kmemlab.boot.testing;

import io.kmemlab.boot.Components;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.PageAllocatorMetric;
import io.kmemlab.mm.page.ZonedPageAllocator;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A simple zoned page allocator for boot tests: a bitmap of free frames filled by the boot
 * hand-over, naturally aligned first fit from the top. It records every boot call so tests can
 * check what the boot sequence handed over.
 */
public final class FakeZonedAllocator implements ZonedPageAllocator, PageAllocatorMetric {
    private final Machine machine;
    private final PageFrames frames;
    private final BitSet free = new BitSet();
    public final List<String> zones = new ArrayList<>();
    public final List<int[]> chunks = new ArrayList<>();
    public long managed;
    public long reservedFreed;
    public int userMinFreeKbytes = -2;
    private long present;
    private long failures;

    public FakeZonedAllocator(Machine machine) {
        this.machine = machine;
        this.frames = machine.frames();
    }

    /** Components with this allocator, no views, and the given slab providers. */
    public static Components components(List<io.kmemlab.mm.slab.SlabAllocatorProvider> providers) {
        return new Components(
                FakeZonedAllocator::new,
                (m, pa) -> m.vfs()
                        .register(
                                "/proc/buddyinfo",
                                () -> "fake buddyinfo free=" + pa.metric().nrFreePages() + "\n"),
                providers);
    }

    @Override
    public void initZone(ZoneType zone, int startPfn, int endPfn, long presentPages) {
        zones.add(zone.procName() + " " + startPfn + " " + endPfn + " " + presentPages);
        present += presentPages;
        if (endPfn > startPfn) {
            frames.setZoneRange(startPfn, endPfn, zone.ordinal());
        }
    }

    @Override
    public long buildZonelists() {
        return present;
    }

    @Override
    public void freeBootChunk(int pfn, int order) {
        chunks.add(new int[] {pfn, order});
        free.set(pfn, pfn + (1 << order));
        managed += 1L << order;
    }

    @Override
    public void freeReservedPage(int pfn) {
        free.set(pfn);
        managed++;
        reservedFreed++;
    }

    @Override
    public void initWatermarks(int userMinFreeKbytes) {
        this.userMinFreeKbytes = userMinFreeKbytes;
    }

    @Override
    public int allocPages(int cpu, int gfpFlags, int order) {
        if (order < 0 || order > 10) {
            machine.dmesg().report(ReportKind.WARN, "WARNING: CPU: " + cpu + " at __alloc_pages: order " + order);
            failures++;
            return NO_PAGE;
        }
        int size = 1 << order;
        for (int pfn = (machine.nrFrames() - size) & -size; pfn >= 0; pfn -= size) {
            int clear = free.nextClearBit(pfn);
            if (clear >= pfn + size) {
                free.clear(pfn, pfn + size);
                frames.setRefcount(pfn, 1);
                frames.setOrder(pfn, order);
                if ((gfpFlags & Gfp.__GFP_COMP) != 0 && order > 0) {
                    frames.prepCompound(pfn, order);
                }
                if ((gfpFlags & Gfp.__GFP_ZERO) != 0) {
                    machine.mem().fill(Addr.pfnToVirt(pfn), 0, (long) size << Addr.PAGE_SHIFT);
                }
                return pfn;
            }
        }
        failures++;
        if ((gfpFlags & Gfp.__GFP_NOWARN) == 0) {
            machine.dmesg().report(ReportKind.PAGE_ALLOC_FAILURE, "fake: page allocation failure: order:" + order);
        }
        return NO_PAGE;
    }

    @Override
    public boolean freePages(int cpu, int pfn, int order) {
        int size = 1 << order;
        if (pfn < 0
                || pfn + size > machine.nrFrames()
                || frames.refcount(pfn) == 0
                || frames.order(pfn) != order
                || free.nextSetBit(pfn) < pfn + size && free.nextSetBit(pfn) >= 0) {
            machine.dmesg()
                    .report(
                            ReportKind.BAD_PAGE,
                            "BUG: Bad page state in process swapper/0  pfn:" + Integer.toHexString(pfn));
            return false;
        }
        if (frames.test(pfn, PageFrames.PG_HEAD)) {
            frames.clearCompound(pfn, order);
        }
        frames.setRefcount(pfn, 0);
        free.set(pfn, pfn + size);
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
        return List.of();
    }

    @Override
    public long nrFreePages() {
        return free.cardinality();
    }

    @Override
    public long managedPages() {
        return managed;
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
