package io.kmemlab.malloc.freelist;

import io.kmemlab.malloc.BoundaryTagHeap.TagLayout;

/**
 * A free-list allocator's knobs, OSTEP malloc.py's and the block layout's.
 *
 * @param policy where to look (first, next, best, worst fit)
 * @param order how the free list is kept
 * @param layout header size, alignment, split threshold, growth, coalescing
 */
public record FreeListOptions(FitPolicy policy, ListOrder order, TagLayout layout) {

    public static final long DEFAULT_GROW = 4096;

    /** Address-ordered, coalescing, 8-byte headers, 16-byte alignment, split whenever a block fits. */
    public static FreeListOptions of(FitPolicy policy) {
        return new FreeListOptions(policy, ListOrder.ADDRESS, new TagLayout(8, 16, 0, DEFAULT_GROW, true));
    }

    public FreeListOptions withOrder(ListOrder o) {
        return new FreeListOptions(policy, o, layout);
    }

    public FreeListOptions withLayout(TagLayout l) {
        return new FreeListOptions(policy, order, l);
    }
}
