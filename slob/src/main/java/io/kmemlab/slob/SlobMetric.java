package io.kmemlab.slob;

import io.kmemlab.mm.slab.HeapMetric;

/**
 * Read-only numbers of the SLOB heap: what the kmemlab view prints, what the fit comparison
 * reports and what tests assert against. Units are {@link SlobBlock#SLOB_UNIT}-byte units.
 */
public interface SlobMetric extends HeapMetric {

    /** Pages of the SLOB heap (order-0 pages with PG_slab), on a list or full. */
    @Override
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
    @Override
    long freeBlocks();

    @Override
    default long freeBytes() {
        return freeUnits() * SlobBlock.SLOB_UNIT;
    }

    @Override
    default long largestFreeBytes() {
        return (long) largestFreeBlock() * SlobBlock.SLOB_UNIT;
    }

    /** Pages taken straight from the page allocator (big kmalloc and kmem_cache objects). */
    long bigPages();

    /** Heap pages obtained from the page allocator since boot. */
    @Override
    long heapPagesAllocated();

    /** Heap pages handed back to the page allocator since boot. */
    long heapPagesFreed();

    /** Frees and other calls rejected with a report since boot. */
    long rejected();

    /** Acquisitions of the one global {@code slob_lock}, by every CPU, since boot. */
    long lockAcquisitions();
}
