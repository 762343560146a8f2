package io.kmemlab.mm.trace;

import static io.kmemlab.mm.trace.TraceField.ACCOUNTED;
import static io.kmemlab.mm.trace.TraceField.ALLOC_MIGRATETYPE;
import static io.kmemlab.mm.trace.TraceField.ALLOC_ORDER;
import static io.kmemlab.mm.trace.TraceField.BYTES_ALLOC;
import static io.kmemlab.mm.trace.TraceField.BYTES_REQ;
import static io.kmemlab.mm.trace.TraceField.CALL_SITE;
import static io.kmemlab.mm.trace.TraceField.CHANGE_OWNERSHIP;
import static io.kmemlab.mm.trace.TraceField.CURR;
import static io.kmemlab.mm.trace.TraceField.FALLBACK_MIGRATETYPE;
import static io.kmemlab.mm.trace.TraceField.FALLBACK_ORDER;
import static io.kmemlab.mm.trace.TraceField.FRAGMENTING;
import static io.kmemlab.mm.trace.TraceField.GFP_FLAGS;
import static io.kmemlab.mm.trace.TraceField.HIGH;
import static io.kmemlab.mm.trace.TraceField.LOW;
import static io.kmemlab.mm.trace.TraceField.LOWMEM_RESERVE_PAGES;
import static io.kmemlab.mm.trace.TraceField.MIGRATETYPE;
import static io.kmemlab.mm.trace.TraceField.MM_ID;
import static io.kmemlab.mm.trace.TraceField.NAME;
import static io.kmemlab.mm.trace.TraceField.NODE;
import static io.kmemlab.mm.trace.TraceField.NODE_ID;
import static io.kmemlab.mm.trace.TraceField.ORDER;
import static io.kmemlab.mm.trace.TraceField.PAGE;
import static io.kmemlab.mm.trace.TraceField.PAGEBLOCK_ORDER;
import static io.kmemlab.mm.trace.TraceField.PERCPU_REFILL;
import static io.kmemlab.mm.trace.TraceField.PFN;
import static io.kmemlab.mm.trace.TraceField.PROMO;
import static io.kmemlab.mm.trace.TraceField.PTR;
import static io.kmemlab.mm.trace.TraceField.SIZE;
import static io.kmemlab.mm.trace.TraceField.TOTALRESERVE_PAGES;
import static io.kmemlab.mm.trace.TraceField.TYPE;
import static io.kmemlab.mm.trace.TraceField.UPPER_ZONE_NAME;
import static io.kmemlab.mm.trace.TraceField.WATERMARK_MIN;
import static io.kmemlab.mm.trace.TraceField.ZONE_NAME;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kmem tracepoints kmemlab emits, as {@code include/trace/events/kmem.h} declares them: our
 * {@code DECLARE_EVENT_CLASS} / {@code DEFINE_EVENT} table. Each event has its name, its event
 * class, its fields in TP_printk order (each printed as {@code key=value}, see {@link TraceField}),
 * and the fields a reader requires to use a line (older kernels lack {@code node=},
 * {@code accounted=}, {@code name=}). The line writer prints exactly these fields in this order, and
 * the trace parser takes its keys and its required keys from here, so writer and reader cannot
 * drift.
 *
 * <p>Events are grouped as tracefs groups them ({@code events/kmem/…}); each has its own SLF4J
 * logger, {@code kmemlab.trace.kmem.<event>}, so logback can route them.
 */
