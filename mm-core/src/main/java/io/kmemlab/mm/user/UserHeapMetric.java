package io.kmemlab.mm.user;

/**
 * The figures every user-space allocator keeps about its heap, read-only, for reports and
 * {@code malloc compare}. Requested bytes are what the program asked for; usable bytes what
 * {@code malloc_usable_size} answers; heap bytes what the allocator holds from the kernel (brk heap
 * plus its own mappings).
 */
public interface UserHeapMetric {

    /** Bytes the allocator holds from the kernel now. */
    long heapBytes();

    /** The most {@link #heapBytes()} ever was. */
    long peakHeapBytes();

    /** Live blocks now. */
    long liveBlocks();

    /** Bytes requested by the live blocks. */
    long liveRequestedBytes();

    /** The most {@link #liveRequestedBytes()} ever was. */
    long peakLiveRequestedBytes();

    /** Usable bytes of the live blocks (at least the requested bytes). */
    long liveUsableBytes();

    /** Bytes inside the heap free for reuse (free blocks, top or unused arena tail). */
    long freeBytes();

    long mallocs();

    long frees();

    long reallocs();

    /** Requests that returned NULL. */
    long failures();

    /** Frees and reallocs of pointers the allocator does not own, detected and reported. */
    long badFrees();

    /** Internal fragmentation: usable minus requested bytes of the live blocks. */
    default long internalFragmentationBytes() {
        return liveUsableBytes() - liveRequestedBytes();
    }

    /**
     * External fragmentation: the share of free heap bytes that the largest free block does not
     * cover, 0 … 1 (0 when nothing is free).
     */
    default double externalFragmentation() {
        long free = freeBytes();
        return free == 0 ? 0 : 1.0 - (double) largestFreeBlock() / free;
    }

    /** The largest free block (a request up to this size needs no heap growth). */
    long largestFreeBlock();
}
