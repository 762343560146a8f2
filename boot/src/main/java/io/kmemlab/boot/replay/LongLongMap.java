package io.kmemlab.boot.replay;

/**
 * A primitive {@code long → long} hash map: open addressing with linear probing and
 * backward-shift deletion (no tombstones), no boxing, no per-entry objects. Trace pointers and
 * pfns are its keys, so any {@code long} is a valid key, 0 included (kept aside in its own slot).
 *
 * <p>The table doubles at 1/2 load and never shrinks below its high-water mark; memory is
 * O(largest number of entries).
 */
public final class LongLongMap {
    private static final int MIN_CAPACITY = 16;

    private long[] keys;
    private long[] values;
    private boolean[] used;
    private int size;
    private final long missing;
    private boolean hasZero;
    private long zeroValue;

    /** @param missing what {@link #get} returns for an absent key */
    public LongLongMap(long missing) {
        this(missing, MIN_CAPACITY);
    }

    public LongLongMap(long missing, int expected) {
        this.missing = missing;
        int cap = MIN_CAPACITY;
        while (cap < expected * 2) {
            cap <<= 1;
        }
        keys = new long[cap];
        values = new long[cap];
        used = new boolean[cap];
    }

    public int size() {
        return size + (hasZero ? 1 : 0);
    }

    public long get(long key) {
        if (key == 0) {
            return hasZero ? zeroValue : missing;
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return missing;
    }

    public boolean containsKey(long key) {
        if (key == 0) {
            return hasZero;
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return true;
            }
        }
        return false;
    }

    /** Sets the value; returns the previous one or {@code missing}. */
    public long put(long key, long value) {
        if (key == 0) {
            long old = hasZero ? zeroValue : missing;
            hasZero = true;
            zeroValue = value;
            return old;
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (used[i]) {
            if (keys[i] == key) {
                long old = values[i];
                values[i] = value;
                return old;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            rehash(keys.length * 2);
        }
        return missing;
    }

    /** Removes the key; returns its value or {@code missing}. */
    public long remove(long key) {
        if (key == 0) {
            long old = hasZero ? zeroValue : missing;
            hasZero = false;
            return old;
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (used[i]) {
            if (keys[i] == key) {
                long old = values[i];
                deleteAt(i);
                size--;
                return old;
            }
            i = (i + 1) & mask;
        }
        return missing;
    }

    /** Removes every entry whose value equals {@code value}; returns how many. */
    public int removeValue(long value) {
        int removed = 0;
        if (hasZero && zeroValue == value) {
            hasZero = false;
            removed++;
        }
        int mask = keys.length - 1;
        for (int i = 0; i < keys.length; ) {
            if (used[i] && values[i] == value) {
                deleteAt(i);
                size--;
                removed++;
                // The shift may have moved another entry into slot i: look at it again.
                continue;
            }
            i++;
            if (i == keys.length) {
                break;
            }
        }
        assert mask == keys.length - 1;
        return removed;
    }

    /** Calls {@code visitor} for every entry (order unspecified). */
    public void forEach(EntryVisitor visitor) {
        if (hasZero) {
            visitor.visit(0, zeroValue);
        }
        for (int i = 0; i < keys.length; i++) {
            if (used[i]) {
                visitor.visit(keys[i], values[i]);
            }
        }
    }

    /** Receives entries. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long key, long value);
    }

    /** Backward-shift deletion: keeps every probe chain unbroken without tombstones. */
    private void deleteAt(int hole) {
        int mask = keys.length - 1;
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (!used[i]) {
                break;
            }
            int home = mix(keys[i]) & mask;
            // Move entry i into the hole if its home is not in (hole, i] (cyclically).
            boolean inRange = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!inRange) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        used[hole] = false;
    }

    private void rehash(int cap) {
        long[] ok = keys;
        long[] ov = values;
        boolean[] ou = used;
        keys = new long[cap];
        values = new long[cap];
        used = new boolean[cap];
        int mask = cap - 1;
        for (int j = 0; j < ok.length; j++) {
            if (ou[j]) {
                int i = mix(ok[j]) & mask;
                while (used[i]) {
                    i = (i + 1) & mask;
                }
                used[i] = true;
                keys[i] = ok[j];
                values[i] = ov[j];
            }
        }
    }

    private static int mix(long k) {
        k = (k ^ (k >>> 33)) * 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return (int) k;
    }
}