public enum EventType {
    MM_PAGE_ALLOC(
            "mm_page_alloc", "mm_page_alloc", List.of(PAGE, PFN, ORDER, MIGRATETYPE, GFP_FLAGS), List.of(PFN, ORDER)),
    MM_PAGE_FREE("mm_page_free", "mm_page_free", List.of(PAGE, PFN, ORDER), List.of(PFN, ORDER)),
    /** The text always says {@code order=0}. */
    MM_PAGE_FREE_BATCHED("mm_page_free_batched", "mm_page_free_batched", List.of(PAGE, PFN, ORDER), List.of(PFN)),
    MM_PAGE_ALLOC_ZONE_LOCKED(
            "mm_page_alloc_zone_locked",
            "mm_page",
            List.of(PAGE, PFN, ORDER, MIGRATETYPE, PERCPU_REFILL),
            List.of(PFN, ORDER)),
    /** DEFINE_EVENT_PRINT of class mm_page: no percpu_refill. */
    MM_PAGE_PCPU_DRAIN("mm_page_pcpu_drain", "mm_page", List.of(PAGE, PFN, ORDER, MIGRATETYPE), List.of(PFN, ORDER)),
    MM_PAGE_ALLOC_EXTFRAG(
            "mm_page_alloc_extfrag",
            "mm_page_alloc_extfrag",
            List.of(
                    PAGE,
                    PFN,
                    ALLOC_ORDER,
                    FALLBACK_ORDER,
                    PAGEBLOCK_ORDER,
                    ALLOC_MIGRATETYPE,
                    FALLBACK_MIGRATETYPE,
                    FRAGMENTING,
                    CHANGE_OWNERSHIP),
            List.of(PFN, ALLOC_ORDER, FALLBACK_ORDER)),
    KMALLOC(
            "kmalloc",
            "kmalloc",
            List.of(CALL_SITE, PTR, BYTES_REQ, BYTES_ALLOC, GFP_FLAGS, NODE, ACCOUNTED),
            List.of(PTR, BYTES_REQ, BYTES_ALLOC, GFP_FLAGS)),
    KMEM_CACHE_ALLOC(
            "kmem_cache_alloc",
            "kmem_cache_alloc",
            List.of(CALL_SITE, PTR, NAME, BYTES_REQ, BYTES_ALLOC, GFP_FLAGS, NODE, ACCOUNTED),
            List.of(PTR, BYTES_REQ, BYTES_ALLOC, GFP_FLAGS)),
    KFREE("kfree", "kfree", List.of(CALL_SITE, PTR), List.of(PTR)),
    KMEM_CACHE_FREE("kmem_cache_free", "kmem_cache_free", List.of(CALL_SITE, PTR, NAME), List.of(PTR)),
    /** Not read back (a replay has no use for them): no required fields. */
    MM_SETUP_PER_ZONE_WMARKS(
            "mm_setup_per_zone_wmarks",
            "mm_setup_per_zone_wmarks",
            List.of(NODE_ID, ZONE_NAME, WATERMARK_MIN, LOW, HIGH, PROMO),
            List.of()),
    MM_SETUP_PER_ZONE_LOWMEM_RESERVE(
            "mm_setup_per_zone_lowmem_reserve",
            "mm_setup_per_zone_lowmem_reserve",
            List.of(NODE_ID, ZONE_NAME, UPPER_ZONE_NAME, LOWMEM_RESERVE_PAGES),
            List.of()),
    MM_CALCULATE_TOTALRESERVE_PAGES(
            "mm_calculate_totalreserve_pages",
            "mm_calculate_totalreserve_pages",
            List.of(TOTALRESERVE_PAGES),
            List.of()),
    /** A process's RSS counter changed (add_mm_counter): its new value in bytes. */
    RSS_STAT("rss_stat", "rss_stat", List.of(MM_ID, CURR, TYPE, SIZE), List.of()),
    // events/compaction/ (include/trace/events/compaction.h) and events/migrate/ (migrate.h):
    // written only (a replay has no use for them), each record prints its own TP_printk text.
    MM_COMPACTION_ISOLATE_MIGRATEPAGES(
            Systems.COMPACTION, "mm_compaction_isolate_migratepages", "mm_compaction_isolate_template"),
    MM_COMPACTION_ISOLATE_FREEPAGES(
            Systems.COMPACTION, "mm_compaction_isolate_freepages", "mm_compaction_isolate_template"),
    MM_COMPACTION_FAST_ISOLATE_FREEPAGES(
            Systems.COMPACTION, "mm_compaction_fast_isolate_freepages", "mm_compaction_isolate_template"),
    MM_COMPACTION_MIGRATEPAGES(Systems.COMPACTION, "mm_compaction_migratepages", "mm_compaction_migratepages"),
    MM_COMPACTION_BEGIN(Systems.COMPACTION, "mm_compaction_begin", "mm_compaction_begin"),
    MM_COMPACTION_END(Systems.COMPACTION, "mm_compaction_end", "mm_compaction_end"),
    MM_COMPACTION_TRY_TO_COMPACT_PAGES(
            Systems.COMPACTION, "mm_compaction_try_to_compact_pages", "mm_compaction_try_to_compact_pages"),
    MM_COMPACTION_FINISHED(Systems.COMPACTION, "mm_compaction_finished", "mm_compaction_suitable_template"),
    MM_COMPACTION_SUITABLE(Systems.COMPACTION, "mm_compaction_suitable", "mm_compaction_suitable_template"),
    MM_COMPACTION_DEFERRED(Systems.COMPACTION, "mm_compaction_deferred", "mm_compaction_defer_template"),
    MM_COMPACTION_DEFER_COMPACTION(
            Systems.COMPACTION, "mm_compaction_defer_compaction", "mm_compaction_defer_template"),
    MM_COMPACTION_DEFER_RESET(Systems.COMPACTION, "mm_compaction_defer_reset", "mm_compaction_defer_template"),
    MM_COMPACTION_KCOMPACTD_SLEEP(Systems.COMPACTION, "mm_compaction_kcompactd_sleep", "mm_compaction_kcompactd_sleep"),
    MM_COMPACTION_WAKEUP_KCOMPACTD(Systems.COMPACTION, "mm_compaction_wakeup_kcompactd", "kcompactd_wake_template"),
    MM_COMPACTION_KCOMPACTD_WAKE(Systems.COMPACTION, "mm_compaction_kcompactd_wake", "kcompactd_wake_template"),
    MM_MIGRATE_PAGES(Systems.MIGRATE, "mm_migrate_pages", "mm_migrate_pages");

