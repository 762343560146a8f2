package io.kmemlab.slub;

import io.kmemlab.mm.slab.SlabIds;
import java.util.Arrays;

/**
 * SLUB's {@code struct slab} fields indexed by a slab id, which the head page's {@code
 * page_private} ({@code PageFrames.priv}) holds while the page is a SLUB slab. Only slab pages pay
 * for this state; the ids come from the common {@link SlabIds} table (recycled through its free
 * stack), which asks this table to grow. The fields every free touches (freelist, inuse, the
 * state and the page bytes) are one {@link Slab} object per id, so that __slab_free reads one
 * object the cache already holds for the slab it remembered rather than an array each; the rest
 * are parallel arrays.
 *
 * <pre>
 *  id ─┬─ slab[id]: freelist, inuse,      (slab->freelist: object address, 0 = NULL; slab->inuse;
 *      │            state, frame           frozen cpu slab / node partial / cpu partial / full;
 *      │                                   an order-0 slab's materialised page bytes)
 *      ├─ pfn, order, objects             (slab->objects)
 *      ├─ next, prev                      (slab_list on n->partial or n->full)
 *      ├─ cpuNext, cpuSlabs               (cpu partial list link and length, slab->next/slabs)
 *      ├─ cache                           (slab->slab_cache)
 *      └─ block                           (PhysMem directory block of the slab's pages)
 * </pre>
 */
final class SlabTable {
    static final int NIL = -1;

    /** On no list: a full slab of a non-debug cache. */
    static final byte NONE = 0;
    /** Frozen: some CPU's cpu slab. */
    static final byte CPU_SLAB = 1;
    /** On a CPU's partial list (not frozen, SL_partial clear). */
    static final byte CPU_PARTIAL = 2;
    /** On the node partial list (SL_partial set). */
    static final byte NODE_PARTIAL = 3;
    /** On the node full list (debug caches with U). */
    static final byte NODE_FULL = 4;
    /** Frozen after a failed consistency check: dead, on no list. */
    static final byte DEAD = 5;
    /**
     * Discarded from a TYPESAFE_BY_RCU cache: off every list and out of nr_slabs, its pages wait
     * for an RCU grace period (rcu_free_slab) and are still PG_slab.
     */
    static final byte RCU_FREE = 6;

    /** The hot fields of slab {@code id}, one object per id ever used (kept across reuse). */
    static final class Slab {
        final int id;
        /** slab->freelist: an object address, 0 = NULL. */
        long freelist;
        /** slab->inuse. */
        int inuse;
        /** NONE, CPU_SLAB, CPU_PARTIAL, NODE_PARTIAL, NODE_FULL, DEAD or RCU_FREE. */
        byte state;
        /** An order-0 slab's page bytes once materialised (null otherwise: the block is used). */
        byte[] frame;

        Slab(int id) {
            this.id = id;
        }
    }

    Slab[] slab = newSlabs(new Slab[0], 64);
    int[] pfn = new int[64];
    int[] order = new int[64];
    int[] objects = new int[64];
    long[] base = new long[64];
    int[] next = new int[64];
    int[] prev = new int[64];
    int[] cpuNext = new int[64];
    int[] cpuSlabs = new int[64];
    SlubCache[] cache = new SlubCache[64];
    /** PhysMem's directory block holding the slab's pages (free pointers are read through it). */
    byte[][][] block = new byte[64][][];

    private final SlabIds ids = new SlabIds(0, 64, this::grow);

    /** Takes an id for a new slab. */
    int allocate() {
        int id = ids.allocate();
        next[id] = NIL;
        prev[id] = NIL;
        cpuNext[id] = NIL;
        cpuSlabs[id] = 0;
        Slab s = slab[id];
        s.state = NONE;
        s.freelist = 0;
        s.inuse = 0;
        return id;
    }

    void release(int id) {
        cache[id] = null;
        block[id] = null;
        slab[id].frame = null;
        pfn[id] = NIL;
        ids.release(id);
    }

    /** Ids ever used (iteration bound). */
    int high() {
        return ids.high();
    }

    int live() {
        return ids.live();
    }

    private static Slab[] newSlabs(Slab[] old, int n) {
        Slab[] s = Arrays.copyOf(old, n);
        for (int id = old.length; id < n; id++) {
            s[id] = new Slab(id);
        }
        return s;
    }

    private void grow(int n) {
        slab = newSlabs(slab, n);
        pfn = Arrays.copyOf(pfn, n);
        order = Arrays.copyOf(order, n);
        objects = Arrays.copyOf(objects, n);
        base = Arrays.copyOf(base, n);
        next = Arrays.copyOf(next, n);
        prev = Arrays.copyOf(prev, n);
        cpuNext = Arrays.copyOf(cpuNext, n);
        cpuSlabs = Arrays.copyOf(cpuSlabs, n);
        cache = Arrays.copyOf(cache, n);
        block = Arrays.copyOf(block, n);
    }
}
