package io.kmemlab.mm.trace;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;

/**
 * The kmem trace events, one record per tracepoint of {@code include/trace/events/kmem.h}
 * (Linux 6.18). The emulator produces them and the trace parser reads them back, so what kmemlab
 * emits it can replay. {@link #appendFields} prints exactly the tracepoint's TP_printk text.
 *
 * <p>Pointers ({@code ptr=%p}) are emulated direct-map addresses; {@code page=%p} is printed from
 * the pfn's struct page address. Call sites are addresses resolved through {@link Symbols}.
 */
public sealed interface KmemEvent {

    EventType type();

    /** Appends the TP_printk text (the part after {@code "event: "}). */
    void appendFields(StringBuilder sb, TraceFormat fmt);

    /** {@code mm_page_alloc}: pfn is -1 for a failed allocation. */
    record MmPageAlloc(long pfn, int order, int migratetype, int gfpFlags) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_ALLOC;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            fmt.appendPage(sb, pfn);
            sb.append(" pfn=0x").append(Long.toHexString(pfn < 0 ? 0 : pfn));
            sb.append(" order=").append(order);
            sb.append(" migratetype=").append(migratetype);
            sb.append(" gfp_flags=");
            Gfp.appendFormatted(sb, gfpFlags);
        }
    }

    /** {@code mm_page_free}. */
    record MmPageFree(long pfn, int order) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_FREE;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            fmt.appendPage(sb, pfn);
            sb.append(" pfn=0x").append(Long.toHexString(pfn));
            sb.append(" order=").append(order);
        }
    }

    /** {@code mm_page_free_batched}: the text always says order=0. */
    record MmPageFreeBatched(long pfn) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_FREE_BATCHED;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            fmt.appendPage(sb, pfn);
            sb.append(" pfn=0x").append(Long.toHexString(pfn));
            sb.append(" order=0");
        }
    }

    /** {@code mm_page_alloc_zone_locked}. */
    record MmPageAllocZoneLocked(long pfn, int order, int migratetype, boolean percpuRefill)
            implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_ALLOC_ZONE_LOCKED;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            fmt.appendPage(sb, pfn);
            sb.append(" pfn=0x").append(Long.toHexString(pfn));
            sb.append(" order=").append(order);
            sb.append(" migratetype=").append(migratetype);
            sb.append(" percpu_refill=").append(percpuRefill ? 1 : 0);
        }
    }

    /** {@code mm_page_pcpu_drain}. */
    record MmPagePcpuDrain(long pfn, int order, int migratetype) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_PCPU_DRAIN;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            fmt.appendPage(sb, pfn);
            sb.append(" pfn=0x").append(Long.toHexString(pfn));
            sb.append(" order=").append(order);
            sb.append(" migratetype=").append(migratetype);
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

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            fmt.appendPage(sb, pfn);
            sb.append(" pfn=0x").append(Long.toHexString(pfn));
            sb.append(" alloc_order=").append(allocOrder);
            sb.append(" fallback_order=").append(fallbackOrder);
            sb.append(" pageblock_order=").append(PAGEBLOCK_ORDER);
            sb.append(" alloc_migratetype=").append(allocMigratetype);
            sb.append(" fallback_migratetype=").append(fallbackMigratetype);
            sb.append(" fragmenting=").append(fallbackOrder < PAGEBLOCK_ORDER ? 1 : 0);
            sb.append(" change_ownership=").append(changeOwnership ? 1 : 0);
        }
    }

    /** {@code kmalloc}; accounted is computed at print time from __GFP_ACCOUNT (MEMCG on). */
    record Kmalloc(long callSite, long ptr, long bytesReq, long bytesAlloc, int gfpFlags, int node)
            implements KmemEvent {
        public EventType type() {
            return EventType.KMALLOC;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("call_site=");
            fmt.appendSymbol(sb, callSite);
            sb.append(" ptr=");
            fmt.appendPointer(sb, ptr);
            sb.append(" bytes_req=").append(Long.toUnsignedString(bytesReq));
            sb.append(" bytes_alloc=").append(bytesAlloc);
            sb.append(" gfp_flags=");
            Gfp.appendFormatted(sb, gfpFlags);
            sb.append(" node=").append(node);
            sb.append(" accounted=").append((gfpFlags & Gfp.__GFP_ACCOUNT) != 0 ? "true" : "false");
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

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("call_site=");
            fmt.appendSymbol(sb, callSite);
            sb.append(" ptr=");
            fmt.appendPointer(sb, ptr);
            sb.append(" name=").append(name);
            sb.append(" bytes_req=").append(Long.toUnsignedString(bytesReq));
            sb.append(" bytes_alloc=").append(bytesAlloc);
            sb.append(" gfp_flags=");
            Gfp.appendFormatted(sb, gfpFlags);
            sb.append(" node=").append(node);
            sb.append(" accounted=").append(accounted ? "true" : "false");
        }
    }

    /** {@code kfree} (fires for NULL too). */
    record Kfree(long callSite, long ptr) implements KmemEvent {
        public EventType type() {
            return EventType.KFREE;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("call_site=");
            fmt.appendSymbol(sb, callSite);
            sb.append(" ptr=");
            fmt.appendPointer(sb, ptr);
        }
    }

    /** {@code kmem_cache_free}. */
    record KmemCacheFree(long callSite, long ptr, String name) implements KmemEvent {
        public EventType type() {
            return EventType.KMEM_CACHE_FREE;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("call_site=");
            fmt.appendSymbol(sb, callSite);
            sb.append(" ptr=");
            fmt.appendPointer(sb, ptr);
            sb.append(" name=").append(name);
        }
    }

    /** {@code mm_setup_per_zone_wmarks}: one per zone from __setup_per_zone_wmarks(). */
    record MmSetupPerZoneWmarks(int nodeId, String zoneName, long min, long low, long high, long promo)
            implements KmemEvent {
        public EventType type() {
            return EventType.MM_SETUP_PER_ZONE_WMARKS;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("node_id=").append(nodeId);
            sb.append(" zone name=").append(zoneName);
            sb.append(" watermark min=").append(min);
            sb.append(" low=").append(low);
            sb.append(" high=").append(high);
            sb.append(" promo=").append(promo);
        }
    }

    /** {@code mm_setup_per_zone_lowmem_reserve}: one per (zone, higher zone) pair. */
    record MmSetupPerZoneLowmemReserve(int nodeId, String zoneName, String upperZoneName, long lowmemReservePages)
            implements KmemEvent {
        public EventType type() {
            return EventType.MM_SETUP_PER_ZONE_LOWMEM_RESERVE;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("node_id=").append(nodeId);
            sb.append(" zone name=").append(zoneName);
            sb.append(" upper_zone name=").append(upperZoneName);
            sb.append(" lowmem_reserve_pages=").append(lowmemReservePages);
        }
    }

    /** {@code mm_calculate_totalreserve_pages}. */
    record MmCalculateTotalreservePages(long totalreservePages) implements KmemEvent {
        public EventType type() {
            return EventType.MM_CALCULATE_TOTALRESERVE_PAGES;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("totalreserve_pages=").append(totalreservePages);
        }
    }

    /** Struct page address of a pfn, as {@code page=%p} prints it. */
    static long structPage(long pfn) {
        return Addr.VMEMMAP_BASE + pfn * Addr.STRUCT_PAGE_SIZE;
    }

    // --- compaction (include/trace/events/compaction.h) and migration (migrate.h) ----------------

    /** enum compact_result as the tracepoints print it (COMPACTION_STATUS), by ordinal. */
    String[] COMPACT_STATUS = {
        "not_suitable_zone", "skipped", "deferred", "no_suitable_page", "continue", "complete",
        "partial_skipped", "contended", "success",
    };

    /**
     * {@code mm_compaction_isolate_template}: {@link EventType#MM_COMPACTION_ISOLATE_MIGRATEPAGES}
     * {@link EventType#MM_COMPACTION_ISOLATE_FREEPAGES} or
     * {@link EventType#MM_COMPACTION_FAST_ISOLATE_FREEPAGES}.
     */
    record CompactionIsolate(EventType type, long startPfn, long endPfn, long nrScanned, long nrTaken)
            implements KmemEvent {
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("range=(0x").append(Long.toHexString(startPfn)).append(" ~ 0x")
                    .append(Long.toHexString(endPfn)).append(") nr_scanned=").append(nrScanned)
                    .append(" nr_taken=").append(nrTaken);
        }
    }

    /** {@code mm_compaction_migratepages}. */
    record CompactionMigratepages(long nrMigrated, long nrFailed) implements KmemEvent {
        public EventType type() {
            return EventType.MM_COMPACTION_MIGRATEPAGES;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("nr_migrated=").append(nrMigrated).append(" nr_failed=").append(nrFailed);
        }
    }

    /**
     * {@code mm_compaction_begin} and {@code mm_compaction_end} (status ≥ 0 only on end, an
     * index into {@link #COMPACT_STATUS}).
     */
    record CompactionBeginEnd(EventType type, long zoneStart, long migratePfn, long freePfn, long zoneEnd,
            boolean sync, int status) implements KmemEvent {
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("zone_start=0x").append(Long.toHexString(zoneStart))
                    .append(" migrate_pfn=0x").append(Long.toHexString(migratePfn))
                    .append(" free_pfn=0x").append(Long.toHexString(freePfn))
                    .append(" zone_end=0x").append(Long.toHexString(zoneEnd))
                    .append(", mode=").append(sync ? "sync" : "async");
            if (type == EventType.MM_COMPACTION_END) {
                sb.append(" status=").append(COMPACT_STATUS[status]);
            }
        }
    }

    /** {@code mm_compaction_try_to_compact_pages}. */
    record CompactionTryToCompactPages(int order, int gfpMask, int priority) implements KmemEvent {
        public EventType type() {
            return EventType.MM_COMPACTION_TRY_TO_COMPACT_PAGES;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("order=").append(order).append(" gfp_mask=");
            Gfp.appendFormatted(sb, gfpMask);
            sb.append(" priority=").append(priority);
        }
    }

    /** {@code mm_compaction_suitable_template}: finished and suitable. */
    record CompactionSuitable(EventType type, int node, io.kmemlab.mm.ZoneType zone, int order, int ret)
            implements KmemEvent {
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("node=").append(node).append(" zone=");
            padRight(sb, zone.procName(), 8);
            sb.append(" order=").append(order).append(" ret=").append(COMPACT_STATUS[ret]);
        }
    }

    /** {@code mm_compaction_defer_template}: deferred, defer_compaction, defer_reset. */
    record CompactionDefer(EventType type, int node, io.kmemlab.mm.ZoneType zone, int order, int orderFailed,
            int considered, long limit) implements KmemEvent {
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("node=").append(node).append(" zone=");
            padRight(sb, zone.procName(), 8);
            sb.append(" order=").append(order).append(" order_failed=").append(orderFailed)
                    .append(" consider=").append(considered).append(" limit=").append(limit);
        }
    }

    /** {@code mm_compaction_kcompactd_sleep}. */
    record CompactionKcompactdSleep(int nid) implements KmemEvent {
        public EventType type() {
            return EventType.MM_COMPACTION_KCOMPACTD_SLEEP;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("nid=").append(nid);
        }
    }

    /** {@code kcompactd_wake_template}: wakeup_kcompactd and kcompactd_wake. */
    record CompactionKcompactdWake(EventType type, int nid, int order, io.kmemlab.mm.ZoneType classzone)
            implements KmemEvent {
        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("nid=").append(nid).append(" order=").append(order).append(" classzone_idx=");
            padRight(sb, classzone.procName(), 8);
        }
    }

    /** {@code mm_migrate_pages} (no THP or large-folio splits in the model). */
    record MmMigratePages(long succeeded, long failed, String mode, String reason) implements KmemEvent {
        public EventType type() {
            return EventType.MM_MIGRATE_PAGES;
        }

        public void appendFields(StringBuilder sb, TraceFormat fmt) {
            sb.append("nr_succeeded=").append(succeeded).append(" nr_failed=").append(failed)
                    .append(" nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=").append(mode)
                    .append(" reason=").append(reason);
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
