package io.kmemlab.malloc.freelist;

import io.kmemlab.malloc.BoundaryTagHeap;
import io.kmemlab.mm.LongLongMap;
import io.kmemlab.mm.user.UserSpace;
import java.util.List;

/**
 * One explicit free list over a boundary-tagged brk heap, searched by a {@link FitPolicy} and kept
 * in a {@link ListOrder}; see the package essay.
 */
public final class FreeListAllocator extends BoundaryTagHeap implements FitPolicy.Walk {
    private final FreeListOptions options;
    private final FitPolicy policy;
    private final ListOrder order;
    private final long[] counted = new long[1];
    private long head;
    private long tail;
    private long length;
    /** Where next fit's search starts: the block the last search ended at, or its successor. */
    private long rover;

    public FreeListAllocator(UserSpace space, FreeListOptions options) {
        super(space, options.policy().allocatorName(), options.layout());
        this.options = options;
        this.policy = options.policy();
        this.order = options.order();
    }

    public FreeListOptions options() {
        return options;
    }

    // ---- FitPolicy.Walk over the list in the process's memory

    @Override
    public long first() {
        return head;
    }

    @Override
    public long next(long element) {
        return nextLink(element);
    }

    @Override
    public long size(long element) {
        return blockSize(element);
    }

    @Override
    public long length() {
        return length;
    }

    // ---- the index

    @Override
    protected long findFit(long asize) {
        long b = policy.search(this, order, asize, rover, counted);
        searched = counted[0];
        if (policy == FitPolicy.NEXT) {
            rover = b;
        }
        return b;
    }

    @Override
    protected void insertFree(long b, long size) {
        long after; // the element b goes after, 0 for the head
        switch (order) {
            case INSERT_FRONT -> after = 0;
            case INSERT_BACK -> after = tail;
            default -> {
                after = 0;
                long n = 0;
                for (long e = head;
                        e != 0 && n++ < length && !order.goesBefore(b, size, e, blockSize(e));
                        e = nextLink(e)) {
                    after = e;
                }
            }
        }
        linkAfter(b, after);
    }

    private void linkAfter(long b, long after) {
        long next = after == 0 ? head : nextLink(after);
        setPrevLink(b, after);
        setNextLink(b, next);
        if (after == 0) {
            head = b;
        } else {
            setNextLink(after, b);
        }
        if (next == 0) {
            tail = b;
        } else {
            setPrevLink(next, b);
        }
        length++;
    }

    @Override
    protected void removeFree(long b, long size) {
        long prev = prevLink(b);
        long next = nextLink(b);
        if (prev == 0) {
            head = next;
        } else {
            setNextLink(prev, next);
        }
        if (next == 0) {
            tail = prev;
        } else {
            setPrevLink(next, prev);
        }
        if (rover == b) {
            rover = next != 0 ? next : head;
        }
        length--;
    }

    /**
     * The remainder of a split takes the block's place in the list (so an address-ordered list
     * stays ordered and a front- or back-inserted one keeps its history, as malloc.py keeps it);
     * a size-ordered list takes it out and puts it back where its new size belongs.
     */
    @Override
    protected void splitFree(long b, long oldSize, long rem, long remSize) {
        long prev = prevLink(b);
        long next = nextLink(b);
        boolean wasRover = rover == b;
        setPrevLink(rem, prev);
        setNextLink(rem, next);
        if (prev == 0) {
            head = rem;
        } else {
            setNextLink(prev, rem);
        }
        if (next == 0) {
            tail = rem;
        } else {
            setPrevLink(next, rem);
        }
        if (order.sortedBySize()) {
            removeFree(rem, remSize);
            insertFree(rem, remSize);
        }
        // Next fit goes on from the remainder of the last split, wherever the block came from
        // (a search, or the heap's growth).
        if (wasRover || policy == FitPolicy.NEXT) {
            rover = rem;
        }
    }

    @Override
    public void forEachFree(FreeVisitor visitor) {
        long n = 0;
        for (long e = head; e != 0 && n++ < length; e = nextLink(e)) {
            visitor.free(0, e, blockSize(e));
        }
    }

    @Override
    protected void validateIndex(List<String> problems, LongLongMap freeBlocks) {
        long n = 0;
        long prev = 0;
        long prevSize = 0;
        LongLongMap seen = new LongLongMap(-1);
        for (long e = head; e != 0; e = nextLink(e)) {
            if (++n > freeBlocks.size() + 1) {
                problems.add("free list: longer than the heap's free blocks (a cycle?)");
                return;
            }
            long size = freeBlocks.get(e);
            if (size < 0) {
                problems.add(String.format("free list: element 0x%x is not a free block of the heap", e));
                return;
            }
            if (seen.containsKey(e)) {
                problems.add(String.format("free list: 0x%x twice", e));
                return;
            }
            seen.put(e, size);
            if (prevLink(e) != prev) {
                problems.add(String.format("free list: 0x%x's prev link 0x%x, expected 0x%x", e, prevLink(e), prev));
            }
            if (prev != 0
                    && order != ListOrder.INSERT_FRONT
                    && order != ListOrder.INSERT_BACK
                    && order.goesBefore(e, size, prev, prevSize)) {
                problems.add(String.format(
                        "free list: 0x%x (%d bytes) after 0x%x (%d bytes) breaks the %s order",
                        e, size, prev, prevSize, order.ostepName()));
            }
            prev = e;
            prevSize = size;
        }
        if (prev != tail) {
            problems.add(String.format("free list: ends at 0x%x, tail is 0x%x", prev, tail));
        }
        if (n != freeBlocks.size() || n != length) {
            problems.add(String.format(
                    "free list: %d elements, the heap has %d free blocks, %d counted", n, freeBlocks.size(), length));
        }
        if (rover != 0 && !seen.containsKey(rover)) {
            problems.add(String.format("free list: next fit's rover 0x%x is not on the list", rover));
        }
    }
}
