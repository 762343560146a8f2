package io.kmemlab.slab;

/**
 * {@code struct array_cache}: a LIFO stack of free object addresses. {@code entry[avail − 1]} is
 * the hottest (most recently freed) object; {@code entry[0]} the oldest. Used for the per-CPU
 * arrays, the per-node shared arrays and the alien arrays (remote frees on NUMA machines).
 *
 * <p>Fields are package-private and mutated in place by {@link ClassicSlabCache}: no Java object
 * is created per operation.
 */
final class ArrayCache {
    /** Objects held. */
    int avail;
    /** Capacity. */
    final int limit;
    /** Objects moved per refill or flush (0xbaadf00d for shared and alien arrays, never used). */
    final int batchcount;
    /** Set by every allocation hit or refill; cleared by the reaper, which spares touched arrays. */
    boolean touched;

    final long[] entry;

    ArrayCache(int limit, int batchcount) {
        this.limit = limit;
        this.batchcount = batchcount;
        this.entry = new long[limit];
    }

    /**
     * transfer_objects(): moves up to {@code max} of the hottest entries of {@code from} onto
     * this array, as far as there is room.
     *
     * @return the number moved
     */
    int transferFrom(ArrayCache from, int max) {
        int nr = Math.min(Math.min(from.avail, max), limit - avail);
        if (nr <= 0) {
            return 0;
        }
        System.arraycopy(from.entry, from.avail - nr, entry, avail, nr);
        from.avail -= nr;
        avail += nr;
        return nr;
    }

    /** Drops the {@code n} oldest entries (they were handed elsewhere) and slides the rest down. */
    void removeOldest(int n) {
        avail -= n;
        System.arraycopy(entry, n, entry, 0, avail);
    }

    /** sizeof(struct array_cache) + limit pointers, as the kernel kmallocs it. */
    static int bytes(int entries) {
        return 16 + 8 * entries;
    }
}
