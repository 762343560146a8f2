package io.kmemlab.mm.trace;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;

/**
 * The kmem trace events, one record per tracepoint of {@code include/trace/events/kmem.h}
 * (Linux 6.18). The emulator produces them and the trace parser reads them back, so what kmemlab
 * emits it can replay. {@link #appendFields} prints exactly the tracepoint's TP_printk text: the
 * fields its {@link EventType} lists, in that order, each as its {@link TraceField} prints; a
 * record only says what each of its fields' values is ({@link #value}, {@link #text}).
 *
 * <p>Pointers ({@code ptr=%p}) are emulated direct-map addresses; {@code page=%p} is printed from
 * the pfn's struct page address. Call sites are addresses resolved through {@link Symbols}.
 */
public sealed interface KmemEvent {

    EventType type();

    /** Appends the TP_printk text (the part after {@code "event: "}). */
    default void appendFields(StringBuilder sb, TraceFormat fmt) {
        type().appendFields(this, sb, fmt);
    }

    /**
     * The value field {@code f} of this event prints (a bool as 0 or 1, a pfn of -1 for none).
     *
     * @throws IllegalArgumentException if the event has no such field, or it is a string
     */
    long value(TraceField f);

    /**
     * The text of a string field.
     *
     * @throws IllegalArgumentException if the event has no such string field
     */
    default String text(TraceField f) {
        throw noField(this, f);
    }

