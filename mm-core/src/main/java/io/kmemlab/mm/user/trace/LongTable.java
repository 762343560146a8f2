package io.kmemlab.mm.user.trace;

/**
 * A long → long table (live addresses → ids, ids → pointers): open addressing with linear
 * probing over primitive arrays, deletion by backward shift (no tombstones), no object per entry.
 */
final class LongTable {
    static final long MISSING = -1;
    private long[] keys = new long[1024];
    private long[] values = new long[1024];
    private boolean[] used = new boolean[1024];
    private int size;

    long get(long addr) {
        int i = find(addr);
        return used[i] ? values[i] : MISSING;
    }

    void put(long addr, long id) {
        if ((size + 1) * 4L > keys.length * 3L) {
            grow();
        }
        int i = find(addr);
        if (!used[i]) {
            used[i] = true;
            keys[i] = addr;
            size++;
        }
        values[i] = id;
    }

    /** Removes {@code addr}; returns its id or {@link #MISSING}. */
    long remove(long addr) {
        int i = find(addr);
        if (!used[i]) {
            return MISSING;
        }
        long v = values[i];
        int mask = keys.length - 1;
        used[i] = false;
        size--;
        for (int j = (i + 1) & mask; used[j]; j = (j + 1) & mask) {
            int h = slot(keys[j]);
            // The entry at j may move into the hole at i if its home slot is not in (i, j].
            boolean movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
            if (movable) {
                keys[i] = keys[j];
                values[i] = values[j];
                used[i] = true;
                used[j] = false;
                i = j;
            }
        }
        return v;
    }

    private int slot(long addr) {
        long h = addr * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (keys.length - 1);
    }

    private int find(long addr) {
        int mask = keys.length - 1;
        int i = slot(addr);
        while (used[i] && keys[i] != addr) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] k = keys;
        long[] v = values;
        boolean[] u = used;
        keys = new long[k.length * 2];
        values = new long[k.length * 2];
        used = new boolean[k.length * 2];
        size = 0;
        for (int i = 0; i < k.length; i++) {
            if (u[i]) {
                put(k[i], v[i]);
            }
        }
    }
}
