package io.kmemlab.slob;

import java.util.Arrays;

/**
 * The footers ({@code struct slob_rcu} addresses) of the TYPESAFE_BY_RCU objects whose
 * {@code kmem_rcu_free} is queued on the machine's RCU and has not run yet: the answer to
 * "is this object already waiting for a grace period?" in O(1), where asking the RCU ring
 * ({@link io.kmemlab.mm.Rcu#isPending}) scans every pending callback of every allocator.
 *
 * <p>A shadow of the ring, not a second truth: {@link SlobAllocator} adds a footer right after
 * its {@code call_rcu} and removes it when the callback runs (RCU never drops a callback without
 * running it), and {@link SlobAllocator#validate()} checks that the two agree. Open addressing with
 * linear probing over one {@code long[]}, deletion by backward shift (no tombstones); it allocates
 * only when it grows.
 */
final class PendingFooters {
    /** No footer is 0 (the direct map starts far above it), so 0 marks an empty slot. */
    private static final long EMPTY = 0;

    private long[] keys = new long[64];
    private int size;

    int size() {
        return size;
    }

    boolean contains(long footer) {
        return footer != EMPTY && keys[find(footer)] == footer;
    }

    /** Adds a footer that is not in the set. */
    void add(long footer) {
        if (footer == EMPTY) {
            throw new IllegalArgumentException("footer 0");
        }
        if ((size + 1) * 4L > keys.length * 3L) {
            grow();
        }
        int i = find(footer);
        if (keys[i] != footer) {
            keys[i] = footer;
            size++;
        }
    }

    /** Removes a footer; returns whether it was there. */
    boolean remove(long footer) {
        int i = find(footer);
        if (keys[i] != footer || footer == EMPTY) {
            return false;
        }
        int mask = keys.length - 1;
        keys[i] = EMPTY;
        size--;
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int h = slot(keys[j], mask);
            // the entry at j may fill the hole at i unless its home slot lies in (i, j]
            boolean movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
            if (movable) {
                keys[i] = keys[j];
                keys[j] = EMPTY;
                i = j;
            }
        }
        return true;
    }

    /** Every footer in the set, sorted (for validation). */
    long[] toSortedArray() {
        long[] out = new long[size];
        int n = 0;
        for (long k : keys) {
            if (k != EMPTY) {
                out[n++] = k;
            }
        }
        Arrays.sort(out);
        return out;
    }

    private static int slot(long footer, int mask) {
        return (int) ((footer * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    /** The slot holding {@code footer}, or the empty slot where it would go. */
    private int find(long footer) {
        int mask = keys.length - 1;
        int i = slot(footer, mask);
        while (keys[i] != EMPTY && keys[i] != footer) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] old = keys;
        keys = new long[old.length * 2];
        size = 0;
        for (long k : old) {
            if (k != EMPTY) {
                add(k);
            }
        }
    }
}
