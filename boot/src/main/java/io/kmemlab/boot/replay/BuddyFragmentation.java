package io.kmemlab.boot.replay;

import io.kmemlab.mm.page.Fragmentation;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.page.PageAllocatorMetric;
import io.kmemlab.mm.page.ZoneMetric;
import io.kmemlab.mm.page.ZonedPageAllocatorMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * External fragmentation of the buddy allocator's free memory, the two indices of
 * {@code mm/vmstat.c} ({@code unusable_free_index}, {@code __fragmentation_index}) per order, in
 * thousandths as {@code /sys/kernel/debug/extfrag/} prints them: per zone ({@link #perZone}, one
 * {@link Zone} row each, as the kernel prints them) or over the free blocks of all zones together
 * ({@link #of(PageAllocatorMetric)}, a machine-wide summary the kernel does not print). The
 * formulas and the row formats are {@link Fragmentation}'s, the same the buddy allocator's debugfs
 * files use.
 *
 * @param unusable per order: share of free memory in blocks too small for that order (0…1000)
 * @param extfrag per order: -1000 if a block is free, else 0 (lack of memory) … 1000 (fragmentation)
 * @param freePages free pages the indices were computed from
 */
public record BuddyFragmentation(int[] unusable, int[] extfrag, long freePages) {
    public static final int MAX_ORDER = PageAllocator.MAX_PAGE_ORDER;
    /** The order of fragmentation over time ({@code PAGE_ALLOC_COSTLY_ORDER}, as the report's table). */
    public static final int SERIES_ORDER = 3;

    /**
     * One zone's indices, a row of {@code /sys/kernel/debug/extfrag/unusable_index} and
     * {@code extfrag_index} ({@code unusable_show_print}, {@code extfrag_show_print}).
     *
     * @param node the NUMA node
     * @param zone the zone's name ({@code DMA}, {@code DMA32}, {@code Normal}, …)
     * @param frag its indices, from its own free_area counts
     */
    public record Zone(int node, String zone, BuddyFragmentation frag) {

        /** {@code Node 0, zone    DMA32 0.000 0.001 … } as unusable_index prints it. */
        public String unusableLine() {
            return prefix() + frag.unusableRow() + " ";
        }

        /** {@code Node 0, zone    DMA32 -1.000 -1.000 … } as extfrag_index prints it. */
        public String extfragLine() {
            return prefix() + frag.extfragRow() + " ";
        }

        private String prefix() {
            return String.format(Locale.ROOT, "Node %d, zone %8s ", node, zone);
        }
    }

    /**
     * Per populated zone, in zone order (DMA, DMA32, Normal, Movable): empty if the page
     * allocator has no zones to show.
     */
    public static List<Zone> perZone(PageAllocatorMetric m) {
        List<Zone> zones = new ArrayList<>();
        if (!(m instanceof ZonedPageAllocatorMetric zm)) {
            return zones;
        }
        for (int i = 0; i < zm.nrZones(); i++) {
            ZoneMetric z = zm.zone(i);
            if (!z.populated()) {
                continue;
            }
            zones.add(new Zone(z.node(), z.type().procName(), of(Fragmentation.FreeBlocks.of(z))));
        }
        return List.copyOf(zones);
    }

    /** From the per-order free block counts; null if the allocator exposes none (all zero). */
    public static BuddyFragmentation of(PageAllocatorMetric m) {
        long blocks = 0;
        for (int o = 0; o <= MAX_ORDER; o++) {
            blocks += m.nrFreeBlocks(o);
        }
        if (blocks == 0) {
            return null;
        }
        return of(m::nrFreeBlocks);
    }

    /** Both indices for every order, from free_area[order].nr_free counts indexed by order. */
    public static BuddyFragmentation of(long[] nrFree) {
        return of(Fragmentation.FreeBlocks.of(nrFree));
    }

    /** Both indices for every order, as {@link Fragmentation} computes them for debugfs. */
    public static BuddyFragmentation of(Fragmentation.FreeBlocks free) {
        return new BuddyFragmentation(
                Fragmentation.unusableIndex(free), Fragmentation.extfragIndex(free), Fragmentation.freePages(free));
    }

    /** {@code 0.000 0.001 …}: the unusable_index row format ({@code %d.%03d }). */
    public String unusableRow() {
        StringBuilder sb = new StringBuilder();
        for (int v : unusable) {
            sb.append(Fragmentation.formatUnusable(v)).append(' ');
        }
        return sb.toString().trim();
    }

    /** {@code -1.000  0.923 …}: the extfrag_index row format ({@code %2d.%03d }). */
    public String extfragRow() {
        StringBuilder sb = new StringBuilder();
        for (int v : extfrag) {
            sb.append(Fragmentation.formatExtfrag(v)).append(' ');
        }
        return sb.toString().trim();
    }
}
