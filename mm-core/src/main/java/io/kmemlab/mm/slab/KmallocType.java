package io.kmemlab.mm.slab;

import io.kmemlab.mm.Gfp;

/**
 * {@code enum kmalloc_cache_type} in the 6.18 reference configuration order, with the cache name
 * prefixes and the flags the kmalloc caches of each type are created with.
 */
public enum KmallocType {
    NORMAL("kmalloc-", SlabFlags.NO_MERGE),
    RECLAIM("kmalloc-rcl-", SlabFlags.RECLAIM_ACCOUNT),
    DMA("dma-kmalloc-", SlabFlags.CACHE_DMA),
    CGROUP("kmalloc-cg-", SlabFlags.ACCOUNT);

    public static final int COUNT = 4;
    private static final KmallocType[] VALUES = values();

    private final String prefix;
    private final int cacheFlags;

    KmallocType(String prefix, int cacheFlags) {
        this.prefix = prefix;
        this.cacheFlags = cacheFlags;
    }

    public String prefix() {
        return prefix;
    }

    public int cacheFlags() {
        return cacheFlags;
    }

    /** kmalloc_type(flags), 6.18 with ZONE_DMA and MEMCG. */
    public static KmallocType of(int gfp) {
        if ((gfp & (Gfp.__GFP_RECLAIMABLE | Gfp.__GFP_DMA | Gfp.__GFP_ACCOUNT)) == 0) {
            return NORMAL;
        }
        if ((gfp & Gfp.__GFP_DMA) != 0) {
            return DMA;
        }
        if ((gfp & Gfp.__GFP_RECLAIMABLE) != 0) {
            return RECLAIM;
        }
        return CGROUP;
    }

    public static KmallocType byOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
