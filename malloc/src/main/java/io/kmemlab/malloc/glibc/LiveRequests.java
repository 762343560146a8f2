package io.kmemlab.malloc.glibc;

import java.util.function.LongConsumer;

/**
 * The requested size of every live block, for {@link io.kmemlab.mm.user.UserHeapMetric} (glibc
 * itself does not remember it): open addressing over primitive arrays, so the hot path allocates
 * nothing once the table has grown to the live set.
 */
final class LiveRequests {
    private long[] keys = new long[1024];
    private long[] values = new long[1024];
    private int size;
    private long requested;
    /** 64 - log2(capacity): Fibonacci hashing takes the product's top bits. */
    private int shift = 64 - 10;

    private int hash(long k, int mask) {
        return (int) (((k >>> 4) * 0x9E3779B97F4A7C15L) >>> shift);
    }

    void put(long key, long value) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = hash(key, mask);
        while (keys[i] != 0) {
            if (keys[i] == key) {
                requested += value - values[i];
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
        requested += value;
    }

    void remove(long key) {
        int mask = keys.length - 1;
        int i = hash(key, mask);
        while (keys[i] != key) {
            if (keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        requested -= values[i];
        size--;
        keys[i] = 0;
        // backward-shift deletion keeps every probe chain unbroken
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int h = hash(keys[j], mask);
            if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
                keys[i] = keys[j];
                values[i] = values[j];
                keys[j] = 0;
                i = j;
            }
        }
    }

    private void grow() {
        long[] k = keys;
        long[] v = values;
        keys = new long[k.length * 2];
        values = new long[k.length * 2];
        shift--;
        size = 0;
        requested = 0;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != 0) {
                put(k[i], v[i]);
            }
        }
    }

    int size() {
        return size;
    }

    long requested() {
        return requested;
    }

    void forEach(LongConsumer c) {
        for (long k : keys) {
            if (k != 0) {
                c.accept(k);
            }
        }
    }
}
