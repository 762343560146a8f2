package io.kmemlab.malloc.freelist;

import java.util.Locale;

/**
 * Where a free-list allocator looks for a block, with OSTEP's {@code -p} names (NEXT is ours), and
 * how many list elements each search examines.
 *
 * <p>The search walks the list from its head (next fit: from the rover, round to it again) and
 * counts every element it looks at, as malloc.py does, but it stops as soon as the list's order
 * proves no later element can be chosen: under an ascending size order the first fit is the best
 * fit; under a descending order best fit stops at the first element too small for the request and
 * worst fit looks at the head only. malloc.py walks the whole list for best and worst fit whatever
 * the order, so its counts for those are too high; the blocks chosen are the same. An exact fit
 * does not stop a best-fit search of an unsorted list (malloc.py's counts for those are right).
 */
public enum FitPolicy {
    FIRST("first-fit"),
    NEXT("next-fit"),
    BEST("best-fit"),
    WORST("worst-fit");

    private final String allocatorName;

    FitPolicy(String allocatorName) {
        this.allocatorName = allocatorName;
    }

    /** The {@code --allocator} name: {@code best-fit}. */
    public String allocatorName() {
        return allocatorName;
    }

    /** {@code BEST}, {@code best}, {@code best-fit}; null if none. */
    public static FitPolicy parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        for (FitPolicy p : values()) {
            if (t.equals(p.name().toLowerCase(Locale.ROOT)) || t.equals(p.allocatorName)) {
                return p;
            }
        }
        return null;
    }

    /** A free list as the search sees it: elements are handles, 0 ends the list. */
    public interface Walk {
        long first();

        long next(long element);

        long size(long element);
    }

    /**
     * Searches {@code list} for {@code want} bytes.
     *
     * @param rover where next fit starts (0: the head); ignored by the other policies
     * @param counted receives the number of elements examined in {@code counted[0]}
     * @return the element chosen, or 0
     */
    public long search(Walk list, ListOrder order, long want, long rover, long[] counted) {
        long count = 0;
        long chosen = 0;
        switch (this) {
            case FIRST -> {
                for (long e = list.first(); e != 0; e = list.next(e)) {
                    count++;
                    if (list.size(e) >= want) {
                        chosen = e;
                        break;
                    }
                }
            }
            case NEXT -> {
                long start = rover != 0 ? rover : list.first();
                long e = start;
                while (e != 0) {
                    count++;
                    if (list.size(e) >= want) {
                        chosen = e;
                        break;
                    }
                    e = list.next(e);
                    if (e == 0) {
                        e = list.first();
                    }
                    if (e == start) {
                        break;
                    }
                }
            }
            case BEST -> {
                long bestSize = Long.MAX_VALUE;
                for (long e = list.first(); e != 0; e = list.next(e)) {
                    count++;
                    long s = list.size(e);
                    if (s >= want && s < bestSize) {
                        chosen = e;
                        bestSize = s;
                        if (order == ListOrder.SIZE_ASCENDING) {
                            break;
                        }
                    } else if (s < want && order == ListOrder.SIZE_DESCENDING) {
                        break;
                    }
                }
            }
            case WORST -> {
                long bestSize = -1;
                for (long e = list.first(); e != 0; e = list.next(e)) {
                    count++;
                    long s = list.size(e);
                    if (s >= want && s > bestSize) {
                        chosen = e;
                        bestSize = s;
                    }
                    if (order == ListOrder.SIZE_DESCENDING) {
                        break;
                    }
                }
            }
        }
        counted[0] = count;
        return chosen;
    }
}
