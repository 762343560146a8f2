package io.kmemlab.mm.slab;

/**
 * The allocator's part of cache merging ({@code find_mergeable}, {@code __kmem_cache_alias}): an
 * allocator that merges supplies one from {@link SlabAllocator#aliasFinder()}, one that never
 * merges (SLOB, or {@code slab_nomerge}) supplies none. The common layer does the rest of
 * {@code find_mergeable} (flags, ctor, usercopy, size and slot tests, oldest cache first).
 */
public interface AliasFinder {
    /** The common rules only (SLUB). */
    AliasFinder COMMON = new AliasFinder() {};

    /**
     * SLAB's find_mergeable: the request's alignment must also divide the cache's
     * ({@code align' <= s->align && s->align % align' == 0}).
     */
    AliasFinder ALIGNMENT_DIVIDES = new AliasFinder() {
        @Override
        public boolean fits(SlabCache s, int align) {
            return align <= s.align() && s.align() % align == 0;
        }
    };

    /**
     * After the common tests have passed: may {@code s} take a request whose calculated alignment
     * is {@code align}?
     */
    default boolean fits(SlabCache s, int align) {
        return true;
    }

    /**
     * True if a mergeable cache still appears in sysfs under its own name instead of the unique
     * id of its slot (SLUB: the {@code O} debug option with global Z/P/U).
     */
    default boolean ownSysfsNames() {
        return false;
    }
}
