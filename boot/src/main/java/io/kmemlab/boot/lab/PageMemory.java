package io.kmemlab.boot.lab;

/**
 * What the page-allocator level hands a student's allocator: one {@code struct Page} per frame
 * (ucore's {@code flags}, {@code property} and a {@code page_link} as {@code next}/{@code prev}
 * PFNs), and the bytes of each free frame, where a free list may live as xv6's {@code struct run}
 * does. Every access costs virtual time (the score's secs); frames outside the managed ranges, and
 * the bytes of frames handed out, are not the allocator's to touch: such an access is stopped and
 * reported, as is a call that makes more accesses than its budget (an endless loop).
 */
public interface PageMemory {
    /** Bytes in a frame. */
    int PAGE_SIZE = 4096;

    /** Frames in the machine: every PFN the allocator may be given is below it. */
    int nrFrames();

    int flags(int pfn);

    void setFlags(int pfn, int flags);

    /** ucore's {@code property}: the length in frames of the free block this frame heads, say. */
    int property(int pfn);

    void setProperty(int pfn, int value);

    int next(int pfn);

    void setNext(int pfn, int value);

    int prev(int pfn);

    void setPrev(int pfn, int value);

    /** The 8 bytes at {@code offset} (a multiple of 8 below PAGE_SIZE) of free frame {@code pfn}. */
    long readU64(int pfn, int offset);

    void writeU64(int pfn, int offset, long value);
}
