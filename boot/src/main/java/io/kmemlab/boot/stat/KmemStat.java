package io.kmemlab.boot.stat;

import io.kmemlab.mm.LongLongMap;
import io.kmemlab.mm.trace.read.TraceLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code perf kmem stat} counts, event by event, as {@code tools/perf/builtin-kmem.c} counts
 * it: the slab side from {@code kmalloc}/{@code kmem_cache_alloc} and {@code kfree}/{@code
 * kmem_cache_free}, the page side from {@code mm_page_alloc} and {@code mm_page_free} (the only
 * page events perf kmem reads: {@code mm_page_free_batched} is counted apart, for a note).
 *
 * <p>Slab side: one {@link AllocStat} per pointer and one per call site. An allocation adds its
 * bytes to both (a pointer allocated again accumulates, and takes the newest call site and CPU);
 * a free of a known pointer adds that pointer's last {@code bytes_alloc} to the bytes freed and,
 * when it runs on another CPU than the allocation, counts a ping-pong on the pointer and on its
 * call site; the pointer is then marked freed (CPU −1), so a second free of it counts again, as
 * perf's does. A free of an unknown pointer is ignored. A cross-CPU allocation is one whose
 * {@code node=} is neither −1 nor the node of its CPU (node 0: kmemlab's machines and the
 * traces it reads have one node).
 *
 * <p>Page side: a page (pfn) allocated is live until freed; per page, per (page, order,
 * migrate type, gfp) and per (call site, order, migrate type, gfp) the allocations and frees are
 * counted, plus the order × migrate type table; a failed allocation ({@code pfn=-1}) counts as a
 * failure, a free of a page not live as "free-only".
 *
 * <p>The kernel traces one large kmalloc twice ({@code __kmalloc_large_node_noprof}, then its
 * caller); perf counts both, and so does this class, while it counts the doubled events apart
 * for the report's note (a replay applies each request once).
 */
public final class KmemStat {
    /** Bytes of a page: {@code kmem_page_size}. */
    static final long PAGE_SIZE = 4096;
    /** perf's table sizes: orders 0 … 10, migrate types 0 … 5. */
    static final int MAX_ORDER = 11;

    static final int MAX_MIGRATE_TYPES = 6;
    /** 6.18's KMALLOC_MAX_CACHE_SIZE: above it a kmalloc is large and traced twice. */
    private static final long KMALLOC_MAX_CACHE_SIZE = 8192;

    /** perf's {@code struct alloc_stat}: one pointer's or one call site's allocations. */
    static final class AllocStat {
        long callSite;
        long ptr;
        long bytesReq;
        long bytesAlloc;
        long lastAlloc;
        long hit;
        long pingpong;
        int allocCpu;
    }

    /** perf's {@code struct page_stat}. */
    static final class PageStat {
        long page;
        long callSite;
        int order;
        int gfpFlags;
        int migrateType;
        long allocBytes;
        long freeBytes;
        long nrAlloc;
        long nrFree;
    }

    /** The key of perf's page_alloc tree (page, order, migtype, gfp) or caller tree (callsite, …). */
    record PageKey(long id, int order, int migrateType, int gfpFlags) {}

    final List<AllocStat> byPtr = new ArrayList<>();
    final List<AllocStat> byCallSite = new ArrayList<>();
    private final LongLongMap ptrIndex = new LongLongMap(-1);
    private final LongLongMap callSiteIndex = new LongLongMap(-1);

    long totalRequested;
    long totalAllocated;
    long totalFreed;
    long nrAllocs;
    long nrCrossAllocs;

    /** Kmalloc events that were the second trace of one large kmalloc, and their bytes. */
    long doubledLarge;

    long doubledReq;
    long doubledAlloc;
    private final long[] lastKmallocPtr = new long[4096];
    private final long[] lastKmallocReq = new long[4096];

