package io.kmemlab.mm.trace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracepoints kmemlab emits, grouped as tracefs groups them ({@code events/kmem/…},
 * {@code events/compaction/…}, {@code events/migrate/…}).
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
    MM_CALCULATE_TOTALRESERVE_PAGES("mm_calculate_totalreserve_pages"),
    // events/compaction/ (include/trace/events/compaction.h)
    MM_COMPACTION_ISOLATE_MIGRATEPAGES(Systems.COMPACTION, "mm_compaction_isolate_migratepages"),
    MM_COMPACTION_ISOLATE_FREEPAGES(Systems.COMPACTION, "mm_compaction_isolate_freepages"),
    MM_COMPACTION_FAST_ISOLATE_FREEPAGES(Systems.COMPACTION, "mm_compaction_fast_isolate_freepages"),
    MM_COMPACTION_MIGRATEPAGES(Systems.COMPACTION, "mm_compaction_migratepages"),
    MM_COMPACTION_BEGIN(Systems.COMPACTION, "mm_compaction_begin"),
    MM_COMPACTION_END(Systems.COMPACTION, "mm_compaction_end"),
    MM_COMPACTION_TRY_TO_COMPACT_PAGES(Systems.COMPACTION, "mm_compaction_try_to_compact_pages"),
    MM_COMPACTION_FINISHED(Systems.COMPACTION, "mm_compaction_finished"),
    MM_COMPACTION_SUITABLE(Systems.COMPACTION, "mm_compaction_suitable"),
    MM_COMPACTION_DEFERRED(Systems.COMPACTION, "mm_compaction_deferred"),
    MM_COMPACTION_DEFER_COMPACTION(Systems.COMPACTION, "mm_compaction_defer_compaction"),
    MM_COMPACTION_DEFER_RESET(Systems.COMPACTION, "mm_compaction_defer_reset"),
    MM_COMPACTION_KCOMPACTD_SLEEP(Systems.COMPACTION, "mm_compaction_kcompactd_sleep"),
    MM_COMPACTION_WAKEUP_KCOMPACTD(Systems.COMPACTION, "mm_compaction_wakeup_kcompactd"),
    MM_COMPACTION_KCOMPACTD_WAKE(Systems.COMPACTION, "mm_compaction_kcompactd_wake"),
    // events/migrate/ (include/trace/events/migrate.h)
    MM_MIGRATE_PAGES(Systems.MIGRATE, "mm_migrate_pages");

    public static final String SYSTEM = "kmem";
    private static final EventType[] VALUES = values();

    private final String system;
    private final String eventName;
    private final Logger logger;

    EventType(String eventName) {
        this(Systems.KMEM, eventName);
    }

    EventType(String system, String eventName) {
        this.system = system;
        this.eventName = eventName;
        this.logger = LoggerFactory.getLogger("kmemlab.trace." + system + "." + eventName);
    }

    /** The tracefs group ({@code events/<system>/}): kmem, compaction or migrate. */
    public String system() {
        return system;
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

    /** The tracefs groups (a holder, as enum constants cannot read the enum's own statics). */
    private static final class Systems {
        static final String KMEM = "kmem";
        static final String COMPACTION = "compaction";
        static final String MIGRATE = "migrate";
    }
}
