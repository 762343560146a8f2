package io.kmemlab.mm.slab;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.PageDump;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.trace.EventType;
import io.kmemlab.mm.trace.KmemEvent;
import io.kmemlab.mm.trace.Tracer;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kmalloc through the common layer's kmalloc caches (our {@code mm/slab_common.c} kmalloc half, the
 * default {@link KmallocBackend}): up to KMALLOC_MAX_CACHE_SIZE an object of
 * {@code kmalloc_caches[kmalloc_type(gfp)][kmalloc_index(size)]}, above it a large_kmalloc folio
 * from the page allocator. kfree and ksize find the owner with one {@link SlabAllocator#ownerOf}
 * lookup (virt_to_slab, slab->slab_cache) and hand the object to it.
 */
public final class KmallocCaches implements KmallocBackend {
    private static final Logger LOG = LoggerFactory.getLogger(KmallocCaches.class);

    private final SlabLayer layer;
    private final SlabAllocator allocator;
    private final Machine machine;
    private final Tracer tracer;
    private final PageFrames frames;
    private final KmallocIndex kmallocIndex;
    private final KmallocLimits limits;
    private final KmemCache[][] caches;
    /**
     * The small sizes' flat table: for 1 … {@value #SMALL_MAX} bytes of KMALLOC_NORMAL, entry
     * (size - 1) / 8 is {@code kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(size)]}'s
     * implementation (the kernel's size_index[] step, then the cache, in one load); null where
     * there is none yet. {@link #refresh} rebuilds it whenever the layer changes the table.
     */
    private final SlabCache[] small = new SlabCache[SMALL_MAX / 8];

    static final int SMALL_MAX = 192;
    private long innerKmallocSite;
    private long innerTrackCallerSite;
    private long bytesAlloc;

    KmallocCaches(SlabLayer layer, KmemCache[][] caches) {
        this.layer = layer;
        this.allocator = layer.allocator();
        this.machine = layer.machine();
        this.tracer = machine.tracer();
        this.frames = machine.frames();
        this.kmallocIndex = layer.kmallocIndex();
        this.limits = kmallocIndex.limits();
        this.caches = caches;
    }

    @Override
    public long kmalloc(int cpu, long size, int gfp, long callSite, boolean constant) {
        return kmalloc(cpu, size, gfp, callSite, constant, false);
    }

    @Override
    public long kmallocTrackCaller(int cpu, long size, int gfp, long callSite) {
        return kmalloc(cpu, size, gfp, callSite, false, true);
    }

    /**
     * Rebuilds the small sizes' table from kmalloc_caches[][]: the layer calls it after every
     * change of the table (a kmalloc cache created or aliased; a cache has its implementation
     * before it enters the table).
     */
    void refresh() {
        KmemCache[] normal = caches[KmallocType.NORMAL.ordinal()];
        for (int i = 0; i < small.length; i++) {
            int size = (i + 1) * 8;
            KmemCache s = size <= limits.maxCacheSize() ? normal[kmallocIndex.index(size)] : null;
            small[i] = s == null ? null : s.impl();
        }
    }

    private long kmalloc(int cpu, long size, int gfp, long callSite, boolean constant, boolean trackCaller) {
        if (size > 0 && size <= SMALL_MAX && KmallocType.of(gfp) == KmallocType.NORMAL) {
            SlabCache c = small[(int) (size - 1) >>> 3];
            if (c != null) {
                long obj = c.alloc(cpu, gfp, (int) size, callSite);
                bytesAlloc = c.size();
                if (tracer.on(EventType.KMALLOC)) {
                    traceKmalloc(cpu, c, obj, size, gfp, callSite);
                }
                return obj;
            }
        }
        return kmallocAnyCache(cpu, size, gfp, callSite, constant, trackCaller);
    }

    /** kmalloc beyond the small sizes' table: kmalloc_caches[type][index], or a large folio. */
    private long kmallocAnyCache(int cpu, long size, int gfp, long callSite, boolean constant, boolean trackCaller) {
        if (size < 0 || size > limits.maxCacheSize()) {
            return kmallocLarge(cpu, size, gfp, callSite, !constant, trackCaller);
        }
        KmemCache s = caches[KmallocType.of(gfp).ordinal()][kmallocIndex.index(size)];
        SlabCache c = s.impl();
        long obj = c.alloc(cpu, gfp, (int) size, callSite);
        bytesAlloc = c.size();
        if (tracer.on(EventType.KMALLOC)) {
            traceKmalloc(cpu, c, obj, size, gfp, callSite);
        }
        return obj;
    }

    private void traceKmalloc(int cpu, SlabCache c, long obj, long size, int gfp, long callSite) {
        tracer.emit(cpu, new KmemEvent.Kmalloc(callSite, obj, size, c.size(), gfp, -1));
    }

    @Override
    public long bytesAlloc() {
        return bytesAlloc;
    }

    /**
     * The return address of the call to __kmalloc_large_node_noprof in the function the request
     * came through (__do_kmalloc_node is inlined into each): what the first of a large kmalloc's
     * two events names. __kmalloc_node_track_caller_noprof+0x4f1/0x6f0 is a live 6.18.44
     * kernel's (its skb allocations print it).
     */
    private long innerKmallocSite(boolean trackCaller) {
        if (trackCaller) {
            if (innerTrackCallerSite == 0) {
                innerTrackCallerSite = machine.symbols().intern("__kmalloc_node_track_caller_noprof", 0x4f1, 0x6f0);
            }
            return innerTrackCallerSite;
        }
        if (innerKmallocSite == 0) {
            innerKmallocSite = machine.symbols().intern("__kmalloc_noprof", 0x2b5, 0x4b0);
        }
        return innerKmallocSite;
    }

    private long kmallocLarge(int cpu, long size, int gfp, long callSite, boolean doubled, boolean trackCaller) {
        if (!limits.largeToPageAllocator()) {
            // SLAB <= 6.0: no cache that large, NULL.
            bytesAlloc = 0;
            if (tracer.on(EventType.KMALLOC)) {
                tracer.emit(cpu, new KmemEvent.Kmalloc(callSite, 0, size, 0, gfp, -1));
            }
            return 0;
        }
        int order = size < 0 ? Integer.MAX_VALUE : Addr.getOrder(size);
        long obj = 0;
        if (order > PageAllocator.MAX_PAGE_ORDER) {
            // __alloc_pages: WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER, gfp)
            if ((gfp & Gfp.__GFP_NOWARN) == 0) {
                machine.dmesg()
                        .report(
                                ReportKind.WARN,
                                String.format(
                                                Locale.ROOT,
                                                "------------[ cut here ]------------%n"
                                                        + "WARNING: CPU: %d PID: %d at mm/page_alloc.c __alloc_frozen_pages_noprof%n"
                                                        + "kmalloc: %s bytes exceed KMALLOC_MAX_SIZE (%d), called from %s",
                                                cpu,
                                                machine.cpus().pid(cpu),
                                                Long.toUnsignedString(size),
                                                limits.maxSize(),
                                                machine.symbols().format(callSite))
                                        .replace("\r", ""));
            }
        } else {
            PageAllocator pa = machine.pageAllocator();
            int pageGfp = (gfp & SlabLayer.GFP_SLAB_BUG_MASK) != 0 ? layer.kmallocFixFlags(gfp) : gfp;
            int pfn = pa.allocPages(cpu, pageGfp | Gfp.__GFP_COMP, order);
            if (pfn != PageAllocator.NO_PAGE) {
                frames.set(pfn, PageFrames.PG_LARGE_KMALLOC);
                machine.addNodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B, (long) Addr.PAGE_SIZE << order);
                obj = Addr.pfnToVirt(pfn);
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("large kmalloc of {} bytes: order-{} allocation failed", size, order);
            }
        }
        bytesAlloc = order > PageAllocator.MAX_PAGE_ORDER
                ? (long) Addr.PAGE_SIZE << Math.min(order, 62 - Addr.PAGE_SHIFT)
                : (long) Addr.PAGE_SIZE << order;
        if (tracer.on(EventType.KMALLOC)) {
            if (doubled) {
                // 6.18: __kmalloc_large_node_noprof traces, then __do_kmalloc_node traces again.
                tracer.emit(cpu, new KmemEvent.Kmalloc(innerKmallocSite(trackCaller), obj, size, bytesAlloc, gfp, -1));
            }
            tracer.emit(cpu, new KmemEvent.Kmalloc(callSite, obj, size, bytesAlloc, gfp, -1));
        }
        return obj;
    }

    /** kfree: virt_to_slab once, then the owner's slab_free; else a large folio or a report. */
    @Override
    public boolean kfree(int cpu, long obj, long callSite) {
        SlabCache owner = allocator.ownerOf(obj);
        if (owner != null) {
            return owner.free(cpu, obj, callSite);
        }
        return kfreeNotOnCache(cpu, obj, callSite);
    }

    /**
     * kfree of an address {@link SlabAllocator#ownerOf} gives no cache for (the layer has
     * checked it is memory): a slab page no cache owns, a large folio, or free_large_kmalloc's WARN.
     */
    @Override
    public boolean kfreeNotOnCache(int cpu, long obj, long callSite) {
        int head = frames.compoundHead(Addr.virtToPfn(obj));
        if (frames.test(head, PageFrames.PG_SLAB)) {
            // a slab page no cache owns (a discarded slab waiting for its grace period)
            layer.badFree("kfree", obj, callSite);
            return false;
        }
        return kfreeNonSlab(cpu, head, callSite);
    }

    /** kfree of an address on no slab page: a large kmalloc folio, else free_large_kmalloc's WARN. */
    private boolean kfreeNonSlab(int cpu, int head, long callSite) {
        if (frames.test(head, PageFrames.PG_LARGE_KMALLOC)) {
            // free_large_kmalloc: the whole folio, whatever the offset of obj inside it.
            int order = frames.order(head);
            frames.clear(head, PageFrames.PG_LARGE_KMALLOC);
            machine.addNodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B, -((long) Addr.PAGE_SIZE << order));
            return machine.pageAllocator().freePages(cpu, head, order);
        }
        machine.dmesg()
                .report(
                        ReportKind.SLAB_BAD_FREE,
                        PageDump.of(frames, head)
                                + String.format(
                                                Locale.ROOT,
                                                "page dumped because: Not a kmalloc allocation%n"
                                                        + "------------[ cut here ]------------%n"
                                                        + "WARNING: CPU: %d PID: %d at free_large_kmalloc called from %s",
                                                cpu,
                                                machine.cpus().pid(cpu),
                                                machine.symbols().format(callSite))
                                        .replace("\r", ""));
        return false;
    }

    /** ksize: the folio size of a large kmalloc, the cache's usable size of a slab object. */
    @Override
    public long ksize(long obj) {
        SlabCache owner = allocator.ownerOf(obj);
        if (owner != null) {
            int k = owner.ksize(obj);
            if (k >= 0) {
                owner.skipOrigSizeCheck(obj);
            }
            return k;
        }
        int head = frames.compoundHead(Addr.virtToPfn(obj));
        if (frames.test(head, PageFrames.PG_LARGE_KMALLOC)) {
            return (long) Addr.PAGE_SIZE << frames.order(head);
        }
        return -1;
    }

    /**
     * {@code __do_krealloc}'s test: in place while the request fits the bucket
     * ({@code s->object_size}, or the large folio), with __GFP_ZERO and kmalloc red-zone
     * bookkeeping.
     */
    @Override
    public long kreallocInPlace(int cpu, long p, long newSize, int gfp, long callSite) {
        long ks;
        long origSize;
        SlabCache owner = allocator.ownerOf(p);
        int head = frames.compoundHead(Addr.virtToPfn(p));
        if (owner != null) {
            ks = owner.objectSize();
            origSize = owner.origSize(p);
        } else if (frames.test(head, PageFrames.PG_SLAB)) {
            layer.badFree("krealloc", p, callSite);
            return -1;
        } else if (frames.test(head, PageFrames.PG_LARGE_KMALLOC)) {
            ks = (long) Addr.PAGE_SIZE << frames.order(head);
            origSize = ks;
        } else {
            // krealloc of something kfree would reject: the same report.
            layer.kfree(cpu, p, callSite);
            return -1;
        }
        if (newSize > 0 && newSize <= ks) {
            if ((gfp & Gfp.__GFP_ZERO) != 0) {
                if (origSize < newSize) {
                    machine.mem().fill(p + origSize, 0, newSize - origSize);
                } else {
                    machine.mem().fill(p + newSize, 0, ks - newSize);
                }
            }
            if (owner != null) {
                owner.setOrigSize(p, (int) newSize);
            }
            return 0;
        }
        return origSize != 0 ? origSize : ks;
    }

    /** kmalloc_size_roundup: the kmalloc cache's object size, or whole pages above the caches. */
    @Override
    public long sizeRoundup(long n) {
        if (n > 0 && n <= limits.maxCacheSize()) {
            return caches[KmallocType.NORMAL.ordinal()][kmallocIndex.index(n)].objectSize();
        }
        if (n > 0 && n <= limits.maxSize()) {
            return (long) Addr.PAGE_SIZE << Addr.getOrder(n);
        }
        return n;
    }
}
