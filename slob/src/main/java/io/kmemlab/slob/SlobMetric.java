package io.kmemlab.slob;

/**
 * Read-only numbers of the SLOB heap: what the kmemlab view prints, what the fit comparison
 * reports and what tests assert against. Units are {@link SlobBlock#SLOB_UNIT}-byte units.
 */
public interface SlobMetric {

    /** Pages of the SLOB heap (order-0 pages with PG_slab), on a list or full. */
    long heapPages();

    /** Pages currently on one of the three free lists. */
    long pagesOnList(SlobList list);

    /** Heap pages with no free unit (on no list). */
    long fullPages();

    /** Free units summed over the heap pages ({@code sp->units}). */
    long freeUnits();

    /** Free units of the pages on one list. */
    long freeUnits(SlobList list);

    /** Units of the largest free block in the heap (0 if none). */
    int largestFreeBlock();

    /** Units of the largest free block on the pages of one list (0 if none). */
    int largestFreeBlock(SlobList list);

    /** Number of free blocks in the heap. */
    long freeBlocks();

    /**
     * External fragmentation of the heap's free space: {@code 1 − largest free block / free
     * units}; 0 when there is no free space or it is all one block.
     */
    default double externalFragmentation() {
        long free = freeUnits();
        return free == 0 ? 0.0 : 1.0 - (double) largestFreeBlock() / free;
    }

    /** Pages taken straight from the page allocator (big kmalloc and kmem_cache objects). */
    long bigPages();

    /** Heap pages obtained from the page allocator since boot. */
    long heapPagesAllocated();

    /** Heap pages handed back to the page allocator since boot. */
    long heapPagesFreed();

    /** Frees and other calls rejected with a report since boot. */
    long rejected();

    /** Acquisitions of the one global {@code slob_lock}, by every CPU, since boot. */
    long lockAcquisitions();
}
