package io.kmemlab.slob;

import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PfnList;
import java.util.Arrays;
import java.util.Locale;

/**
 * kmemlab's own view of the SLOB heap, {@value SlobAllocator#VIEW_PATH}. Linux has no such file
 * (and no /proc/slabinfo under SLOB); this one shows what SLOB's lists and pages hold:
 *
 * <pre>
 * SLOB heap (kmemlab view; Linux 6.3 mm/slob.c has no such file)
 * fit: first
 * list     pages  free_units  largest_block
 * small        1        2012           1984
 * ...
 * pfn         list    free_units  blocks  largest  map
 * 0x1         small         2012       2     1984  F28 U36 F1984
 * </pre>
 *
 * Pages are listed in list order (small, medium, large, each from its head, so the rotation is
 * visible), then the full pages by pfn. The map gives the page's runs in units from offset 0:
 * {@code F} free blocks, {@code U} everything else (objects, kmalloc headers).
 */
final class SlobView {
    private SlobView() {}

    static String render(SlobHeap heap, SlobAllocator allocator) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("SLOB heap (kmemlab view; Linux 6.3 mm/slob.c has no such file)\n");
        sb.append("fit: ").append(heap.fit().word()).append('\n');
        sb.append("list     pages  free_units  largest_block\n");
        for (SlobList l : SlobList.values()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-6s %7d %11d %14d%n",
                    l.label(),
                    heap.pagesOnList(l),
                    heap.freeUnits(l),
                    heap.largestFreeBlock(l)));
        }
        sb.append(String.format(Locale.ROOT, "%-6s %7d%n", "full", heap.fullPages()));
        long free = heap.freeUnits();
        sb.append(String.format(
                Locale.ROOT,
                "heap_pages: %d  big_pages: %d  rcu_pending: %d  rejected: %d  slob_lock: %d acquisitions%n",
                heap.heapPages(),
                heap.bigPages(),
                allocator.rcuPending(),
                heap.rejected(),
                heap.lockAcquisitions()));
        sb.append(String.format(
                Locale.ROOT,
                "free: %d units (%d bytes) in %d blocks, largest %d, external fragmentation %.3f%n",
                free,
                free * SlobBlock.SLOB_UNIT,
                heap.freeBlocks(),
                heap.largestFreeBlock(),
                heap.externalFragmentation()));
        sb.append("pfn         list    free_units  blocks  largest  map\n");
        int[] pfns = heap.heapPfns();
        boolean[] shown = new boolean[pfns.length];
        for (SlobList l : SlobList.values()) {
            PfnList list = heap.list(l);
            for (int pfn = list.first(); pfn != PageFrames.NIL; pfn = list.next(pfn)) {
                appendPage(sb, heap, pfn, l.label());
                int i = Arrays.binarySearch(pfns, pfn);
                if (i >= 0) {
                    shown[i] = true;
                }
            }
        }
        for (int i = 0; i < pfns.length; i++) {
            if (!shown[i]) {
                appendPage(sb, heap, pfns[i], heap.pageUnits(pfns[i]) == 0 ? "full" : "off");
            }
        }
        return sb.toString();
    }

    private static void appendPage(StringBuilder sb, SlobHeap heap, int pfn, String list) {
        StringBuilder map = new StringBuilder();
        int[] state = {0, 0, 0}; // position, blocks, largest
        boolean intact = heap.forEachFreeBlock(pfn, (off, units) -> {
            if (off > state[0]) {
                map.append(map.length() == 0 ? "" : " ").append('U').append(off - state[0]);
            }
            map.append(map.length() == 0 ? "" : " ").append('F').append(units);
            state[0] = off + units;
            state[1]++;
            state[2] = Math.max(state[2], units);
        });
        if (!intact) {
            map.append(map.length() == 0 ? "" : " ").append("(corrupted free list)");
        } else if (state[0] < SlobBlock.UNITS_PER_PAGE) {
            map.append(map.length() == 0 ? "" : " ").append('U').append(SlobBlock.UNITS_PER_PAGE - state[0]);
        }
        sb.append(String.format(
                Locale.ROOT,
                "0x%-9x %-7s %10d %7d %8d  %s%n",
                pfn,
                list,
                heap.pageUnits(pfn),
                state[1],
                state[2],
                map));
    }
}