    final boolean livePages;
    final Map<Long, PageStat> pageLive = new HashMap<>();
    final Map<PageKey, PageStat> pageAlloc = new HashMap<>();
    final Map<PageKey, PageStat> pageCaller = new HashMap<>();
    final long[][] orderStats = new long[MAX_ORDER][MAX_MIGRATE_TYPES];
    /** Every gfp value of a page allocation seen (for the legend and the column width). */
    final Map<Integer, Boolean> gfpsSeen = new HashMap<>();

    long nrPageAllocs;
    long nrPageFrees;
    long nrPageFails;
    long nrPageNomatch;
    long totalPageAllocBytes;
    long totalPageFreeBytes;
    long totalPageNomatchBytes;
    long totalPageFailBytes;
    /** mm_page_free_batched events: perf kmem does not read them. */
    long batchedFrees;

    long slabEvents;
    long pageEvents;

    /** @param livePages perf's {@code --live}: the page tables show what is still allocated */
    public KmemStat(boolean livePages) {
        this.livePages = livePages;
    }

    /** Slab events counted (kmalloc, kmem_cache_alloc, kfree, kmem_cache_free). */
    public long slabEvents() {
        return slabEvents;
    }

    /** Page events counted (mm_page_alloc, mm_page_free). */
    public long pageEvents() {
        return pageEvents;
    }

    /** Counts one line of a trace (events only; anything else is ignored). */
    public void accept(TraceLine l) {
        if (l.kind() != TraceLine.Kind.EVENT) {
            return;
        }
        switch (l.op()) {
            case KMALLOC -> {
                slabEvents++;
                kmalloc(l);
            }
            case KMEM_CACHE_ALLOC -> {
                slabEvents++;
                alloc(l);
            }
            case KFREE, KMEM_CACHE_FREE -> {
                slabEvents++;
                free(l.ptr(), l.cpu());
            }
            case MM_PAGE_ALLOC -> {
                pageEvents++;
                pageAlloc(l);
            }
            case MM_PAGE_FREE -> {
                pageEvents++;
                pageFree(l.pfn(), l.order());
            }
            case MM_PAGE_FREE_BATCHED -> batchedFrees++;
            default -> {}
        }
    }

    private void kmalloc(TraceLine l) {
        int slot = l.cpu() & (lastKmallocPtr.length - 1);
        long idx = ptrIndex.get(l.ptr());
        if (idx >= 0
                && byPtr.get((int) idx).allocCpu >= 0
                && l.ptr() == lastKmallocPtr[slot]
                && l.bytesReq() == lastKmallocReq[slot]
                && Long.compareUnsigned(l.bytesReq(), KMALLOC_MAX_CACHE_SIZE) > 0) {
            doubledLarge++;
            doubledReq += l.bytesReq();
            doubledAlloc += l.bytesAlloc();
        }
        lastKmallocPtr[slot] = l.ptr();
        lastKmallocReq[slot] = l.bytesReq();
        alloc(l);
    }

    /** As evsel__process_alloc_event(). */
    private void alloc(TraceLine l) {
        long ptr = l.ptr();
        long callSite = l.callSite();
        AllocStat p = find(ptrIndex, byPtr, ptr);
        if (p == null) {
            p = add(ptrIndex, byPtr, ptr);
            p.ptr = ptr;
        }
        p.hit++;
        p.bytesReq += l.bytesReq();
        p.bytesAlloc += l.bytesAlloc();
        p.callSite = callSite;
        p.allocCpu = l.cpu();
        p.lastAlloc = l.bytesAlloc();

        AllocStat c = find(callSiteIndex, byCallSite, callSite);
        if (c == null) {
            c = add(callSiteIndex, byCallSite, callSite);
            c.callSite = callSite;
        }
        c.hit++;
        c.bytesReq += l.bytesReq();
        c.bytesAlloc += l.bytesAlloc();

        totalRequested += l.bytesReq();
        totalAllocated += l.bytesAlloc();
        nrAllocs++;
        int node = l.node();
        if (node != -1 && node != 0) {
            nrCrossAllocs++;
        }
    }

