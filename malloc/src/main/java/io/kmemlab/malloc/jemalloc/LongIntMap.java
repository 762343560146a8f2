package io.kmemlab.malloc.jemalloc;

import java.util.Arrays;

/**
 * An open-addressing map from a page number to an extent handle, without boxing: the emulation's
 * {@code rtree}. Linear probing; removal shifts the following run back so no tombstones build up.
 */
final class LongIntMap {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    LongIntMap(int capacity) {
        int cap = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1);
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    private static int hash(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** The value, or -1. */
    int get(long key) {
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    void put(long key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    void remove(long key) {
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == EMPTY) {
                return;
            }
            if (k == key) {
                break;
            }
            i = (i + 1) & mask;
        }
        size--;
        int gap = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long k = keys[j];
            if (k == EMPTY) {
                break;
            }
            int home = hash(k) & mask;
            // move k into the gap unless its home lies cyclically in (gap, j]
            boolean between = gap <= j ? (home > gap && home <= j) : (home > gap || home <= j);
            if (!between) {
                keys[gap] = k;
                values[gap] = values[j];
                gap = j;
            }
        }
        keys[gap] = EMPTY;
    }

    private void grow() {
        long[] ok = keys;
        int[] ov = values;
        keys = new long[ok.length * 2];
        values = new int[ok.length * 2];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != EMPTY) {
                put(ok[i], ov[i]);
            }
        }
    }
}
