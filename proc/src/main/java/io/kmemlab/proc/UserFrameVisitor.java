package io.kmemlab.proc;

/**
 * What the frames the processes hold are, for reports such as the physical memory map of
 * {@code kmemlab report}: {@link ProcessTable#forEachUserFrame} walks every live address space's
 * page tables, read only, and names each table page and each page a PTE maps (the model's
 * {@code walk_page_range} over all mms). Nothing on the fault path records anything for it.
 */
public interface UserFrameVisitor {
    /** The PGD's level in {@link #pageTable}; PUD, PMD and PTE tables are 3, 2 and 1. */
    int PGD = 4;

    /** Frame {@code pfn} is a page table of {@code p} at {@code level} (4 = PGD … 1 = PTE table). */
    void pageTable(int pfn, Process p, int level);

    /**
     * Frame {@code pfn} is mapped by {@code p} at user address {@code uaddr}; {@code member} is
     * the rss_stat counter it is charged to ({@link Pte#MM_ANONPAGES}, {@link Pte#MM_FILEPAGES},
     * {@link Pte#MM_SHMEMPAGES}). The shared zero page (a special PTE) is not visited.
     */
    void userPage(int pfn, Process p, long uaddr, int member);
}
