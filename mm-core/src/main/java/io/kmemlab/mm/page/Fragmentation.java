package io.kmemlab.mm.page;

import java.util.Locale;

/**
 * The external fragmentation indices of {@code mm/vmstat.c}, the one copy that the debugfs views
 * ({@code /sys/kernel/debug/extfrag/unusable_index}, {@code extfrag_index}) and the replay reports
 * both use. Pure functions of the free block counts per order ({@code free_area[order].nr_free}),
 * read from a {@link ZoneMetric} or from any other {@link FreeBlocks} source (all zones together).
 *
 * <p>Arithmetic as the kernel's: {@code unsigned long} counts, {@code div_u64} for both divisions,
 * the result truncated to {@code int}. An index is in thousandths; printed as {@code %d.%03d} with
 * C's truncating {@code /} and {@code %}, so an extfrag index between -999 and -1 (a zone whose
 * only free blocks are few and small) prints as the kernel prints it, e.g. {@code " 0.-125"}.
 *
 * <pre>
 *   unusable_free_index(order)   = (free_pages - (suitable &lt;&lt; order)) * 1000 / free_pages
 *                                  1000 if no page is free
 *   __fragmentation_index(order) = 1000 - (1000 + free_pages * 1000 / 2^order) / free_blocks_total
 *                                  -1000 if a block of the order is free, 0 if no block is free
 * </pre>
 */
public final class Fragmentation {
    /** Orders 0 … MAX_PAGE_ORDER, the columns of the extfrag files. */
    public static final int NR_PAGE_ORDERS = PageAllocator.NR_PAGE_ORDERS;

    /** {@code __fragmentation_index} when a block of the requested order is free. */
    public static final int SUITABLE_BLOCK_FREE = -1000;

    private Fragmentation() {}

    /** {@code free_area[order].nr_free} for orders 0 … {@link #NR_PAGE_ORDERS}-1. */
    @FunctionalInterface
    public interface FreeBlocks {
        long nrFree(int order);

        /** One zone's free areas. */
        static FreeBlocks of(ZoneMetric z) {
            return z::nrFree;
        }

        /** Counts in an array indexed by order (missing orders count 0). */
        static FreeBlocks of(long[] nrFree) {
            return o -> o < nrFree.length ? nrFree[o] : 0;
        }
    }

    /**
     * {@code struct contig_page_info}.
     *
     * @param freePages free base pages
     * @param freeBlocksTotal free blocks of every order
     * @param freeBlocksSuitable free blocks of the suitable order, counting a bigger block as the
     *     blocks of that order it holds
     */
    public record ContigPageInfo(long freePages, long freeBlocksTotal, long freeBlocksSuitable) {}

    /** As fill_contig_page_info(). */
    public static ContigPageInfo fillContigPageInfo(FreeBlocks z, int suitableOrder) {
        long freePages = 0;
        long blocksTotal = 0;
        long blocksSuitable = 0;
        for (int order = 0; order < NR_PAGE_ORDERS; order++) {
            long blocks = z.nrFree(order);
            blocksTotal += blocks;
            freePages += blocks << order;
            if (order >= suitableOrder) {
                blocksSuitable += blocks << (order - suitableOrder);
            }
        }
        return new ContigPageInfo(freePages, blocksTotal, blocksSuitable);
    }

    /**
     * As __fragmentation_index(): 0 (a request would fail for lack of memory) … 1000 (it would
     * fail for fragmentation), {@link #SUITABLE_BLOCK_FREE} if it would not fail; 0 for an order
     * above MAX_PAGE_ORDER (the kernel's WARN_ON_ONCE). Not clamped: few small blocks give values
     * below 0, as in the kernel.
     */
    public static int fragmentationIndex(int order, ContigPageInfo info) {
        if (order < 0 || order > PageAllocator.MAX_PAGE_ORDER) {
            return 0;
        }
        long requested = 1L << order;
        if (info.freeBlocksTotal() == 0) {
            return 0;
        }
        if (info.freeBlocksSuitable() != 0) {
            return SUITABLE_BLOCK_FREE;
        }
        // 1000 - div_u64(1000 + div_u64(free_pages * 1000ULL, requested), free_blocks_total)
        long quotient = Long.divideUnsigned(
                1000 + Long.divideUnsigned(info.freePages() * 1000, requested), info.freeBlocksTotal());
        return (int) (1000 - quotient);
    }

    /** As unusable_free_index(): the share of free pages in blocks too small for the order. */
    public static int unusableFreeIndex(int order, ContigPageInfo info) {
        return unusableFreeIndex(order, info.freePages(), info.freeBlocksSuitable());
    }

    /**
     * {@link #unusableFreeIndex(int, ContigPageInfo)} straight from the free areas, with no object
     * made (for a replay that samples it while it runs).
     */
    public static int unusableFreeIndex(FreeBlocks z, int order) {
        long freePages = 0;
        long blocksSuitable = 0;
        for (int o = 0; o < NR_PAGE_ORDERS; o++) {
            long blocks = z.nrFree(o);
            freePages += blocks << o;
            if (o >= order) {
                blocksSuitable += blocks << (o - order);
            }
        }
        return unusableFreeIndex(order, freePages, blocksSuitable);
    }

    private static int unusableFreeIndex(int order, long freePages, long freeBlocksSuitable) {
        if (freePages == 0) {
            return 1000;
        }
        // div_u64((free_pages - (free_blocks_suitable << order)) * 1000ULL, free_pages)
        return (int) Long.divideUnsigned((freePages - (freeBlocksSuitable << order)) * 1000, freePages);
    }

    /** unusable_free_index() for every order, as one unusable_index row computes them. */
    public static int[] unusableIndex(FreeBlocks z) {
        int[] index = new int[NR_PAGE_ORDERS];
        for (int order = 0; order < NR_PAGE_ORDERS; order++) {
            index[order] = unusableFreeIndex(order, fillContigPageInfo(z, order));
        }
        return index;
    }

    /** __fragmentation_index() for every order, as one extfrag_index row computes them. */
    public static int[] extfragIndex(FreeBlocks z) {
        int[] index = new int[NR_PAGE_ORDERS];
        for (int order = 0; order < NR_PAGE_ORDERS; order++) {
            index[order] = fragmentationIndex(order, fillContigPageInfo(z, order));
        }
        return index;
    }

    /** Free base pages of all orders (fill_contig_page_info's free_pages). */
    public static long freePages(FreeBlocks z) {
        return fillContigPageInfo(z, 0).freePages();
    }

    /** One unusable index as unusable_show_print() prints it: {@code %d.%03d}. */
    public static String formatUnusable(int index) {
        return String.format(Locale.ROOT, "%d.%03d", index / 1000, index % 1000);
    }

    /** One extfrag index as extfrag_show_print() prints it: {@code %2d.%03d}. */
    public static String formatExtfrag(int index) {
        return String.format(Locale.ROOT, "%2d.%03d", index / 1000, index % 1000);
    }
}
