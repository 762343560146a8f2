package io.kmemlab.buddy;

import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PfnList;
import io.kmemlab.mm.SpinLock;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.PcpMetric;
import io.kmemlab.mm.page.ZoneMetric;

/**
 * {@code struct zone}: the free areas (one list per order and migrate type), the counters, the
 * watermarks and reserves, and the per-CPU page lists. Mutated only by {@link BuddyAllocator}
 * under {@link #lock} (zone->lock); read through {@link ZoneMetric}.
 */
final class Zone implements ZoneMetric {
    static final int NR_NUMA_ITEMS = 6;
    static final int NUMA_HIT = 0;
    static final int NUMA_LOCAL = 4;

    final ZoneType type;
    final int idx;
    final SpinLock lock;
    /** free_area[order].free_list[mt] at index order × MIGRATE_TYPES + mt. */
    final PfnList[] freeList;

    final long[] nrFree = new long[BuddyAllocator.NR_PAGE_ORDERS];
    final long[] watermark = new long[BuddyAllocator.NR_WMARK];
    final long[] lowmemReserve = new long[ZoneType.COUNT];
    final long[] numa = new long[NR_NUMA_ITEMS];
    final PerCpuPages[] pcp;
    private final byte[] pageblocks;
    private final PageFrames frames;
    private final int nrCpus;

    int startPfn;
    int endPfn;
    long present;
    long managed;
    long nrFreePages;
    long nrFreePagesBlocks;
    long nrFreeHighatomic;
    long nrReservedHighatomic;
    long watermarkBoost;
    long pgalloc;
    /** ZONE_BELOW_HIGH. */
    boolean belowHigh;
    /** ZONE_BOOSTED_WATERMARK. */
    boolean boostedWatermark;
    /** zone->pageset_batch / pageset_high_min / pageset_high_max. */
    int pagesetBatch = BuddyAllocator.BOOT_PAGESET_BATCH;

    int pagesetHighMin = BuddyAllocator.BOOT_PAGESET_HIGH;
    int pagesetHighMax = BuddyAllocator.BOOT_PAGESET_HIGH;

    Zone(ZoneType type, PageFrames frames, byte[] pageblocks, int nrCpus, int nrPcpLists) {
        this.type = type;
        this.idx = type.ordinal();
        this.frames = frames;
        this.pageblocks = pageblocks;
        this.nrCpus = nrCpus;
        this.lock = new SpinLock("zone->lock:" + type.procName(), "&zone->lock");
        this.freeList = new PfnList[BuddyAllocator.NR_PAGE_ORDERS * BuddyAllocator.MIGRATE_TYPES];
        for (int i = 0; i < freeList.length; i++) {
            freeList[i] = new PfnList(frames);
        }
        this.pcp = new PerCpuPages[nrCpus];
        for (int c = 0; c < nrCpus; c++) {
            pcp[c] = new PerCpuPages(frames, nrPcpLists, "pcp->lock:" + type.procName() + ":" + c);
            pcp[c].batch = BuddyAllocator.BOOT_PAGESET_BATCH;
        }
    }

    PfnList list(int order, int mt) {
        return freeList[order * BuddyAllocator.MIGRATE_TYPES + mt];
    }

    boolean contains(int pfn) {
        return pfn >= startPfn && pfn < endPfn;
    }

    @Override
    public ZoneType type() {
        return type;
    }

    @Override
    public int node() {
        return 0;
    }

    @Override
    public boolean populated() {
        return present != 0;
    }

    @Override
    public long startPfn() {
        return startPfn;
    }

    @Override
    public long spannedPages() {
        return (long) endPfn - startPfn;
    }

    @Override
    public long presentPages() {
        return present;
    }

    @Override
    public long managedPages() {
        return managed;
    }

    @Override
    public long nrFreePages() {
        return nrFreePages;
    }

    @Override
    public long nrFreePagesBlocks() {
        return nrFreePagesBlocks;
    }

    @Override
    public long nrFree(int order) {
        return nrFree[order];
    }

    @Override
    public long nrFree(int order, int migratetype) {
        return list(order, migratetype).size();
    }

    @Override
    public int freeListPfns(int order, int migratetype, int[] into) {
        PfnList l = list(order, migratetype);
        int n = 0;
        for (int p = l.first(); p != PageFrames.NIL && n < into.length; p = l.next(p)) {
            into[n++] = p;
        }
        return n;
    }

    @Override
    public long watermark(int wmark) {
        return watermark[wmark] + watermarkBoost;
    }

    @Override
    public long watermarkBoost() {
        return watermarkBoost;
    }

    @Override
    public long lowmemReserve(int zoneIdx) {
        return lowmemReserve[zoneIdx];
    }

    @Override
    public long pageblockCount(int migratetype) {
        // as pagetypeinfo_showblockcount_print(): every pageblock_nr_pages from zone_start_pfn
        long n = 0;
        for (long pfn = startPfn; pfn < endPfn; pfn += BuddyAllocator.PAGEBLOCK_NR_PAGES) {
            int p = (int) pfn;
            if (frames.zone(p) != idx) {
                continue;
            }
            if (BuddyAllocator.pageblockMigratetype(pageblocks, p) == migratetype) {
                n++;
            }
        }
        return n;
    }

    @Override
    public long pgalloc() {
        return pgalloc;
    }

    @Override
    public long numaEvent(int item) {
        return numa[item];
    }

    @Override
    public int statThreshold() {
        // calculate_normal_threshold()
        int mem = (int) (managed >>> 15);
        int threshold = 2 * fls(nrCpus) * (1 + fls(mem));
        return Math.min(125, threshold);
    }

    private static int fls(int x) {
        return 32 - Integer.numberOfLeadingZeros(x);
    }

    @Override
    public long nrFreeHighatomic() {
        return nrFreeHighatomic;
    }

    @Override
    public long nrReservedHighatomic() {
        return nrReservedHighatomic;
    }

    @Override
    public PcpMetric pcp(int cpu) {
        return pcp[cpu];
    }
}
