package io.kmemlab.buddy;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.CompactionMetric;
import io.kmemlab.mm.page.Fragmentation;
import io.kmemlab.mm.page.MovableOwner;
import io.kmemlab.mm.trace.EventType;
import io.kmemlab.mm.trace.KmemEvent;
import io.kmemlab.mm.trace.Tracer;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory compaction ({@code mm/compaction.c}, 6.18): the migrate scanner walks a zone up from its
 * start and isolates movable pages, the free scanner walks down from its end and isolates free
 * pages, and every isolated page is migrated into a free one (bytes copied, owners told, the old
 * page freed) until the scanners meet or a block of the wanted order is free. Callers: direct
 * compaction from the allocation slow path ({@link #directCompact}), {@code compact_memory}
 * ({@link #compactMemory}), and kcompactd with proactive compaction ({@link #kcompactdRun}).
 * See the package essay's "Compaction" section.
 */
public final class Compaction implements CompactionMetric {
    static final int COMPACT_CLUSTER_MAX = 32;
    static final int COMPACT_MAX_DEFER_SHIFT = 6;
    static final long HPAGE_FRAG_CHECK_INTERVAL_NANOS = 500_000_000L;
    static final int COMPACTION_HPAGE_ORDER = BuddyAllocator.HPAGE_PMD_ORDER;

    // enum compact_priority
    static final int COMPACT_PRIO_SYNC_FULL = 0;
    static final int COMPACT_PRIO_SYNC_LIGHT = 1;
    static final int COMPACT_PRIO_ASYNC = 2;
    static final int MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL;
    static final int MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT;
    static final int DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT;
    static final int INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC;

    // enum compact_result (numeric order matters for max())
    static final int COMPACT_NOT_SUITABLE_ZONE = 0;
    static final int COMPACT_SKIPPED = 1;
    static final int COMPACT_DEFERRED = 2;
    static final int COMPACT_NO_SUITABLE_PAGE = 3;
    static final int COMPACT_CONTINUE = 4;
    static final int COMPACT_COMPLETE = 5;
    static final int COMPACT_PARTIAL_SKIPPED = 6;
    static final int COMPACT_CONTENDED = 7;
    static final int COMPACT_SUCCESS = 8;

    // enum migrate_mode
    static final int MIGRATE_ASYNC = 0;
    static final int MIGRATE_SYNC_LIGHT = 1;
    static final int MIGRATE_SYNC = 2;
    private static final String[] MIGRATE_MODE = {"MIGRATE_ASYNC", "MIGRATE_SYNC_LIGHT", "MIGRATE_SYNC"};

    private static final int NIL = PageFrames.NIL;
    private static final int PB = BuddyAllocator.PAGEBLOCK_NR_PAGES;

    private final BuddyAllocator buddy;
    private final Machine machine;
    private final PageFrames frames;
    private final Tracer tracer;
    private final List<MovableOwner> owners = new ArrayList<>();
    private final long[] events = new long[NR_EVENTS];
    private final ZoneState[] state;
    private int proactiveness = 20;
    private int extfragThreshold = 500;

    /** The capture_control of the direct compactor now running, or null (task_capc()). */
    private CompactControl capture;
    /** What the last direct compaction did, for the allocation failure report. */
    private String lastDirectReport;

    // kcompactd (one node)
    private int kcompactdMaxOrder;
    private int kcompactdHighestZoneidx = ZoneType.COUNT - 1;
    private boolean kcompactdWoken;
    private boolean proactiveTrigger;
    private long kcompactdNextWake = -1;
    private long kcompactdTimeout = HPAGE_FRAG_CHECK_INTERVAL_NANOS;

    /** The per-zone compaction fields of struct zone. */
    static final class ZoneState {
        final int[] cachedMigratePfn = new int[2];
        int cachedFreePfn;
        int initMigratePfn;
        int initFreePfn;
        int considered;
        int deferShift;
        int orderFailed;
        boolean blockskipFlush;
    }

    /** struct compact_control (plus capture_control's page). */
    static final class CompactControl {
        Zone zone;
        int order;
        int gfp;
        int migratetype;
        int mode;
        int allocFlags;
        int highestZoneIdx;
        boolean direct;
        boolean wholeZone;
        boolean ignoreSkipHint;
        boolean ignoreBlockSuitable;
        boolean proactive;
        boolean finishPageblock;
        int migratePfn;
        int freePfn;
        final List<int[]> migratepages = new ArrayList<>();
        int nrMigratepages;
        final List<List<Integer>> freepages = new ArrayList<>();
        int nrFreepages;
        long totalMigrateScanned;
        long totalFreeScanned;
        long migrated;
        long failed;
        /** Allocated pages the migrate scanner could not isolate (unmovable, pinned, no owner). */
        long nrUnmovable;

        int capturedPfn = NIL;
        int searchOrder;
        int fastSearchFail;

        CompactControl() {
            for (int o = 0; o < BuddyAllocator.NR_PAGE_ORDERS; o++) {
                freepages.add(new ArrayList<>());
            }
        }

        boolean sync() {
            return mode != MIGRATE_ASYNC;
        }
    }

    Compaction(BuddyAllocator buddy, Machine machine) {
        this.buddy = buddy;
        this.machine = machine;
        this.frames = machine.frames();
        this.tracer = machine.tracer();
        this.state = new ZoneState[ZoneType.COUNT];
        for (int i = 0; i < state.length; i++) {
            state[i] = new ZoneState();
        }
    }

    /** Called when a zone is initialised: reset_cached_positions() and a clean defer state. */
    void initZone(Zone z) {
        ZoneState s = state[z.idx];
        s.initMigratePfn = z.startPfn;
        s.initFreePfn = pageblockStart(z.endPfn - 1);
        resetCachedPositions(z);
    }

    // =============================================================================================
    // Metric and settings
    // =============================================================================================

    @Override
    public long event(int item) {
        return events[item];
    }

    @Override
    public int proactiveness() {
        return proactiveness;
    }

    @Override
    public int extfragThreshold() {
        return extfragThreshold;
    }

    /** vm.compaction_proactiveness: 0..100; a non-zero write triggers proactive compaction. */
    public String setProactiveness(int value) {
        if (value < 0 || value > 100) {
            return "EINVAL";
        }
        proactiveness = value;
        if (value != 0) {
            // compaction_proactiveness_sysctl_handler(): trigger and wake every node
            proactiveTrigger = true;
            if (tracer.on(EventType.MM_COMPACTION_WAKEUP_KCOMPACTD)) {
                tracer.emit(
                        buddy.cpu(),
                        new KmemEvent.CompactionKcompactdWake(
                                EventType.MM_COMPACTION_WAKEUP_KCOMPACTD, 0, -1, ZoneType.of(ZoneType.COUNT - 1)));
            }
        }
        return null;
    }

    /** vm.extfrag_threshold: 0..1000. */
    public String setExtfragThreshold(int value) {
        if (value < 0 || value > 1000) {
            return "EINVAL";
        }
        extfragThreshold = value;
        return null;
    }

    /** Registers an owner of movable pages (see {@link MovableOwner}). */
    public void addOwner(MovableOwner owner) {
        owners.add(owner);
    }

    /** The last direct compaction's account, or null if the last allocation did not compact. */
    String lastDirectReport() {
        return lastDirectReport;
    }

    void clearDirectReport() {
        lastDirectReport = null;
    }

    /** Zone-level state, for tests. */
    int deferShift(ZoneType z) {
        return state[z.ordinal()].deferShift;
    }

    int considered(ZoneType z) {
        return state[z.ordinal()].considered;
    }

    int orderFailed(ZoneType z) {
        return state[z.ordinal()].orderFailed;
    }

    // =============================================================================================
    // Fragmentation and suitability (mm/vmstat.c, compaction_suitable)
    // =============================================================================================

    /** fragmentation_index(). */
    static int fragmentationIndex(Zone z, int order) {
        return Fragmentation.fragmentationIndex(order, Fragmentation.fillContigPageInfo(z::nrFree, order));
    }

    /** extfrag_for_order(): percentage of free memory in blocks smaller than 2^order. */
    static int extfragForOrder(Zone z, int order) {
        Fragmentation.ContigPageInfo info = Fragmentation.fillContigPageInfo(z::nrFree, order);
        if (info.freePages() == 0) {
            return 0;
        }
        return (int) ((info.freePages() - (info.freeBlocksSuitable() << order)) * 100 / info.freePages());
    }

    /** __compaction_suitable(): order-0 watermark plus compact_gap(order). */
    private static boolean compactionSuitableWmark(Zone z, int order, long wmark, int highestZoneIdx, long free) {
        long w = wmark + (2L << order);
        if (order > BuddyAllocator.PAGE_ALLOC_COSTLY_ORDER) {
            w += z.watermark[BuddyAllocator.WMARK_LOW] - z.watermark[BuddyAllocator.WMARK_MIN];
        }
        return BuddyAllocator.zoneWatermarkOk(z, 0, w, highestZoneIdx, BuddyAllocator.ALLOC_CMA, free);
    }

    /** compaction_suitable(): the watermark, then the fragmentation index against extfrag_threshold. */
    boolean compactionSuitable(Zone z, int order, long wmark, int highestZoneIdx) {
        boolean suitable = compactionSuitableWmark(z, order, wmark, highestZoneIdx, z.nrFreePages);
        int result;
        if (suitable) {
            result = COMPACT_CONTINUE;
            if (order > BuddyAllocator.PAGE_ALLOC_COSTLY_ORDER) {
                int fragindex = fragmentationIndex(z, order);
                if (fragindex >= 0 && fragindex <= extfragThreshold) {
                    suitable = false;
                    result = COMPACT_NOT_SUITABLE_ZONE;
                }
            }
        } else {
            result = COMPACT_SKIPPED;
        }
        if (tracer.on(EventType.MM_COMPACTION_SUITABLE)) {
            tracer.emit(
                    buddy.cpu(),
                    new KmemEvent.CompactionSuitable(EventType.MM_COMPACTION_SUITABLE, 0, z.type, order, result));
        }
        return suitable;
    }

    /** compaction_suit_allocation_order(). */
    int suitAllocationOrder(Zone z, int order, int highestZoneIdx, int allocFlags) {
        long wmark = z.watermark(allocFlags & BuddyAllocator.ALLOC_WMARK_MASK);
        if (BuddyAllocator.zoneWatermarkOk(z, order, wmark, highestZoneIdx, allocFlags, z.nrFreePages)) {
            return COMPACT_SUCCESS;
        }
        if (!compactionSuitable(z, order, wmark, highestZoneIdx)) {
            return COMPACT_SKIPPED;
        }
        return COMPACT_CONTINUE;
    }

    // =============================================================================================
    // Deferral
    // =============================================================================================

    /** defer_compaction(). */
    void deferCompaction(Zone z, int order) {
        ZoneState s = state[z.idx];
        s.considered = 0;
        s.deferShift++;
        if (order < s.orderFailed) {
            s.orderFailed = order;
        }
        if (s.deferShift > COMPACT_MAX_DEFER_SHIFT) {
            s.deferShift = COMPACT_MAX_DEFER_SHIFT;
        }
        traceDefer(EventType.MM_COMPACTION_DEFER_COMPACTION, z, order);
    }

    /** compaction_deferred(): true if this attempt is skipped. */
    boolean compactionDeferred(Zone z, int order) {
        ZoneState s = state[z.idx];
        long limit = 1L << s.deferShift;
        if (order < s.orderFailed) {
            return false;
        }
        if (++s.considered >= limit) {
            s.considered = (int) limit;
            return false;
        }
        traceDefer(EventType.MM_COMPACTION_DEFERRED, z, order);
        return true;
    }

    /** compaction_defer_reset(). */
    void deferReset(Zone z, int order, boolean allocSuccess) {
        ZoneState s = state[z.idx];
        if (allocSuccess) {
            s.considered = 0;
            s.deferShift = 0;
        }
        if (order >= s.orderFailed) {
            s.orderFailed = order + 1;
        }
        traceDefer(EventType.MM_COMPACTION_DEFER_RESET, z, order);
    }

    /** compaction_restarting(). */
    private boolean compactionRestarting(Zone z, int order) {
        ZoneState s = state[z.idx];
        if (order < s.orderFailed) {
            return false;
        }
        return s.deferShift == COMPACT_MAX_DEFER_SHIFT && s.considered >= 1 << COMPACT_MAX_DEFER_SHIFT;
    }

    private void traceDefer(EventType type, Zone z, int order) {
        if (tracer.on(type)) {
            ZoneState s = state[z.idx];
            tracer.emit(
                    buddy.cpu(),
                    new KmemEvent.CompactionDefer(
                            type, 0, z.type, order, s.orderFailed, s.considered, 1L << s.deferShift));
        }
    }

    // =============================================================================================
    // Skip bits and cached positions
    // =============================================================================================

    private static int pageblockStart(int pfn) {
        return pfn & ~(PB - 1);
    }

    private static int pageblockEnd(int pfn) {
        return pageblockStart(pfn) + PB;
    }

    private boolean isolationSuitable(CompactControl cc, int pfn) {
        return cc.ignoreSkipHint || !buddy.pageblockSkip(pfn);
    }

    /** reset_cached_positions(). */
    private void resetCachedPositions(Zone z) {
        ZoneState s = state[z.idx];
        s.cachedMigratePfn[0] = s.initMigratePfn;
        s.cachedMigratePfn[1] = s.initMigratePfn;
        s.cachedFreePfn = s.initFreePfn;
    }

    /**
     * __reset_isolation_suitable(), simplified: every skip bit of the zone is cleared and the
     * scanners restart from the zone's ends (the kernel samples blocks to pick restart points).
     */
    void resetIsolationSuitable(Zone z) {
        for (int pfn = pageblockStart(z.startPfn); pfn < z.endPfn; pfn += PB) {
            buddy.setPageblockSkip(pfn, false);
        }
        resetCachedPositions(z);
        state[z.idx].blockskipFlush = false;
    }

    /** update_cached_migrate(). */
    private void updateCachedMigrate(CompactControl cc, int pfnIn) {
        int pfn = pageblockEnd(pfnIn);
        ZoneState s = state[cc.zone.idx];
        if (pfn > s.cachedMigratePfn[0]) {
            s.cachedMigratePfn[0] = pfn;
        }
        if (cc.mode != MIGRATE_ASYNC && pfn > s.cachedMigratePfn[1]) {
            s.cachedMigratePfn[1] = pfn;
        }
    }

    /** update_pageblock_skip() of the free scanner. */
    private void updatePageblockSkip(CompactControl cc, int blockPfn, int pfn) {
        buddy.setPageblockSkip(blockPfn, true);
        ZoneState s = state[cc.zone.idx];
        if (pfn < s.cachedFreePfn) {
            s.cachedFreePfn = pfn;
        }
    }

    /** pageblock_pfn_to_page(): the block lies inside the zone, else false. */
    private boolean blockInZone(int start, int end, Zone z) {
        if (start < z.startPfn || end > z.endPfn || end <= start) {
            return false;
        }
        return frames.valid(start)
                && frames.valid(end - 1)
                && frames.zone(start) == z.idx
                && frames.zone(end - 1) == z.idx;
    }

    // =============================================================================================
    // Migrate scanner
    // =============================================================================================

    /** Is this allocated head a movable page some owner can follow (PageLRU && !pinned)? */
    private boolean movablePage(int pfn, int order) {
        if (owners.isEmpty()
                || frames.refcount(pfn) != 1
                || frames.pcpMigratetype(pfn) != BuddyAllocator.MIGRATE_MOVABLE
                || frames.test(
                        pfn,
                        PageFrames.PG_SLAB
                                | PageFrames.PG_LARGE_KMALLOC
                                | PageFrames.PG_OWNER_PRIV
                                | PageFrames.PG_RESERVED
                                | PageFrames.PG_GUARD)) {
            return false;
        }
        boolean claimed = false;
        for (MovableOwner o : owners) {
            if (o.owns(pfn, order)) {
                if (!o.mayMigrate(pfn, order)) {
                    return false;
                }
                claimed = true;
            }
        }
        return claimed;
    }

    /** An allocated block head (not free, not on a pcp list, not a tail page). */
    private boolean allocatedHead(int pfn) {
        return frames.refcount(pfn) > 0
                && !frames.test(pfn, PageFrames.PG_BUDDY | PageFrames.PG_PCP | PageFrames.PG_TAIL);
    }

    private static int blockEndPfn(int pfn, int order) {
        return (pfn & ~((1 << order) - 1)) + (1 << order);
    }

    /** isolate_migratepages_block(): returns the pfn where the scan stopped. */
    private int isolateMigratepagesBlock(CompactControl cc, int lowIn, int endPfn) {
        int low = lowIn;
        int start = lowIn;
        long nrScanned = 0;
        int nrIsolated = 0;
        boolean skipUpdated = false;
        boolean skipOnFailure = false;
        int nextSkipPfn = 0;
        int listMark = cc.migratepages.size();
        if (cc.direct && cc.mode == MIGRATE_ASYNC && cc.order > 0) {
            skipOnFailure = true;
            nextSkipPfn = blockEndPfn(low, cc.order);
        }
        int validPage = pageblockStart(lowIn);
        boolean aborted = false;
        for (; low < endPfn; low++) {
            if (skipOnFailure && low >= nextSkipPfn) {
                if (nrIsolated != 0) {
                    break;
                }
                nextSkipPfn = blockEndPfn(low, cc.order);
            }
            nrScanned++;
            boolean fail;
            if (frames.test(low, PageFrames.PG_BUDDY)) {
                int o = frames.order(low);
                low += (1 << o) - 1;
                nrScanned += (1 << o) - 1;
                continue;
            }
            if (!allocatedHead(low)) {
                fail = true;
            } else {
                int o = frames.order(low);
                int nrPages = 1 << o;
                boolean skipOrder = o >= BuddyAllocator.PAGEBLOCK_ORDER || (cc.order >= 0 && o >= cc.order && o > 0);
                if (skipOrder || !movablePage(low, o)) {
                    if (!skipOrder) {
                        cc.nrUnmovable += nrPages;
                    }
                    low += nrPages - 1;
                    nrScanned += nrPages - 1;
                    fail = true;
                } else {
                    if (!skipUpdated) {
                        skipUpdated = true;
                        // test_and_set_skip(): another compactor's block is abandoned
                        if (!cc.ignoreSkipHint && buddy.pageblockSkip(validPage) && !cc.finishPageblock) {
                            low = endPfn;
                            aborted = true;
                            break;
                        }
                        if (!cc.ignoreSkipHint) {
                            buddy.setPageblockSkip(validPage, true);
                        }
                    }
                    cc.migratepages.add(new int[] {low, o});
                    cc.nrMigratepages += nrPages;
                    nrIsolated += nrPages;
                    nrScanned += nrPages - 1;
                    low += nrPages - 1;
                    if (cc.nrMigratepages >= COMPACT_CLUSTER_MAX && !cc.finishPageblock) {
                        low++;
                        break;
                    }
                    continue;
                }
            }
            if (fail && skipOnFailure) {
                // putback: the cc->order block cannot be formed anyway
                if (nrIsolated != 0) {
                    while (cc.migratepages.size() > listMark) {
                        int[] m = cc.migratepages.remove(cc.migratepages.size() - 1);
                        cc.nrMigratepages -= 1 << m[1];
                    }
                    nrIsolated = 0;
                }
                if (low < nextSkipPfn) {
                    low = nextSkipPfn - 1;
                    nextSkipPfn += 1 << cc.order;
                }
            }
        }
        if (low > endPfn) {
            low = endPfn;
        }
        if (!aborted && low == endPfn && (nrIsolated == 0 || cc.finishPageblock)) {
            if (!skipUpdated) {
                buddy.setPageblockSkip(validPage, true);
            }
            updateCachedMigrate(cc, low);
        }
        cc.totalMigrateScanned += nrScanned;
        events[COMPACTISOLATED] += nrIsolated;
        if (tracer.on(EventType.MM_COMPACTION_ISOLATE_MIGRATEPAGES)) {
            tracer.emit(
                    buddy.cpu(),
                    new KmemEvent.CompactionIsolate(
                            EventType.MM_COMPACTION_ISOLATE_MIGRATEPAGES, start, low, nrScanned, nrIsolated));
        }
        cc.migratePfn = low;
        return low;
    }

    /** suitable_migration_source(). */
    private boolean suitableMigrationSource(CompactControl cc, int pfn) {
        if (cc.mode != MIGRATE_ASYNC || !cc.direct) {
            return true;
        }
        int blockMt = buddy.pageblockMt(pfn);
        if (cc.migratetype == BuddyAllocator.MIGRATE_MOVABLE) {
            return blockMt == BuddyAllocator.MIGRATE_MOVABLE;
        }
        return blockMt == cc.migratetype;
    }

    /** isolate_migratepages() without fast_find_migrateblock(): true if pages were isolated. */
    private boolean isolateMigratepages(CompactControl cc) {
        Zone z = cc.zone;
        int low = cc.migratePfn;
        int blockStart = Math.max(pageblockStart(low), z.startPfn);
        int blockEnd = pageblockEnd(low);
        for (; blockEnd <= cc.freePfn; cc.migratePfn = low = blockEnd, blockStart = blockEnd, blockEnd += PB) {
            if (!blockInZone(blockStart, Math.min(blockEnd, z.endPfn), z)) {
                continue;
            }
            if (((low & (PB - 1)) == 0 || low == z.startPfn) && !isolationSuitable(cc, blockStart)) {
                continue;
            }
            if (!suitableMigrationSource(cc, blockStart)) {
                updateCachedMigrate(cc, blockEnd);
                continue;
            }
            isolateMigratepagesBlock(cc, low, blockEnd);
            break;
        }
        return cc.nrMigratepages > 0;
    }

    // =============================================================================================
    // Free scanner and migration targets
    // =============================================================================================

    /** suitable_migration_target(). */
    private boolean suitableMigrationTarget(CompactControl cc, int pfn) {
        if (frames.test(pfn, PageFrames.PG_BUDDY)) {
            int order = cc.order > 0 ? cc.order : BuddyAllocator.PAGEBLOCK_ORDER;
            if (frames.order(pfn) >= order) {
                return false;
            }
        }
        if (cc.ignoreBlockSuitable) {
            return true;
        }
        return buddy.pageblockMt(pfn) == BuddyAllocator.MIGRATE_MOVABLE;
    }

    /** isolate_freepages_block(): returns the pfn where the scan stopped. */
    private int isolateFreepagesBlock(CompactControl cc, int startPfn, int endPfn, int stride) {
        long nrScanned = 0;
        int total = 0;
        int pfn = startPfn;
        for (; pfn < endPfn; pfn += stride) {
            nrScanned++;
            if (!frames.test(pfn, PageFrames.PG_BUDDY)) {
                continue;
            }
            int order = frames.order(pfn);
            int isolated = buddy.isolateFreePage(cc.zone, pfn, order);
            if (isolated == 0) {
                break;
            }
            nrScanned += isolated - 1;
            total += isolated;
            cc.nrFreepages += isolated;
            cc.freepages.get(order).add(pfn);
            if (cc.nrMigratepages <= cc.nrFreepages) {
                pfn += isolated;
                break;
            }
            pfn += isolated - 1;
        }
        if (pfn > endPfn) {
            pfn = endPfn;
        }
        if (tracer.on(EventType.MM_COMPACTION_ISOLATE_FREEPAGES)) {
            tracer.emit(
                    buddy.cpu(),
                    new KmemEvent.CompactionIsolate(
                            EventType.MM_COMPACTION_ISOLATE_FREEPAGES, startPfn, pfn, nrScanned, total));
        }
        cc.totalFreeScanned += nrScanned;
        events[COMPACTISOLATED] += total;
        return pfn;
    }

    /** freelist_scan_limit(). */
    private static int freelistScanLimit(CompactControl cc) {
        return (COMPACT_CLUSTER_MAX >> Math.min(31, cc.fastSearchFail)) + 1;
    }

    /** next_search_order(): round-robin below cc->order, -1 once wrapped. */
    private static int nextSearchOrder(CompactControl cc, int orderIn) {
        int order = orderIn - 1;
        if (order < 0) {
            order = cc.order - 1;
        }
        if (order == cc.searchOrder) {
            cc.searchOrder--;
            if (cc.searchOrder < 0) {
                cc.searchOrder = cc.order - 1;
            }
            return -1;
        }
        return order;
    }

    /**
     * fast_isolate_freepages(): take one free block near the free scanner from the MOVABLE free
     * lists (walked from the tail, the scanned part rotated to the front), then
     * fast_isolate_around().
     *
     * @return where a linear scan would start
     */
    private int fastIsolateFreepages(CompactControl cc) {
        if (cc.order <= 0) {
            return cc.freePfn;
        }
        Zone z = cc.zone;
        ZoneState s = state[z.idx];
        int limit = Math.max(1, freelistScanLimit(cc) >> 1);
        if (cc.freePfn >= s.initFreePfn) {
            limit = PB >> 1;
        }
        int distance = cc.freePfn - cc.migratePfn;
        int lowPfn = pageblockStart(cc.freePfn - (distance >> 2));
        int minPfn = pageblockStart(cc.freePfn - (distance >> 1));
        if (minPfn > lowPfn) {
            lowPfn = minPfn;
        }
        cc.searchOrder = Math.min(cc.order - 1, cc.searchOrder);
        long nrScanned = 0;
        int total = 0;
        int page = NIL;
        int highest = -1;
        for (int order = cc.searchOrder; page == NIL && order >= 0; order = nextSearchOrder(cc, order)) {
            io.kmemlab.mm.PfnList list = z.list(order, BuddyAllocator.MIGRATE_MOVABLE);
            int highPfn = -1;
            int orderScanned = 0;
            int candidate = NIL;
            int visited = NIL;
            for (int p = list.last(); p != NIL; p = list.prev(p)) {
                nrScanned++;
                orderScanned++;
                visited = p;
                if (p >= lowPfn) {
                    cc.fastSearchFail = 0;
                    cc.searchOrder = order;
                    candidate = p;
                    break;
                }
                if (p >= minPfn && p > highPfn) {
                    highPfn = p;
                    limit >>= 1;
                }
                if (orderScanned >= limit) {
                    break;
                }
            }
            if (visited != NIL) {
                // move_freelist_head(): the scanned tail goes to the front, so that the next
                // search looks at other pages
                list.rotateToFront(visited);
            }
            if (candidate == NIL && highPfn >= 0) {
                candidate = highPfn;
            }
            if (candidate != NIL) {
                highest = Math.max(highest, Math.max(pageblockStart(candidate), z.startPfn));
                int n = buddy.isolateFreePage(z, candidate, order);
                if (n == 0) {
                    break;
                }
                nrScanned += n - 1;
                total += n;
                cc.nrFreepages += n;
                cc.freepages.get(order).add(candidate);
                events[COMPACTISOLATED] += n;
                page = candidate;
            }
            if (cc.nrFreepages >= cc.nrMigratepages) {
                break;
            }
        }
        if (tracer.on(EventType.MM_COMPACTION_FAST_ISOLATE_FREEPAGES)) {
            tracer.emit(
                    buddy.cpu(),
                    new KmemEvent.CompactionIsolate(
                            EventType.MM_COMPACTION_FAST_ISOLATE_FREEPAGES, minPfn, cc.freePfn, nrScanned, total));
        }
        cc.totalFreeScanned += nrScanned;
        if (page == NIL) {
            cc.fastSearchFail++;
            return cc.freePfn;
        }
        if (highest >= 0 && highest >= s.cachedFreePfn) {
            s.cachedFreePfn = highest - PB;
        }
        fastIsolateAround(cc, page);
        return page;
    }

    /** fast_isolate_around(): the rest of the chosen block's free pages (not for async direct). */
    private void fastIsolateAround(CompactControl cc, int pfn) {
        if (cc.nrFreepages >= cc.nrMigratepages || (cc.direct && cc.mode == MIGRATE_ASYNC)) {
            return;
        }
        Zone z = cc.zone;
        int start = Math.max(pageblockStart(pfn), z.startPfn);
        int end = Math.min(pageblockEnd(pfn), z.endPfn);
        if (isolateFreepagesBlock(cc, start, end, 1) == end && !cc.ignoreSkipHint) {
            buddy.setPageblockSkip(start, true);
        }
    }

    /** isolate_freepages(): the fast search first, then the linear scan down from free_pfn. */
    private void isolateFreepages(CompactControl cc) {
        Zone z = cc.zone;
        fastIsolateFreepages(cc);
        if (cc.nrFreepages > 0) {
            return;
        }
        int isolateStart = cc.freePfn;
        int blockStart = pageblockStart(isolateStart);
        int blockEnd = Math.min(blockStart + PB, z.endPfn);
        int lowPfn = pageblockEnd(cc.migratePfn);
        int stride = cc.mode == MIGRATE_ASYNC ? COMPACT_CLUSTER_MAX : 1;
        for (; blockStart >= lowPfn; blockEnd = blockStart, blockStart -= PB, isolateStart = blockStart) {
            if (!blockInZone(Math.max(blockStart, z.startPfn), blockEnd, z)) {
                continue;
            }
            if (!suitableMigrationTarget(cc, blockStart) || !isolationSuitable(cc, blockStart)) {
                continue;
            }
            int before = cc.nrFreepages;
            isolateStart = isolateFreepagesBlock(cc, Math.max(isolateStart, z.startPfn), blockEnd, stride);
            if (isolateStart == blockEnd && !cc.ignoreSkipHint) {
                updatePageblockSkip(cc, blockStart, blockStart - PB);
            }
            if (cc.nrFreepages >= cc.nrMigratepages) {
                if (isolateStart >= blockEnd) {
                    isolateStart = blockStart - PB;
                }
                break;
            } else if (isolateStart < blockEnd) {
                break;
            }
            stride = cc.nrFreepages != before ? 1 : Math.min(COMPACT_CLUSTER_MAX, stride << 1);
        }
        cc.freePfn = isolateStart;
    }

    /** compaction_alloc(): the smallest isolated free block that fits, split down. */
    private int compactionAlloc(CompactControl cc, int order) {
        for (int pass = 0; pass < 2; pass++) {
            for (int o = order; o < cc.freepages.size(); o++) {
                List<Integer> l = cc.freepages.get(o);
                if (l.isEmpty()) {
                    continue;
                }
                int pfn = l.remove(l.size() - 1);
                for (int k = o - 1; k >= order; k--) {
                    cc.freepages.get(k).add(pfn + (1 << k));
                }
                cc.nrFreepages -= 1 << order;
                return pfn;
            }
            if (pass == 0) {
                isolateFreepages(cc);
            }
        }
        return NIL;
    }

    /** release_free_list(): isolated free pages back to the buddy lists. */
    private void releaseFreeList(CompactControl cc) {
        int highPfn = -1;
        for (List<Integer> l : cc.freepages) {
            for (int pfn : l) {
                buddy.releaseIsolatedFreePage(cc.zone, pfn, frameOrder(cc, pfn));
                highPfn = Math.max(highPfn, pfn);
            }
        }
        for (int o = 0; o < cc.freepages.size(); o++) {
            cc.freepages.get(o).clear();
        }
        cc.nrFreepages = 0;
        ZoneState s = state[cc.zone.idx];
        if (highPfn >= 0 && !cc.ignoreSkipHint) {
            int blockPfn = pageblockStart(highPfn);
            if (blockPfn > s.cachedFreePfn) {
                s.cachedFreePfn = blockPfn;
            }
        }
    }

    private static int frameOrder(CompactControl cc, int pfn) {
        for (int o = 0; o < cc.freepages.size(); o++) {
            if (cc.freepages.get(o).contains(pfn)) {
                return o;
            }
        }
        throw new IllegalStateException("pfn not isolated");
    }

    /**
     * migrate_pages(MR_COMPACTION): each isolated page gets a target from compaction_alloc, its
     * bytes are copied through PhysMem, its head state moves, every owner learns the new pfn, and
     * the old page is freed. Returns false on -ENOMEM (no target left).
     */
    private boolean migratePages(CompactControl cc) {
        long succeeded = 0;
        long failed = 0;
        boolean enomem = false;
        int cpu = buddy.cpu();
        for (int[] m : cc.migratepages) {
            int src = m[0];
            int order = m[1];
            int dst = enomem ? NIL : compactionAlloc(cc, order);
            if (dst == NIL) {
                enomem = true;
                failed += 1 << order;
                continue;
            }
            int len = Addr.PAGE_SIZE << order;
            machine.mem().copy(Addr.pfnToVirt(dst), Addr.pfnToVirt(src), len);
            buddy.prepMigrationTarget(dst, order, frames.test(src, PageFrames.PG_HEAD));
            for (MovableOwner o : owners) {
                if (o.owns(src, order)) {
                    o.migrated(src, dst, order);
                }
            }
            buddy.freePages(cpu, src, order);
            succeeded += 1 << order;
        }
        cc.migrated += succeeded;
        cc.failed += failed;
        events[PGMIGRATE_SUCCESS] += succeeded;
        events[PGMIGRATE_FAIL] += failed;
        if (tracer.on(EventType.MM_MIGRATE_PAGES)) {
            tracer.emit(cpu, new KmemEvent.MmMigratePages(succeeded, failed, MIGRATE_MODE[cc.mode], "compaction"));
        }
        if (tracer.on(EventType.MM_COMPACTION_MIGRATEPAGES)) {
            tracer.emit(cpu, new KmemEvent.CompactionMigratepages(succeeded, cc.nrMigratepages - succeeded));
        }
        cc.migratepages.clear();
        cc.nrMigratepages = 0;
        return !enomem;
    }

    // =============================================================================================
    // compact_zone
    // =============================================================================================

    /** __compact_finished(). */
    private int compactFinishedInner(CompactControl cc) {
        Zone z = cc.zone;
        if ((cc.freePfn >> BuddyAllocator.PAGEBLOCK_ORDER) <= (cc.migratePfn >> BuddyAllocator.PAGEBLOCK_ORDER)) {
            resetCachedPositions(z);
            if (cc.direct) {
                state[z.idx].blockskipFlush = true;
            }
            return cc.wholeZone ? COMPACT_COMPLETE : COMPACT_PARTIAL_SKIPPED;
        }
        if (cc.proactive) {
            int score = extfragForOrder(z, COMPACTION_HPAGE_ORDER);
            return score > 100 - proactiveness ? COMPACT_CONTINUE : COMPACT_SUCCESS;
        }
        if (cc.order < 0) {
            return COMPACT_CONTINUE;
        }
        if ((cc.migratePfn & (PB - 1)) != 0) {
            return COMPACT_CONTINUE;
        }
        for (int o = cc.order; o < BuddyAllocator.NR_PAGE_ORDERS; o++) {
            if (!z.list(o, cc.migratetype).isEmpty()) {
                return COMPACT_SUCCESS;
            }
            if (buddy.findSuitableFallbackFor(z, o, cc.migratetype) >= 0) {
                return COMPACT_SUCCESS;
            }
        }
        return COMPACT_NO_SUITABLE_PAGE;
    }

    /** compact_finished(). */
    private int compactFinished(CompactControl cc) {
        int ret = compactFinishedInner(cc);
        if (tracer.on(EventType.MM_COMPACTION_FINISHED)) {
            tracer.emit(
                    buddy.cpu(),
                    new KmemEvent.CompactionSuitable(EventType.MM_COMPACTION_FINISHED, 0, cc.zone.type, cc.order, ret));
        }
        return ret == COMPACT_NO_SUITABLE_PAGE ? COMPACT_CONTINUE : ret;
    }

    /** compact_zone(). */
    int compactZone(CompactControl cc) {
        Zone z = cc.zone;
        ZoneState s = state[z.idx];
        int sync = cc.sync() ? 1 : 0;
        cc.migratetype = Gfp.gfpMigratetype(cc.gfp);
        cc.searchOrder = cc.order;
        if (cc.order >= 0) {
            int ret = suitAllocationOrder(z, cc.order, cc.highestZoneIdx, cc.allocFlags);
            if (ret != COMPACT_CONTINUE) {
                return ret;
            }
        }
        if (compactionRestarting(z, cc.order)) {
            resetIsolationSuitable(z);
        }
        int start = z.startPfn;
        int end = z.endPfn;
        if (cc.wholeZone) {
            cc.migratePfn = start;
            cc.freePfn = pageblockStart(end - 1);
        } else {
            cc.migratePfn = s.cachedMigratePfn[sync];
            cc.freePfn = s.cachedFreePfn;
            if (cc.freePfn < start || cc.freePfn >= end) {
                cc.freePfn = pageblockStart(end - 1);
                s.cachedFreePfn = cc.freePfn;
            }
            if (cc.migratePfn < start || cc.migratePfn >= end) {
                cc.migratePfn = start;
                s.cachedMigratePfn[0] = start;
                s.cachedMigratePfn[1] = start;
            }
            if (cc.migratePfn <= s.initMigratePfn) {
                cc.wholeZone = true;
            }
        }
        int cpu = buddy.cpu();
        if (tracer.on(EventType.MM_COMPACTION_BEGIN)) {
            tracer.emit(
                    cpu,
                    new KmemEvent.CompactionBeginEnd(
                            EventType.MM_COMPACTION_BEGIN, start, cc.migratePfn, cc.freePfn, end, cc.sync(), -1));
        }
        int lastMigratedPfn = -1;
        int ret;
        while ((ret = compactFinished(cc)) == COMPACT_CONTINUE) {
            int iterationStart = cc.migratePfn;
            cc.finishPageblock =
                    lastMigratedPfn >= 0 && pageblockStart(lastMigratedPfn) == pageblockStart(iterationStart);
            if (isolateMigratepages(cc)) {
                lastMigratedPfn = iterationStart;
                if (!migratePages(cc)
                        && (cc.freePfn >> BuddyAllocator.PAGEBLOCK_ORDER)
                                > (cc.migratePfn >> BuddyAllocator.PAGEBLOCK_ORDER)) {
                    ret = COMPACT_CONTENDED;
                    break;
                }
                if (cc.capturedPfn != NIL) {
                    ret = COMPACT_SUCCESS;
                    break;
                }
            }
            // lru_add_drain_cpu_zone(): once the scanner left the order-aligned block of the last
            // migration, the freed pages leave this CPU's pcp lists so that they can merge
            if (cc.order > 0 && lastMigratedPfn >= 0) {
                int currentBlockStart = cc.migratePfn & ~((1 << cc.order) - 1);
                if (lastMigratedPfn < currentBlockStart) {
                    buddy.drainLocal(cpu, z);
                    lastMigratedPfn = -1;
                    if (cc.capturedPfn != NIL) {
                        ret = COMPACT_SUCCESS;
                        break;
                    }
                }
            }
        }
        releaseFreeList(cc);
        events[COMPACTMIGRATE_SCANNED] += cc.totalMigrateScanned;
        events[COMPACTFREE_SCANNED] += cc.totalFreeScanned;
        if (tracer.on(EventType.MM_COMPACTION_END)) {
            tracer.emit(
                    cpu,
                    new KmemEvent.CompactionBeginEnd(
                            EventType.MM_COMPACTION_END, start, cc.migratePfn, cc.freePfn, end, cc.sync(), ret));
        }
        assert buddyValid() : "buddy invariants broken by compaction: " + buddy.validate();
        return ret;
    }

    /** The buddy validator after every compaction run (with assertions on, as in tests). */
    private boolean buddyValid() {
        return buddy.validate().isEmpty();
    }

    // =============================================================================================
    // Page capture (called from __free_one_page)
    // =============================================================================================

    /** compaction_capture(): true if the freed block of this order is handed to the compactor. */
    boolean capture(Zone z, int pfn, int order, int mt) {
        CompactControl cc = capture;
        if (cc == null || cc.zone != z || cc.capturedPfn != NIL || order != cc.order) {
            return false;
        }
        if (mt == BuddyAllocator.MIGRATE_ISOLATE || mt == BuddyAllocator.MIGRATE_HIGHATOMIC) {
            return false;
        }
        if (order < BuddyAllocator.PAGEBLOCK_ORDER && mt == BuddyAllocator.MIGRATE_MOVABLE && cc.migratetype != mt) {
            return false;
        }
        if (mt != cc.migratetype && tracer.on(EventType.MM_PAGE_ALLOC_EXTFRAG)) {
            tracer.emit(buddy.cpu(), new KmemEvent.MmPageAllocExtfrag(pfn, cc.order, order, cc.migratetype, mt, false));
        }
        cc.capturedPfn = pfn;
        return true;
    }

    boolean capturing() {
        return capture != null;
    }

    // =============================================================================================
    // Direct compaction
    // =============================================================================================

    /** try_to_compact_pages(): every zone of the zonelist; returns {result, captured pfn}. */
    private int[] tryToCompactPages(
            int gfp, int order, int allocFlags, int highestZoneIdx, int prio, StringBuilder report) {
        if (tracer.on(EventType.MM_COMPACTION_TRY_TO_COMPACT_PAGES)) {
            tracer.emit(buddy.cpu(), new KmemEvent.CompactionTryToCompactPages(order, gfp, prio));
        }
        int rc = COMPACT_SKIPPED;
        int captured = NIL;
        for (int zi : buddy.zonelist()) {
            if (zi > highestZoneIdx) {
                continue;
            }
            Zone z = buddy.zoneAt(zi);
            if (!z.populated()) {
                continue;
            }
            if (prio > MIN_COMPACT_PRIORITY && compactionDeferred(z, order)) {
                rc = Math.max(rc, COMPACT_DEFERRED);
                report.append(report.length() == 0 ? " " : "; ")
                        .append(z.type.procName())
                        .append(": deferred (")
                        .append(state[zi].considered)
                        .append(" of ")
                        .append(1 << state[zi].deferShift)
                        .append(" attempts skipped)");
                continue;
            }
            CompactControl cc = new CompactControl();
            cc.zone = z;
            cc.order = order;
            cc.gfp = gfp;
            cc.mode = prio == COMPACT_PRIO_ASYNC ? MIGRATE_ASYNC : MIGRATE_SYNC_LIGHT;
            cc.allocFlags = allocFlags;
            cc.highestZoneIdx = highestZoneIdx;
            cc.direct = true;
            cc.wholeZone = prio == COMPACT_PRIO_SYNC_FULL;
            cc.ignoreSkipHint = prio == COMPACT_PRIO_SYNC_FULL;
            cc.ignoreBlockSuitable = prio == COMPACT_PRIO_SYNC_FULL;
            cc.migratetype = Gfp.gfpMigratetype(gfp);
            capture = cc;
            int status;
            try {
                status = compactZone(cc);
            } finally {
                capture = null;
            }
            if (cc.capturedPfn != NIL) {
                status = COMPACT_SUCCESS;
                captured = cc.capturedPfn;
            }
            report.append(report.length() == 0 ? " " : "; ")
                    .append(z.type.procName())
                    .append(": ")
                    .append(KmemEvent.COMPACT_STATUS[status]);
            if (status != COMPACT_SKIPPED && status != COMPACT_NOT_SUITABLE_ZONE && status != COMPACT_SUCCESS
                    || cc.migrated > 0
                    || cc.failed > 0) {
                report.append(" (")
                        .append(cc.migrated)
                        .append(" pages migrated, ")
                        .append(cc.failed)
                        .append(" failed, ")
                        .append(cc.totalMigrateScanned)
                        .append(" scanned");
                if (cc.nrUnmovable > 0) {
                    report.append(", ").append(cc.nrUnmovable).append(" unmovable or pinned pages in the way");
                }
                report.append(')');
            }
            if (status == COMPACT_SKIPPED) {
                int fragindex = fragmentationIndex(z, order);
                report.append(
                        fragindex >= 0
                                        && fragindex <= extfragThreshold
                                        && order > BuddyAllocator.PAGE_ALLOC_COSTLY_ORDER
                                ? " (fragmentation index " + fragindex + " <= extfrag_threshold " + extfragThreshold
                                        + ": lack of memory, not fragmentation)"
                                : " (too few free pages above the watermark)");
            }
            rc = Math.max(rc, status);
            if (status == COMPACT_SUCCESS) {
                deferReset(z, order, false);
                break;
            }
            if (prio != COMPACT_PRIO_ASYNC && (status == COMPACT_COMPLETE || status == COMPACT_PARTIAL_SKIPPED)) {
                deferCompaction(z, order);
            }
        }
        return new int[] {rc, captured};
    }

    /**
     * __alloc_pages_direct_compact(): compact, then take the captured page or retry the free
     * lists. Counts compact_stall / compact_success / compact_fail.
     */
    int directCompact(
            int cpu, int gfp, int order, int allocFlags, int highestZoneIdx, int preferred, int mt, int prio) {
        if (order == 0) {
            return NIL;
        }
        StringBuilder report = new StringBuilder();
        int[] r = tryToCompactPages(gfp, order, allocFlags, highestZoneIdx, prio, report);
        String prioName =
                prio == COMPACT_PRIO_ASYNC ? "async" : prio == COMPACT_PRIO_SYNC_LIGHT ? "sync_light" : "sync_full";
        String line = "compaction (" + prioName + "):" + report;
        lastDirectReport = lastDirectReport == null ? line : lastDirectReport + "\n" + line;
        if (r[0] == COMPACT_SKIPPED) {
            return NIL;
        }
        events[COMPACTSTALL]++;
        int pfn;
        if (r[1] != NIL) {
            pfn = r[1];
            buddy.prepCapturedPage(pfn, order, gfp, mt);
        } else {
            pfn = buddy.freelistAfterCompaction(cpu, gfp, order, allocFlags, highestZoneIdx, preferred, mt);
        }
        if (pfn != NIL) {
            Zone z = buddy.zoneAt(frames.zone(pfn));
            state[z.idx].blockskipFlush = false;
            deferReset(z, order, true);
            events[COMPACTSUCCESS]++;
            return pfn;
        }
        events[COMPACTFAIL]++;
        return NIL;
    }

    // =============================================================================================
    // compact_memory, kcompactd, proactive compaction
    // =============================================================================================

    /** compact_node(pgdat, proactive): order -1 over every populated zone, skip hints ignored. */
    void compactNode(boolean proactive) {
        for (int zi = 0; zi < ZoneType.COUNT; zi++) {
            Zone z = buddy.zoneAt(zi);
            if (!z.populated()) {
                continue;
            }
            if (proactive && extfragForOrder(z, COMPACTION_HPAGE_ORDER) <= 100 - proactiveness) {
                continue;
            }
            CompactControl cc = new CompactControl();
            cc.zone = z;
            cc.order = -1;
            cc.gfp = Gfp.GFP_KERNEL;
            cc.mode = proactive ? MIGRATE_SYNC_LIGHT : MIGRATE_SYNC;
            cc.highestZoneIdx = ZoneType.COUNT - 1;
            cc.wholeZone = true;
            cc.ignoreSkipHint = true;
            cc.proactive = proactive;
            compactZone(cc);
            if (proactive) {
                events[KCOMPACTD_MIGRATE_SCANNED] += cc.totalMigrateScanned;
                events[KCOMPACTD_FREE_SCANNED] += cc.totalFreeScanned;
            }
        }
    }

    /** /proc/sys/vm/compact_memory: only 1 is accepted. */
    public String compactMemory(int value) {
        if (value != 1) {
            return "EINVAL";
        }
        compactNode(false);
        return null;
    }

    /** fragmentation_score_node(). */
    int fragmentationScoreNode() {
        long present = 0;
        for (int zi = 0; zi < ZoneType.COUNT; zi++) {
            present += buddy.zoneAt(zi).present;
        }
        long score = 0;
        for (int zi = 0; zi < ZoneType.COUNT; zi++) {
            Zone z = buddy.zoneAt(zi);
            if (z.populated()) {
                score += z.present * extfragForOrder(z, COMPACTION_HPAGE_ORDER) / (present + 1);
            }
        }
        return (int) score;
    }

    private int wmarkHigh() {
        int low = 100 - proactiveness;
        int leeway = Math.min(10, low / 2);
        return Math.min(low + leeway, 100);
    }

    /** should_proactive_compact_node() (kswapd never runs in the model). */
    boolean shouldProactiveCompactNode() {
        return proactiveness != 0 && fragmentationScoreNode() > wmarkHigh();
    }

    /**
     * kswapd_try_to_sleep() as the model runs it (kswapd never reclaims, so it is done at once):
     * reset_isolation_suitable() for zones whose direct compactor's scanners met, then
     * wakeup_kcompactd() with the order it was woken for.
     */
    void kswapdSleep(int order, int highestZoneIdx) {
        for (int zi = 0; zi < ZoneType.COUNT; zi++) {
            Zone z = buddy.zoneAt(zi);
            if (z.populated() && state[zi].blockskipFlush) {
                resetIsolationSuitable(z);
            }
        }
        wakeupKcompactd(order, highestZoneIdx);
    }

    /** wakeup_kcompactd(). */
    void wakeupKcompactd(int order, int highestZoneIdx) {
        if (order == 0) {
            return;
        }
        if (kcompactdMaxOrder < order) {
            kcompactdMaxOrder = order;
        }
        if (kcompactdHighestZoneidx > highestZoneIdx) {
            kcompactdHighestZoneidx = highestZoneIdx;
        }
        if (kcompactdWoken || !kcompactdNodeSuitable()) {
            return;
        }
        if (tracer.on(EventType.MM_COMPACTION_WAKEUP_KCOMPACTD)) {
            tracer.emit(
                    buddy.cpu(),
                    new KmemEvent.CompactionKcompactdWake(
                            EventType.MM_COMPACTION_WAKEUP_KCOMPACTD, 0, order, ZoneType.of(highestZoneIdx)));
        }
        kcompactdWoken = true;
    }

    private boolean kcompactdNodeSuitable() {
        for (int zi = 0; zi <= kcompactdHighestZoneidx; zi++) {
            Zone z = buddy.zoneAt(zi);
            if (z.populated()
                    && suitAllocationOrder(
                                    z, kcompactdMaxOrder, kcompactdHighestZoneidx, BuddyAllocator.ALLOC_WMARK_MIN)
                            == COMPACT_CONTINUE) {
                return true;
            }
        }
        return false;
    }

    /** kcompactd_do_work(). */
    private void kcompactdDoWork() {
        events[KCOMPACTD_WAKE]++;
        if (tracer.on(EventType.MM_COMPACTION_KCOMPACTD_WAKE)) {
            tracer.emit(
                    buddy.cpu(),
                    new KmemEvent.CompactionKcompactdWake(
                            EventType.MM_COMPACTION_KCOMPACTD_WAKE,
                            0,
                            kcompactdMaxOrder,
                            ZoneType.of(kcompactdHighestZoneidx)));
        }
        for (int zi = 0; zi <= kcompactdHighestZoneidx; zi++) {
            Zone z = buddy.zoneAt(zi);
            if (!z.populated() || compactionDeferred(z, kcompactdMaxOrder)) {
                continue;
            }
            if (suitAllocationOrder(z, kcompactdMaxOrder, kcompactdHighestZoneidx, BuddyAllocator.ALLOC_WMARK_MIN)
                    != COMPACT_CONTINUE) {
                continue;
            }
            CompactControl cc = new CompactControl();
            cc.zone = z;
            cc.order = kcompactdMaxOrder;
            cc.gfp = Gfp.GFP_KERNEL;
            cc.mode = MIGRATE_SYNC_LIGHT;
            cc.highestZoneIdx = kcompactdHighestZoneidx;
            cc.allocFlags = BuddyAllocator.ALLOC_WMARK_MIN;
            int status = compactZone(cc);
            if (status == COMPACT_SUCCESS) {
                deferReset(z, cc.order, false);
            } else if (status == COMPACT_PARTIAL_SKIPPED || status == COMPACT_COMPLETE) {
                buddy.drainAll();
                deferCompaction(z, cc.order);
            }
            events[KCOMPACTD_MIGRATE_SCANNED] += cc.totalMigrateScanned;
            events[KCOMPACTD_FREE_SCANNED] += cc.totalFreeScanned;
        }
        kcompactdMaxOrder = 0;
        kcompactdHighestZoneidx = ZoneType.COUNT - 1;
    }

    /**
     * Runs kcompactd() up to virtual time {@code now}: work it was woken for, and at every timeout
     * (500 ms, or 32 s after a proactive pass that did not lower the score) proactive compaction.
     */
    public void kcompactdRun(long now) {
        if (kcompactdNextWake < 0) {
            kcompactdNextWake = now + kcompactdTimeout;
        }
        if (kcompactdWoken) {
            kcompactdWoken = false;
            kcompactdDoWork();
        }
        while (proactiveness != 0 && (proactiveTrigger || now >= kcompactdNextWake)) {
            boolean trigger = proactiveTrigger;
            proactiveTrigger = false;
            long wake = trigger ? now : kcompactdNextWake;
            kcompactdTimeout = HPAGE_FRAG_CHECK_INTERVAL_NANOS;
            if (shouldProactiveCompactNode()) {
                int before = fragmentationScoreNode();
                compactNode(true);
                if (fragmentationScoreNode() >= before) {
                    kcompactdTimeout = HPAGE_FRAG_CHECK_INTERVAL_NANOS << COMPACT_MAX_DEFER_SHIFT;
                }
            }
            kcompactdNextWake = wake + kcompactdTimeout;
            if (tracer.on(EventType.MM_COMPACTION_KCOMPACTD_SLEEP)) {
                tracer.emit(buddy.cpu(), new KmemEvent.CompactionKcompactdSleep(0));
            }
        }
    }

    /** The next proactive check, in virtual nanoseconds (-1 before the first run). */
    long kcompactdNextWake() {
        return kcompactdNextWake;
    }
}
