package io.kmemlab.slab;

import io.kmemlab.mm.page.PageAllocator;

/**
 * SLAB's boot-time settings, from the kernel command line.
 *
 * @param slabMaxOrder {@code slab_max_order=N} clamped to [0, 10], or -1 if not given (then
 *     kmem_cache_init raises the default 0 to 1 on machines with more than 32 MiB)
 * @param debug kmemlab's {@code slab_debug} word: the machine behaves as a kernel built with
 *     CONFIG_DEBUG_SLAB (FORCED_DEBUG on every cache, statistics columns, limit capped at 32)
 * @param noAlienCache {@code noaliencache}: remote frees go straight to the remote node's lists
 * @param freelistRandom CONFIG_SLAB_FREELIST_RANDOM: each new slab's free list is a random
 *     permutation (from the machine's seeded randomness); off by default so that objects come
 *     out in address order
 */
public record SlabSettings(int slabMaxOrder, boolean debug, boolean noAlienCache, boolean freelistRandom) {
    /** Largest slab_max_order accepted (MAX_ORDER − 1 before 6.4, MAX_ORDER after). */
    public static final int MAX_SLAB_MAX_ORDER = PageAllocator.MAX_PAGE_ORDER;

    /** No boot words. */
    public static final SlabSettings DEFAULT = new SlabSettings(-1, false, false, false);

    public SlabSettings withDebug(boolean on) {
        return new SlabSettings(slabMaxOrder, on, noAlienCache, freelistRandom);
    }

    public SlabSettings withSlabMaxOrder(int order) {
        return new SlabSettings(Math.max(0, Math.min(order, MAX_SLAB_MAX_ORDER)), debug, noAlienCache, freelistRandom);
    }

    public SlabSettings withNoAlienCache(boolean on) {
        return new SlabSettings(slabMaxOrder, debug, on, freelistRandom);
    }

    public SlabSettings withFreelistRandom(boolean on) {
        return new SlabSettings(slabMaxOrder, debug, noAlienCache, on);
    }
}
