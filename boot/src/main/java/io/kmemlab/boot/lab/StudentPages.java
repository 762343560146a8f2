package io.kmemlab.boot.lab;

import java.util.List;

/**
 * The page-allocator level's student interface, the shape of ucore's {@code struct pmm_manager}
 * ({@code kern/mm/pmm.h}): {@code init}, {@code init_memmap}, {@code alloc_pages}, {@code
 * free_pages}, {@code nr_free_pages} and the manager's own {@code check}. Pages are named by
 * their frame number (PFN). A student class implements it with a public no-argument constructor;
 * kmemlab's buddy allocator satisfies it through an adapter ({@link ReferencePages}).
 */
public interface StudentPages {
    /** Returned by {@link #allocPages} when no block can be had. */
    int NO_PAGE = -1;

    /** init: called once, before anything else; {@code mem} is the machine's struct page array and frames. */
    void init(PageMemory mem);

    /** init_memmap: frames {@code [base, base + n)} are free memory from now on (called once per range). */
    void initMemmap(int base, int n);

    /** alloc_pages: {@code n} contiguous free frames, the PFN of the first; {@link #NO_PAGE} if none (or n is 0). */
    int allocPages(int n);

    /**
     * free_pages: gives back the block {@code allocPages(n)} returned at {@code base}. Anything else
     * — a block already freed, a frame inside a block, a frame never handed out — is refused: return
     * false and change nothing.
     */
    boolean freePages(int base, int n);

    /** nr_free_pages: frames free now (a block's rounding slack, if any, counts as allocated). */
    long nrFreePages();

    /** check: the allocator's own consistency problems, one line each (none by default). */
    default List<String> check() {
        return List.of();
    }
}
