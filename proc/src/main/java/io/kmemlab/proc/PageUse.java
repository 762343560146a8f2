package io.kmemlab.proc;

/** What a page the process table took from the page allocator is for. */
public enum PageUse {
    /** Anonymous memory (the heap, the stack, private mappings, copies on write). */
    ANON,
    /** Page-cache pages of the program image. */
    PAGE_CACHE,
    /** Pages of shared anonymous mappings. */
    SHMEM,
    /** Page-table pages (PGD, PUD, PMD, PTE). */
    PAGE_TABLE,
    /** The shared zero page, once. */
    ZERO_PAGE;

    public static final int COUNT = values().length;
}
