package io.kmemlab.boot.lab;

import io.kmemlab.buddy.BuddyAllocator;
import io.kmemlab.buddy.BuddyConfig;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MachineConfig;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.PageAllocator;
import java.util.List;

/**
 * kmemlab's buddy allocator (module buddy, Linux 6.18's mm/page_alloc.c) behind the student
 * interface: the reference solution of the page-allocator level. It keeps its own struct pages
 * (the machine's {@code PageFrames}), so it leaves the check's {@link PageMemory} alone and its
 * accesses are not counted. The machine has the check's frames, zones as the kernel lays them out
 * (DMA below 16 MiB, DMA32 above), every frame reserved until {@code init_memmap} frees a range in
 * the naturally aligned chunks of {@code __free_pages_memory()}; there are no watermarks and the
 * per-CPU lists are drained after every free, so every frame is the allocator's to give and
 * {@code nr_free_pages} is the zones' NR_FREE_PAGES.
 */
final class ReferencePages implements StudentPages {
    private static final int GFP = Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN;

    private BuddyAllocator buddy;

    @Override
    public void init(PageMemory mem) {
        int n = mem.nrFrames();
        Machine m = new Machine(MachineConfig.of((long) n * PageMemory.PAGE_SIZE, 1));
        buddy = new BuddyAllocator(m, BuddyConfig.defaults());
        int dmaEnd = Math.min(ZoneType.MAX_DMA_PFN, n);
        buddy.initZone(ZoneType.DMA, 0, dmaEnd, dmaEnd);
        if (n > ZoneType.MAX_DMA_PFN) {
            buddy.initZone(ZoneType.DMA32, ZoneType.MAX_DMA_PFN, n, n - ZoneType.MAX_DMA_PFN);
        }
        buddy.buildZonelists();
        m.setPageAllocator(buddy);
    }

    @Override
    public void initMemmap(int base, int n) {
        // as __free_pages_memory(): the largest naturally aligned chunks, capped at MAX_PAGE_ORDER
        int pfn = base;
        int end = base + n;
        while (pfn < end) {
            int order = pfn == 0
                    ? PageAllocator.MAX_PAGE_ORDER
                    : Math.min(PageAllocator.MAX_PAGE_ORDER, Integer.numberOfTrailingZeros(pfn));
            while (pfn + (1 << order) > end) {
                order--;
            }
            buddy.freeBootChunk(pfn, order);
            pfn += 1 << order;
        }
    }

    @Override
    public int allocPages(int n) {
        if (n <= 0 || n > 1 << PageAllocator.MAX_PAGE_ORDER) {
            return NO_PAGE;
        }
        int pfn = buddy.allocPages(0, GFP, PageTrace.Op.order(n));
        return pfn == PageAllocator.NO_PAGE ? NO_PAGE : pfn;
    }

    @Override
    public boolean freePages(int base, int n) {
        if (n <= 0 || n > 1 << PageAllocator.MAX_PAGE_ORDER) {
            return false;
        }
        boolean ok = buddy.freePages(0, base, PageTrace.Op.order(n));
        buddy.drainAll();
        return ok;
    }

    @Override
    public long nrFreePages() {
        return buddy.metric().nrFreePages();
    }

    @Override
    public List<String> check() {
        return buddy.validate();
    }
}
