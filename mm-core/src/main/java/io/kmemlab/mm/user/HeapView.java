package io.kmemlab.mm.user;

/**
 * What an allocator shows of its heap, for the shell's {@code heap} command, OSTEP's output mode
 * and tests: its blocks in address order, its free list(s) in list order, and how many free-list
 * elements the last search examined. An allocator that has such a heap supplies this view through
 * {@link UserAllocator#heapView()}; others leave it out.
 *
 * <p>Views read the allocator's state (its headers in the process's memory where it keeps them
 * there) and change nothing. Addresses are the process's virtual addresses.
 */
public interface HeapView {

    /** Visits every block of the heap in address order (for a bump allocator: its arenas). */
    void forEachBlock(BlockVisitor visitor);

    /**
     * Visits the free blocks in the order the free list keeps them; an allocator with several lists
     * (size classes) visits list 0 first, then list 1, ….
     */
    void forEachFree(FreeVisitor visitor);

    /** Free-list elements the last malloc examined: OSTEP's {@code (searched N elements)}. */
    long lastSearched();

    /**
     * The free list in OSTEP's words, {@code Free List [ Size 2 ]: [ addr:0x… sz:32 ][ addr:0x… sz:4032 ]}
     * (malloc.py's own spacing, addresses in hex), followed by a line per further list when the
     * allocator has several.
     */
    default String freeListText() {
        return HeapViewText.freeList(this);
    }

    /** The heap drawn for the shell's {@code heap} command: one line per block, then the free list. */
    default String render() {
        return HeapViewText.render(this);
    }

    /** One block of the heap. */
    @FunctionalInterface
    interface BlockVisitor {
        /**
         * @param addr the block's first byte (its header, where it has one)
         * @param size the block's bytes, header included
         * @param allocated true for a block in use
         * @param payload the address malloc returned for it (0 for a free block)
         */
        void block(long addr, long size, boolean allocated, long payload);
    }

    /** One element of a free list. */
    @FunctionalInterface
    interface FreeVisitor {
        /**
         * @param list the list (size class) index, 0 for a single list
         * @param addr the free block's first byte
         * @param size its bytes, header included
         */
        void free(int list, long addr, long size);
    }
}
