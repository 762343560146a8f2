package io.kmemlab.mm.slab;

/**
 * Read-only numbers of an allocator that carves variable-sized blocks out of a heap of pages
 * (SLOB's; a user-space malloc's later), in bytes, so that reports can compare fit policies
 * without knowing the allocator's units. An allocator without such a heap supplies none
 * ({@link SlabAllocator#heapMetric()}).
 */
public interface HeapMetric {

    /** Pages the heap holds now. */
    long heapPages();

    /** Heap pages obtained from the page allocator since boot. */
    long heapPagesAllocated();

    /** Free bytes on the heap's pages. */
    long freeBytes();

    /** Number of free blocks on the heap. */
    long freeBlocks();

    /** Bytes of the largest free block (0 if none). */
    long largestFreeBytes();

    /**
     * External fragmentation of the free space: {@code 1 − largest free block / free bytes}; 0
     * when there is no free space or it is all one block.
     */
    default double externalFragmentation() {
        long free = freeBytes();
        return free == 0 ? 0.0 : 1.0 - (double) largestFreeBytes() / free;
    }
}
