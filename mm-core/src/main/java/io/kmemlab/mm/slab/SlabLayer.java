package io.kmemlab.mm.slab;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.trace.EventType;
import io.kmemlab.mm.trace.KmemEvent;
import io.kmemlab.mm.trace.Tracer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The common slab layer, our {@code mm/slab_common.c}: the {@code slab_caches} list, slab_state,
 * cache creation (alignment, boot caches, kmalloc caches), kmalloc dispatch by size class and type,
 * large kmalloc, kfree's ownership lookup, the kmem tracepoints and /proc/slabinfo. The allocator
 * strategy behind it ({@link SlabAllocator}) is only its algorithm.
 *
 * <p>Public API methods take the emulated CPU and a call-site address (for tracepoints and debug
 * track records) and return 0 for NULL.
 */
public final class SlabLayer {
    /** ARCH_KMALLOC_MINALIGN = ARCH_SLAB_MINALIGN on x86-64. */
    public static final int ARCH_MINALIGN = 8;
    /** cache_line_size(). */
    public static final int CACHE_LINE = 64;

    private final Machine machine;
    private final SlabAllocator allocator;
    private final KmallocIndex kmallocIndex;
    private final Tracer tracer;
    private final PageFrames frames;
    /** slab_caches: newest first. */
    private final LinkedList<KmemCache> caches = new LinkedList<>();
    private final Map<String, KmemCache> byName = new HashMap<>();
    private final KmemCache[][] kmallocCaches = new KmemCache[KmallocType.COUNT][KmallocIndex.MAX_INFO_INDEX + 1];
    private SlabState state = SlabState.DOWN;

    public SlabLayer(Machine machine, SlabAllocator allocator) {
        this.machine = machine;
        this.allocator = allocator;
        this.kmallocIndex = new KmallocIndex(allocator.kmallocLimits());
        this.tracer = machine.tracer();
        this.frames = machine.frames();
    }

    /** Runs the allocator's kmem_cache_init and registers /proc/slabinfo. */
    public void init() {
        allocator.kmemCacheInit(machine, this);
        if (allocator.hasSlabinfo()) {
            int mode = allocator.slabinfoMode();
            if ((mode & 0200) != 0) {
                machine.vfs().register("/proc/slabinfo", mode, this::slabinfo, allocator::slabinfoWrite);
            } else {
                machine.vfs().register("/proc/slabinfo", mode, this::slabinfo);
            }
        }
        allocator.kmemCacheInitLate();
    }

    public Machine machine() {
        return machine;
    }

    public SlabAllocator allocator() {
        return allocator;
    }

    public KmallocIndex kmallocIndex() {
        return kmallocIndex;
    }

    public SlabState state() {
        return state;
    }

    public void setState(SlabState state) {
        this.state = state;
    }

    /** slab_caches, newest first. */
    public List<KmemCache> caches() {
        return new ArrayList<>(caches);
    }

    /** A cache by name (or alias name), or null. */
    public KmemCache find(String name) {
        return byName.get(name);
    }

    // --- creation ------------------------------------------------------------------------

    /** calculate_alignment(flags, align, size). */
    public static int calculateAlignment(int flags, int align, int size) {
        if ((flags & SlabFlags.HWCACHE_ALIGN) != 0) {
            int ralign = CACHE_LINE;
            while (size <= ralign / 2) {
                ralign /= 2;
            }
            align = Math.max(align, ralign);
        }
        align = Math.max(align, ARCH_MINALIGN);
        return (align + 7) & ~7;
    }

