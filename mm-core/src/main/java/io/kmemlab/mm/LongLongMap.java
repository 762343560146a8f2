package io.kmemlab.mm;

import java.util.Arrays;

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

    /**
     * Slot i is {@code table[2i]} (key, 0 = empty: key 0 lives aside) and {@code table[2i+1]}
     * (value): one cache line holds a probe's key and value, which matters once the map outgrows
     * the caches (a replay's pointer map is probed at random, once or twice per event).
     */
    private long[] table;
    /** Slots − 1 (slots are a power of two). */
    private int mask;

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
        table = new long[2 * cap];
        mask = cap - 1;
    }

    public int size() {
        return size + (hasZero ? 1 : 0);
    }

    public long get(long key) {
        if (key == 0) {
            return hasZero ? zeroValue : missing;
        }
        long[] t = table;
        int m = mask;
        for (int i = mix(key) & m; ; i = (i + 1) & m) {
            long k = t[2 * i];
            if (k == key) {
                return t[2 * i + 1];
            }
            if (k == 0) {
                return missing;
            }
        }
    }

    public boolean containsKey(long key) {
        if (key == 0) {
            return hasZero;
        }
        long[] t = table;
        int m = mask;
        for (int i = mix(key) & m; ; i = (i + 1) & m) {
            long k = t[2 * i];
            if (k == key) {
                return true;
            }
            if (k == 0) {
                return false;
            }
        }
    }

    /** Sets the value; returns the previous one or {@code missing}. */
    public long put(long key, long value) {
        if (key == 0) {
            long old = hasZero ? zeroValue : missing;
            hasZero = true;
            zeroValue = value;
            return old;
        }
        long[] t = table;
        int m = mask;
        int i = mix(key) & m;
        while (true) {
            long k = t[2 * i];
            if (k == key) {
                long old = t[2 * i + 1];
                t[2 * i + 1] = value;
                return old;
            }
            if (k == 0) {
                break;
            }
            i = (i + 1) & m;
        }
        t[2 * i] = key;
        t[2 * i + 1] = value;
        if (++size * 2 > m + 1) {
            rehash((m + 1) * 2);
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
        long[] t = table;
        int m = mask;
        for (int i = mix(key) & m; ; i = (i + 1) & m) {
            long k = t[2 * i];
            if (k == key) {
                long old = t[2 * i + 1];
                deleteAt(i);
                size--;
                return old;
            }
            if (k == 0) {
                return missing;
            }
        }
    }

    /** Removes every entry whose value equals {@code value}; returns how many. */
    public int removeValue(long value) {
        int removed = 0;
        if (hasZero && zeroValue == value) {
            hasZero = false;
            removed++;
        }
        int slots = mask + 1;
        for (int i = 0; i < slots; ) {
            if (table[2 * i] != 0 && table[2 * i + 1] == value) {
                deleteAt(i);
                size--;
                removed++;
                // The shift may have moved another entry into slot i: look at it again.
                continue;
            }
            i++;
        }
        return removed;
    }

    /** Removes every entry; the table keeps its capacity (a bump arena's reset refills it). */
    public void clear() {
        Arrays.fill(table, 0);
        size = 0;
        hasZero = false;
        zeroValue = 0;
    }

    /** Calls {@code visitor} for every entry (order unspecified). */
    public void forEach(EntryVisitor visitor) {
        if (hasZero) {
            visitor.visit(0, zeroValue);
        }
        long[] t = table;
        for (int i = 0; i < t.length; i += 2) {
            if (t[i] != 0) {
                visitor.visit(t[i], t[i + 1]);
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
        long[] t = table;
        int m = mask;
        int i = hole;
        while (true) {
            i = (i + 1) & m;
            long k = t[2 * i];
            if (k == 0) {
                break;
            }
            int home = mix(k) & m;
            // Move entry i into the hole if its home is not in (hole, i] (cyclically).
            boolean inRange = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!inRange) {
                t[2 * hole] = k;
                t[2 * hole + 1] = t[2 * i + 1];
                hole = i;
            }
        }
        t[2 * hole] = 0;
        t[2 * hole + 1] = 0;
    }

    private void rehash(int cap) {
        long[] old = table;
        long[] t = new long[2 * cap];
        int m = cap - 1;
        for (int j = 0; j < old.length; j += 2) {
            long k = old[j];
            if (k != 0) {
                int i = mix(k) & m;
                while (t[2 * i] != 0) {
                    i = (i + 1) & m;
                }
                t[2 * i] = k;
                t[2 * i + 1] = old[j + 1];
            }
        }
        table = t;
        mask = m;
    }

    private static int mix(long k) {
        k = (k ^ (k >>> 33)) * 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return (int) k;
    }
}
