package io.kmemlab.malloc.jemalloc;

/**
 * Virtual nanoseconds of jemalloc's own paths when a scheduler drives the allocator ({@link
 * Jemalloc#attach}), apart from what the scheduler's cost model charges (locks, atomics, lines
 * moving between CPUs). Calibrated with scripts/contention-native.sh against Debian's
 * libjemalloc.so.2 (5.3.0) on this 2-CPU machine; docs/contention.md gives the sitting.
 */
final class JemallocCosts {
    private JemallocCosts() {}

    /** malloc/free entry: size2index, the tsd and the thread-event counters. */
    static final long CALL = 2;

    /** A tcache hit: pop or push one pointer of the bin's stack. */
    static final long TCACHE = 1;

    /** Work under a bin's lock apart from the regions: slabcur, the nonfull heap, the stats. */
    static final long BIN_LOCKED = 12;

    /** One region taken from or returned to a slab's bitmap. */
    static final long PER_REGION = 3;

    /** Page-level work under the extents' lock: an ecache search or insert, the emap's update. */
    static final long PAGE_ALLOC = 150;

    /** A decay epoch's check under decay_dirty (purging, when due, is the kernel's madvise). */
    static final long DECAY = 100;
}