    /**
     * create_boot_cache: a cache with refcount -1, not yet on slab_caches (the caller adds it with
     * {@link #addCache} when the allocator's bootstrap says so).
     */
    public KmemCache createBootCache(String name, int size, int flags, int useroffset, int usersize) {
        int align = ARCH_MINALIGN;
        if ((flags & SlabFlags.KMALLOC) != 0 && size > 0) {
            if (kmallocIndex.limits().naturalAlignPowerOfTwo()) {
                if (Integer.bitCount(size) == 1) {
                    align = Math.max(align, size);
                }
            } else {
                align = Math.max(align, Integer.lowestOneBit(size));
            }
        }
        align = calculateAlignment(flags, align, size);
        KmemCache c = new KmemCache(name, size, align, flags, null, useroffset, usersize,
                KmemCache.NO_FREEPTR_OFFSET);
        c.setRefcount(-1);
        SlabCache impl = allocator.createCache(c);
        if (impl == null) {
            throw new IllegalStateException("Creation of kmalloc slab " + name + " size=" + size + " failed");
        }
        c.setImpl(impl);
        return c;
    }

    /** Adds a cache at the head of slab_caches and registers its files. */
    public void addCache(KmemCache c) {
        caches.addFirst(c);
        byName.put(c.name(), c);
        if (c.impl() != null) {
            c.impl().registerFiles(machine.vfs());
        }
    }

    /** create_kmalloc_caches (6.18 order: per type, 96, 192, then shiftLow … shiftHigh). */
    public void createKmallocCaches() {
        KmallocLimits lim = kmallocIndex.limits();
        for (KmallocType type : KmallocType.values()) {
            for (int idx : kmallocIndex.creationOrder()) {
                int size = KmallocIndex.sizeOf(idx);
                String name = type.prefix() + KmallocIndex.suffix(idx);
                int flags = SlabFlags.KMALLOC | lim.cacheFlags() | type.cacheFlags();
                KmemCache c = createBootCache(name, size, flags, 0, size);
                c.setRefcount(1);
                kmallocCaches[type.ordinal()][idx] = c;
                addCache(c);
            }
        }
        state = SlabState.UP;
    }

    /**
     * create_kmalloc_cache for one type and index, for allocators whose kernel version creates
     * the kmalloc caches in another order than {@link #createKmallocCaches()} (SLAB ≤ 6.0: the
     * INDEX_NODE cache first, then 32 … 4M per type with 96 and 192 interleaved, DMA last).
     */
    public KmemCache createKmallocCache(KmallocType type, int index) {
        KmallocLimits lim = kmallocIndex.limits();
        int size = KmallocIndex.sizeOf(index);
        String name = type.prefix() + KmallocIndex.suffix(index);
        int flags = SlabFlags.KMALLOC | lim.cacheFlags() | type.cacheFlags();
        KmemCache c = createBootCache(name, size, flags, 0, type == KmallocType.DMA ? 0 : size);
        c.setRefcount(1);
        kmallocCaches[type.ordinal()][index] = c;
        addCache(c);
        return c;
    }

    /** Points a kmalloc type's slot at an existing cache (a type the kernel version lacks). */
    public void aliasKmallocCache(KmallocType type, int index, KmemCache c) {
        kmallocCaches[type.ordinal()][index] = c;
    }

    /** The kmalloc cache for a type and index, or null if none. */
    public KmemCache kmallocCache(KmallocType type, int index) {
        return kmallocCaches[type.ordinal()][index];
    }

    /**
     * kmem_cache_create(name, size, align, flags, ctor) with the usercopy region and explicit free
     * pointer offset of 6.18's kmem_cache_args.
     *
     * @return the cache (possibly an existing cache this one was merged into), or null with a
     *     kernel-style report for invalid arguments
     */
    public KmemCache kmemCacheCreate(
            String name, long size, long align, int flags, Ctor ctor, int useroffset, int usersize,
            int freeptrOffset) {
        if (name == null || name.isEmpty() || size < SlabLimits.MIN_OBJECT_SIZE
                || size > SlabLimits.MAX_OBJECT_SIZE || align < 0 || (align & (align - 1)) != 0
                || align > Addr.PAGE_SIZE) {
            machine.dmesg().report(ReportKind.WARN, String.format(Locale.ROOT,
                    "kmem_cache_create(%s) failed with error -22%n"
                            + "WARNING: kmem_cache_create: invalid arguments size=%d align=%d",
                    name, size, align));
            return null;
        }
        if (byName.containsKey(name)) {
            machine.dmesg().report(ReportKind.WARN,
                    "kmem_cache_create(" + name + ") failed with error -17");
            return null;
        }
        int calcAlign = calculateAlignment(flags, (int) align, (int) size);
        KmemCache c = new KmemCache(name, (int) size, calcAlign, flags, ctor, useroffset, usersize,
                freeptrOffset);
        SlabCache impl = allocator.createCache(c);
        if (impl == null) {
            return null;
        }
        c.setImpl(impl);
        addCache(c);
        return c;
    }

