package io.kmemlab.mm.trace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kmem tracepoints kmemlab emits, grouped as tracefs groups them ({@code events/kmem/…}).
 * Each has its own SLF4J logger, {@code kmemlab.trace.kmem.<event>}, so logback can route them.
 */
public enum EventType {
    MM_PAGE_ALLOC("mm_page_alloc"),
    MM_PAGE_FREE("mm_page_free"),
    MM_PAGE_FREE_BATCHED("mm_page_free_batched"),
    MM_PAGE_ALLOC_ZONE_LOCKED("mm_page_alloc_zone_locked"),
    MM_PAGE_PCPU_DRAIN("mm_page_pcpu_drain"),
    MM_PAGE_ALLOC_EXTFRAG("mm_page_alloc_extfrag"),
    KMALLOC("kmalloc"),
    KMEM_CACHE_ALLOC("kmem_cache_alloc"),
    KFREE("kfree"),
    KMEM_CACHE_FREE("kmem_cache_free"),
    MM_SETUP_PER_ZONE_WMARKS("mm_setup_per_zone_wmarks"),
    MM_SETUP_PER_ZONE_LOWMEM_RESERVE("mm_setup_per_zone_lowmem_reserve"),
    MM_CALCULATE_TOTALRESERVE_PAGES("mm_calculate_totalreserve_pages");

    public static final String SYSTEM = "kmem";
    private static final EventType[] VALUES = values();

    private final String eventName;
    private final Logger logger;

    EventType(String eventName) {
        this.eventName = eventName;
        this.logger = LoggerFactory.getLogger("kmemlab.trace." + SYSTEM + "." + eventName);
    }

    /** The tracepoint name as ftrace prints it. */
    public String eventName() {
        return eventName;
    }

    public Logger logger() {
        return logger;
    }

    /** The event with this tracepoint name, or null. */
    public static EventType byName(String name) {
        for (EventType t : VALUES) {
            if (t.eventName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
