package io.kmemlab.mm.trace.read;

/**
 * What a replayable trace line asks for. The seven kmem tracepoints a replay applies, plus
 * {@link #KREALLOC}, which no tracepoint prints (the kernel's krealloc shows up as kmalloc and
 * kfree events) but malloc-lab traces name directly.
 */
public enum TraceOp {
    KMALLOC("kmalloc"),
    KMEM_CACHE_ALLOC("kmem_cache_alloc"),
    KFREE("kfree"),
    KMEM_CACHE_FREE("kmem_cache_free"),
    KREALLOC("krealloc"),
    MM_PAGE_ALLOC("mm_page_alloc"),
    MM_PAGE_FREE("mm_page_free"),
    MM_PAGE_FREE_BATCHED("mm_page_free_batched"),
    /** Buddy-internal events: parsed (so kmemlab's own traces read back) but never replayed. */
    MM_PAGE_ALLOC_ZONE_LOCKED("mm_page_alloc_zone_locked"),
    MM_PAGE_PCPU_DRAIN("mm_page_pcpu_drain"),
    MM_PAGE_ALLOC_EXTFRAG("mm_page_alloc_extfrag");

    public static final int COUNT = values().length;

    private final String eventName;

    TraceOp(String eventName) {
        this.eventName = eventName;
    }

    /** The tracepoint name as ftrace prints it. */
    public String eventName() {
        return eventName;
    }

    /** True for the object allocations (kmalloc, kmem_cache_alloc, krealloc). */
    public boolean isObjectAlloc() {
        return this == KMALLOC || this == KMEM_CACHE_ALLOC || this == KREALLOC;
    }

    /** True for the page events a replay can apply (mm_page_alloc, mm_page_free, mm_page_free_batched). */
    public boolean isPageEvent() {
        return this == MM_PAGE_ALLOC || this == MM_PAGE_FREE || this == MM_PAGE_FREE_BATCHED;
    }

    /** True for events of the buddy allocator's internals, which a replay never applies. */
    public boolean isBuddyInternal() {
        return this == MM_PAGE_ALLOC_ZONE_LOCKED || this == MM_PAGE_PCPU_DRAIN || this == MM_PAGE_ALLOC_EXTFRAG;
    }
}