    // --- kmem_cache alloc/free ------------------------------------------------------------

    public long kmemCacheAlloc(int cpu, KmemCache s, int gfp, long callSite) {
        long obj = s.impl().alloc(cpu, gfp, s.objectSize(), callSite);
        if (tracer.on(EventType.KMEM_CACHE_ALLOC)) {
            boolean accounted = (gfp & Gfp.__GFP_ACCOUNT) != 0 || s.hasFlag(SlabFlags.ACCOUNT);
            tracer.emit(cpu, new KmemEvent.KmemCacheAlloc(callSite, obj, s.name(), s.objectSize(),
                    s.impl().size(), gfp, -1, accounted));
        }
        return obj;
    }

    /** kmem_cache_free: checks the object belongs to {@code s} (cache_from_obj). */
    public boolean kmemCacheFree(int cpu, KmemCache s, long obj, long callSite) {
        if (tracer.on(EventType.KMEM_CACHE_FREE)) {
            tracer.emit(cpu, new KmemEvent.KmemCacheFree(callSite, obj, s.name()));
        }
        if (obj == 0) {
            return true;
        }
        if (!machine.mem().contains(obj, 1)) {
            badFree("kmem_cache_free", obj, "address outside memory");
            return false;
        }
        if (!allocator.tracksSlabOwnership()) {
            return s.impl().free(cpu, obj, callSite);
        }
        SlabCache owner = ownerOf(obj);
        if (owner == null) {
            badFree("kmem_cache_free", obj, "not a slab object");
            return false;
        }
        if (owner != s.impl()) {
            machine.dmesg().report(ReportKind.SLAB_BAD_FREE, String.format(Locale.ROOT,
                    "kmem_cache_free: Wrong slab cache. %s but object is from %s",
                    s.name(), owner.descriptor().name()));
            return false;
        }
        return owner.free(cpu, obj, callSite);
    }

    private SlabCache ownerOf(long obj) {
        int pfn = Addr.virtToPfn(obj);
        int head = frames.compoundHead(pfn);
        if (!frames.test(head, PageFrames.PG_SLAB)) {
            return null;
        }
        return allocator.cacheOfSlab(head);
    }

    private void badFree(String fn, long obj, String why) {
        machine.dmesg().report(ReportKind.SLAB_BAD_FREE, String.format(Locale.ROOT,
                "%s: invalid free of %s (%s)", fn, Addr.hex(obj), why));
    }

    // --- kmalloc ------------------------------------------------------------------------

    /** __kmalloc / kmalloc with a runtime size. */
    public long kmalloc(int cpu, long size, int gfp, long callSite) {
        KmallocBackend backend = allocator.kmallocBackend();
        if (size == 0) {
            return Addr.ZERO_SIZE_PTR;
        }
        if (backend != null) {
            return backend.kmalloc(cpu, size, gfp, callSite);
        }
        KmallocLimits lim = kmallocIndex.limits();
        if (size < 0 || size > lim.maxCacheSize()) {
            return kmallocLarge(cpu, size, gfp, callSite);
        }
        KmemCache s = kmallocCaches[KmallocType.of(gfp).ordinal()][kmallocIndex.index(size)];
        long obj = s.impl().alloc(cpu, gfp, (int) size, callSite);
        if (tracer.on(EventType.KMALLOC)) {
            tracer.emit(cpu, new KmemEvent.Kmalloc(callSite, obj, size, s.impl().size(), gfp, -1));
        }
        return obj;
    }

