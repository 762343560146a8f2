package io.kmemlab.mm;

/**
 * An intrusive doubly linked list of page frames, the kernel's {@code list_head} threaded through
 * {@link PageFrames}' next/prev arrays. A frame is on at most one list at a time (as page->lru).
 * The list object itself is the head; frames carry only PFN links, so no Java object exists per
 * element.
 */
public final class PfnList {
    private final PageFrames frames;
    private int first = PageFrames.NIL;
    private int last = PageFrames.NIL;
    private long size;

    public PfnList(PageFrames frames) {
        this.frames = frames;
    }

    public boolean isEmpty() {
        return first == PageFrames.NIL;
    }

    public long size() {
        return size;
    }

    /** First PFN (list_first_entry), or NIL. */
    public int first() {
        return first;
    }

    /** Last PFN (list_last_entry), or NIL. */
    public int last() {
        return last;
    }

    /** Following PFN on this list, or NIL. */
    public int next(int pfn) {
        return frames.next(pfn);
    }

    public int prev(int pfn) {
        return frames.prev(pfn);
    }

    /** list_add: insert at the head. */
    public void addHead(int pfn) {
        frames.link(pfn, PageFrames.NIL, first);
        if (first != PageFrames.NIL) {
            frames.setPrev(first, pfn);
        } else {
            last = pfn;
        }
        first = pfn;
        size++;
    }

    /** list_add_tail: insert at the tail. */
    public void addTail(int pfn) {
        frames.link(pfn, last, PageFrames.NIL);
        if (last != PageFrames.NIL) {
            frames.setNext(last, pfn);
        } else {
            first = pfn;
        }
        last = pfn;
        size++;
    }

    /** list_del: the frame must be on this list. */
    public void remove(int pfn) {
        int p = frames.prev(pfn);
        int n = frames.next(pfn);
        if (p != PageFrames.NIL) {
            frames.setNext(p, n);
        } else {
            first = n;
        }
        if (n != PageFrames.NIL) {
            frames.setPrev(n, p);
        } else {
            last = p;
        }
        frames.link(pfn, PageFrames.NIL, PageFrames.NIL);
        size--;
    }

    /** Removes and returns the head, or NIL if empty. */
    public int pollFirst() {
        int pfn = first;
        if (pfn != PageFrames.NIL) {
            // remove(pfn) knowing pfn has no predecessor
            int n = frames.next(pfn);
            first = n;
            if (n != PageFrames.NIL) {
                frames.setPrev(n, PageFrames.NIL);
            } else {
                last = PageFrames.NIL;
            }
            frames.link(pfn, PageFrames.NIL, PageFrames.NIL);
            size--;
        }
        return pfn;
    }

    /** Removes and returns the tail, or NIL if empty. */
    public int pollLast() {
        int pfn = last;
        if (pfn != PageFrames.NIL) {
            remove(pfn);
        }
        return pfn;
    }

    /** list_rotate_to_front-style move of an element to the head. */
    public void moveToHead(int pfn) {
        remove(pfn);
        addHead(pfn);
    }

    public void moveToTail(int pfn) {
        remove(pfn);
        addTail(pfn);
    }

    /**
     * list_rotate_to_front(pfn, list): the list now starts at {@code pfn} and keeps its cyclic
     * order (the frames in front of it move, in order, behind the old last one). O(1), as the
     * kernel's: one splice, whatever the number of frames moved. The frame must be on this list.
     */
    public void rotateToFront(int pfn) {
        if (pfn == first) {
            return;
        }
        int p = frames.prev(pfn);
        frames.setNext(last, first);
        frames.setPrev(first, last);
        frames.setNext(p, PageFrames.NIL);
        frames.setPrev(pfn, PageFrames.NIL);
        first = pfn;
        last = p;
    }

    /** True if pfn is on this list (linear walk; for validation only). */
    public boolean contains(int pfn) {
        for (int p = first; p != PageFrames.NIL; p = frames.next(p)) {
            if (p == pfn) {
                return true;
            }
        }
        return false;
    }
}
