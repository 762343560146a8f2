package io.kmemlab.buddy;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MachineConfig;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.PageAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Boots a machine for buddy tests the way the kernel hands memory over: zones from the memory
 * size (DMA below 16 MiB, DMA32 below 4 GiB, Normal above), every page reserved, then each free
 * range given to {@link BuddyAllocator#freeBootChunk} in the naturally aligned chunks of
 * {@code __free_pages_memory}, then {@code init_per_zone_wmark_min}.
 */
final class TestBoot {
    private final long memBytes;
    private int cpus = 2;
    private BuddyConfig config = BuddyConfig.defaults();
    private int dmaStart = 1;
    private final List<int[]> freeRanges = new ArrayList<>();
    private boolean watermarks = true;
    private int userMinFreeKbytes = -1;

    private TestBoot(long memBytes) {
        this.memBytes = memBytes;
    }

    static TestBoot of(long memBytes) {
        return new TestBoot(memBytes);
    }

    /** A kernel-like machine: DMA from pfn 1, the first MiB kept reserved, the rest free. */
    static BuddyAllocator kernelLike(long memBytes, int cpus) {
        return of(memBytes).cpus(cpus).boot();
    }

    TestBoot cpus(int n) {
        this.cpus = n;
        return this;
    }

    TestBoot config(BuddyConfig c) {
        this.config = c;
        return this;
    }

    /** DMA starts at pfn 0 and every frame is freed (lowmem = memory size). */
    TestBoot wholeMemory() {
        this.dmaStart = 0;
        freeRanges.clear();
        freeRanges.add(new int[] {0, (int) (memBytes >>> 12)});
        return this;
    }

    /** Frees [start, end) instead of the default range (may be called several times). */
    TestBoot free(int startPfn, int endPfn) {
        freeRanges.add(new int[] {startPfn, endPfn});
        return this;
    }

    /** Stops before init_per_zone_wmark_min: boot pagesets (high 0, batch 1), watermarks 0. */
    TestBoot noWatermarks() {
        this.watermarks = false;
        return this;
    }

    TestBoot userMinFreeKbytes(int kb) {
        this.userMinFreeKbytes = kb;
        return this;
    }

    BuddyAllocator boot() {
        Machine m = new Machine(MachineConfig.of(memBytes, cpus));
        BuddyAllocator b = new BuddyAllocator(m, config);
        int n = m.nrFrames();
        int dmaEnd = Math.min(ZoneType.MAX_DMA_PFN, n);
        b.initZone(ZoneType.DMA, dmaStart, dmaEnd, dmaEnd - dmaStart);
        if (n > ZoneType.MAX_DMA_PFN) {
            int end = Math.min(ZoneType.MAX_DMA32_PFN, n);
            b.initZone(ZoneType.DMA32, ZoneType.MAX_DMA_PFN, end, end - ZoneType.MAX_DMA_PFN);
        }
        if (n > ZoneType.MAX_DMA32_PFN) {
            b.initZone(ZoneType.NORMAL, ZoneType.MAX_DMA32_PFN, n, n - ZoneType.MAX_DMA32_PFN);
        }
        b.buildZonelists();
        List<int[]> ranges = freeRanges.isEmpty() ? List.of(new int[] {0x100, n}) : freeRanges;
        for (int[] r : ranges) {
            freePagesMemory(b, r[0], r[1]);
        }
        if (watermarks) {
            b.initWatermarks(userMinFreeKbytes);
        }
        m.setPageAllocator(b);
        return b;
    }

    /** __free_pages_memory(): the largest naturally aligned chunks, capped at MAX_PAGE_ORDER. */
    static void freePagesMemory(BuddyAllocator b, int start, int end) {
        int pfn = start;
        while (pfn < end) {
            int order = pfn == 0
                    ? PageAllocator.MAX_PAGE_ORDER
                    : Math.min(PageAllocator.MAX_PAGE_ORDER, Integer.numberOfTrailingZeros(pfn));
            while (pfn + (1 << order) > end) {
                order--;
            }
            b.freeBootChunk(pfn, order);
            pfn += 1 << order;
        }
    }
}
