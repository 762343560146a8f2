package io.kmemlab.mm.trace.read;

import io.kmemlab.mm.trace.EventType;

/**
 * What a replayable trace line asks for. The seven kmem tracepoints a replay applies, plus
 * {@link #KREALLOC}, which no tracepoint prints (the kernel's krealloc shows up as kmalloc and
 * kfree events) but malloc-lab traces name directly.
 */
public enum TraceOp {
    KMALLOC(EventType.KMALLOC),
    KMEM_CACHE_ALLOC(EventType.KMEM_CACHE_ALLOC),
    KFREE(EventType.KFREE),
    KMEM_CACHE_FREE(EventType.KMEM_CACHE_FREE),
    KREALLOC(null),
    MM_PAGE_ALLOC(EventType.MM_PAGE_ALLOC),
    MM_PAGE_FREE(EventType.MM_PAGE_FREE),
    MM_PAGE_FREE_BATCHED(EventType.MM_PAGE_FREE_BATCHED),
    /** Buddy-internal events: parsed (so kmemlab's own traces read back) but never replayed. */
    MM_PAGE_ALLOC_ZONE_LOCKED(EventType.MM_PAGE_ALLOC_ZONE_LOCKED),
    MM_PAGE_PCPU_DRAIN(EventType.MM_PAGE_PCPU_DRAIN),
    MM_PAGE_ALLOC_EXTFRAG(EventType.MM_PAGE_ALLOC_EXTFRAG);

    public static final int COUNT = values().length;

    private final EventType type;
    private final String eventName;

    TraceOp(EventType type) {
        this.type = type;
        this.eventName = type == null ? "krealloc" : type.eventName();
    }

    /** The tracepoint name as ftrace prints it ({@code krealloc} for the malloc-lab operation). */
    public String eventName() {
        return eventName;
    }

    /** The tracepoint whose lines this is, or null for {@link #KREALLOC}, which no tracepoint prints. */
    public EventType type() {
        return type;
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
