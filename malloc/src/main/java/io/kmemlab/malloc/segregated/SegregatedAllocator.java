package io.kmemlab.malloc.segregated;

import io.kmemlab.malloc.BoundaryTagHeap;
import io.kmemlab.mm.LongLongMap;
import io.kmemlab.mm.user.UserSpace;
import java.util.List;

/**
 * Segregated fits, the CS:APP malloc lab's reference design: one explicit free list per size
 * class, first fit inside a class and then the classes above it; see the package essay.
 */
public final class SegregatedAllocator extends BoundaryTagHeap {

    /** Size classes: blocks of up to 32 bytes, 33–64, 65–128, …, and the last for the rest. */
    public static final int CLASSES = 20;

    private static final int FIRST_SHIFT = 5;

    private final long[] heads = new long[CLASSES];
    private final long[] lengths = new long[CLASSES];

    public SegregatedAllocator(UserSpace space, TagLayout layout) {
        super(space, "segregated", layout);
    }

    /** CS:APP's default: 8-byte headers, 16-byte alignment, 4 KiB heap growth (CHUNKSIZE). */
    public static TagLayout defaultLayout() {
        return new TagLayout(8, 16, 0, 4096, true);
    }

    /** The class of a block of {@code size} bytes: ⌈log2(size)⌉ − 5, within 0 … CLASSES − 1. */
    public static int classOf(long size) {
        if (size <= 1L << FIRST_SHIFT) {
            return 0;
        }
        int c = 64 - Long.numberOfLeadingZeros(size - 1) - FIRST_SHIFT;
        return Math.min(c, CLASSES - 1);
    }

    /** The largest block size class {@code c} holds (Long.MAX_VALUE for the last). */
    public static long classLimit(int c) {
        return c == CLASSES - 1 ? Long.MAX_VALUE : 1L << (c + FIRST_SHIFT);
    }

    public long length(int c) {
        return lengths[c];
    }

    @Override
    protected long findFit(long asize) {
        long count = 0;
        for (int c = classOf(asize); c < CLASSES; c++) {
            long n = 0;
            for (long e = heads[c]; e != 0 && n++ < lengths[c]; e = nextLink(e)) {
                count++;
                if (blockSize(e) >= asize) {
                    searched = count;
                    return e;
                }
            }
        }
        searched = count;
        return 0;
    }

    /** LIFO: a freed block goes to the head of its class, where the next request of its size looks first. */
    @Override
    protected void insertFree(long b, long size) {
        int c = classOf(size);
        long h = heads[c];
        setPrevLink(b, 0);
        setNextLink(b, h);
        if (h != 0) {
            setPrevLink(h, b);
        }
        heads[c] = b;
        lengths[c]++;
    }

    @Override
    protected void removeFree(long b, long size) {
        int c = classOf(size);
        long prev = prevLink(b);
        long next = nextLink(b);
        if (prev == 0) {
            heads[c] = next;
        } else {
            setNextLink(prev, next);
        }
        if (next != 0) {
            setPrevLink(next, prev);
        }
        lengths[c]--;
    }

    @Override
    public void forEachFree(FreeVisitor visitor) {
        for (int c = 0; c < CLASSES; c++) {
            long n = 0;
            for (long e = heads[c]; e != 0 && n++ < lengths[c]; e = nextLink(e)) {
                visitor.free(c, e, blockSize(e));
            }
        }
    }

    @Override
    protected void validateIndex(List<String> problems, LongLongMap freeBlocks) {
        LongLongMap seen = new LongLongMap(-1);
        long total = 0;
        for (int c = 0; c < CLASSES; c++) {
            long prev = 0;
            long n = 0;
            for (long e = heads[c]; e != 0; e = nextLink(e)) {
                if (++n > freeBlocks.size() + 1) {
                    problems.add(String.format("class %d: longer than the heap's free blocks (a cycle?)", c));
                    return;
                }
                long size = freeBlocks.get(e);
                if (size < 0) {
                    problems.add(String.format("class %d: element 0x%x is not a free block of the heap", c, e));
                    return;
                }
                if (seen.containsKey(e)) {
                    problems.add(String.format("class %d: 0x%x is on a list twice", c, e));
                    return;
                }
                seen.put(e, size);
                if (classOf(size) != c) {
                    problems.add(String.format(
                            "class %d: block 0x%x of %d bytes belongs in class %d", c, e, size, classOf(size)));
                }
                if (prevLink(e) != prev) {
                    problems.add(
                            String.format("class %d: 0x%x's prev link 0x%x, expected 0x%x", c, e, prevLink(e), prev));
                }
                prev = e;
            }
            if (n != lengths[c]) {
                problems.add(String.format("class %d: %d elements, %d counted", c, n, lengths[c]));
            }
            total += n;
        }
        if (total != freeBlocks.size()) {
            problems.add(String.format(
                    "size classes hold %d blocks, the heap has %d free blocks", total, freeBlocks.size()));
        }
    }
}
