package io.kmemlab.boot.lab;

/**
 * What the slab level hands a student's allocator: the kernel's page allocator (blocks of 2^order
 * pages, named by the address of their first byte in the direct map) and loads and stores inside
 * the blocks it holds, where its slabs, freelists and any metadata live. Each access costs virtual
 * time; an access outside the blocks it holds, or into an object it handed out and that is still
 * allocated, is stopped and reported, as is a call over its budget of accesses (an endless loop).
 */
public interface SlabPages {
    int PAGE_SIZE = 4096;

    /** alloc_pages: 2^order contiguous pages (order 0 to 10); the first byte's address, or 0. */
    long allocPages(int order);

    /** __free_pages: gives back a block {@link #allocPages} returned; false if it is not one. */
    boolean freePages(long addr, int order);

    long readU64(long addr);

    void writeU64(long addr, long value);

    int readU32(long addr);

    void writeU32(long addr, int value);

    int readU8(long addr);

    void writeU8(long addr, int value);
}
