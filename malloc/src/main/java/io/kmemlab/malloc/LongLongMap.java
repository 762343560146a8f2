package io.kmemlab.malloc;

import java.util.Arrays;

/**
 * A primitive {@code long → long} hash map for allocator bookkeeping kept outside the emulated
 * memory (the requested size of each live block): open addressing with linear probing and
 * backward-shift deletion, so lookups, puts and removes allocate nothing once the table is big
 * enough. Key 0 (NULL) is not allowed.
 */
public final class LongLongMap {
    private long[] keys;
    private long[] values;
    private int size;
    private int mask;

    public LongLongMap() {
        this(64);
    }

    /** A map with room for {@code capacity} keys before it grows (rounded up to a power of two). */
    public LongLongMap(int capacity) {
        int cap = Integer.highestOneBit(Math.max(8, capacity * 2 - 1)) << 1;
        keys = new long[cap];
        values = new long[cap];
        mask = cap - 1;
    }

    public int size() {
        return size;
    }

    private static int hash(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** The value for {@code key}, or {@code missing}. */
    public long get(long key, long missing) {
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == 0) {
                return missing;
            }
        }
    }

    public boolean containsKey(long key) {
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return true;
            }
            if (k == 0) {
                return false;
            }
        }
    }

    public void put(long key, long value) {
        assert key != 0;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
        }
    }

    /** Removes {@code key}; returns its value, or {@code missing} if it was absent. */
    public long remove(long key, long missing) {
        int i = hash(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == 0) {
                return missing;
            }
            i = (i + 1) & mask;
        }
        long old = values[i];
        size--;
        // Backward-shift deletion: move later members of the probe run into the hole.
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = hash(keys[j]) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        values[hole] = 0;
        return old;
    }

    public void clear() {
        Arrays.fill(keys, 0);
        Arrays.fill(values, 0);
        size = 0;
    }

    /** Visits every entry (order unspecified). */
    public void forEach(Entry visitor) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                visitor.accept(keys[i], values[i]);
            }
        }
    }

    /** One entry. */
    @FunctionalInterface
    public interface Entry {
        void accept(long key, long value);
    }

    private void grow() {
        long[] ok = keys;
        long[] ov = values;
        keys = new long[ok.length * 2];
        values = new long[ok.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != 0) {
                put(ok[i], ov[i]);
            }
        }
    }
}
