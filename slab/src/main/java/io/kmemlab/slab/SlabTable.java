package io.kmemlab.slab;

import io.kmemlab.mm.slab.SlabIds;
import java.util.Arrays;

/**
 * The per-slab state SLAB keeps in {@code struct slab} (the head page), held here as parallel
 * primitive arrays indexed by a slab id; the head page's {@code page_private} holds the id, so only
 * slab pages pay for it. The ids come from the common {@link SlabIds} table (from 1, recycled
 * through its free stack), which asks this table to grow its arrays.
 *
 * <pre>
 *  id ──► headPfn   head page of the slab
 *         cache     owning cache
 *         node      node whose lists hold the slab (page_to_nid)
 *         active    objects not on the slab's free list (handed out or parked in arrays)
 *         sMem      address of object 0 (slab base + colour offset)
 *         freelist  address of the free-list index array; 0 (NULL) for a full OBJFREELIST slab
 *         used[4]   kmemlab's live-object bitmap (objects held by callers), 255 bits at most:
 *                   catches double frees the kernel only catches under DEBUG_SLAB
 * </pre>
 */
final class SlabTable {
    static final int USED_WORDS = 4;

    int[] headPfn = new int[64];
    ClassicSlabCache[] cache = new ClassicSlabCache[64];
    int[] node = new int[64];
    int[] active = new int[64];
    long[] sMem = new long[64];
    long[] freelist = new long[64];
    long[] used = new long[64 * USED_WORDS];
    /** Which node list holds the slab: {@link #ON_NONE}, {@link #ON_PARTIAL}, … */
    byte[] onList = new byte[64];

    static final byte ON_NONE = 0;
    static final byte ON_PARTIAL = 1;
    static final byte ON_FULL = 2;
    static final byte ON_FREE = 3;
    /** Destroyed slab of a TYPESAFE_BY_RCU cache: on no list, pages wait for kmem_rcu_free. */
    static final byte ON_RCU = 4;

    private final SlabIds ids = new SlabIds(1, 64, this::grow);

    /** Allocates an id (slow path: runs once per new slab). Id 0 is never used. */
    int allocId(ClassicSlabCache c, int pfn, int nodeId) {
        int id = ids.allocate();
        headPfn[id] = pfn;
        cache[id] = c;
        node[id] = nodeId;
        active[id] = 0;
        sMem[id] = 0;
        freelist[id] = 0;
        onList[id] = ON_NONE;
        Arrays.fill(used, id * USED_WORDS, (id + 1) * USED_WORDS, 0L);
        return id;
    }

    void releaseId(int id) {
        cache[id] = null;
        headPfn[id] = -1;
        ids.release(id);
    }

    /** The id of a live slab whose head is {@code pfn}, or 0. */
    int idOf(int pfn, int priv) {
        if (!ids.inRange(priv) || cache[priv] == null || headPfn[priv] != pfn) {
            return 0;
        }
        return priv;
    }

    boolean isUsed(int id, int idx) {
        return (used[id * USED_WORDS + (idx >>> 6)] & (1L << idx)) != 0;
    }

    void setUsed(int id, int idx) {
        used[id * USED_WORDS + (idx >>> 6)] |= 1L << idx;
    }

    void clearUsed(int id, int idx) {
        used[id * USED_WORDS + (idx >>> 6)] &= ~(1L << idx);
    }

    int usedCount(int id) {
        int n = 0;
        for (int w = 0; w < USED_WORDS; w++) {
            n += Long.bitCount(used[id * USED_WORDS + w]);
        }
        return n;
    }

    int liveSlabs() {
        return ids.live();
    }

    private void grow(int n) {
        headPfn = Arrays.copyOf(headPfn, n);
        cache = Arrays.copyOf(cache, n);
        node = Arrays.copyOf(node, n);
        active = Arrays.copyOf(active, n);
        sMem = Arrays.copyOf(sMem, n);
        freelist = Arrays.copyOf(freelist, n);
        used = Arrays.copyOf(used, n * USED_WORDS);
        onList = Arrays.copyOf(onList, n);
    }
}
