package io.kmemlab.boot.replay;

/** Why a well-formed event line was not applied. Every skipped line has exactly one reason. */
public enum SkipReason {
    UNMATCHED_FREE("unmatched_free", "free of a pointer not allocated in the trace (allocated before the capture)"),
    DOUBLE_FREE("double_free", "second free of the same pointer (reported, not applied)"),
    FAILED_IN_TRACE("failed_in_trace", "allocation that failed in the trace (ptr/page NULL)"),
    FAILED_IN_REPLAY("failed_in_replay", "free of an allocation that failed in the replay"),
    DUPLICATE_LARGE_KMALLOC(
            "duplicate_large_kmalloc", "second kmalloc event of one large kmalloc (6.18 __do_kmalloc_node prints two)"),
    CACHE_NOT_CREATED("cache_not_created", "kmem_cache_alloc of a cache that cannot be created"),
    FREE_REJECTED("free_rejected", "free rejected and reported by the emulated allocator"),
    PAGE_EVENT("page_event", "page event (replayed only with --page-events)"),
    UNMATCHED_PAGE_FREE("unmatched_page_free", "free of a page not allocated in the trace"),
    DUPLICATE_BATCHED_FREE(
            "duplicate_batched_free",
            "mm_page_free_batched of a page mm_page_free already freed (free_unref_folios prints both)"),
    CACHE_CREATION(
            "cache_creation",
            "event a kmemlab trace recorded while creating a cache (the replay creates it, which does them again)"),
    BUDDY_INTERNAL("buddy_internal", "buddy-internal event (zone_locked, pcpu_drain, extfrag)"),
    OTHER_EVENT("other_event", "not a kmem event the replay applies");

    public static final int COUNT = values().length;

    private final String key;
    private final String description;

    SkipReason(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** The JSON key. */
    public String key() {
        return key;
    }

    public String description() {
        return description;
    }
}
