package io.kmemlab.buddy;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Cpus;
import io.kmemlab.mm.Dmesg;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.PageDump;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PfnList;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.ZoneMetric;
import io.kmemlab.mm.page.ZonedPageAllocator;
import io.kmemlab.mm.page.ZonedPageAllocatorMetric;
import io.kmemlab.mm.trace.EventType;
import io.kmemlab.mm.trace.KmemEvent;
import io.kmemlab.mm.trace.Tracer;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux 6.18 zoned buddy page allocator ({@code mm/page_alloc.c}) of one node: zones with
 * free areas per order and migrate type, pageblock migrate types with fallback (claim and steal),
 * watermarks and lowmem reserves, and per-CPU page lists. See {@code package-info.java} for the
 * essay, the invariants and the lock order.
 */
public final class BuddyAllocator implements ZonedPageAllocator, ZonedPageAllocatorMetric {
    private static final Logger LOG = LoggerFactory.getLogger(BuddyAllocator.class);

    public static final int PAGEBLOCK_ORDER = 9;
    public static final int PAGEBLOCK_NR_PAGES = 1 << PAGEBLOCK_ORDER;
    public static final int PAGE_ALLOC_COSTLY_ORDER = 3;
    public static final int HPAGE_PMD_ORDER = 9;

    public static final int MIGRATE_UNMOVABLE = 0;
    public static final int MIGRATE_MOVABLE = 1;
    public static final int MIGRATE_RECLAIMABLE = 2;
    public static final int MIGRATE_PCPTYPES = 3;
    public static final int MIGRATE_HIGHATOMIC = 3;
    public static final int MIGRATE_ISOLATE = 4;
    public static final int MIGRATE_TYPES = 5;

    public static final int WMARK_MIN = 0;
    public static final int WMARK_LOW = 1;
    public static final int WMARK_HIGH = 2;
    public static final int WMARK_PROMO = 3;
    public static final int NR_WMARK = 4;

    // ALLOC_* (mm/internal.h)
    static final int ALLOC_WMARK_MIN = WMARK_MIN;
    static final int ALLOC_WMARK_LOW = WMARK_LOW;
    static final int ALLOC_WMARK_HIGH = WMARK_HIGH;
    static final int ALLOC_NO_WATERMARKS = 0x04;
    static final int ALLOC_WMARK_MASK = ALLOC_NO_WATERMARKS - 1;
    static final int ALLOC_OOM = 0x08;
    static final int ALLOC_NON_BLOCK = 0x10;
    static final int ALLOC_MIN_RESERVE = 0x20;
    static final int ALLOC_CPUSET = 0x40;
    static final int ALLOC_CMA = 0x80;
    static final int ALLOC_NOFRAGMENT = 0x100;
    static final int ALLOC_HIGHATOMIC = 0x200;
    static final int ALLOC_TRYLOCK = 0x400;
    static final int ALLOC_KSWAPD = 0x800;
    static final int ALLOC_RESERVES = ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM;

    /** FPI_TO_TAIL: queue the freed block at the tail (boot frees, onlining). */
    static final int FPI_NONE = 0;

    static final int FPI_TO_TAIL = 1 << 1;

    static final int BOOT_PAGESET_HIGH = 0;
    static final int BOOT_PAGESET_BATCH = 1;
    /** CONFIG_PCP_BATCH_SCALE_MAX. */
    static final int PCP_BATCH_SCALE_MAX = 5;