    /** {@code mm_page_alloc}: pfn is -1 for a failed allocation. */
    record MmPageAlloc(long pfn, int order, int migratetype, int gfpFlags) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_ALLOC;
        }

        public long value(TraceField f) {
            return switch (f) {
                case PAGE -> pfn;
                case PFN -> pfn < 0 ? 0 : pfn;
                case ORDER -> order;
                case MIGRATETYPE -> migratetype;
                case GFP_FLAGS -> gfpFlags;
                default -> throw noField(this, f);
            };
        }
    }

    /** {@code mm_page_free}. */
    record MmPageFree(long pfn, int order) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_FREE;
        }

        public long value(TraceField f) {
            return switch (f) {
                case PAGE, PFN -> pfn;
                case ORDER -> order;
                default -> throw noField(this, f);
            };
        }
    }

    /** {@code mm_page_free_batched}: the text always says order=0. */
    record MmPageFreeBatched(long pfn) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_FREE_BATCHED;
        }

        public long value(TraceField f) {
            return switch (f) {
                case PAGE, PFN -> pfn;
                case ORDER -> 0;
                default -> throw noField(this, f);
            };
        }
    }

    /** {@code mm_page_alloc_zone_locked}. */
    record MmPageAllocZoneLocked(long pfn, int order, int migratetype, boolean percpuRefill)
            implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_ALLOC_ZONE_LOCKED;
        }

        public long value(TraceField f) {
            return switch (f) {
                case PAGE, PFN -> pfn;
                case ORDER -> order;
                case MIGRATETYPE -> migratetype;
                case PERCPU_REFILL -> percpuRefill ? 1 : 0;
                default -> throw noField(this, f);
            };
        }
    }

    /** {@code mm_page_pcpu_drain}. */
    record MmPagePcpuDrain(long pfn, int order, int migratetype) implements KmemEvent {
        public EventType type() {
            return EventType.MM_PAGE_PCPU_DRAIN;
        }

        public long value(TraceField f) {
            return switch (f) {
                case PAGE, PFN -> pfn;
                case ORDER -> order;
                case MIGRATETYPE -> migratetype;
                default -> throw noField(this, f);
            };
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

        public long value(TraceField f) {
            return switch (f) {
                case PAGE, PFN -> pfn;
                case ALLOC_ORDER -> allocOrder;
                case FALLBACK_ORDER -> fallbackOrder;
                case PAGEBLOCK_ORDER -> PAGEBLOCK_ORDER;
                case ALLOC_MIGRATETYPE -> allocMigratetype;
                case FALLBACK_MIGRATETYPE -> fallbackMigratetype;
                case FRAGMENTING -> fallbackOrder < PAGEBLOCK_ORDER ? 1 : 0;
                case CHANGE_OWNERSHIP -> changeOwnership ? 1 : 0;
                default -> throw noField(this, f);
            };
        }
    }

    /** {@code kmalloc}; accounted is computed at print time from __GFP_ACCOUNT (MEMCG on). */
    record Kmalloc(long callSite, long ptr, long bytesReq, long bytesAlloc, int gfpFlags, int node)
            implements KmemEvent {
        public EventType type() {
            return EventType.KMALLOC;
        }

        public long value(TraceField f) {
            return switch (f) {
                case CALL_SITE -> callSite;
                case PTR -> ptr;
                case BYTES_REQ -> bytesReq;
                case BYTES_ALLOC -> bytesAlloc;
                case GFP_FLAGS -> gfpFlags;
                case NODE -> node;
                case ACCOUNTED -> (gfpFlags & Gfp.__GFP_ACCOUNT) != 0 ? 1 : 0;
                default -> throw noField(this, f);
            };
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

        public long value(TraceField f) {
            return switch (f) {
                case CALL_SITE -> callSite;
                case PTR -> ptr;
                case BYTES_REQ -> bytesReq;
                case BYTES_ALLOC -> bytesAlloc;
                case GFP_FLAGS -> gfpFlags;
                case NODE -> node;
                case ACCOUNTED -> accounted ? 1 : 0;
                default -> throw noField(this, f);
            };
        }

        @Override
        public String text(TraceField f) {
            if (f == TraceField.NAME) {
                return name;
            }
            throw noField(this, f);
        }
    }

    /** {@code kfree} (fires for NULL too). */
    record Kfree(long callSite, long ptr) implements KmemEvent {
        public EventType type() {
            return EventType.KFREE;
        }

        public long value(TraceField f) {
            return switch (f) {
                case CALL_SITE -> callSite;
                case PTR -> ptr;
                default -> throw noField(this, f);
            };
        }
    }

    /** {@code kmem_cache_free}. */
    record KmemCacheFree(long callSite, long ptr, String name) implements KmemEvent {
        public EventType type() {
            return EventType.KMEM_CACHE_FREE;
        }

        public long value(TraceField f) {
            return switch (f) {
                case CALL_SITE -> callSite;
                case PTR -> ptr;
                default -> throw noField(this, f);
            };
        }

        @Override
        public String text(TraceField f) {
            if (f == TraceField.NAME) {
                return name;
            }
            throw noField(this, f);
        }
    }

    /** {@code mm_setup_per_zone_wmarks}: one per zone from __setup_per_zone_wmarks(). */
    record MmSetupPerZoneWmarks(int nodeId, String zoneName, long min, long low, long high, long promo)
            implements KmemEvent {
        public EventType type() {
            return EventType.MM_SETUP_PER_ZONE_WMARKS;
        }

        public long value(TraceField f) {
            return switch (f) {
                case NODE_ID -> nodeId;
                case WATERMARK_MIN -> min;
                case LOW -> low;
                case HIGH -> high;
                case PROMO -> promo;
                default -> throw noField(this, f);
            };
        }

        @Override
        public String text(TraceField f) {
            if (f == TraceField.ZONE_NAME) {
                return zoneName;
            }
            throw noField(this, f);
        }
    }

    /** {@code mm_setup_per_zone_lowmem_reserve}: one per (zone, higher zone) pair. */
    record MmSetupPerZoneLowmemReserve(int nodeId, String zoneName, String upperZoneName, long lowmemReservePages)
            implements KmemEvent {
        public EventType type() {
            return EventType.MM_SETUP_PER_ZONE_LOWMEM_RESERVE;
        }

        public long value(TraceField f) {
            return switch (f) {
                case NODE_ID -> nodeId;
                case LOWMEM_RESERVE_PAGES -> lowmemReservePages;
                default -> throw noField(this, f);
            };
        }

        @Override
        public String text(TraceField f) {
            return switch (f) {
                case ZONE_NAME -> zoneName;
                case UPPER_ZONE_NAME -> upperZoneName;
                default -> throw noField(this, f);
            };
        }
    }

    /** {@code mm_calculate_totalreserve_pages}. */
    record MmCalculateTotalreservePages(long totalreservePages) implements KmemEvent {
        public EventType type() {
            return EventType.MM_CALCULATE_TOTALRESERVE_PAGES;
        }

        public long value(TraceField f) {
            if (f == TraceField.TOTALRESERVE_PAGES) {
                return totalreservePages;
            }
            throw noField(this, f);
        }
    }

    /** Struct page address of a pfn, as {@code page=%p} prints it. */
    static long structPage(long pfn) {
        return Addr.VMEMMAP_BASE + pfn * Addr.STRUCT_PAGE_SIZE;
    }

    private static IllegalArgumentException noField(KmemEvent e, TraceField f) {
        return new IllegalArgumentException(e.type().eventName() + " has no such field: " + f.key());
    }
}