    /** As evsel__process_free_event(). */
    private void free(long ptr, int cpu) {
        AllocStat p = find(ptrIndex, byPtr, ptr);
        if (p == null) {
            return;
        }
        totalFreed += p.lastAlloc;
        if (cpu != p.allocCpu) {
            p.pingpong++;
            AllocStat c = find(callSiteIndex, byCallSite, p.callSite);
            if (c != null) {
                c.pingpong++;
            }
        }
        p.allocCpu = -1;
    }

    private static AllocStat find(LongLongMap index, List<AllocStat> list, long key) {
        long i = index.get(key);
        return i < 0 ? null : list.get((int) i);
    }

    private static AllocStat add(LongLongMap index, List<AllocStat> list, long key) {
        AllocStat s = new AllocStat();
        index.put(key, list.size());
        list.add(s);
        return s;
    }

    /** As evsel__process_page_alloc_event() (pfn form: the 6.18 event prints pfn=). */
    private void pageAlloc(TraceLine l) {
        int order = l.order();
        long bytes = PAGE_SIZE << Math.min(Math.max(order, 0), 40);
        long page = l.pfn();
        nrPageAllocs++;
        totalPageAllocBytes += bytes;
        if (page == -1) {
            nrPageFails++;
            totalPageFailBytes += bytes;
            return;
        }
        int gfp = l.gfpFlags();
        int mt = l.migratetype();
        gfpsSeen.putIfAbsent(gfp, Boolean.TRUE);
        long callSite = l.callSite();

        PageStat live = pageLive.get(page);
        if (live == null) {
            live = new PageStat();
            live.page = page;
            live.order = order;
            live.gfpFlags = gfp;
            live.migrateType = mt;
            pageLive.put(page, live);
        }
        live.nrAlloc++;
        live.allocBytes += bytes;
        live.callSite = callSite;

        if (!livePages) {
            PageStat a = pageAlloc.computeIfAbsent(new PageKey(page, order, mt, gfp), k -> newPage(k, true));
            a.nrAlloc++;
            a.allocBytes += bytes;
            a.callSite = callSite;
        }
        PageStat c = pageCaller.computeIfAbsent(new PageKey(callSite, order, mt, gfp), k -> newPage(k, false));
        c.nrAlloc++;
        c.allocBytes += bytes;
        if (order >= 0 && order < MAX_ORDER && mt >= 0 && mt < MAX_MIGRATE_TYPES) {
            orderStats[order][mt]++;
        }
    }

    private static PageStat newPage(PageKey k, boolean byPage) {
        PageStat s = new PageStat();
        if (byPage) {
            s.page = k.id();
        } else {
            s.callSite = k.id();
        }
        s.order = k.order();
        s.migrateType = k.migrateType();
        s.gfpFlags = k.gfpFlags();
        return s;
    }

    /** As evsel__process_page_free_event(). */
    private void pageFree(long page, int order) {
        long bytes = PAGE_SIZE << Math.min(Math.max(order, 0), 40);
        nrPageFrees++;
        totalPageFreeBytes += bytes;
        PageStat live = pageLive.get(page);
        if (live == null) {
            nrPageNomatch++;
            totalPageNomatchBytes += bytes;
            return;
        }
        pageLive.remove(page);
        int gfp = live.gfpFlags;
        int mt = live.migrateType;
        long callSite = live.callSite;
        if (livePages) {
            if (order >= 0 && order < MAX_ORDER && mt >= 0 && mt < MAX_MIGRATE_TYPES) {
                orderStats[order][mt]--;
            }
        } else {
            PageStat a = pageAlloc.get(new PageKey(page, order, mt, gfp));
            if (a != null) {
                a.nrFree++;
                a.freeBytes += bytes;
            }
        }
        PageKey ck = new PageKey(callSite, order, mt, gfp);
        PageStat c = pageCaller.get(ck);
        if (c == null) {
            return;
        }
        c.nrFree++;
        c.freeBytes += bytes;
        if (livePages) {
            c.nrAlloc--;
            c.allocBytes -= bytes;
            if (c.nrAlloc == 0) {
                pageCaller.remove(ck);
            }
        }
    }
}
