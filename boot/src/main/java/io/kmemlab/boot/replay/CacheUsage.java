package io.kmemlab.boot.replay;

/**
 * One cache's memory at the end of a replay, as slabtop shows it.
 *
 * @param slabBytes pages held by its slabs, in bytes (num_slabs × pagesperslab × 4096)
 */
public record CacheUsage(String name, long activeObjs, long numObjs, int objSize, long slabBytes) {

    /** Bytes of slots that hold no object. */
    public long unusedSlotBytes() {
        return (numObjs - activeObjs) * objSize;
    }
}