    static final int MIN_PERCPU_PAGELIST_HIGH_FRACTION = 8;
    static final int NR_LOWORDER_PCP_LISTS = MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1);

    /** fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] (6.18). */
    private static final int[][] FALLBACKS = {
        {MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE},
        {MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE},
        {MIGRATE_UNMOVABLE, MIGRATE_MOVABLE},
    };

    // Pageblock flags byte: PB_migrate bits 0..2, PB_migrate_isolate 3, PB_compact_skip 4.
    private static final int PB_MIGRATE_MASK = 0x7;
    private static final int PB_MIGRATE_ISOLATE = 0x8;
    private static final int PB_COMPACT_SKIP = 0x10;

    // rmqueue_mode
    private static final int RMQUEUE_NORMAL = 0;
    private static final int RMQUEUE_CLAIM = 2;
    private static final int RMQUEUE_STEAL = 3;

    private final Machine machine;
    /** machine.cpus(), kept: the fast paths use it on every call. */
    private final Cpus cpus;

    private final BuddyConfig config;
    private final PageFrames frames;
    private final Tracer tracer;
    private final Dmesg dmesg;
    private final int nrCpus;
    private final int nrPcpLists;
    private final boolean thp;
    private final Zone[] zones = new Zone[ZoneType.COUNT];
    /** One byte per pageblock of the machine (pageblock_flags). */
    private final byte[] pageblocks;

    private final SplittableRandom shuffleRandom;

    /** The node's zonelist: populated zone indexes from the highest type down. */
    private int[] zonelist = new int[0];
    /** zones[zonelist[0]], the zone the per-CPU fast path tries; null until the zonelist is built. */
    private Zone fastZone;
    /** alloc_flags_nofragment()'s ALLOC_NOFRAGMENT for {@link #fastZone}. */
    private int fastNofragment;

    private boolean mobilityDisabled;
    private boolean managedReset;
    private int minFreeKbytes = 1024;
    private int userMinFreeKbytes = -1;
    private int watermarkScaleFactor;
    private final int[] lowmemReserveRatio;
    private int percpuPagelistHighFraction;
    private long totalreservePages;
    private long totalramPages;
    private long pgfree;
    private long allocFailures;
    /** The rmqueue_mode shared by one rmqueue_bulk() loop (the kernel passes it by pointer). */
    private int rmqueueMode;

    private final Compaction compaction;

    public BuddyAllocator(Machine machine, BuddyConfig config) {
        this.machine = machine;
        this.cpus = machine.cpus();
        this.config = config;
        this.frames = machine.frames();
        this.tracer = machine.tracer();
        this.dmesg = machine.dmesg();
        this.nrCpus = cpus.nrCpus();
        this.thp = config.transparentHugepage();
        this.nrPcpLists = NR_LOWORDER_PCP_LISTS + (thp ? 2 : 0);
        this.pageblocks = new byte[(int) (((long) machine.nrFrames() + PAGEBLOCK_NR_PAGES - 1) >>> PAGEBLOCK_ORDER)];
        this.shuffleRandom = machine.random().split();
        this.watermarkScaleFactor = config.watermarkScaleFactor();
        this.lowmemReserveRatio = config.lowmemReserveRatio();
        this.percpuPagelistHighFraction = config.percpuPagelistHighFraction();
        for (ZoneType t : ZoneType.values()) {
            zones[t.ordinal()] = new Zone(t, frames, pageblocks, nrCpus, nrPcpLists);
        }
        this.compaction = new Compaction(this, machine);
    }

    /** Memory compaction of this allocator's zones (mm/compaction.c). */
    @Override
    public Compaction compaction() {
        return compaction;
    }

    @Override
    public void addMovableOwner(io.kmemlab.mm.page.MovableOwner owner) {
        compaction.addOwner(owner);
    }

    /** kcompactd up to the new virtual time. */
    @Override
    public void timerTick(long nowNanos) {
        compaction.kcompactdRun(nowNanos);
    }

    public BuddyConfig config() {
        return config;
    }

    public Machine machine() {
        return machine;
    }

    // =============================================================================================
    // Boot hand-over (free_area_init, build_all_zonelists, memblock_free_all, initcalls)
    // =============================================================================================

    @Override
    public void initZone(ZoneType type, int startPfn, int endPfn, long presentPages) {
        if (startPfn < 0
                || endPfn > frames.nrFrames()
                || startPfn > endPfn
                || presentPages < 0
                || presentPages > (long) endPfn - startPfn) {
            throw new IllegalArgumentException(
                    "bad zone range " + type + " [" + startPfn + ", " + endPfn + ") present " + presentPages);
        }
        Zone z = zones[type.ordinal()];
        z.startPfn = startPfn;
        z.endPfn = endPfn;
        z.present = presentPages;
        z.managed = presentPages;
        int idx = type.ordinal();
        machine.locks().register(z.lock, "rmqueue_bulk", () -> z.nrFreePages);
        for (PerCpuPages p : z.pcp) {
            machine.locks().register(p.lock, "rmqueue_pcplist", () -> p.count);
        }
        // as memmap_init_range(): every page reserved, every aligned pageblock MOVABLE
        for (int pfn = startPfn; pfn < endPfn; pfn++) {
            frames.setZone(pfn, idx);
            frames.set(pfn, PageFrames.PG_RESERVED);
        }
        for (int pfn = (startPfn + PAGEBLOCK_NR_PAGES - 1) & -PAGEBLOCK_NR_PAGES;
                pfn < endPfn;
                pfn += PAGEBLOCK_NR_PAGES) {
            pageblocks[pfn >>> PAGEBLOCK_ORDER] = MIGRATE_MOVABLE;
        }
        compaction.initZone(z);
    }

    @Override
    public long buildZonelists() {
        // build_zonerefs_node(): populated zones from the highest type down
        int n = 0;
        int[] list = new int[ZoneType.COUNT];
        for (int i = ZoneType.COUNT - 1; i >= 0; i--) {
            if (zones[i].populated()) {
                list[n++] = i;
            }
        }
        zonelist = java.util.Arrays.copyOf(list, n);
        fastZone = n == 0 ? null : zones[list[0]];
        fastNofragment = n == 0 ? 0 : allocFlagsNofragment(list[0], 0);
        long total = nrFreeZonePages(Gfp.gfpZone(Gfp.GFP_HIGHUSER_MOVABLE));
        mobilityDisabled = total < (long) PAGEBLOCK_NR_PAGES * MIGRATE_TYPES;
        return total;
    }

    /** nr_free_zone_pages(): Σ managed − high over the zonelist up to {@code highestZoneIdx}. */
    private long nrFreeZonePages(int highestZoneIdx) {
        long sum = 0;
        for (int i : zonelist) {
            if (i > highestZoneIdx) {
                continue;
            }
            Zone z = zones[i];
            long high = z.watermark(WMARK_HIGH);
            if (z.managed > high) {
                sum += z.managed - high;
            }
        }
        return sum;
    }

    /** nr_free_buffer_pages(): the zones GFP_USER may use. */
    private long nrFreeBufferPages() {
        return nrFreeZonePages(Gfp.gfpZone(Gfp.GFP_USER));
    }

    @Override
    public void freeBootChunk(int pfn, int order) {
        if (order < 0
                || order > MAX_PAGE_ORDER
                || (pfn & ((1 << order) - 1)) != 0
                || pfn < 0
                || (long) pfn + (1L << order) > frames.nrFrames()) {
            throw new IllegalArgumentException("bad boot chunk pfn " + pfn + " order " + order);
        }
        if (!managedReset) {
            // reset_all_zones_managed_pages()
            for (Zone z : zones) {
                z.managed = 0;
            }
            managedReset = true;
        }
        Zone z = zones[frames.zone(pfn)];
        int nr = 1 << order;
        if (!z.contains(pfn) || !z.contains(pfn + nr - 1)) {
            throw new IllegalArgumentException("boot chunk crosses a zone: pfn " + pfn + " order " + order);
        }
        // __free_pages_core(): clear PageReserved, refcount 0 on every page
        for (int p = pfn; p < pfn + nr; p++) {
            if (!frames.test(p, PageFrames.PG_RESERVED)) {
                throw new IllegalArgumentException("boot chunk page not reserved: pfn " + p);
            }
            frames.clear(p, PageFrames.PG_RESERVED);
        }
        z.managed += nr;
        totalramPages += nr;
        freePagesOk(0, z, pfn, order, FPI_TO_TAIL);
    }

    @Override
    public void freeReservedPage(int pfn) {
        if (!frames.valid(pfn) || !frames.test(pfn, PageFrames.PG_RESERVED) || !zones[frames.zone(pfn)].contains(pfn)) {
            dmesg.report(
                    ReportKind.WARN,
                    "WARNING: free_reserved_page: pfn:" + hex5(pfn) + " is not a reserved page of a zone");
            return;
        }
        // free_reserved_page(): ClearPageReserved, init_page_count, __free_page
        frames.clear(pfn, PageFrames.PG_RESERVED);
        Zone z = zones[frames.zone(pfn)];
        z.managed++;
        totalramPages++;
        setupPerZoneLowmemReserve();
        freeFrozenPages(0, z, pfn, 0);
    }

    @Override
    public void initWatermarks(int userMinFreeKbytes) {
        // init_per_zone_wmark_min()
        if (userMinFreeKbytes >= 0) {
            this.userMinFreeKbytes = userMinFreeKbytes;
            this.minFreeKbytes = userMinFreeKbytes;
        }
        calculateMinFreeKbytes();
        setupPerZoneWmarks();
        setupPerZoneLowmemReserve();
        if (thp) {
            setRecommendedMinFreeKbytes();
        }
    }

    /** calculate_min_free_kbytes(). */
    private void calculateMinFreeKbytes() {
        long lowmemKbytes = nrFreeBufferPages() * (Addr.PAGE_SIZE >> 10);
        long newMin = intSqrt(lowmemKbytes * 16);
        if (newMin > userMinFreeKbytes) {
            minFreeKbytes = (int) Math.max(128, Math.min(newMin, 262144));
        } else {
            dmesg.warn("min_free_kbytes is not updated to " + newMin + " because user defined value "
                    + userMinFreeKbytes + " is preferred");
        }
    }

    /** set_recommended_min_free_kbytes() (mm/khugepaged.c). */
    private void setRecommendedMinFreeKbytes() {
        int nrZones = 0;
        int userZone = Gfp.gfpZone(Gfp.GFP_USER);
        for (Zone z : zones) {
            if (z.populated() && z.idx <= userZone) {
                nrZones++;
            }
        }
        long rec = (long) PAGEBLOCK_NR_PAGES * nrZones * 2;
        rec += (long) PAGEBLOCK_NR_PAGES * nrZones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
        rec = Math.min(rec, nrFreeBufferPages() / 20);
        rec <<= Addr.PAGE_SHIFT - 10;
        if (rec > minFreeKbytes) {
            if (userMinFreeKbytes >= 0) {
                dmesg.info("raising min_free_kbytes from " + minFreeKbytes + " to " + rec
                        + " to help transparent hugepage allocations");
            }
            minFreeKbytes = (int) rec;
        }
        setupPerZoneWmarks();
    }

    /** int_sqrt(): floor of the square root. */
    static long intSqrt(long x) {
        if (x <= 0) {
            return 0;
        }
        long r = (long) Math.sqrt((double) x);
        while (r * r > x) {
            r--;
        }
        while ((r + 1) * (r + 1) <= x) {
            r++;
        }
        return r;
    }

    /** setup_per_zone_wmarks(): __setup_per_zone_wmarks() then the pcp high/batch of each zone. */
    private void setupPerZoneWmarks() {
        long pagesMin = minFreeKbytes >> (Addr.PAGE_SHIFT - 10);
        long lowmemPages = 0;
        for (Zone z : zones) {
            if (z.type != ZoneType.MOVABLE) {
                lowmemPages += z.managed;
            }
        }
        for (Zone z : zones) {
            z.lock.lock();
            long tmp = lowmemPages == 0 ? 0 : pagesMin * z.managed / lowmemPages;
            long min;
            if (z.type == ZoneType.MOVABLE) {
                min = Math.max(32, Math.min(z.managed / 1024, 128));
            } else {
                min = tmp;
            }
            long delta = Math.max(tmp >> 2, z.managed * watermarkScaleFactor / 10000);
            z.watermarkBoost = 0;
            z.watermark[WMARK_MIN] = min;
            z.watermark[WMARK_LOW] = min + delta;
            z.watermark[WMARK_HIGH] = min + 2 * delta;
            z.watermark[WMARK_PROMO] = min + 3 * delta;
            z.lock.unlock();
            if (tracer.on(EventType.MM_SETUP_PER_ZONE_WMARKS)) {
                tracer.emit(
                        currentCpu,
                        new KmemEvent.MmSetupPerZoneWmarks(
                                0,
                                z.type.procName(),
                                z.watermark[WMARK_MIN],
                                z.watermark[WMARK_LOW],
                                z.watermark[WMARK_HIGH],
                                z.watermark[WMARK_PROMO]));
            }
        }
        calculateTotalreservePages();
        for (Zone z : zones) {
            zonePcpUpdate(z);
        }
    }

    /** setup_per_zone_lowmem_reserve(). */
    private void setupPerZoneLowmemReserve() {
        for (int i = 0; i < ZoneType.COUNT - 1; i++) {
            Zone z = zones[i];
            int ratio = lowmemReserveRatio[i];
            boolean clear = ratio == 0 || z.managed == 0;
            long managedPages = 0;
            for (int j = i + 1; j < ZoneType.COUNT; j++) {
                managedPages += zones[j].managed;
                z.lowmemReserve[j] = clear ? 0 : managedPages / ratio;
                if (tracer.on(EventType.MM_SETUP_PER_ZONE_LOWMEM_RESERVE)) {
                    tracer.emit(
                            currentCpu,
                            new KmemEvent.MmSetupPerZoneLowmemReserve(
                                    0, z.type.procName(), zones[j].type.procName(), z.lowmemReserve[j]));
                }
            }
        }
        calculateTotalreservePages();
    }

    /** calculate_totalreserve_pages(). */
    private void calculateTotalreservePages() {
        long total = 0;
        for (Zone z : zones) {
            long max = 0;
            for (int j = z.idx; j < ZoneType.COUNT; j++) {
                max = Math.max(max, z.lowmemReserve[j]);
            }
            max += z.watermark(WMARK_HIGH);
            if (max > z.managed) {
                max = z.managed;
            }
            total += max;
        }
        totalreservePages = total;
        if (tracer.on(EventType.MM_CALCULATE_TOTALRESERVE_PAGES)) {
            tracer.emit(currentCpu, new KmemEvent.MmCalculateTotalreservePages(total));
        }
    }

    /** zone_batchsize(). */
    static int zoneBatchsize(long managed) {
        long batch = Math.min(managed >> 10, (1 << 20) / Addr.PAGE_SIZE);
        batch /= 4;
        if (batch < 1) {
            batch = 1;
        }
        batch = Long.highestOneBit(batch + batch / 2) - 1;
        return (int) batch;
    }

    /** zone_highsize(). */
    private int zoneHighsize(Zone z, int batch, int highFraction) {
        long total = highFraction == 0 ? z.watermark(WMARK_LOW) : z.managed / highFraction;
        int nrSplitCpus = nrCpus;
        long high = total / nrSplitCpus;
        return (int) Math.max(high, (long) batch << 2);
    }

    /** zone_pcp_update() → zone_set_pageset_high_and_batch(zone, 0). */
    private void zonePcpUpdate(Zone z) {
        int batch = Math.max(1, zoneBatchsize(z.managed));
        int highMin;
        int highMax;
        if (percpuPagelistHighFraction != 0) {
            highMin = zoneHighsize(z, batch, percpuPagelistHighFraction);
            highMax = highMin;
        } else {
            highMin = zoneHighsize(z, batch, 0);
            highMax = zoneHighsize(z, batch, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
        }
        if (z.pagesetHighMin == highMin && z.pagesetHighMax == highMax && z.pagesetBatch == batch) {
            return;
        }
        z.pagesetHighMin = highMin;
        z.pagesetHighMax = highMax;
        z.pagesetBatch = batch;
        for (PerCpuPages p : z.pcp) {
            p.lock();
            p.batch = batch;
            p.highMin = highMin;
            p.highMax = highMax;
            p.unlock();
        }
    }

    // =============================================================================================
    // Pageblocks
    // =============================================================================================

    static int pageblockMigratetype(byte[] pageblocks, int pfn) {
        int b = pageblocks[pfn >>> PAGEBLOCK_ORDER];
        return (b & PB_MIGRATE_ISOLATE) != 0 ? MIGRATE_ISOLATE : b & PB_MIGRATE_MASK;
    }

    /** get_pfnblock_migratetype(). */
    int pageblockMt(int pfn) {
        return pageblockMigratetype(pageblocks, pfn);
    }

    /** set_pageblock_migratetype(): keeps the isolate bit. */
    private void setPageblockMt(int pfn, int mt) {
        int type = mt;
        if (mobilityDisabled && type < MIGRATE_PCPTYPES) {
            type = MIGRATE_UNMOVABLE;
        }
        int i = pfn >>> PAGEBLOCK_ORDER;
        if (type == MIGRATE_ISOLATE) {
            pageblocks[i] |= PB_MIGRATE_ISOLATE;
        } else {
            pageblocks[i] = (byte) ((pageblocks[i] & ~PB_MIGRATE_MASK) | type);
        }
    }

    /** change_pageblock_range(). */
    private void changePageblockRange(int pfn, int order, int mt) {
        int nr = 1 << Math.max(0, order - PAGEBLOCK_ORDER);
        for (int i = 0; i < nr; i++) {
            setPageblockMt(pfn + i * PAGEBLOCK_NR_PAGES, mt);
        }
    }

    /** get_pageblock_skip(). */
    boolean pageblockSkip(int pfn) {
        return (pageblocks[pfn >>> PAGEBLOCK_ORDER] & PB_COMPACT_SKIP) != 0;
    }

    /** set_pageblock_skip() / clear_pageblock_skip(). */
    void setPageblockSkip(int pfn, boolean skip) {
        int i = pfn >>> PAGEBLOCK_ORDER;
        pageblocks[i] = (byte) (skip ? pageblocks[i] | PB_COMPACT_SKIP : pageblocks[i] & ~PB_COMPACT_SKIP);
    }

    private static boolean isMergeable(int mt) {
        return mt < MIGRATE_PCPTYPES;
    }

    // =============================================================================================
    // Free lists (caller holds zone->lock)
    // =============================================================================================

    /** account_freepages(). */
    private static void accountFreepages(Zone z, long nrPages, int mt) {
        if (mt == MIGRATE_ISOLATE) {
            return;
        }
        z.nrFreePages += nrPages;
        if (mt == MIGRATE_HIGHATOMIC) {
            z.nrFreeHighatomic += nrPages;
        }
    }

    /** set_buddy_order() + __add_to_free_list(). */
    private void addToFreeList(Zone z, int pfn, int order, int mt, boolean tail) {
        frames.set(pfn, PageFrames.PG_BUDDY);
        frames.setOrder(pfn, order);
        PfnList list = z.list(order, mt);
        if (tail) {
            list.addTail(pfn);
        } else {
            list.addHead(pfn);
        }
        z.nrFree[order]++;
        if (order >= PAGEBLOCK_ORDER && mt != MIGRATE_ISOLATE) {
            z.nrFreePagesBlocks += 1L << order;
        }
    }

    /** __del_page_from_free_list(). */
    private void delFromFreeList(Zone z, int pfn, int order, int mt) {
        z.list(order, mt).remove(pfn);
        frames.clear(pfn, PageFrames.PG_BUDDY);
        frames.setOrder(pfn, 0);
        z.nrFree[order]--;
        if (order >= PAGEBLOCK_ORDER && mt != MIGRATE_ISOLATE) {
            z.nrFreePagesBlocks -= 1L << order;
        }
    }

    /** move_to_free_list(): to the tail of the new type's list, moving the accounting. */
    private void moveToFreeList(Zone z, int pfn, int order, int oldMt, int newMt) {
        z.list(order, oldMt).remove(pfn);
        z.list(order, newMt).addTail(pfn);
        accountFreepages(z, -(1L << order), oldMt);
        accountFreepages(z, 1L << order, newMt);
        if (order >= PAGEBLOCK_ORDER && (oldMt == MIGRATE_ISOLATE) != (newMt == MIGRATE_ISOLATE)) {
            z.nrFreePagesBlocks += oldMt == MIGRATE_ISOLATE ? 1L << order : -(1L << order);
        }
    }

    /** page_is_buddy() for the buddy at {@code buddy} of a block at order {@code order}. */
    private boolean pageIsBuddy(int pfn, int buddy, int order) {
        if (buddy < 0 || buddy >= frames.nrFrames()) {
            return false;
        }
        return frames.test(buddy, PageFrames.PG_BUDDY)
                && frames.order(buddy) == order
                && frames.zone(buddy) == frames.zone(pfn);
    }

    /** __free_one_page(): merge with free buddies, then queue at head or tail. */
    private void freeOneBlock(Zone z, int pfnIn, int orderIn, int mt, int fpiFlags) {
        int pfn = pfnIn;
        int order = orderIn;
        int buddy = 0;
        accountFreepages(z, 1L << order, mt);
        while (order < MAX_PAGE_ORDER) {
            if (compaction.capturing() && compaction.capture(z, pfn, order, mt)) {
                accountFreepages(z, -(1L << order), mt);
                return;
            }
            buddy = pfn ^ (1 << order);
            if (!pageIsBuddy(pfn, buddy, order)) {
                break;
            }
            int buddyMt = mt;
            if (order >= PAGEBLOCK_ORDER) {
                // blocks without fallbacks (HIGHATOMIC, CMA, ISOLATE) never merge across types
                buddyMt = pageblockMt(buddy);
                if (mt != buddyMt && (!isMergeable(mt) || !isMergeable(buddyMt))) {
                    break;
                }
            }
            delFromFreeList(z, buddy, order, buddyMt);
            if (buddyMt != mt) {
                setPageblockMt(buddy, mt);
            }
            pfn &= buddy;
            order++;
        }
        boolean tail;
        if ((fpiFlags & FPI_TO_TAIL) != 0) {
            tail = true;
        } else if (config.shuffle() && order >= MAX_PAGE_ORDER) {
            // shuffle_pick_tail()
            tail = shuffleRandom.nextBoolean();
        } else {
            tail = buddyMergeLikely(pfn, buddy, order);
        }
        addToFreeList(z, pfn, order, mt, tail);
    }

    /** buddy_merge_likely(): is the enclosing order+1 block's own buddy already free? */
    private boolean buddyMergeLikely(int pfn, int buddyPfn, int order) {
        if (order >= MAX_PAGE_ORDER - 1) {
            return false;
        }
        int higher = buddyPfn & pfn;
        int higherBuddy = higher ^ (1 << (order + 1));
        return pageIsBuddy(higher, higherBuddy, order + 1);
    }

    /** split_large_buddy(): free pageblock-sized chunks, each with its own pageblock type. */
    private void splitLargeBuddy(Zone z, int pfn, int order, int fpiFlags) {
        int end = pfn + (1 << order);
        int chunk = Math.min(order, PAGEBLOCK_ORDER);
        int p = pfn;
        do {
            freeOneBlock(z, p, chunk, pageblockMt(p), fpiFlags);
            p += 1 << chunk;
        } while (p != end);
    }

    /** free_one_page(): zone lock, split_large_buddy, PGFREE. */
    private void freeOnePage(Zone z, int pfn, int order, int fpiFlags) {
        z.lock.lock("free_one_page");
        splitLargeBuddy(z, pfn, order, fpiFlags);
        z.lock.unlock();
        pgfree += 1L << order;
    }

    /** expand(): hand the upper halves back, keep the lowest part. */
    private int expand(Zone z, int pfn, int low, int high, int mt) {
        int nrAdded = 0;
        int size = 1 << high;
        while (high > low) {
            high--;
            size >>= 1;
            addToFreeList(z, pfn + size, high, mt, false);
            nrAdded += size;
        }
        return nrAdded;
    }

    /** page_del_and_expand(). */
    private void pageDelAndExpand(Zone z, int pfn, int low, int high, int mt) {
        int nrPages = 1 << high;
        delFromFreeList(z, pfn, high, mt);
        nrPages -= expand(z, pfn, low, high, mt);
        accountFreepages(z, -nrPages, mt);
    }

    private boolean pcpAllowedOrder(int order) {
        return order <= PAGE_ALLOC_COSTLY_ORDER || (thp && order == HPAGE_PMD_ORDER);
    }

    /** __rmqueue_smallest(). */
    private int rmqueueSmallest(Zone z, int order, int mt) {
        for (int current = order; current < NR_PAGE_ORDERS; current++) {
            int pfn = z.list(current, mt).first();
            if (pfn == PageFrames.NIL) {
                continue;
            }
            pageDelAndExpand(z, pfn, order, current, mt);
            if (tracer.on(EventType.MM_PAGE_ALLOC_ZONE_LOCKED)) {
                tracer.emit(
                        currentCpu,
                        new KmemEvent.MmPageAllocZoneLocked(
                                pfn, order, mt, pcpAllowedOrder(order) && mt < MIGRATE_PCPTYPES));
            }
            return pfn;
        }
        return PageFrames.NIL;
    }

    /** should_try_claim_block(). */
    private boolean shouldTryClaimBlock(int order, int startMt) {
        if (order >= PAGEBLOCK_ORDER) {
            return true;
        }
        if (order >= PAGEBLOCK_ORDER / 2) {
            return true;
        }
        if (startMt == MIGRATE_RECLAIMABLE || startMt == MIGRATE_UNMOVABLE) {
            return true;
        }
        return mobilityDisabled;
    }

    /** find_suitable_fallback(area, order, mt, true), as __compact_finished() asks it. */
    int findSuitableFallbackFor(Zone z, int order, int mt) {
        return findSuitableFallback(z, order, mt, true);
    }

    /** find_suitable_fallback(): -2 too small to claim, -1 nothing, else the fallback type. */
    private int findSuitableFallback(Zone z, int order, int mt, boolean claimable) {
        if (claimable && !shouldTryClaimBlock(order, mt)) {
            return -2;
        }
        if (z.nrFree[order] == 0) {
            return -1;
        }
        for (int fb : FALLBACKS[mt]) {
            if (!z.list(order, fb).isEmpty()) {
                return fb;
            }
        }
        return -1;
    }

    /** boost_watermark(). */
    private boolean boostWatermark(Zone z) {
        if (config.watermarkBoostFactor() == 0) {
            return false;
        }
        if ((long) PAGEBLOCK_NR_PAGES * 4 > z.managed) {
            return false;
        }
        long maxBoost = z.watermark[WMARK_HIGH] * config.watermarkBoostFactor() / 10000;
        if (maxBoost == 0) {
            return false;
        }
        maxBoost = Math.max(PAGEBLOCK_NR_PAGES, maxBoost);
        z.watermarkBoost = Math.min(z.watermarkBoost + PAGEBLOCK_NR_PAGES, maxBoost);
        return true;
    }

    /**
     * Movable in-use pages for prep_move_freepages_block(): the model counts an allocated block as
     * movable (PageLRU) when its allocation carried __GFP_MOVABLE, remembered in the head page's
     * migrate-type field.
     */
    private int allocatedMovablePages(int head) {
        return frames.pcpMigratetype(head) == MIGRATE_MOVABLE ? 1 << frames.order(head) : 0;
    }

    /** try_to_claim_block(). */
    private int tryToClaimBlock(
            Zone z, int pfn, int currentOrder, int order, int startMt, int blockMt, int allocFlags) {
        if (currentOrder >= PAGEBLOCK_ORDER) {
            delFromFreeList(z, pfn, currentOrder, blockMt);
            accountFreepages(z, -(1L << currentOrder), blockMt);
            changePageblockRange(pfn, currentOrder, startMt);
            int nrAdded = expand(z, pfn, order, currentOrder, startMt);
            accountFreepages(z, (1L << currentOrder) - (1L << order), startMt);
            assert nrAdded == (1 << currentOrder) - (1 << order);
            return pfn;
        }
        if (boostWatermark(z) && (allocFlags & ALLOC_KSWAPD) != 0) {
            z.boostedWatermark = true;
        }
        // prep_move_freepages_block()
        int start = pfn & -PAGEBLOCK_NR_PAGES;
        int end = start + PAGEBLOCK_NR_PAGES - 1;
        if (!z.contains(start) || !z.contains(end)) {
            return PageFrames.NIL;
        }
        int freePages = 0;
        int movablePages = 0;
        for (int p = start; p <= end; ) {
            if (frames.test(p, PageFrames.PG_BUDDY)) {
                int nr = 1 << frames.order(p);
                freePages += nr;
                p += nr;
                continue;
            }
            int head = frames.compoundHead(p);
            if (head == p && frames.refcount(p) > 0 && !frames.test(p, PageFrames.PG_PCP)) {
                int nr = Math.min(1 << frames.order(p), end + 1 - p);
                movablePages += Math.min(allocatedMovablePages(p), nr);
                p += Math.max(1, nr);
                continue;
            }
            if (head != p && frames.refcount(head) > 0 && frames.pcpMigratetype(head) == MIGRATE_MOVABLE) {
                movablePages++;
            }
            p++;
        }
        int alikePages;
        if (startMt == MIGRATE_MOVABLE) {
            alikePages = movablePages;
        } else if (blockMt == MIGRATE_MOVABLE) {
            alikePages = PAGEBLOCK_NR_PAGES - (freePages + movablePages);
        } else {
            alikePages = 0;
        }
        if (freePages + alikePages >= (1 << (PAGEBLOCK_ORDER - 1)) || mobilityDisabled) {
            moveFreepagesBlock(z, start, blockMt, startMt);
            setPageblockMt(start, startMt);
            return rmqueueSmallest(z, order, startMt);
        }
        return PageFrames.NIL;
    }

    /** __move_freepages_block(): every free block of the pageblock to the new type's tail. */
    int moveFreepagesBlock(Zone z, int startPfn, int oldMt, int newMt) {
        int moved = 0;
        int end = startPfn + PAGEBLOCK_NR_PAGES;
        for (int p = startPfn; p < end; ) {
            if (!frames.test(p, PageFrames.PG_BUDDY)) {
                p++;
                continue;
            }
            int order = frames.order(p);
            moveToFreeList(z, p, order, oldMt, newMt);
            p += 1 << order;
            moved += 1 << order;
        }
        return moved;
    }

    /** __rmqueue_claim(): largest blocks first, claiming whole pageblocks where it can. */
    private int rmqueueClaim(Zone z, int order, int startMt, int allocFlags) {
        int minOrder = order;
        if (order < PAGEBLOCK_ORDER && (allocFlags & ALLOC_NOFRAGMENT) != 0) {
            minOrder = PAGEBLOCK_ORDER;
        }
        for (int current = MAX_PAGE_ORDER; current >= minOrder; current--) {
            int fb = findSuitableFallback(z, current, startMt, true);
            if (fb == -1) {
                continue;
            }
            if (fb == -2) {
                break;
            }
            int pfn = z.list(current, fb).first();
            int page = tryToClaimBlock(z, pfn, current, order, startMt, fb, allocFlags);
            if (page != PageFrames.NIL) {
                traceExtfrag(page, order, current, startMt, fb);
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "zone {}: order-{} {} request claimed pageblock of type {} from an order-{} block",
                            z.type.procName(),
                            order,
                            startMt,
                            fb,
                            current);
                }
                return page;
            }
        }
        return PageFrames.NIL;
    }

    /** __rmqueue_steal(): smallest fallback block, leftovers stay on the fallback type. */
    private int rmqueueSteal(Zone z, int order, int startMt) {
        for (int current = order; current < NR_PAGE_ORDERS; current++) {
            int fb = findSuitableFallback(z, current, startMt, false);
            if (fb == -1) {
                continue;
            }
            int pfn = z.list(current, fb).first();
            pageDelAndExpand(z, pfn, order, current, fb);
            traceExtfrag(pfn, order, current, startMt, fb);
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "zone {}: order-{} type-{} request stole an order-{} block of type {}",
                        z.type.procName(),
                        order,
                        startMt,
                        current,
                        fb);
            }
            return pfn;
        }
        return PageFrames.NIL;
    }

    private void traceExtfrag(int pfn, int order, int fallbackOrder, int startMt, int fallbackMt) {
        if (tracer.on(EventType.MM_PAGE_ALLOC_EXTFRAG)) {
            tracer.emit(
                    currentCpu,
                    new KmemEvent.MmPageAllocExtfrag(
                            pfn, order, fallbackOrder, startMt, fallbackMt, pageblockMt(pfn) == startMt));
        }
    }

    /** __rmqueue(): normal, claim, steal, starting at {@link #rmqueueMode}. */
    private int rmqueue(Zone z, int order, int mt, int allocFlags) {
        int pfn;
        if (rmqueueMode == RMQUEUE_NORMAL) {
            pfn = rmqueueSmallest(z, order, mt);
            if (pfn != PageFrames.NIL) {
                return pfn;
            }
        }
        if (rmqueueMode <= RMQUEUE_CLAIM) {
            pfn = rmqueueClaim(z, order, mt, allocFlags);
            if (pfn != PageFrames.NIL) {
                rmqueueMode = RMQUEUE_NORMAL;
                return pfn;
            }
        }
        if ((allocFlags & ALLOC_NOFRAGMENT) == 0) {
            pfn = rmqueueSteal(z, order, mt);
            if (pfn != PageFrames.NIL) {
                rmqueueMode = RMQUEUE_STEAL;
                return pfn;
            }
        }
        return PageFrames.NIL;
    }

    // =============================================================================================
    // Watermarks
    // =============================================================================================

    /** __zone_watermark_unusable_free(). */
    private static long unusableFree(Zone z, int order, int allocFlags) {
        long unusable = (1L << order) - 1;
        if ((allocFlags & ALLOC_RESERVES) == 0) {
            unusable += z.nrFreeHighatomic;
        }
        return unusable;
    }

    /** __zone_watermark_ok(). */
    static boolean zoneWatermarkOk(Zone z, int order, long mark, int highestZoneIdx, int allocFlags, long freePagesIn) {
        long freePages = freePagesIn - unusableFree(z, order, allocFlags);
        long min = mark;
        if ((allocFlags & ALLOC_RESERVES) != 0) {
            if ((allocFlags & ALLOC_MIN_RESERVE) != 0) {
                min -= min / 2;
                if ((allocFlags & ALLOC_NON_BLOCK) != 0) {
                    min -= min / 4;
                }
            }
            if ((allocFlags & ALLOC_OOM) != 0) {
                min -= min / 2;
            }
        }
        if (freePages <= min + z.lowmemReserve[highestZoneIdx]) {
            return false;
        }
        if (order == 0) {
            return true;
        }
        for (int o = order; o < NR_PAGE_ORDERS; o++) {
            if (z.nrFree[o] == 0) {
                continue;
            }
            for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
                if (!z.list(o, mt).isEmpty()) {
                    return true;
                }
            }
            if ((allocFlags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) != 0
                    && !z.list(o, MIGRATE_HIGHATOMIC).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** zone_watermark_fast(). */
    static boolean zoneWatermarkFast(Zone z, int order, long mark, int highestZoneIdx, int allocFlags) {
        if (order == 0) {
            long usable = z.nrFreePages;
            long reserved = unusableFree(z, 0, allocFlags);
            usable -= Math.min(usable, reserved);
            if (usable > mark + z.lowmemReserve[highestZoneIdx]) {
                return true;
            }
        }
        return zoneWatermarkFastOk(z, order, mark, highestZoneIdx, allocFlags);
    }

    /**
     * zone_watermark_fast() past its order-0 shortcut: a method of its own so that the shortcut
     * stays small on the per-CPU fast path.
     */
    private static boolean zoneWatermarkFastOk(Zone z, int order, long mark, int highestZoneIdx, int allocFlags) {
        long freePages = z.nrFreePages;
        if (zoneWatermarkOk(z, order, mark, highestZoneIdx, allocFlags, freePages)) {
            return true;
        }
        if (order == 0
                && (allocFlags & ALLOC_MIN_RESERVE) != 0
                && z.watermarkBoost != 0
                && (allocFlags & ALLOC_WMARK_MASK) == WMARK_MIN) {
            return zoneWatermarkOk(z, order, z.watermark[WMARK_MIN], highestZoneIdx, allocFlags, freePages);
        }
        return false;
    }

    /** zone_watermark_ok() as the metric views it: against NR_FREE_PAGES. */
    public boolean watermarkOk(ZoneType zone, int order, long mark, ZoneType highestZone) {
        Zone z = zones[zone.ordinal()];
        return zoneWatermarkOk(z, order, mark, highestZone.ordinal(), 0, z.nrFreePages);
    }

    // =============================================================================================
    // Allocation
    // =============================================================================================

    /** The CPU of the operation in progress (the tracepoints' CPU). */
    private int currentCpu;

    /** The migrate type an allocation of {@code gfp} takes (gfp_migratetype, or UNMOVABLE without mobility grouping). */
    private int allocMigratetype(int gfp) {
        return mobilityDisabled ? MIGRATE_UNMOVABLE : Gfp.gfpMigratetype(gfp);
    }

    /** __alloc_pages_noprof() from its argument checks on, when {@link #allocFromPcp} did not serve. */
    private int allocPagesChecked(int cpu, int gfpFlags, int order) {
        if (!cpus.valid(cpu)) {
            return allocInvalidCpu(cpu);
        }
        currentCpu = cpu;
        if (order < 0 || order > MAX_PAGE_ORDER) {
            return allocOrderTooBig(cpu, gfpFlags, order);
        }
        int highestZoneIdx = Gfp.gfpZone(gfpFlags);
        int mt = Gfp.gfpMigratetype(gfpFlags);
        if (highestZoneIdx < 0 || mt >= MIGRATE_PCPTYPES || (gfpFlags & ~Gfp.GFP_BITS_MASK) != 0) {
            return allocInvalidGfp(cpu, gfpFlags);
        }
        if (mobilityDisabled) {
            mt = MIGRATE_UNMOVABLE;
        }
        return allocPagesGeneral(cpu, gfpFlags, order, highestZoneIdx, mt);
    }

    @Override
    public int allocPages(int cpu, int gfpFlags, int order) {
        int pfn = allocFromPcp(cpu, gfpFlags, order);
        if (pfn == PageFrames.NIL) {
            return allocPagesChecked(cpu, gfpFlags, order);
        }
        if (tracer.on(EventType.MM_PAGE_ALLOC)) {
            traceMmPageAlloc(cpu, pfn, order, allocMigratetype(gfpFlags), gfpFlags);
        }
        return pfn;
    }

    /**
     * The whole of __alloc_pages_noprof() when the per-CPU list serves it, which is what nearly
     * every small allocation is: good arguments, the preferred zone above its high watermark, and
     * a page on its pcp list with the lock free. The same steps as the argument checks, then
     * {@link #getPageFromFreelist} → {@link #rmqueue} → {@link #rmqueuePcplist}, in that case; in
     * any other case it changes nothing and returns NIL, and {@link #allocPagesChecked} runs the
     * whole procedure (whose checks then come out as they did here).
     */
    private int allocFromPcp(int cpu, int gfp, int order) {
        Zone z = fastZone;
        if (z == null
                || Integer.compareUnsigned(cpu, nrCpus) >= 0
                || Integer.compareUnsigned(order, PAGE_ALLOC_COSTLY_ORDER + 1) >= 0
                || (gfp & ~Gfp.GFP_BITS_MASK) != 0) {
            return PageFrames.NIL;
        }
        int highestZoneIdx = Gfp.gfpZone(gfp);
        int mt = Gfp.gfpMigratetype(gfp);
        // gfpZone's -1 (a bad zone combination) is below every zone index
        if (z.idx > highestZoneIdx || mt >= MIGRATE_PCPTYPES || z.belowHigh) {
            return PageFrames.NIL;
        }
        if (mobilityDisabled) {
            mt = MIGRATE_UNMOVABLE;
        }
        PerCpuPages pcp = z.pcp[cpu];
        int pindex = MIGRATE_PCPTYPES * order + mt;
        if (pcp.isEmpty(pindex) || pcp.isLocked()) {
            return PageFrames.NIL;
        }
        int allocFlags = ALLOC_WMARK_LOW | (gfp & Gfp.__GFP_KSWAPD_RECLAIM) | fastNofragment;
        if (!zoneWatermarkFast(z, order, z.watermark(WMARK_HIGH), highestZoneIdx, allocFlags)) {
            return PageFrames.NIL;
        }
        currentCpu = cpu;
        // pcp_spin_trylock()'s preempt_disable() is not counted here: the count is seen only in
        // the context of an event emitted while it is raised, and nothing between the lock and
        // the unlock emits one. Counted, its four updates per alloc+free pair were one chain of
        // read-modify-writes of one word, the longest of the pair (docs/benchmarks.md).
        pcp.tryLock();
        pcp.freeCount >>= 1;
        int pfn = frames.pcpPop(pcp.heads, pindex, order, mt);
        pcp.count -= 1 << order;
        pcp.unlock();
        rmqueueAccount(z, z.idx, order, allocFlags);
        if ((gfp & (Gfp.__GFP_ZERO | Gfp.__GFP_COMP)) != 0) {
            prepZeroCompound(pfn, order, gfp);
        }
        return pfn;
    }

    /** __alloc_pages_noprof() past its argument checks, when the per-CPU fast path did not serve. */
    private int allocPagesGeneral(int cpu, int gfpFlags, int order, int highestZoneIdx, int mt) {
        int preferred = preferredZone(highestZoneIdx);
        int pfn = PageFrames.NIL;
        if (preferred >= 0) {
            // fast path: low watermark, maybe ALLOC_NOFRAGMENT
            int allocFlags = ALLOC_WMARK_LOW | allocFlagsNofragment(preferred, gfpFlags);
            pfn = getPageFromFreelist(cpu, gfpFlags, order, allocFlags, highestZoneIdx, preferred, mt);
            if (pfn == PageFrames.NIL) {
                pfn = allocSlowpath(cpu, gfpFlags, order, highestZoneIdx, preferred, mt);
            }
        }
        if (tracer.on(EventType.MM_PAGE_ALLOC)) {
            traceMmPageAlloc(cpu, pfn, order, mt, gfpFlags);
        }
        if (pfn == PageFrames.NIL) {
            return allocFailed(cpu, gfpFlags, order);
        }
        return pfn;
    }

    private void traceMmPageAlloc(int cpu, int pfn, int order, int mt, int gfpFlags) {
        tracer.emit(cpu, new KmemEvent.MmPageAlloc(pfn, order, mt, gfpFlags));
    }

    private int allocFailed(int cpu, int gfpFlags, int order) {
        allocFailures++;
        if ((gfpFlags & Gfp.__GFP_NOWARN) == 0) {
            warnAlloc(cpu, gfpFlags, order);
        }
        return NO_PAGE;
    }

    private int allocInvalidCpu(int cpu) {
        dmesg.report(ReportKind.BUG, "BUG: alloc_pages on invalid cpu " + cpu);
        allocFailures++;
        return NO_PAGE;
    }

    private int allocOrderTooBig(int cpu, int gfpFlags, int order) {
        // WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER, gfp): __GFP_NOWARN silences it
        if ((gfpFlags & Gfp.__GFP_NOWARN) == 0) {
            dmesg.report(
                    ReportKind.WARN,
                    "WARNING: CPU: " + cpu + " PID: " + cpus.pid(cpu)
                            + " at mm/page_alloc.c __alloc_frozen_pages_noprof: order:" + order
                            + " > MAX_PAGE_ORDER (" + MAX_PAGE_ORDER + ")");
        }
        allocFailures++;
        return NO_PAGE;
    }

    private int allocInvalidGfp(int cpu, int gfpFlags) {
        dmesg.report(
                ReportKind.WARN,
                "WARNING: CPU: " + cpu + " PID: " + cpus.pid(cpu)
                        + " at mm/page_alloc.c prepare_alloc_pages: invalid gfp mode:" + gfpHex(gfpFlags)
                        + "(" + Gfp.format(gfpFlags) + ")");
        allocFailures++;
        return NO_PAGE;
    }

    /** The first zonelist entry with idx ≤ highestZoneIdx (preferred_zoneref), or -1. */
    private int preferredZone(int highestZoneIdx) {
        for (int i : zonelist) {
            if (i <= highestZoneIdx) {
                return i;
            }
        }
        return -1;
    }

    /** alloc_flags_nofragment(): KSWAPD bit, NOFRAGMENT when the preferred zone is Normal. */
    private int allocFlagsNofragment(int preferred, int gfpFlags) {
        int flags = gfpFlags & Gfp.__GFP_KSWAPD_RECLAIM;
        // one node: "on UMA, if Normal is populated then so is DMA32"
        if (preferred == ZoneType.NORMAL.ordinal()) {
            flags |= ALLOC_NOFRAGMENT;
        }
        return flags;
    }

    /** gfp_to_alloc_flags(). */
    static int gfpToAllocFlags(int gfp, int order) {
        int flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;
        flags |= gfp & Gfp.__GFP_HIGH;
        flags |= gfp & Gfp.__GFP_KSWAPD_RECLAIM;
        if ((gfp & Gfp.__GFP_DIRECT_RECLAIM) == 0) {
            if ((gfp & Gfp.__GFP_NOMEMALLOC) == 0) {
                flags |= ALLOC_NON_BLOCK;
                if (order > 0 && (flags & ALLOC_MIN_RESERVE) != 0) {
                    flags |= ALLOC_HIGHATOMIC;
                }
            }
            if ((flags & ALLOC_MIN_RESERVE) != 0) {
                flags &= ~ALLOC_CPUSET;
            }
        }
        return flags;
    }

    /**
     * __alloc_pages_slowpath() without reclaim, compaction or the OOM killer: one attempt at the
     * min watermark with the gfp's reserves, then __GFP_MEMALLOC's no-watermark attempt.
     */
    private int allocSlowpath(int cpu, int gfp, int order, int highestZoneIdx, int preferred, int mt) {
        int allocFlags = gfpToAllocFlags(gfp, order);
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "cpu {}: order-{} gfp {} missed the low watermark, slow path with alloc_flags 0x{}",
                    cpu,
                    order,
                    Gfp.format(gfp),
                    Integer.toHexString(allocFlags));
        }
        compaction.clearDirectReport();
        boolean canDirectReclaim = (gfp & Gfp.__GFP_DIRECT_RECLAIM) != 0;
        if ((gfp & Gfp.__GFP_KSWAPD_RECLAIM) != 0 && !canDirectReclaim) {
            // wake_all_kswapds() → wakeup_kswapd(): a request that cannot reclaim wakes kcompactd
            compaction.kswapdSleep(order, highestZoneIdx);
        }
        int pfn =
                getPageFromFreelist(cpu, gfp, order, allocFlags & ~ALLOC_NO_WATERMARKS, highestZoneIdx, preferred, mt);
        if (pfn != PageFrames.NIL) {
            return pfn;
        }
        // gfp_compaction_allowed(): __GFP_IO
        boolean canCompact = (gfp & Gfp.__GFP_IO) != 0;
        boolean costly = order > PAGE_ALLOC_COSTLY_ORDER;
        boolean pfmemalloc = (gfp & Gfp.__GFP_MEMALLOC) != 0 && (gfp & Gfp.__GFP_NOMEMALLOC) == 0;
        if (canDirectReclaim && canCompact && (costly || (order > 0 && mt != MIGRATE_MOVABLE)) && !pfmemalloc) {
            // costly orders and non-movable high orders compact first, asynchronously
            pfn = compaction.directCompact(
                    cpu,
                    gfp,
                    order,
                    allocFlags & ~ALLOC_NO_WATERMARKS,
                    highestZoneIdx,
                    preferred,
                    mt,
                    Compaction.INIT_COMPACT_PRIORITY);
            if (pfn != PageFrames.NIL) {
                return pfn;
            }
            if (costly && (gfp & Gfp.__GFP_NORETRY) != 0) {
                return PageFrames.NIL;
            }
        }
        if (pfmemalloc) {
            int reserveFlags = ALLOC_NO_WATERMARKS | (allocFlags & ALLOC_KSWAPD);
            pfn = getPageFromFreelist(cpu, gfp, order, reserveFlags, highestZoneIdx, preferred, mt);
        }
        if (pfn == PageFrames.NIL && (gfp & Gfp.__GFP_KSWAPD_RECLAIM) != 0 && canDirectReclaim) {
            // retry: wake_all_kswapds() again. kswapd, woken at the start of the slow path, has
            // nothing to reclaim and has gone back to sleep by now (kswapd_try_to_sleep): it
            // resets the skip bits of zones whose compactor's scanners met, and wakes kcompactd
            compaction.kswapdSleep(order, highestZoneIdx);
        }
        if (pfn == PageFrames.NIL && canDirectReclaim && canCompact && order > 0) {
            // after direct reclaim (which frees nothing here): compaction at DEF_COMPACT_PRIORITY
            pfn = compaction.directCompact(
                    cpu,
                    gfp,
                    order,
                    allocFlags & ~ALLOC_NO_WATERMARKS,
                    highestZoneIdx,
                    preferred,
                    mt,
                    Compaction.DEF_COMPACT_PRIORITY);
        }
        // Reclaim makes no progress in this model. A request that may reclaim and retry ends the
        // kernel's retry loop (should_reclaim_retry) by giving back highatomic reserves, forced.
        boolean mayRetry = (gfp & Gfp.__GFP_DIRECT_RECLAIM) != 0
                && (gfp & Gfp.__GFP_NORETRY) == 0
                && (order <= PAGE_ALLOC_COSTLY_ORDER || (gfp & Gfp.__GFP_RETRY_MAYFAIL) != 0);
        while (pfn == PageFrames.NIL && mayRetry && unreserveHighatomicPageblock(highestZoneIdx, mt, true)) {
            pfn = getPageFromFreelist(
                    cpu, gfp, order, allocFlags & ~ALLOC_NO_WATERMARKS, highestZoneIdx, preferred, mt);
        }
        if (pfn == PageFrames.NIL && LOG.isDebugEnabled()) {
            LOG.debug(
                    "cpu {}: order-{} gfp {} failed: no zone above its watermark has a block"
                            + " (no reclaim or compaction in this model)",
                    cpu,
                    order,
                    Gfp.format(gfp));
        }
        return pfn;
    }

    /** get_page_from_freelist() after direct compaction (no captured page). */
    int freelistAfterCompaction(
            int cpu, int gfp, int order, int allocFlags, int highestZoneIdx, int preferred, int mt) {
        return getPageFromFreelist(cpu, gfp, order, allocFlags, highestZoneIdx, preferred, mt);
    }

    /** prep_new_page() of a page compaction captured. */
    void prepCapturedPage(int pfn, int order, int gfp, int mt) {
        prepNewPage(pfn, order, gfp, mt);
    }

    /** The CPU of the operation in progress. */
    int cpu() {
        return currentCpu;
    }

    Zone zoneAt(int zoneIdx) {
        return zones[zoneIdx];
    }

    int[] zonelist() {
        return zonelist;
    }

    /**
     * __isolate_free_page() for the free scanner: above the min watermark plus the block, off its
     * free list; a block of at least half a pageblock retypes its pageblocks MOVABLE.
     *
     * @return pages isolated, 0 if the watermark forbids it
     */
    int isolateFreePage(Zone z, int pfn, int order) {
        int mt = pageblockMt(pfn);
        if (mt != MIGRATE_ISOLATE) {
            long wmark = z.watermark[WMARK_MIN] + (1L << order);
            if (!zoneWatermarkOk(z, 0, wmark, 0, ALLOC_CMA, z.nrFreePages)) {
                return 0;
            }
        }
        z.lock.lock();
        delFromFreeList(z, pfn, order, mt);
        accountFreepages(z, -(1L << order), mt);
        if (order >= PAGEBLOCK_ORDER - 1) {
            int end = pfn + (1 << order) - 1;
            for (int p = pfn; p < end; p += PAGEBLOCK_NR_PAGES) {
                int pmt = pageblockMt(p);
                if (isMergeable(pmt) && pmt != MIGRATE_MOVABLE) {
                    setPageblockMt(p, MIGRATE_MOVABLE);
                }
            }
        }
        z.lock.unlock();
        return 1 << order;
    }

    /** release_free_list() of one isolated block: back to the buddy lists. */
    void releaseIsolatedFreePage(Zone z, int pfn, int order) {
        z.lock.lock();
        for (int p = pfn; p < pfn + (1 << order); p += 1 << Math.min(order, PAGEBLOCK_ORDER)) {
            freeOneBlock(z, p, Math.min(order, PAGEBLOCK_ORDER), pageblockMt(p), FPI_NONE);
        }
        z.lock.unlock();
    }

    /** The migration target's new state: an allocated movable block, compound if the source was. */
    void prepMigrationTarget(int pfn, int order, boolean compound) {
        frames.setOrder(pfn, order);
        frames.setRefcount(pfn, 1);
        frames.setPcpMigratetype(pfn, MIGRATE_MOVABLE);
        if (compound && order > 0) {
            frames.prepCompound(pfn, order);
        }
    }

    /** drain_local_pages(zone). */
    void drainLocal(int cpu, Zone z) {
        drainPagesZone(cpu, z);
    }

    /** get_page_from_freelist(). */
    private int getPageFromFreelist(
            int cpu, int gfp, int order, int allocFlagsIn, int highestZoneIdx, int preferred, int mt) {
        int allocFlags = allocFlagsIn;
        while (true) {
            boolean noFallback = (allocFlags & ALLOC_NOFRAGMENT) != 0;
            for (int zi : zonelist) {
                if (zi > highestZoneIdx) {
                    continue;
                }
                Zone z = zones[zi];
                boolean tryThis = false;
                if (!z.belowHigh) {
                    if (zoneWatermarkFast(z, order, z.watermark(WMARK_HIGH), highestZoneIdx, allocFlags)) {
                        tryThis = true;
                    } else {
                        z.belowHigh = true;
                    }
                }
                if (!tryThis) {
                    long mark = z.watermark(allocFlags & ALLOC_WMARK_MASK);
                    if (!zoneWatermarkFast(z, order, mark, highestZoneIdx, allocFlags)) {
                        if ((allocFlags & ALLOC_NO_WATERMARKS) == 0) {
                            if (LOG.isTraceEnabled()) {
                                LOG.trace("zone {} below watermark {} for order-{}", z.type.procName(), mark, order);
                            }
                            continue;
                        }
                    }
                }
                int pfn = rmqueue(cpu, z, preferred, order, gfp, allocFlags, mt);
                if (pfn != PageFrames.NIL) {
                    prepNewPage(pfn, order, gfp, mt);
                    if ((allocFlags & ALLOC_HIGHATOMIC) != 0) {
                        reserveHighatomicPageblock(pfn, order, z);
                    }
                    return pfn;
                }
            }
            if (noFallback) {
                allocFlags &= ~ALLOC_NOFRAGMENT;
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "order-{} type-{} request: no zone without fragmenting, retrying without"
                                    + " ALLOC_NOFRAGMENT",
                            order,
                            mt);
                }
                continue;
            }
            return PageFrames.NIL;
        }
    }

    /** reserve_highatomic_pageblock(): at most about 1 % of the zone, mergeable blocks only. */
    private void reserveHighatomicPageblock(int pfn, int order, Zone z) {
        if (z.managed / 100 < PAGEBLOCK_NR_PAGES) {
            return;
        }
        long maxManaged = (z.managed / 100 + PAGEBLOCK_NR_PAGES - 1) & -PAGEBLOCK_NR_PAGES;
        if (z.nrReservedHighatomic >= maxManaged) {
            return;
        }
        z.lock.lock();
        int mt = pageblockMt(pfn);
        if (z.nrReservedHighatomic < maxManaged && isMergeable(mt)) {
            if (order < PAGEBLOCK_ORDER) {
                int start = pfn & -PAGEBLOCK_NR_PAGES;
                if (z.contains(start) && z.contains(start + PAGEBLOCK_NR_PAGES - 1)) {
                    moveFreepagesBlock(z, start, mt, MIGRATE_HIGHATOMIC);
                    setPageblockMt(start, MIGRATE_HIGHATOMIC);
                    z.nrReservedHighatomic += PAGEBLOCK_NR_PAGES;
                }
            } else {
                changePageblockRange(pfn, order, MIGRATE_HIGHATOMIC);
                z.nrReservedHighatomic += 1L << order;
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "zone {}: pageblock of pfn {} reserved highatomic ({} pages reserved)",
                        z.type.procName(),
                        pfn,
                        z.nrReservedHighatomic);
            }
        }
        z.lock.unlock();
    }

    /** unreserve_highatomic_pageblock(): hands one reserved block back to the requester's type. */
    private boolean unreserveHighatomicPageblock(int highestZoneIdx, int mt, boolean force) {
        for (int zi : zonelist) {
            if (zi > highestZoneIdx) {
                continue;
            }
            Zone z = zones[zi];
            if (!force && z.nrReservedHighatomic <= PAGEBLOCK_NR_PAGES) {
                continue;
            }
            z.lock.lock();
            for (int order = 0; order < NR_PAGE_ORDERS; order++) {
                int pfn = z.list(order, MIGRATE_HIGHATOMIC).first();
                if (pfn == PageFrames.NIL) {
                    continue;
                }
                long size = Math.min(Math.max(PAGEBLOCK_NR_PAGES, 1L << order), z.nrReservedHighatomic);
                z.nrReservedHighatomic -= size;
                int moved;
                if (order < PAGEBLOCK_ORDER) {
                    int start = pfn & -PAGEBLOCK_NR_PAGES;
                    moved = moveFreepagesBlock(z, start, MIGRATE_HIGHATOMIC, mt);
                    setPageblockMt(start, mt);
                } else {
                    moveToFreeList(z, pfn, order, MIGRATE_HIGHATOMIC, mt);
                    changePageblockRange(pfn, order, mt);
                    moved = 1;
                }
                if (moved > 0) {
                    z.lock.unlock();
                    if (LOG.isDebugEnabled()) {
                        LOG.debug(
                                "zone {}: unreserved a highatomic block at pfn {} for type {}",
                                z.type.procName(),
                                pfn,
                                mt);
                    }
                    return true;
                }
            }
            z.lock.unlock();
        }
        return false;
    }

    /** rmqueue(): pcp for allowed orders, else (or on trylock failure) the buddy lists. */
    private int rmqueue(int cpu, Zone z, int preferred, int order, int gfp, int allocFlags, int mt) {
        int pfn = PageFrames.NIL;
        if (pcpAllowedOrder(order)) {
            pfn = rmqueuePcplist(cpu, z, order, mt, allocFlags);
        }
        if (pfn == PageFrames.NIL) {
            pfn = rmqueueBuddy(z, order, allocFlags, mt);
        }
        if (pfn != PageFrames.NIL) {
            rmqueueAccount(z, preferred, order, allocFlags);
        } else {
            rmqueueKswapd(z, allocFlags);
        }
        return pfn;
    }

    /** rmqueue()'s tail once it has a page: pgalloc, zone_statistics, the kswapd boost. */
    private void rmqueueAccount(Zone z, int preferred, int order, int allocFlags) {
        z.pgalloc += 1L << order;
        zoneStatistics(z, preferred);
        if ((allocFlags & ALLOC_KSWAPD) != 0 && z.boostedWatermark) {
            rmqueueKswapd(z, allocFlags);
        }
    }

    private void rmqueueKswapd(Zone z, int allocFlags) {
        if ((allocFlags & ALLOC_KSWAPD) != 0 && z.boostedWatermark) {
            // wakeup_kswapd(): kswapd's boost reclaim has nothing to reclaim here and, as
            // balance_pgdat() does once it is done, drops the boost.
            z.boostedWatermark = false;
            z.lock.lock();
            z.watermarkBoost = 0;
            z.lock.unlock();
        }
    }

    /** zone_statistics(): one node, so every allocation is a local hit. */
    private static void zoneStatistics(Zone z, int preferred) {
        z.numa[Zone.NUMA_HIT]++;
        z.numa[Zone.NUMA_LOCAL]++;
    }

    /** rmqueue_buddy(). */
    private int rmqueueBuddy(Zone z, int order, int allocFlags, int mt) {
        z.lock.lock("rmqueue_buddy");
        cpus.lockIrqsave(currentCpu);
        int pfn = PageFrames.NIL;
        if ((allocFlags & ALLOC_HIGHATOMIC) != 0) {
            pfn = rmqueueSmallest(z, order, MIGRATE_HIGHATOMIC);
        }
        if (pfn == PageFrames.NIL) {
            rmqueueMode = RMQUEUE_NORMAL;
            pfn = rmqueue(z, order, mt, allocFlags);
            if (pfn == PageFrames.NIL && (allocFlags & (ALLOC_OOM | ALLOC_NON_BLOCK)) != 0) {
                pfn = rmqueueSmallest(z, order, MIGRATE_HIGHATOMIC);
            }
        }
        cpus.unlockIrqrestore(currentCpu);
        z.lock.unlock();
        return pfn;
    }

    private static int orderToPindex(int mt, int order) {
        if (order > PAGE_ALLOC_COSTLY_ORDER) {
            return NR_LOWORDER_PCP_LISTS + (mt == MIGRATE_MOVABLE ? 1 : 0);
        }
        return MIGRATE_PCPTYPES * order + mt;
    }

    static int pindexToOrder(int pindex) {
        return pindex >= NR_LOWORDER_PCP_LISTS ? HPAGE_PMD_ORDER : pindex / MIGRATE_PCPTYPES;
    }

    /** rmqueue_pcplist() + __rmqueue_pcplist(). */
    private int rmqueuePcplist(int cpu, Zone z, int order, int mt, int allocFlags) {
        PerCpuPages pcp = z.pcp[cpu];
        if (!pcp.tryLock()) {
            return PageFrames.NIL;
        }
        // pcp_spin_trylock(): preempt_disable() and the spinlock's own level.
        pcpPin(cpu);
        pcp.freeCount >>= 1;
        int pindex = orderToPindex(mt, order);
        if (pcp.isEmpty(pindex)) {
            int batch = nrPcpAlloc(pcp, z, order);
            int alloced = rmqueueBulk(z, order, batch, pcp, pindex, mt, allocFlags);
            pcp.count += alloced << order;
            if (pcp.isEmpty(pindex)) {
                pcp.unlock();
                pcpUnpin(cpu);
                return PageFrames.NIL;
            }
        }
        int pfn = frames.listPollFirst(pcp.heads, pindex);
        frames.clear(pfn, PageFrames.PG_PCP);
        pcp.count -= 1 << order;
        pcp.unlock();
        pcpUnpin(cpu);
        return pfn;
    }

    /**
     * The context pcp_spin_lock() puts a CPU in: preempt_disable() plus the spinlock's own level,
     * which trace lines show as preempt depth 2 (3 once zone->lock is taken with irqs off).
     */
    private void pcpPin(int cpu) {
        cpus.preemptDisable(cpu, 2);
    }

    private void pcpUnpin(int cpu) {
        cpus.preemptEnable(cpu, 2);
    }

    /** nr_pcp_alloc(). */
    private static int nrPcpAlloc(PerCpuPages pcp, Zone z, int order) {
        int baseBatch = pcp.batch;
        int highMin = pcp.highMin;
        int highMax = pcp.highMax;
        int high = pcp.high = clamp(pcp.high, highMin, highMax);
        if (high < baseBatch) {
            return 1;
        }
        int batch = order != 0 ? baseBatch : baseBatch << pcp.allocFactor;
        if (highMin != highMax && !z.belowHigh) {
            high = pcp.high = Math.min(high + batch, highMax);
        }
        if (order == 0) {
            int maxNrAlloc = Math.max(high - pcp.count - baseBatch, baseBatch);
            if (batch <= maxNrAlloc && pcp.allocFactor < PCP_BATCH_SCALE_MAX) {
                pcp.allocFactor++;
            }
            batch = Math.min(batch, maxNrAlloc);
        }
        if (batch > 1) {
            batch = Math.max(batch >> order, 2);
        }
        return batch;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.min(Math.max(v, lo), hi);
    }

    /** rmqueue_bulk(): one zone lock, up to {@code count} blocks appended at the list's tail. */
    private int rmqueueBulk(Zone z, int order, int count, PerCpuPages pcp, int pindex, int mt, int allocFlags) {
        rmqueueMode = RMQUEUE_NORMAL;
        z.lock.lock("rmqueue_bulk");
        cpus.lockIrqsave(currentCpu);
        int i = 0;
        for (; i < count; i++) {
            int pfn = rmqueue(z, order, mt, allocFlags);
            if (pfn == PageFrames.NIL) {
                break;
            }
            frames.set(pfn, PageFrames.PG_PCP);
            frames.setOrder(pfn, order);
            frames.setPcpMigratetype(pfn, mt);
            frames.listAddTail(pcp.heads, pindex, pfn);
        }
        cpus.unlockIrqrestore(currentCpu);
        z.lock.unlock();
        return i;
    }

    /** prep_new_page(): refcount 1, zeroing, compound. */
    private void prepNewPage(int pfn, int order, int gfp, int mt) {
        // order, refcount 1 and the allocation's mobility (PageLRU for movable allocations) in one
        // write of the frame's word
        frames.setOrderRefMt(pfn, order, 1, mt);
        if ((gfp & (Gfp.__GFP_ZERO | Gfp.__GFP_COMP)) != 0) {
            prepZeroCompound(pfn, order, gfp);
        }
    }

    /** prep_new_page()'s zeroing and prep_compound_page(), out of the fast path's line. */
    private void prepZeroCompound(int pfn, int order, int gfp) {
        if ((gfp & Gfp.__GFP_ZERO) != 0) {
            machine.mem().fill(Addr.pfnToVirt(pfn), 0, (long) Addr.PAGE_SIZE << order);
        }
        if ((gfp & Gfp.__GFP_COMP) != 0 && order > 0) {
            frames.prepCompound(pfn, order);
        }
    }

    // =============================================================================================
    // Freeing
    // =============================================================================================

    @Override
    public boolean freePages(int cpu, int pfn, int order) {
        return freeToPcp(cpu, pfn, order) || freePagesChecked(cpu, pfn, order);
    }

    /**
     * The whole of __free_pages() when the page goes onto this CPU's list, which is what nearly
     * every small free is: a plain page with its last reference ({@link PageFrames#plainSoleRef}),
     * of a pcp order, in a pageblock of a pcp migrate type, with pcp->lock free. The same steps as
     * free_pages_prepare() and free_frozen_page_commit() in that case; in any other case it
     * changes nothing and answers false, and {@link #freePagesChecked} runs the whole procedure.
     */
    private boolean freeToPcp(int cpu, int pfn, int order) {
        // The zone is the fast path's (fastZone), checked against the frame's zone rather than
        // looked up from it: the lookup (the frame's word, then zones[], the zone's pcp array, the
        // pcp, its list heads) was one chain of dependent loads from the previous operation's
        // stores to the next; a compare is a branch the CPU predicts and runs past.
        Zone z = fastZone;
        if (z == null
                || Integer.compareUnsigned(cpu, nrCpus) >= 0
                || order > PAGE_ALLOC_COSTLY_ORDER
                || !frames.plainSoleRef(pfn, order)
                || PageFrames.zoneOf(frames.rawFlags(pfn)) != z.idx) {
            return false;
        }
        // the isolate bit makes it ≥ MIGRATE_PCPTYPES too
        int mt = pageblocks[pfn >>> PAGEBLOCK_ORDER] & (PB_MIGRATE_MASK | PB_MIGRATE_ISOLATE);
        PerCpuPages pcp = z.pcp[cpu];
        if (mt >= MIGRATE_PCPTYPES || pcp.isLocked()) {
            return false;
        }
        currentCpu = cpu;
        if (tracer.on(EventType.MM_PAGE_FREE)) {
            traceMmPageFree(cpu, pfn, order);
        }
        // the preempt count is raised only around the drain, the one part that emits events
        // (mm_page_pcpu_drain), as allocFromPcp explains
        pcp.tryLock();
        freeFrozenPageCommit(z, pcp, pfn, mt, order, cpu);
        pcp.unlock();
        return true;
    }

    /** __free_pages() with every check, when {@link #freeToPcp} did not take the page. */
    private boolean freePagesChecked(int cpu, int pfn, int order) {
        if (!cpus.valid(cpu)) {
            return freeInvalidCpu(cpu);
        }
        currentCpu = cpu;
        if (!plainlyGoodFree(pfn, order)) {
            // the detailed checks, in the kernel's order, name what is wrong
            String reason = badFreeReason(pfn, order);
            if (reason != null) {
                badPage(cpu, pfn, reason);
                return false;
            }
        }
        int ref = frames.refcount(pfn);
        if (ref > 1) {
            // put_page_testzero(): someone else still holds the page
            frames.setRefcount(pfn, ref - 1);
            return true;
        }
        Zone z = zones[frames.zone(pfn)];
        if (pcpAllowedOrder(order)) {
            freeFrozenPages(cpu, z, pfn, order);
        } else {
            freePagesOk(cpu, z, pfn, order, FPI_NONE);
        }
        return true;
    }

    /**
     * free_unref_folios(), the batched free that release_pages() and folio batches use: each
     * page is checked and prepared (mm_page_free), then every page the pcp takes is committed
     * under one pcp lock with an mm_page_free_batched event; orders the pcp does not take and
     * pages of isolated pageblocks go straight to the buddy lists. Bad pages are reported and
     * skipped, as free_pages_prepare() does.
     *
     * @return the number of pages freed (references dropped count as freed)
     */
    @Override
    public int freePagesBatch(int cpu, int[] pfns, int[] orders, int count) {
        if (!cpus.valid(cpu)) {
            dmesg.report(ReportKind.BUG, "BUG: free_unref_folios on invalid cpu " + cpu);
            return 0;
        }
        currentCpu = cpu;
        int freed = 0;
        int[] commit = new int[count];
        int nCommit = 0;
        for (int i = 0; i < count; i++) {
            int pfn = pfns[i];
            int order = orders[i];
            String reason = badFreeReason(pfn, order);
            if (reason != null) {
                badPage(cpu, pfn, reason);
                continue;
            }
            freed++;
            int ref = frames.refcount(pfn);
            if (ref > 1) {
                frames.setRefcount(pfn, ref - 1);
                continue;
            }
            Zone z = zones[frames.zone(pfn)];
            if (!pcpAllowedOrder(order)) {
                freePagesOk(cpu, z, pfn, order, FPI_NONE);
                continue;
            }
            freePagesPrepare(cpu, pfn, order);
            frames.setOrder(pfn, order);
            commit[nCommit++] = pfn;
        }
        for (int i = 0; i < nCommit; i++) {
            int pfn = commit[i];
            int order = frames.order(pfn);
            Zone z = zones[frames.zone(pfn)];
            int mt = pageblockMt(pfn);
            if (mt == MIGRATE_ISOLATE) {
                freeOnePage(z, pfn, order, FPI_NONE);
                continue;
            }
            if (mt >= MIGRATE_PCPTYPES) {
                mt = MIGRATE_MOVABLE;
            }
            PerCpuPages pcp = z.pcp[cpu];
            pcp.lock();
            pcpPin(cpu);
            if (tracer.on(EventType.MM_PAGE_FREE_BATCHED)) {
                tracer.emit(cpu, new KmemEvent.MmPageFreeBatched(pfn));
            }
            freeFrozenPageCommit(z, pcp, pfn, mt, order, NO_PIN);
            pcp.unlock();
            pcpUnpin(cpu);
        }
        return freed;
    }

    /**
     * The checks of __free_pages() / free_pages_prepare() / free_page_is_bad(); null if the free
     * is good.
     */
    private String badFreeReason(int pfn, int order) {
        if (pfn < 0 || pfn >= frames.nrFrames() || !frames.valid(pfn)) {
            return "pfn_valid(pfn) failed";
        }
        if (order < 0 || order > MAX_PAGE_ORDER) {
            return "VM_BUG_ON(order > MAX_PAGE_ORDER)";
        }
        if (frames.test(pfn, PageFrames.PG_TAIL)) {
            return "VM_BUG_ON_PAGE(PageTail(page))";
        }
        if (frames.test(pfn, PageFrames.PG_BUDDY) || frames.test(pfn, PageFrames.PG_SLAB)) {
            return "nonzero mapcount";
        }
        if (frames.test(pfn, PageFrames.PG_RESERVED)) {
            return "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
        }
        if (frames.refcount(pfn) == 0) {
            return "VM_BUG_ON_PAGE(page_ref_count(page) == 0)";
        }
        boolean compound = frames.test(pfn, PageFrames.PG_HEAD);
        if (frames.order(pfn) != order) {
            return compound
                    ? "VM_BUG_ON_PAGE(compound && compound_order(page) != order)"
                    : "order " + order + " differs from the allocated order " + frames.order(pfn);
        }
        if ((pfn & ((1 << order) - 1)) != 0 || (long) pfn + (1L << order) > frames.nrFrames()) {
            return "VM_BUG_ON_PAGE(!IS_ALIGNED(pfn, 1 << order))";
        }
        return null;
    }

    private boolean freeInvalidCpu(int cpu) {
        dmesg.report(ReportKind.BUG, "BUG: free_pages on invalid cpu " + cpu);
        return false;
    }

    /**
     * The fast path's form of {@link #badFreeReason}: true only if every one of its checks passes,
     * tested on one load of the frame's word; anything else goes through badFreeReason, which
     * finds the reason (or none).
     */
    private boolean plainlyGoodFree(int pfn, int order) {
        if (pfn < 0 || pfn >= frames.nrFrames() || order < 0 || order > MAX_PAGE_ORDER) {
            return false;
        }
        int f = frames.rawFlags(pfn);
        int bad = PageFrames.PG_HOLE
                | PageFrames.PG_TAIL
                | PageFrames.PG_BUDDY
                | PageFrames.PG_SLAB
                | PageFrames.PG_RESERVED;
        return (f & bad) == 0
                && frames.refcount(pfn) != 0
                && frames.order(pfn) == order
                && (pfn & ((1 << order) - 1)) == 0
                && (long) pfn + (1L << order) <= frames.nrFrames();
    }

    /** bad_page(): the report, counted; nothing changes. */
    private void badPage(int cpu, int pfn, String reason) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("BUG: Bad page state in process ")
                .append(cpus.comm(cpu))
                .append("  pfn:")
                .append(hex5(pfn))
                .append('\n');
        if (pfn >= 0 && pfn < frames.nrFrames()) {
            PageDump.append(sb, frames, pfn);
        }
        sb.append("page dumped because: ").append(reason);
        dmesg.report(ReportKind.BAD_PAGE, sb.toString());
    }

    /** free_pages_prepare(): emits mm_page_free and clears the page's allocation state. */
    private void freePagesPrepare(int cpu, int pfn, int order) {
        if (tracer.on(EventType.MM_PAGE_FREE)) {
            traceMmPageFree(cpu, pfn, order);
        }
        if (frames.test(pfn, PageFrames.PG_HEAD)) {
            frames.clearCompound(pfn, order);
        }
        frames.reset(pfn);
    }

    private void traceMmPageFree(int cpu, int pfn, int order) {
        tracer.emit(cpu, new KmemEvent.MmPageFree(pfn, order));
    }

    /** __free_pages_ok(): orders the pcp does not take, and boot frees. */
    private void freePagesOk(int cpu, Zone z, int pfn, int order, int fpiFlags) {
        freePagesPrepare(cpu, pfn, order);
        freeOnePage(z, pfn, order, fpiFlags);
    }

    /** __free_frozen_pages() for pcp orders. */
    private void freeFrozenPages(int cpu, Zone z, int pfn, int order) {
        freePagesPrepare(cpu, pfn, order);
        int mt = pageblockMt(pfn);
        if (mt >= MIGRATE_PCPTYPES) {
            if (mt == MIGRATE_ISOLATE) {
                freeOnePage(z, pfn, order, FPI_NONE);
                return;
            }
            mt = MIGRATE_MOVABLE;
        }
        PerCpuPages pcp = z.pcp[cpu];
        if (pcp.tryLock()) {
            pcpPin(cpu);
            freeFrozenPageCommit(z, pcp, pfn, mt, order, NO_PIN);
            pcp.unlock();
            pcpUnpin(cpu);
        } else {
            freeOnePage(z, pfn, order, FPI_NONE);
        }
    }

    /** {@link #freeFrozenPageCommit}'s caller has raised the preempt count itself. */
    private static final int NO_PIN = -1;

    /**
     * free_frozen_page_commit(). {@code pinCpu}: {@link #NO_PIN} when the caller raised the preempt
     * count around the call, else the CPU whose count the drain raises (the only part that emits).
     */
    private void freeFrozenPageCommit(Zone z, PerCpuPages pcp, int pfn, int mt, int order, int pinCpu) {
        pcp.allocFactor >>= 1;
        pgfree += 1L << order;
        int pindex = orderToPindex(mt, order);
        frames.pcpPush(pcp.heads, pindex, pfn, order, mt);
        pcp.count += 1 << order;
        int batch = pcp.batch;
        boolean freeHigh = false;
        if (order != 0 && order <= PAGE_ALLOC_COSTLY_ORDER) {
            freeHigh = freeHighOrder(pcp, batch);
        } else {
            pcp.flags &= ~PerCpuPages.PCPF_PREV_FREE_HIGH_ORDER;
        }
        if (pcp.freeCount < batch << PCP_BATCH_SCALE_MAX) {
            pcp.freeCount += 1 << order;
        }
        int high = nrPcpHigh(pcp, z, batch, freeHigh);
        if (pcp.count >= high) {
            if (pinCpu != NO_PIN) {
                pcpPin(pinCpu);
            }
            freeToHigh(z, pcp, pindex, batch, high, freeHigh);
            if (pinCpu != NO_PIN) {
                pcpUnpin(pinCpu);
            }
        }
    }

    /** free_frozen_page_commit()'s free_high test for a costly-order free below PAGE_ALLOC_COSTLY_ORDER. */
    private static boolean freeHighOrder(PerCpuPages pcp, int batch) {
        boolean freeHigh = pcp.freeCount >= batch + pcp.highMin / 2
                && (pcp.flags & PerCpuPages.PCPF_PREV_FREE_HIGH_ORDER) != 0
                && ((pcp.flags & PerCpuPages.PCPF_FREE_HIGH_BATCH) == 0 || pcp.count >= batch);
        pcp.flags |= PerCpuPages.PCPF_PREV_FREE_HIGH_ORDER;
        return freeHigh;
    }

    /** free_frozen_page_commit() at or over pcp->high: a batch back to the buddy lists. */
    private void freeToHigh(Zone z, PerCpuPages pcp, int pindex, int batch, int high, boolean freeHigh) {
        freePcppagesBulk(z, nrPcpFree(pcp, batch, high, freeHigh), pcp, pindex);
        if (z.belowHigh
                && zoneWatermarkOk(z, 0, z.watermark(WMARK_HIGH), ZoneType.MOVABLE.ordinal(), 0, z.nrFreePages)) {
            z.belowHigh = false;
        }
    }

    /** nr_pcp_high(). */
    private static int nrPcpHigh(PerCpuPages pcp, Zone z, int batch, boolean freeHigh) {
        int highMin = pcp.highMin;
        int highMax = pcp.highMax;
        int high = pcp.high = clamp(pcp.high, highMin, highMax);
        // the common answer (high stands, nothing to tune) without the tuning's code in line
        if (high != 0 && !freeHigh && (highMin == highMax || (!z.belowHigh && pcp.count < high))) {
            return high;
        }
        return nrPcpHighTune(pcp, z, batch, freeHigh, high);
    }

    /** nr_pcp_high() from its first test on: pcp->high tuned down, up, or the free_high case. */
    private static int nrPcpHighTune(PerCpuPages pcp, Zone z, int batch, boolean freeHigh, int high) {
        int highMin = pcp.highMin;
        int highMax = pcp.highMax;
        if (high == 0) {
            return 0;
        }
        if (freeHigh) {
            pcp.high = Math.max(high - (batch << PCP_BATCH_SCALE_MAX), highMin);
            return 0;
        }
        if (highMin == highMax) {
            return high;
        }
        if (z.belowHigh) {
            int freeCount = Math.max(pcp.freeCount, batch);
            pcp.high = Math.max(high - freeCount, highMin);
            high = Math.max(pcp.count, highMin);
        } else if (pcp.count >= high) {
            int needHigh = pcp.freeCount + batch;
            if (pcp.high < needHigh) {
                pcp.high = clamp(needHigh, highMin, highMax);
            }
        }
        return high;
    }

    /** nr_pcp_free(). */
    private static int nrPcpFree(PerCpuPages pcp, int batch, int high, boolean freeHigh) {
        if (freeHigh) {
            return Math.min(pcp.count, batch << PCP_BATCH_SCALE_MAX);
        }
        if (high < batch) {
            return 1;
        }
        return Math.min(Math.max(pcp.freeCount, batch), high - batch);
    }

    /** free_pcppages_bulk(): round-robin over the lists from {@code pindex}, coldest page first. */
    private void freePcppagesBulk(Zone z, int countIn, PerCpuPages pcp, int pindexIn) {
        int count = Math.min(pcp.count, countIn);
        int pindex = pindexIn - 1;
        z.lock.lock("free_pcppages_bulk");
        cpus.lockIrqsave(currentCpu);
        while (count > 0) {
            do {
                if (++pindex > nrPcpLists - 1) {
                    pindex = 0;
                }
            } while (pcp.isEmpty(pindex));
            int order = pindexToOrder(pindex);
            int nrPages = 1 << order;
            do {
                int pfn = frames.listPollLast(pcp.heads, pindex);
                frames.clear(pfn, PageFrames.PG_PCP);
                frames.setPcpMigratetype(pfn, 0);
                frames.setOrder(pfn, 0);
                int mt = pageblockMt(pfn);
                count -= nrPages;
                pcp.count -= nrPages;
                freeOneBlock(z, pfn, order, mt, FPI_NONE);
                if (tracer.on(EventType.MM_PAGE_PCPU_DRAIN)) {
                    tracer.emit(currentCpu, new KmemEvent.MmPagePcpuDrain(pfn, order, mt));
                }
            } while (count > 0 && !pcp.isEmpty(pindex));
        }
        cpus.unlockIrqrestore(currentCpu);
        z.lock.unlock();
    }

    /** drain_pages_zone(). */
    private void drainPagesZone(int cpu, Zone z) {
        PerCpuPages pcp = z.pcp[cpu];
        int count;
        do {
            pcp.lock();
            count = pcp.count;
            if (count != 0) {
                int toDrain = Math.min(count, pcp.batch << PCP_BATCH_SCALE_MAX);
                freePcppagesBulk(z, toDrain, pcp, 0);
                count -= toDrain;
            }
            pcp.unlock();
        } while (count != 0);
    }

    @Override
    public void drainAll() {
        int saved = currentCpu;
        for (int cpu = 0; cpu < nrCpus; cpu++) {
            currentCpu = cpu;
            for (Zone z : zones) {
                drainPagesZone(cpu, z);
            }
        }
        currentCpu = saved;
    }

    /**
     * The pcp part of the vmstat worker ({@code refresh_cpu_vm_stats} → {@code decay_pcp_high}),
     * which the kernel runs about once a second per CPU: lowers {@code high} by an eighth towards
     * {@code high_min} and frees what is above it, a batch at a time.
     *
     * @return true if some zone still has work (the kernel then keeps the worker going)
     */
    public boolean vmstatRefresh(int cpu) {
        if (!cpus.valid(cpu)) {
            return false;
        }
        int saved = currentCpu;
        currentCpu = cpu;
        boolean todo = false;
        for (Zone z : zones) {
            PerCpuPages pcp = z.pcp[cpu];
            int highMin = pcp.highMin;
            int batch = pcp.batch;
            if (pcp.high > highMin) {
                pcp.high = Math.max(
                        Math.max(pcp.count - (batch << PCP_BATCH_SCALE_MAX), pcp.high - (pcp.high >> 3)), highMin);
                if (pcp.high > highMin) {
                    todo = true;
                }
            }
            int toDrain = pcp.count - pcp.high;
            while (toDrain > 0) {
                int n = Math.min(toDrain, batch);
                pcp.lock();
                freePcppagesBulk(z, n, pcp, 0);
                pcp.unlock();
                todo = true;
                toDrain -= n;
            }
        }
        currentCpu = saved;
        return todo;
    }

    /** drain_pages(cpu): one CPU's lists in every zone. */
    public void drainCpu(int cpu) {
        int saved = currentCpu;
        currentCpu = cpu;
        for (Zone z : zones) {
            drainPagesZone(cpu, z);
        }
        currentCpu = saved;
    }

    // =============================================================================================
    // Reports
    // =============================================================================================

    /** warn_alloc()'s nopage_rs: DEFAULT_RATELIMIT_INTERVAL (5 s) and DEFAULT_RATELIMIT_BURST (10). */
    static final long WARN_ALLOC_INTERVAL_NANOS = 5_000_000_000L;

    static final int WARN_ALLOC_BURST = 10;

    private long warnAllocBegin = -1;
    private int warnAllocPrinted;
    private int warnAllocMissed;

    /** ___ratelimit() on the virtual clock: true if this report may print. */
    private boolean warnAllocRatelimit() {
        long now = machine.clock().nanos();
        if (warnAllocBegin < 0) {
            warnAllocBegin = now;
        }
        if (now - warnAllocBegin > WARN_ALLOC_INTERVAL_NANOS) {
            if (warnAllocMissed > 0) {
                dmesg.warn("warn_alloc: " + warnAllocMissed + " callbacks suppressed");
                warnAllocMissed = 0;
            }
            warnAllocBegin = now;
            warnAllocPrinted = 0;
        }
        if (warnAllocPrinted < WARN_ALLOC_BURST) {
            warnAllocPrinted++;
            return true;
        }
        warnAllocMissed++;
        return false;
    }

    /**
     * warn_alloc() with show_free_areas()' buddy lines, rate limited as the kernel's (at most 10
     * reports per 5 s of virtual time); a suppressed report is still counted.
     */
    private void warnAlloc(int cpu, int gfp, int order) {
        if (!warnAllocRatelimit()) {
            dmesg.count(ReportKind.PAGE_ALLOC_FAILURE);
            return;
        }
        StringBuilder sb = new StringBuilder(512);
        sb.append(cpus.comm(cpu))
                .append(": page allocation failure: order:")
                .append(order)
                .append(", mode:")
                .append(gfpHex(gfp))
                .append('(');
        Gfp.appendFormatted(sb, gfp);
        sb.append("), nodemask=(null)\n");
        String compacted = compaction.lastDirectReport();
        if (compacted != null) {
            // kmemlab's addition: what direct compaction did for this request
            sb.append(compacted).append('\n');
        }
        sb.append("Mem-Info:\n");
        appendFreeAreas(sb);
        dmesg.report(ReportKind.PAGE_ALLOC_FAILURE, sb.toString());
    }

    /** %#x: C prints 0 without the prefix. */
    private static String gfpHex(int gfp) {
        return gfp == 0 ? "0" : "0x" + Integer.toHexString(gfp);
    }

    /** show_free_areas(): the per-zone buddy lines (procfs §7). */
    public void appendFreeAreas(StringBuilder sb) {
        for (Zone z : zones) {
            if (!z.populated()) {
                continue;
            }
            sb.append("Node 0 ").append(z.type.procName()).append(": ");
            long total = 0;
            z.lock.lock();
            for (int o = 0; o < NR_PAGE_ORDERS; o++) {
                long nr = z.nrFree[o];
                long kb = 4L << o;
                total += nr * kb;
                sb.append(nr).append('*').append(kb).append("kB ");
                if (nr > 0) {
                    sb.append('(');
                    for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
                        if (!z.list(o, mt).isEmpty()) {
                            sb.append(io.kmemlab.mm.MigrateType.of(mt).letter());
                        }
                    }
                    sb.append(") ");
                }
            }
            z.lock.unlock();
            sb.append("= ").append(total).append("kB\n");
        }
    }

    static String hex5(int pfn) {
        String h = Integer.toHexString(pfn);
        return h.length() >= 5 ? h : "00000".substring(h.length()) + h;
    }

    // =============================================================================================
    // Sysctls (/proc/sys/vm)
    // =============================================================================================

    /** min_free_kbytes_sysctl_handler(): ≥ 0; recomputes the watermarks. */
    public String setMinFreeKbytes(int kbytes) {
        if (kbytes < 0) {
            return "EINVAL";
        }
        minFreeKbytes = kbytes;
        userMinFreeKbytes = kbytes;
        setupPerZoneWmarks();
        return null;
    }

    /** watermark_scale_factor_sysctl_handler(): 1 … 3000. */
    public String setWatermarkScaleFactor(int factor) {
        if (factor < 1 || factor > 3000) {
            return "EINVAL";
        }
        watermarkScaleFactor = factor;
        setupPerZoneWmarks();
        return null;
    }

    /** lowmem_reserve_ratio_sysctl_handler(): values below 1 become 0. */
    public String setLowmemReserveRatio(int[] ratios) {
        if (ratios.length == 0 || ratios.length > ZoneType.COUNT) {
            return "EINVAL";
        }
        for (int i = 0; i < ratios.length; i++) {
            lowmemReserveRatio[i] = ratios[i] < 1 ? 0 : ratios[i];
        }
        setupPerZoneLowmemReserve();
        return null;
    }

    /**
     * zone_pcp_disable() on every zone: every CPU's pageset set to the boot pageset's high 0 and
     * batch 1, then drained. From then on each free goes back to the buddy lists under zone->lock
     * and each allocation refills one page under it (memory hot-unplug does this; the contention
     * workloads use it as "no per-CPU lists"). {@link #zonePcpEnable} undoes it.
     */
    public void zonePcpDisable() {
        for (Zone z : zones) {
            z.pagesetHighMin = BOOT_PAGESET_HIGH;
            z.pagesetHighMax = BOOT_PAGESET_HIGH;
            z.pagesetBatch = BOOT_PAGESET_BATCH;
            for (PerCpuPages p : z.pcp) {
                p.lock.lock();
                p.batch = BOOT_PAGESET_BATCH;
                p.highMin = BOOT_PAGESET_HIGH;
                p.highMax = BOOT_PAGESET_HIGH;
                p.high = BOOT_PAGESET_HIGH;
                p.lock.unlock();
            }
        }
        drainAll();
    }

    /** zone_pcp_enable(): the zones' computed high and batch again. */
    public void zonePcpEnable() {
        for (Zone z : zones) {
            z.pagesetBatch = -1;
            zonePcpUpdate(z);
        }
    }

    /** percpu_pagelist_high_fraction_sysctl_handler(): 0 or ≥ 8; recomputes pcp high. */
    public String setPercpuPagelistHighFraction(int fraction) {
        if (fraction < 0 || (fraction != 0 && fraction < MIN_PERCPU_PAGELIST_HIGH_FRACTION)) {
            return "EINVAL";
        }
        percpuPagelistHighFraction = fraction;
        for (Zone z : zones) {
            zonePcpUpdate(z);
        }
        return null;
    }

    // =============================================================================================
    // Metrics
    // =============================================================================================

    @Override
    public ZonedPageAllocatorMetric metric() {
        return this;
    }

    @Override
    public ZoneMetric zone(int zoneIdx) {
        return zones[zoneIdx];
    }

    public ZoneMetric zone(ZoneType type) {
        return zones[type.ordinal()];
    }

    @Override
    public int nrZones() {
        return ZoneType.COUNT;
    }

    @Override
    public int nrCpus() {
        return nrCpus;
    }

    @Override
    public int minFreeKbytes() {
        return minFreeKbytes;
    }

    @Override
    public int watermarkScaleFactor() {
        return watermarkScaleFactor;
    }

    @Override
    public int lowmemReserveRatio(int zoneIdx) {
        return lowmemReserveRatio[zoneIdx];
    }

    @Override
    public int percpuPagelistHighFraction() {
        return percpuPagelistHighFraction;
    }

    @Override
    public long totalreservePages() {
        return totalreservePages;
    }

    @Override
    public long totalramPages() {
        return totalramPages;
    }

    @Override
    public long pgfree() {
        return pgfree;
    }

    @Override
    public boolean mobilityGroupingDisabled() {
        return mobilityDisabled;
    }

    @Override
    public long nrFreePages() {
        long n = 0;
        for (Zone z : zones) {
            n += z.nrFreePages;
        }
        return n;
    }

    @Override
    public long managedPages() {
        long n = 0;
        for (Zone z : zones) {
            n += z.managed;
        }
        return n;
    }

    @Override
    public long pcpPages() {
        long n = 0;
        for (Zone z : zones) {
            for (PerCpuPages p : z.pcp) {
                n += p.count;
            }
        }
        return n;
    }

    @Override
    public long nrFreeBlocks(int order) {
        long n = 0;
        for (Zone z : zones) {
            n += z.nrFree[order];
        }
        return n;
    }

    @Override
    public long allocFailures() {
        return allocFailures;
    }

    /** The PFNs on free_area[order].free_list[mt] of a zone, head first (tests and debugging). */
    public int[] freeListPfns(ZoneType type, int order, int mt) {
        return pfns(zones[type.ordinal()].list(order, mt));
    }

    /** The PFNs on a pcp list, head first (tests and debugging). */
    public int[] pcpListPfns(ZoneType type, int cpu, int pindex) {
        PerCpuPages pcp = zones[type.ordinal()].pcp[cpu];
        int[] out = new int[(int) pcp.listLength(pindex)];
        int i = 0;
        for (int p = pcp.first(pindex); p != PageFrames.NIL && i < out.length; p = frames.next(p)) {
            out[i++] = p;
        }
        return out;
    }

    private static int[] pfns(PfnList list) {
        int[] out = new int[(int) list.size()];
        int i = 0;
        for (int p = list.first(); p != PageFrames.NIL && i < out.length; p = list.next(p)) {
            out[i++] = p;
        }
        return out;
    }

    /** The migrate type of the pageblock holding pfn. */
    public int pageblockMigratetype(int pfn) {
        return pageblockMt(pfn);
    }

    /** Number of pcp lists per CPU and zone (NR_PCP_LISTS). */
    public int nrPcpLists() {
        return nrPcpLists;
    }

    // =============================================================================================
    // Validation
    // =============================================================================================

    @Override
    public List<String> validate() {
        return new BuddyValidator(frames, zones, pageblocks, nrPcpLists).validate();
    }
}