    private long kmallocLarge(int cpu, long size, int gfp, long callSite) {
        KmallocLimits lim = kmallocIndex.limits();
        if (size < 0 || size > lim.maxSize() || !lim.largeToPageAllocator()) {
            if ((gfp & Gfp.__GFP_NOWARN) == 0) {
                machine.dmesg().report(ReportKind.WARN, String.format(Locale.ROOT,
                        "WARNING: kmalloc: size %s exceeds KMALLOC_MAX_SIZE (%d)",
                        Long.toUnsignedString(size), lim.maxSize()));
            }
            if (tracer.on(EventType.KMALLOC)) {
                tracer.emit(cpu, new KmemEvent.Kmalloc(callSite, 0, size, 0, gfp, -1));
            }
            return 0;
        }
        int order = Addr.getOrder(size);
        PageAllocator pa = machine.pageAllocator();
        int pfn = pa.allocPages(cpu, gfp | Gfp.__GFP_COMP, order);
        long obj = 0;
        if (pfn != PageAllocator.NO_PAGE) {
            frames.set(pfn, PageFrames.PG_LARGE_KMALLOC);
            machine.addNodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B, (long) Addr.PAGE_SIZE << order);
            obj = Addr.pfnToVirt(pfn);
        }
        if (tracer.on(EventType.KMALLOC)) {
            tracer.emit(cpu, new KmemEvent.Kmalloc(callSite, obj, size, (long) Addr.PAGE_SIZE << order, gfp, -1));
        }
        return obj;
    }

    /** kzalloc. */
    public long kzalloc(int cpu, long size, int gfp, long callSite) {
        return kmalloc(cpu, size, gfp | Gfp.__GFP_ZERO, callSite);
    }

    /** kfree: kfree(NULL) and kfree(ZERO_SIZE_PTR) are no-ops. */
    public boolean kfree(int cpu, long obj, long callSite) {
        if (tracer.on(EventType.KFREE)) {
            tracer.emit(cpu, new KmemEvent.Kfree(callSite, obj));
        }
        if (Long.compareUnsigned(obj, Addr.ZERO_SIZE_PTR) <= 0) {
            return true;
        }
        if (!machine.mem().contains(obj, 1)) {
            badFree("kfree", obj, "address outside memory");
            return false;
        }
        KmallocBackend backend = allocator.kmallocBackend();
        if (backend != null) {
            return backend.kfree(cpu, obj, callSite);
        }
        int pfn = Addr.virtToPfn(obj);
        int head = frames.compoundHead(pfn);
        if (frames.test(head, PageFrames.PG_SLAB)) {
            SlabCache owner = allocator.cacheOfSlab(head);
            if (owner == null) {
                badFree("kfree", obj, "slab page of no cache");
                return false;
            }
            return owner.free(cpu, obj, callSite);
        }
        if (frames.test(head, PageFrames.PG_LARGE_KMALLOC) && Addr.pfnToVirt(head) == obj) {
            int order = frames.order(head);
            frames.clear(head, PageFrames.PG_LARGE_KMALLOC);
            machine.addNodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B, -((long) Addr.PAGE_SIZE << order));
            return machine.pageAllocator().freePages(cpu, head, order);
        }
        machine.dmesg().report(ReportKind.SLAB_BAD_FREE, String.format(Locale.ROOT,
                "WARNING: kfree: %s is not a kmalloc allocation%n"
                        + "page: refcount:%d pfn:0x%x flags: 0x%x%n"
                        + "page dumped because: Not a kmalloc allocation",
                Addr.hex(obj), frames.refcount(head), head, frames.rawFlags(head)));
        return false;
    }

    /** ksize; -1 if the address is not a live kmalloc/slab object the allocator can size. */
    public long ksize(long obj) {
        if (obj == Addr.ZERO_SIZE_PTR) {
            return 0;
        }
        if (obj == 0 || !machine.mem().contains(obj, 1)) {
            return -1;
        }
        KmallocBackend backend = allocator.kmallocBackend();
        if (backend != null) {
            return backend.ksize(obj);
        }
        int head = frames.compoundHead(Addr.virtToPfn(obj));
        if (frames.test(head, PageFrames.PG_SLAB)) {
            SlabCache owner = allocator.cacheOfSlab(head);
            return owner == null ? -1 : owner.ksize(obj);
        }
        if (frames.test(head, PageFrames.PG_LARGE_KMALLOC)) {
            return (long) Addr.PAGE_SIZE << frames.order(head);
        }
        return -1;
    }

    // --- shrink / destroy ----------------------------------------------------------------

    public void kmemCacheShrink(KmemCache s) {
        s.impl().shrink();
    }

    /**
     * kmem_cache_destroy: drops a reference; the last one shuts the cache down. If objects remain
     * the kernel reports and leaves the cache in place.
     *
     * @return true if the cache (or the alias reference) is gone
     */
    public boolean kmemCacheDestroy(KmemCache s) {
        if (s.refcount() > 1) {
            s.setRefcount(s.refcount() - 1);
            return true;
        }
        long left = s.impl().shutdown();
        if (left != 0) {
            machine.dmesg().report(ReportKind.SLAB_LEAK, String.format(Locale.ROOT,
                    "kmem_cache_destroy %s: Slab cache still has objects when called from "
                            + "kmem_cache_destroy+0x0/0x0%nWARNING: kmem_cache_destroy: %d objects "
                            + "remain in %s",
                    s.name(), left, s.name()));
            return false;
        }
        s.impl().unregisterFiles(machine.vfs());
        caches.remove(s);
        byName.values().removeIf(c -> c == s);
        return true;
    }

    // --- views -------------------------------------------------------------------------

    public static final String SLABINFO_HEADER = "slabinfo - version: 2.1\n"
            + "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
            + " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs>"
            + " <num_slabs> <sharedavail>\n";

    /** Header with SLAB's statistics (CONFIG_DEBUG_SLAB). */
    public static final String SLABINFO_HEADER_STATISTICS = "slabinfo - version: 2.1 (statistics)\n"
            + "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
            + " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs>"
            + " <num_slabs> <sharedavail>"
            + " : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable>"
            + " <nodeallocs> <remotefrees> <alienoverflow> : cpustat <allochit> <allocmiss>"
            + " <freehit> <freemiss>\n";

    /** /proc/slabinfo (version 2.1). */
    public String slabinfo() {
        boolean stats = allocator.slabinfoStatistics();
        StringBuilder sb = new StringBuilder(stats ? SLABINFO_HEADER_STATISTICS : SLABINFO_HEADER);
        for (KmemCache c : caches) {
            appendSlabinfoRow(sb, c.impl().slabinfo());
            if (stats) {
                sb.setLength(sb.length() - 1);
                sb.append(c.impl().slabinfoStats()).append('\n');
            }
        }
        return sb.toString();
    }

    public static void appendSlabinfoRow(StringBuilder sb, SlabInfoRow r) {
        sb.append(String.format(Locale.ROOT, "%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d"
                        + " : slabdata %6d %6d %6d%n",
                r.name(), r.activeObjs(), r.numObjs(), r.objSize(), r.objPerSlab(), r.pagesPerSlab(),
                r.limit(), r.batchcount(), r.sharedFactor(), r.activeSlabs(), r.numSlabs(),
                r.sharedAvail()).replace("\r", ""));
    }

    /** Validates every cache and the allocator; returns the total error count. */
    public int validate() {
        int errors = 0;
        for (KmemCache c : caches) {
            errors += c.impl().validate();
        }
        errors += allocator.validate().size();
        return errors;
    }
}
