package io.kmemlab.malloc.glibc;

import java.util.function.LongConsumer;

/**
 * The requested size of every live block, for {@link io.kmemlab.mm.user.UserHeapMetric} (glibc
 * itself does not remember it): open addressing over one primitive array of (pointer, size)
 * pairs, so a probe touches one cache line and the hot path allocates nothing once the table has
 * grown to the live set.
 */
final class LiveRequests {
    /** slots: table[2i] the pointer (0 = empty), table[2i + 1] its requested size. */
    private long[] table = new long[2 * 1024];

    private int mask = 1024 - 1;
    /** 64 - log2(slots): Fibonacci hashing takes the product's top bits. */
    private int shift = 64 - 10;

    private int size;
    private long requested;

    /**
     * The home slot: the emulated page's Fibonacci hash plus the 16-byte granule within the page,
     * so blocks near each other in the heap (as consecutive allocations are) sit in nearby slots
     * and a replay's probes mostly hit cache lines already loaded.
     */
    private int hash(long k) {
        return (int) ((((k >>> 12) * 0x9E3779B97F4A7C15L) >>> shift) + ((k >>> 4) & 255)) & mask;
    }

    void put(long key, long value) {
        if (2 * (size + 1) > mask + 1) {
            grow();
        }
        long[] t = table;
        int i = hash(key);
        while (t[2 * i] != 0) {
            if (t[2 * i] == key) {
                requested += value - t[2 * i + 1];
                t[2 * i + 1] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        t[2 * i] = key;
        t[2 * i + 1] = value;
        size++;
        requested += value;
    }

    void remove(long key) {
        long[] t = table;
        int i = hash(key);
        while (t[2 * i] != key) {
            if (t[2 * i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        requested -= t[2 * i + 1];
        size--;
        t[2 * i] = 0;
        // backward-shift deletion keeps every probe chain unbroken
        for (int j = (i + 1) & mask; t[2 * j] != 0; j = (j + 1) & mask) {
            int h = hash(t[2 * j]);
            if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
                t[2 * i] = t[2 * j];
                t[2 * i + 1] = t[2 * j + 1];
                t[2 * j] = 0;
                i = j;
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[2 * old.length];
        mask = 2 * mask + 1;
        shift--;
        size = 0;
        requested = 0;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0) {
                put(old[i], old[i + 1]);
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
        for (int i = 0; i < table.length; i += 2) {
            if (table[i] != 0) {
                c.accept(table[i]);
            }
        }
    }
}
