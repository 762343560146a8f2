package io.kmemlab.mm.trace;

import static io.kmemlab.mm.trace.TraceField.ACCOUNTED;
import static io.kmemlab.mm.trace.TraceField.ALLOC_MIGRATETYPE;
import static io.kmemlab.mm.trace.TraceField.ALLOC_ORDER;
import static io.kmemlab.mm.trace.TraceField.BYTES_ALLOC;
import static io.kmemlab.mm.trace.TraceField.BYTES_REQ;
import static io.kmemlab.mm.trace.TraceField.CALL_SITE;
import static io.kmemlab.mm.trace.TraceField.CHANGE_OWNERSHIP;
import static io.kmemlab.mm.trace.TraceField.FALLBACK_MIGRATETYPE;
import static io.kmemlab.mm.trace.TraceField.FALLBACK_ORDER;
import static io.kmemlab.mm.trace.TraceField.FRAGMENTING;
import static io.kmemlab.mm.trace.TraceField.GFP_FLAGS;
import static io.kmemlab.mm.trace.TraceField.HIGH;
import static io.kmemlab.mm.trace.TraceField.LOW;
import static io.kmemlab.mm.trace.TraceField.LOWMEM_RESERVE_PAGES;
import static io.kmemlab.mm.trace.TraceField.MIGRATETYPE;
import static io.kmemlab.mm.trace.TraceField.NAME;
import static io.kmemlab.mm.trace.TraceField.NODE;
import static io.kmemlab.mm.trace.TraceField.NODE_ID;
import static io.kmemlab.mm.trace.TraceField.ORDER;
import static io.kmemlab.mm.trace.TraceField.PAGE;
import static io.kmemlab.mm.trace.TraceField.PERCPU_REFILL;
import static io.kmemlab.mm.trace.TraceField.PFN;
import static io.kmemlab.mm.trace.TraceField.PROMO;
import static io.kmemlab.mm.trace.TraceField.PTR;
import static io.kmemlab.mm.trace.TraceField.TOTALRESERVE_PAGES;
import static io.kmemlab.mm.trace.TraceField.UPPER_ZONE_NAME;
import static io.kmemlab.mm.trace.TraceField.WATERMARK_MIN;
import static io.kmemlab.mm.trace.TraceField.ZONE_NAME;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;

/**
 * The kmem trace events, one record per tracepoint of {@code include/trace/events/kmem.h}
 * (Linux 6.18). The emulator produces them and the trace parser reads them back, so what kmemlab
 * emits it can replay. {@link #appendFields} prints exactly the tracepoint's TP_printk text: the
 * fields its {@link EventType} lists, in that order, each as its {@link TraceField} prints; a
 * record only says what its fields' values are ({@link #values}).
 *
 * <p>Pointers ({@code ptr=%p}) are emulated direct-map addresses; {@code page=%p} is printed from
 * the pfn's struct page address. Call sites are addresses resolved through {@link Symbols}.
 */
public sealed interface KmemEvent {

    EventType type();

    /** Appends the TP_printk text (the part after {@code "event: "}). */
    default void appendFields(StringBuilder sb, TraceFormat fmt) {
        type().appendFields(this, sb, fmt, new long[TraceField.COUNT], new String[TraceField.COUNT]);
    }

    /**
     * Stores the value of each of this event's fields at the field's ordinal: a number in
     * {@code values} (a bool as 0 or 1, a pfn of -1 for none), a string in {@code texts}. One call
     * per event, so that the writer walks the table without a call per field.
     */
    void values(long[] values, String[] texts);

    /**
     * The value field {@code f} of this event prints (allocates: for tools and tests).
     *
     * @throws IllegalArgumentException if the event has no such field
     */
    default long value(TraceField f) {
        checkField(this, f);
        long[] v = new long[TraceField.COUNT];
        values(v, new String[TraceField.COUNT]);
        return v[f.ordinal()];
    }

