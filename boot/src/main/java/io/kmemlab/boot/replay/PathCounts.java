package io.kmemlab.boot.replay;

import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabCacheMetric;
import io.kmemlab.mm.slab.SlabLayer;

/**
 * Fast- and slow-path counts summed over all caches, from each cache's {@link SlabCacheMetric}:
 * SLUB's CONFIG_SLUB_STATS counters ({@code alloc_fastpath}, {@code alloc_slowpath},
 * {@code free_fastpath}, {@code free_slowpath}); SLAB's cpustat counters (allochit and freehit:
 * served by the per-CPU array; allocmiss and freemiss: a batch to or from the node lists). SLOB
 * has no such split: {@link #NONE}. Beside them, the free objects SLUB's sheaves and barns hold and
 * the kmalloc memory of the sheaf structures ({@link SlabCacheMetric#sheafObjects},
 * {@link SlabCacheMetric#sheafBytes}; 0 where there are none).
 */
public record PathCounts(
        long allocFast, long allocSlow, long freeFast, long freeSlow, long sheafObjects, long sheafBytes) {
    public static final PathCounts NONE = new PathCounts(-1, -1, -1, -1, 0, 0);

    public boolean exposed() {
        return allocFast >= 0;
    }

    /** Sums the counters of every cache of the layer that counts its paths. */
    public static PathCounts of(SlabLayer layer) {
        long af = 0;
        long as = 0;
        long ff = 0;
        long fs = 0;
        long so = 0;
        long sb = 0;
        boolean any = false;
        for (KmemCache c : layer.caches()) {
            SlabCacheMetric m = c.impl().metric();
            so += m.sheafObjects();
            sb += m.sheafBytes();
            if (m.allocFastpath() < 0) {
                continue;
            }
            af += m.allocFastpath();
            as += m.allocSlowpath();
            ff += m.freeFastpath();
            fs += m.freeSlowpath();
            any = true;
        }
        return any ? new PathCounts(af, as, ff, fs, so, sb) : new PathCounts(-1, -1, -1, -1, so, sb);
    }
}