    /** The tracefs group of the kmem events. */
    public static final String SYSTEM = Systems.KMEM;

    private static final EventType[] VALUES = values();

    private final String system;
    private final String eventName;
    private final String eventClass;
    /** True for an event whose record prints its own text (no field table). */
    private final boolean selfPrinted;

    private final List<TraceField> fields;
    private final TraceField[] printOrder;
    /** What precedes each printed value: {@code key=}, after a space but for the first. */
    private final String[] labels;

    private final List<TraceField> required;
    private final Logger logger;

    EventType(String eventName, String eventClass, List<TraceField> fields, List<TraceField> required) {
        this(Systems.KMEM, eventName, eventClass, fields, required, false);
    }

    /** An event of another group whose record prints its TP_printk text itself. */
    EventType(String system, String eventName, String eventClass) {
        this(system, eventName, eventClass, List.of(), List.of(), true);
    }

    EventType(
            String system,
            String eventName,
            String eventClass,
            List<TraceField> fields,
            List<TraceField> required,
            boolean selfPrinted) {
        if (!fields.containsAll(required)) {
            throw new IllegalArgumentException(eventName + ": a required field it does not print");
        }
        this.system = system;
        this.selfPrinted = selfPrinted;
        this.eventName = eventName;
        this.eventClass = eventClass;
        this.fields = fields;
        this.printOrder = fields.toArray(new TraceField[0]);
        this.labels = new String[printOrder.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i == 0 ? "" : " ") + printOrder[i].key() + "=";
        }
        this.required = required;
        this.logger = LoggerFactory.getLogger("kmemlab.trace." + system + "." + eventName);
    }

    /**
     * True for the compaction and migration events, whose records print their own text: they have
     * no field table and a replay does not read them.
     */
    public boolean selfPrinted() {
        return selfPrinted;
    }

    /** The tracefs group ({@code events/<system>/}): kmem, compaction or migrate. */
    public String system() {
        return system;
    }

    /** The tracepoint name as ftrace prints it. */
    public String eventName() {
        return eventName;
    }

    /** The event class it is defined with (its own name for a TRACE_EVENT). */
    public String eventClass() {
        return eventClass;
    }

    /** The fields in the order TP_printk prints them. */
    public List<TraceField> fields() {
        return fields;
    }

    /** The fields a reader needs to use a line of this event. */
    public List<TraceField> required() {
        return required;
    }

    public Logger logger() {
        return logger;
    }

    /**
     * Appends the TP_printk text of {@code event} (of this type): its fields, space-separated, with
     * {@code values} and {@code texts} ({@link TraceField#COUNT} long) as scratch.
     */
    void appendFields(KmemEvent event, StringBuilder sb, TraceFormat fmt, long[] values, String[] texts) {
        if (selfPrinted) {
            event.appendFields(sb, fmt);
            return;
        }
        event.values(values, texts);
        TraceField[] f = printOrder;
        for (int i = 0; i < f.length; i++) {
            int k = f[i].ordinal();
            sb.append(labels[i]);
            f[i].appendValue(sb, values[k], texts[k], fmt);
        }
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