    /**
     * The text of a string field (allocates: for tools and tests).
     *
     * @throws IllegalArgumentException if the event has no such field
     */
    default String text(TraceField f) {
        checkField(this, f);
        String[] t = new String[TraceField.COUNT];
        values(new long[TraceField.COUNT], t);
        return t[f.ordinal()];
    }

    /** {@code mm_page_alloc}: pfn is -1 for a failed allocation. */
    record MmPageAlloc(long pfn, int order, int migratetype, int gfpFlags) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_ALLOC;
        }

        public void values(long[] v, String[] t) {
            v[PAGE.ordinal()] = pfn;
            v[PFN.ordinal()] = pfn < 0 ? 0 : pfn;
            v[ORDER.ordinal()] = order;
            v[MIGRATETYPE.ordinal()] = migratetype;
            v[GFP_FLAGS.ordinal()] = gfpFlags;
        }
    }

    /** {@code mm_page_free}. */
    record MmPageFree(long pfn, int order) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_FREE;
        }

        public void values(long[] v, String[] t) {
            v[PAGE.ordinal()] = pfn;
            v[PFN.ordinal()] = pfn;
            v[ORDER.ordinal()] = order;
        }
    }

    /** {@code mm_page_free_batched}: the text always says order=0. */
    record MmPageFreeBatched(long pfn) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_FREE_BATCHED;
        }

        public void values(long[] v, String[] t) {
            v[PAGE.ordinal()] = pfn;
            v[PFN.ordinal()] = pfn;
            v[ORDER.ordinal()] = 0;
        }
    }

    /** {@code mm_page_alloc_zone_locked}. */
    record MmPageAllocZoneLocked(long pfn, int order, int migratetype, boolean percpuRefill) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_ALLOC_ZONE_LOCKED;
        }

        public void values(long[] v, String[] t) {
            v[PAGE.ordinal()] = pfn;
            v[PFN.ordinal()] = pfn;
            v[ORDER.ordinal()] = order;
            v[MIGRATETYPE.ordinal()] = migratetype;
            v[PERCPU_REFILL.ordinal()] = percpuRefill ? 1 : 0;
        }
    }

    /** {@code mm_page_pcpu_drain}. */
    record MmPagePcpuDrain(long pfn, int order, int migratetype) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_PCPU_DRAIN;
        }

        public void values(long[] v, String[] t) {
            v[PAGE.ordinal()] = pfn;
            v[PFN.ordinal()] = pfn;
            v[ORDER.ordinal()] = order;
            v[MIGRATETYPE.ordinal()] = migratetype;
        }
    }

    /** {@code mm_page_alloc_extfrag}; pageblock_order is printed from the constant 9. */
    record MmPageAllocExtfrag(
            long pfn,
            int allocOrder,
            int fallbackOrder,
            int allocMigratetype,
            int fallbackMigratetype,
            boolean changeOwnership)
            implements KmemEvent {
        public static final int PAGEBLOCK_ORDER = 9;

        public EventType type() {
            return EventType.MM_PAGE_ALLOC_EXTFRAG;
        }

        public void values(long[] v, String[] t) {
            v[PAGE.ordinal()] = pfn;
            v[PFN.ordinal()] = pfn;
            v[ALLOC_ORDER.ordinal()] = allocOrder;
            v[FALLBACK_ORDER.ordinal()] = fallbackOrder;
            v[TraceField.PAGEBLOCK_ORDER.ordinal()] = PAGEBLOCK_ORDER;
            v[ALLOC_MIGRATETYPE.ordinal()] = allocMigratetype;
            v[FALLBACK_MIGRATETYPE.ordinal()] = fallbackMigratetype;
            v[FRAGMENTING.ordinal()] = fallbackOrder < PAGEBLOCK_ORDER ? 1 : 0;
            v[CHANGE_OWNERSHIP.ordinal()] = changeOwnership ? 1 : 0;
        }
    }

    /** {@code kmalloc}; accounted is computed at print time from __GFP_ACCOUNT (MEMCG on). */
    record Kmalloc(long callSite, long ptr, long bytesReq, long bytesAlloc, int gfpFlags, int node)
            implements KmemEvent {
        public EventType type() {
            return EventType.KMALLOC;
        }

        public void values(long[] v, String[] t) {
            v[CALL_SITE.ordinal()] = callSite;
            v[PTR.ordinal()] = ptr;
            v[BYTES_REQ.ordinal()] = bytesReq;
            v[BYTES_ALLOC.ordinal()] = bytesAlloc;
            v[GFP_FLAGS.ordinal()] = gfpFlags;
            v[NODE.ordinal()] = node;
            v[ACCOUNTED.ordinal()] = (gfpFlags & Gfp.__GFP_ACCOUNT) != 0 ? 1 : 0;
        }
    }

    /** {@code kmem_cache_alloc}: bytes_req = object_size, bytes_alloc = size. */
    record KmemCacheAlloc(
            long callSite,
            long ptr,
            String name,
            long bytesReq,
            long bytesAlloc,
            int gfpFlags,
            int node,
            boolean accounted)
            implements KmemEvent {
        public EventType type() {
            return EventType.KMEM_CACHE_ALLOC;
        }

        public void values(long[] v, String[] t) {
            v[CALL_SITE.ordinal()] = callSite;
            v[PTR.ordinal()] = ptr;
            v[BYTES_REQ.ordinal()] = bytesReq;
            v[BYTES_ALLOC.ordinal()] = bytesAlloc;
            v[GFP_FLAGS.ordinal()] = gfpFlags;
            v[NODE.ordinal()] = node;
            v[ACCOUNTED.ordinal()] = accounted ? 1 : 0;
            t[NAME.ordinal()] = name;
        }
    }

    /** {@code kfree} (fires for NULL too). */
    record Kfree(long callSite, long ptr) implements KmemEvent {
        public EventType type() {
            return EventType.KFREE;
        }

        public void values(long[] v, String[] t) {
            v[CALL_SITE.ordinal()] = callSite;
            v[PTR.ordinal()] = ptr;
        }
    }

    /** {@code kmem_cache_free}. */
    record KmemCacheFree(long callSite, long ptr, String name) implements KmemEvent {
        public EventType type() {
            return EventType.KMEM_CACHE_FREE;
        }

        public void values(long[] v, String[] t) {
            v[CALL_SITE.ordinal()] = callSite;
            v[PTR.ordinal()] = ptr;
            t[NAME.ordinal()] = name;
        }
    }

    /** {@code mm_setup_per_zone_wmarks}: one per zone from __setup_per_zone_wmarks(). */
    record MmSetupPerZoneWmarks(int nodeId, String zoneName, long min, long low, long high, long promo)
            implements KmemEvent {
        public EventType type() {
            return EventType.MM_SETUP_PER_ZONE_WMARKS;
        }

        public void values(long[] v, String[] t) {
            v[NODE_ID.ordinal()] = nodeId;
            v[WATERMARK_MIN.ordinal()] = min;
            v[LOW.ordinal()] = low;
            v[HIGH.ordinal()] = high;
            v[PROMO.ordinal()] = promo;
            t[ZONE_NAME.ordinal()] = zoneName;
        }
    }

    /** {@code mm_setup_per_zone_lowmem_reserve}: one per (zone, higher zone) pair. */
    record MmSetupPerZoneLowmemReserve(int nodeId, String zoneName, String upperZoneName, long lowmemReservePages)
            implements KmemEvent {
        public EventType type() {
            return EventType.MM_SETUP_PER_ZONE_LOWMEM_RESERVE;
        }

        public void values(long[] v, String[] t) {
            v[NODE_ID.ordinal()] = nodeId;
            v[LOWMEM_RESERVE_PAGES.ordinal()] = lowmemReservePages;
            t[ZONE_NAME.ordinal()] = zoneName;
            t[UPPER_ZONE_NAME.ordinal()] = upperZoneName;
        }
    }

    /** {@code mm_calculate_totalreserve_pages}. */
    record MmCalculateTotalreservePages(long totalreservePages) implements KmemEvent {
        public EventType type() {
            return EventType.MM_CALCULATE_TOTALRESERVE_PAGES;
        }

        public void values(long[] v, String[] t) {
            v[TOTALRESERVE_PAGES.ordinal()] = totalreservePages;
        }
    }

    /**
     * {@code rss_stat}: one of a process's RSS counters changed; {@code size} is the counter's new
     * value in bytes, {@code curr} whether the process is the one running (current->mm == mm).
     */
    record RssStat(long mmId, boolean curr, int member, long size) implements KmemEvent {
        /** TRACE_MM_PAGES: the counter names __print_symbolic prints, by member. */
        public static final String[] MEMBERS = {"MM_FILEPAGES", "MM_ANONPAGES", "MM_SWAPENTS", "MM_SHMEMPAGES"};

        public EventType type() {
            return EventType.RSS_STAT;
        }

        public void values(long[] v, String[] t) {
            v[TraceField.MM_ID.ordinal()] = mmId & 0xffffffffL;
            v[TraceField.CURR.ordinal()] = curr ? 1 : 0;
            t[TraceField.TYPE.ordinal()] = MEMBERS[member];
            v[TraceField.SIZE.ordinal()] = size;
        }
    }

    /** Struct page address of a pfn, as {@code page=%p} prints it. */
    static long structPage(long pfn) {
        return Addr.VMEMMAP_BASE + pfn * Addr.STRUCT_PAGE_SIZE;
    }

    private static void checkField(KmemEvent e, TraceField f) {
        if (!e.type().fields().contains(f)) {
            throw new IllegalArgumentException(e.type().eventName() + " has no field " + f.key());
        }
    }

    // --- compaction (include/trace/events/compaction.h) and migration (migrate.h) ----------------

    /** enum compact_result as the tracepoints print it (COMPACTION_STATUS), by ordinal. */
    String[] COMPACT_STATUS = {
        "not_suitable_zone",
        "skipped",
        "deferred",
        "no_suitable_page",
        "continue",
        "complete",
        "partial_skipped",
        "contended",
        "success",
    };

    /**
     * {@code mm_compaction_isolate_template}: {@link EventType#MM_COMPACTION_ISOLATE_MIGRATEPAGES}
     * {@link EventType#MM_COMPACTION_ISOLATE_FREEPAGES} or
     * {@link EventType#MM_COMPACTION_FAST_ISOLATE_FREEPAGES}.
     */
    record CompactionIsolate(EventType type, long startPfn, long endPfn, long nrScanned, long nrTaken)
            implements KmemEvent {
        /** Prints its own text: no field table. */
        public void values(long[] v, String[] t) {}

        @Override
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("range=(0x")
                    .append(Long.toHexString(startPfn))
                    .append(" ~ 0x")
                    .append(Long.toHexString(endPfn))
                    .append(") nr_scanned=")
                    .append(nrScanned)
                    .append(" nr_taken=")
                    .append(nrTaken);
        }
    }

    /** {@code mm_compaction_migratepages}. */
    record CompactionMigratepages(long nrMigrated, long nrFailed) implements KmemEvent {
        /** Prints its own text: no field table. */
        public void values(long[] v, String[] t) {}

        public EventType type() {
            return EventType.MM_COMPACTION_MIGRATEPAGES;
        }

        @Override
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("nr_migrated=").append(nrMigrated).append(" nr_failed=").append(nrFailed);
        }
    }

    /**
     * {@code mm_compaction_begin} and {@code mm_compaction_end} (status ≥ 0 only on end, an
     * index into {@link #COMPACT_STATUS}).
     */
    record CompactionBeginEnd(
            EventType type, long zoneStart, long migratePfn, long freePfn, long zoneEnd, boolean sync, int status)
            implements KmemEvent {
        /** Prints its own text: no field table. */
        public void values(long[] v, String[] t) {}

        @Override
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("zone_start=0x")
                    .append(Long.toHexString(zoneStart))
                    .append(" migrate_pfn=0x")
                    .append(Long.toHexString(migratePfn))
                    .append(" free_pfn=0x")
                    .append(Long.toHexString(freePfn))
                    .append(" zone_end=0x")
                    .append(Long.toHexString(zoneEnd))
                    .append(", mode=")
                    .append(sync ? "sync" : "async");
            if (type == EventType.MM_COMPACTION_END) {
                sb.append(" status=").append(COMPACT_STATUS[status]);
            }
        }
    }

    /** {@code mm_compaction_try_to_compact_pages}. */
    record CompactionTryToCompactPages(int order, int gfpMask, int priority) implements KmemEvent {
        /** Prints its own text: no field table. */
        public void values(long[] v, String[] t) {}

        public EventType type() {
            return EventType.MM_COMPACTION_TRY_TO_COMPACT_PAGES;
        }

        @Override
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("order=").append(order).append(" gfp_mask=");
            Gfp.appendFormatted(sb, gfpMask);
            sb.append(" priority=").append(priority);
        }
    }

    /** {@code mm_compaction_suitable_template}: finished and suitable. */
    record CompactionSuitable(EventType type, int node, io.kmemlab.mm.ZoneType zone, int order, int ret)
            implements KmemEvent {
        /** Prints its own text: no field table. */
        public void values(long[] v, String[] t) {}

        @Override
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("node=").append(node).append(" zone=");
            padRight(sb, zone.procName(), 8);
            sb.append(" order=").append(order).append(" ret=").append(COMPACT_STATUS[ret]);
        }
    }

    /** {@code mm_compaction_defer_template}: deferred, defer_compaction, defer_reset. */
    record CompactionDefer(
            EventType type,
            int node,
            io.kmemlab.mm.ZoneType zone,
            int order,
            int orderFailed,
            int considered,
            long limit)
            implements KmemEvent {
        /** Prints its own text: no field table. */
        public void values(long[] v, String[] t) {}

        @Override
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("node=").append(node).append(" zone=");
            padRight(sb, zone.procName(), 8);
            sb.append(" order=")
                    .append(order)
                    .append(" order_failed=")
                    .append(orderFailed)
                    .append(" consider=")
                    .append(considered)
                    .append(" limit=")
                    .append(limit);
        }
    }

    /** {@code mm_compaction_kcompactd_sleep}. */
    record CompactionKcompactdSleep(int nid) implements KmemEvent {
        /** Prints its own text: no field table. */
        public void values(long[] v, String[] t) {}

        public EventType type() {
            return EventType.MM_COMPACTION_KCOMPACTD_SLEEP;
        }

        @Override
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("nid=").append(nid);
        }
    }

    /** {@code kcompactd_wake_template}: wakeup_kcompactd and kcompactd_wake. */
    record CompactionKcompactdWake(EventType type, int nid, int order, io.kmemlab.mm.ZoneType classzone)
            implements KmemEvent {
        /** Prints its own text: no field table. */
        public void values(long[] v, String[] t) {}

        @Override
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("nid=").append(nid).append(" order=").append(order).append(" classzone_idx=");
            padRight(sb, classzone.procName(), 8);
        }
    }

    /** {@code mm_migrate_pages} (no THP or large-folio splits in the model). */
    record MmMigratePages(long succeeded, long failed, String mode, String reason) implements KmemEvent {
        /** Prints its own text: no field table. */
        public void values(long[] v, String[] t) {}

        public EventType type() {
            return EventType.MM_MIGRATE_PAGES;
        }

        @Override
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("nr_succeeded=")
                    .append(succeeded)
                    .append(" nr_failed=")
                    .append(failed)
                    .append(" nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=")
                    .append(mode)
                    .append(" reason=")
                    .append(reason);
        }
    }

    /** printf's {@code %-Ns}. */
    private static void padRight(StringBuilder sb, String s, int width) {
        sb.append(s);
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
    }
}
