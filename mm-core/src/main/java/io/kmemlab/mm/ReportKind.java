package io.kmemlab.mm;

/** Kinds of kernel-style reports a user mistake or bad input can cause; each is counted. */
public enum ReportKind {
    /** {@code BUG: Bad page state in process …} (freeing a page that is not allocated, …). */
    BAD_PAGE,
    /** {@code page allocation failure: order:N, mode:…}. */
    PAGE_ALLOC_FAILURE,
    /** A {@code WARNING:} splat (impossible sizes, invalid orders, …). */
    WARN,
    /** A {@code BUG:} / {@code kernel BUG at …} for a bad call (invalid free, wrong address, …). */
    BUG,
    /** Slab corruption found by slab debugging (red zone, poison, freelist, double free). */
    SLAB_CORRUPTION,
    /** kmem_cache_free to the wrong cache, kfree of a non-slab address, … */
    SLAB_BAD_FREE,
    /** Destroying a cache that still has objects. */
    SLAB_LEAK,
    /** A malformed or unusable input line (trace, script). */
    BAD_INPUT,
    /** The OOM killer ran ({@code Out of memory: Killed process …}) or the machine panicked on OOM. */
    OOM;

    public static final int COUNT = values().length;
}
