package io.kmemlab.boot.replay;

/**
 * One cache's memory at the end of a replay, as slabtop shows it.
 *
 * @param activeObjs slabinfo's active_objs (SLUB counts every slot of a per-CPU slab as active,
 *     SLAB every object in a per-CPU array cache, as the kernel does)
 * @param slabBytes pages held by its slabs, in bytes (num_slabs × pagesperslab × 4096)
 * @param inUseObjs objects handed out and not freed: for a cache the replay used, those in use
 *     when it began (slabinfo's active_objs then, 0 for a cache it created) plus those it holds;
 *     for any other cache, {@code activeObjs}
 */
public record CacheUsage(String name, long activeObjs, long numObjs, int objSize, long slabBytes, long inUseObjs) {

    /** Bytes of slots that hold no object: (num_objs − objects in use) × objsize. */
    public long freeSlotBytes() {
        return (numObjs - inUseObjs) * objSize;
    }
}
