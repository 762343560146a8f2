package io.kmemlab.mm.page;

/**
 * The page allocator interface (what {@code mm/page_alloc.c} offers the rest of the kernel). The
 * buddy module implements it; slab allocators obtain their pages only through it.
 *
 * <p>Blocks are named by the PFN of their head page. Every call names the emulated CPU it runs
 * on, which selects the per-CPU page lists.
 */
public interface PageAllocator {

    /**
     * MAX_PAGE_ORDER of x86-64 (6.4 and later; MAX_ORDER − 1 before): the largest order the
     * page allocator hands out. The one definition every layer uses.
     */
    int MAX_PAGE_ORDER = 10;
    /** NR_PAGE_ORDERS: orders 0 to {@link #MAX_PAGE_ORDER}. */
    int NR_PAGE_ORDERS = MAX_PAGE_ORDER + 1;

    /** Returned by {@link #allocPages} when the allocation fails. */
    int NO_PAGE = -1;

    /**
     * {@code __alloc_pages(gfp, order)}: allocates 2^order contiguous frames. With
     * {@code __GFP_COMP} the block is prepared as a compound page; with {@code __GFP_ZERO} its bytes
     * are zeroed. Emits {@code mm_page_alloc}.
     *
     * @return the head PFN, or {@link #NO_PAGE}; a failure prints the kernel's
     *     {@code page allocation failure} report unless {@code __GFP_NOWARN}, and is counted
     */
    int allocPages(int cpu, int gfpFlags, int order);

    /**
     * {@code __free_pages(page, order)} for a block this allocator handed out. A caller passing
     * user input (the shell, replay) gets a kernel-style report ({@code BUG: Bad page state}) for a
     * PFN that is not an allocated block head of that order, and nothing is changed.
     *
     * @return true if freed, false if the free was rejected and reported
     */
    boolean freePages(int cpu, int pfn, int order);

    /**
     * A batched free ({@code free_unref_folios}, as release_pages() uses): frees
     * {@code pfns[i]} of {@code orders[i]} for i &lt; count, reporting and skipping bad ones.
     * Allocators without a batched path free one by one.
     *
     * @return the number of blocks freed
     */
    default int freePagesBatch(int cpu, int[] pfns, int[] orders, int count) {
        int freed = 0;
        for (int i = 0; i < count; i++) {
            if (freePages(cpu, pfns[i], orders[i])) {
                freed++;
            }
        }
        return freed;
    }

    /** Empties every CPU's per-CPU lists into the buddy lists (drain_all_pages). */
    void drainAll();

    /** Read-only counters and per-zone views for reports, /proc files and tests. */
    PageAllocatorMetric metric();

    /**
     * Checks the allocator's invariants (free lists, counters, pcp lists, pageblocks).
     *
     * @return a description of each violation; empty if consistent
     */
    java.util.List<String> validate();
}
