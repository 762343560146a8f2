package io.kmemlab.boot.replay;

import io.kmemlab.boot.replay.source.CallSiteNames;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Cpus;
import io.kmemlab.mm.LongLongMap;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.page.Fragmentation;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.page.PageAllocatorMetric;
import io.kmemlab.mm.slab.KmallocLimits;
import io.kmemlab.mm.slab.KmallocType;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabCache;
import io.kmemlab.mm.slab.SlabInfoRow;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.trace.CacheDefinition;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.Tracer;
import io.kmemlab.mm.trace.read.TraceLine;
import io.kmemlab.mm.trace.read.TraceOp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a stream of kmem trace events to one emulated machine through the public slab API, as
 * the traced kernel's callers did: each event on the CPU the trace names, with the task and the
 * virtual clock set from the line's prefix.
 *
 * <p>Trace pointers (hashed or raw) and pfns are mapped to emulated objects and frames with
 * primitive maps, whose values are handles:
 *
 * <pre>
 *   63  62          44 43                                   0
 *  +---+--------------+--------------------------------------+
 *  | F |   cache id   |  physical address of the object      |
 *  +---+--------------+--------------------------------------+
 *   F = 1: the pointer was freed (kept to recognise a double free)
 *   cache id 0: a kmalloc object (freed with kfree); n ≥ 1: caches[n] (kmem_cache_free)
 *   address all ones: ZERO_SIZE_PTR
 *   F = 1 and cache id all ones (FAILED): the emulated allocation returned NULL
 * </pre>
 *
 * Memory is O(live objects + recently freed pointers): freed markers are dropped wholesale when
 * they outnumber live entries by far, which only weakens double-free detection for long-dead
 * pointers. Nothing is allocated per event on the applied path.
 */
public final class ReplayEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayEngine.class);

    private static final int ADDR_BITS = 43;
    private static final long ADDR_MASK = (1L << ADDR_BITS) - 1;
    private static final int CACHE_ID_BITS = 11;
    /** The allocating CPU (mod 512), for cross-CPU frees: bits 54 … 62, above the cache id. */
    private static final int CPU_SHIFT = ADDR_BITS + CACHE_ID_BITS;

    private static final int CPU_MASK = (1 << 9) - 1;
    private static final long FREED = 1L << 63;
    private static final long ZERO_ADDR = ADDR_MASK;
    private static final long NONE = -1L;
    /** Cache id all ones (never a real id) with the freed bit: the replay's allocation failed. */
    private static final long FAILED = FREED | (((1L << CACHE_ID_BITS) - 1) << ADDR_BITS);
    /** Double frees reported to dmesg one by one; the rest are only counted. */
    private static final int DOUBLE_FREE_REPORTS = 10;
    /** Wrong-cache frees reported to dmesg one by one; the rest are only counted. */
    private static final int WRONG_CACHE_REPORTS = 10;

    private static final int TOMBSTONE_FLOOR = 1 << 20;
    private static final int TOP_CACHES = 10;
    /** Entries of the direct-mapped name → cache id cache in front of {@link #cacheIds}. */
    private static final int NAME_CACHE = 64;
    /**
     * KMALLOC_MAX_CACHE_SIZE of the traced kernel (SLUB 6.18) above which it prints two kmalloc
     * events for one call: a property of the trace, not of the allocator replaying it.
     */
    private static final long TRACED_KMALLOC_MAX_CACHE_SIZE = 8192;

    private final Machine machine;
    private final SlabLayer slab;
    private final KmallocLimits limits;
    private final SlabAllocator allocator;
    private final ReplayOptions options;
    private final Cpus cpus;
    private final int nrCpus;
    private final LongLongMap objects = new LongLongMap(NONE, 1 << 14);
    private final LongLongMap pages = new LongLongMap(NONE);
    private final List<KmemCache> caches = new ArrayList<>();
    private final Map<String, Integer> cacheIds = new HashMap<>();
    private final String[] nameCacheKey = new String[NAME_CACHE];
    private final int[] nameCacheId = new int[NAME_CACHE];
    /** bytes_req of each replay cache id's objects, as the trace gives it. */
    private long[] cacheReq = new long[64];
    /** bytes_req of live kmalloc objects, by trace pointer. */
    private final LongLongMap kmallocReq = new LongLongMap(0, 1 << 10);
    /** Bytes requested by the objects live now. */
    private long liveReq;

    private final String[] currentComm;
    private final int[] currentPid;
    private final ReplayStats stats;
    /** Caches a kmemlab trace defined, to be created at the next event's context. */
    private final ArrayDeque<CacheDefinition> pendingCaches = new ArrayDeque<>();
    /** Lines still to come that a recorded cache creation emitted. */
    private long creationLinesLeft;

    private PageAllocator pageAllocator;
    private CallSiteNames siteNames;
    private long[] siteBase = new long[256];
    private PageAllocatorMetric metric;
    private long baselineSlabBytes;
    private final long[] baselineReports = new long[ReportKind.COUNT];
    /** dmesg's sequence when the replay began: what it printed since is the replay's. */
    private final long dmesgMark;
    /**
     * The trace's name of each replay cache id (caches[id] may be the root it was merged into), or
     * null where the trace's allocations named none.
     */
    private final List<String> cacheNames = new ArrayList<>();

    private long tombstones;
    /** Freed pfns remembered in {@link #pages} (for 6.18's mm_page_free_batched after mm_page_free). */
    private long pageTombstones;

    private long lastNanos = -1;
    /** The last kmalloc applied, for the doubled large-kmalloc event. */
    private final long[] lastKmallocPtr;

    private final long[] lastKmallocReq;
    /** Per kmalloc type, a bit per kmalloc index the replay's kmallocs were served from. */
    private final long[] kmallocUsed = new long[KmallocType.COUNT];
    /** slabinfo active_objs of each cache when the replay began (its objects in use, as counted then). */
    private final Map<KmemCache, Long> baselineActive = new IdentityHashMap<>();
    /** Called with the machine at every new peak of slab memory (a report's snapshot), or null. */
    private Consumer<ReplayTarget> onPeak;

    private final ReplayTarget target;
    /** The page allocator's free areas, for fragmentation over time (one lambda, made once). */
    private final Fragmentation.FreeBlocks freeBlocks = o -> metric.nrFreeBlocks(o);

    public ReplayEngine(ReplayTarget target, ReplayOptions options) {
        this(target, options, target.slab().allocator().name());
    }

    /**
     * Calls {@code probe} with this engine's machine at every new peak of slab memory, before the
     * next event (at most once per page of growth): {@code kmemlab report} snapshots its page
     * frames there. Null for none.
     */
    public ReplayEngine onPeak(Consumer<ReplayTarget> probe) {
        this.onPeak = probe;
        return this;
    }

    /** A replay whose report column is {@code label} (a compare variant: {@code slub-7.1}). */
    public ReplayEngine(ReplayTarget target, ReplayOptions options, String label) {
        this.target = target;
        this.machine = target.machine();
        this.slab = target.slab();
        this.limits = slab.kmallocIndex().limits();
        this.allocator = slab.allocator();
        this.options = options;
        this.cpus = machine.cpus();
        this.nrCpus = cpus.nrCpus();
        this.currentComm = new String[nrCpus];
        this.currentPid = new int[nrCpus];
        this.lastKmallocPtr = new long[nrCpus];
        this.lastKmallocReq = new long[nrCpus];
        java.util.Arrays.fill(lastKmallocPtr, NONE);
        this.stats = new ReplayStats(label, options.maxSamples());
        caches.add(null); // id 0 = kmalloc
        cacheNames.add(null);
        this.pageAllocator = machine.pageAllocator();
        this.metric = pageAllocator.metric();
        this.baselineSlabBytes = nodeSlabBytes();
        for (KmemCache c : slab.caches()) {
            baselineActive.put(c, c.impl().slabinfo().activeObjs());
        }
        for (ReportKind k : ReportKind.values()) {
            baselineReports[k.ordinal()] = machine.dmesg().reportCount(k);
        }
        this.dmesgMark = machine.dmesg().sequence();
    }

    public ReplayStats stats() {
        return stats;
    }

    /**
     * Call sites of the lines to come are addresses in the reader's own kallsyms (when one reading
     * feeds several machines), whose slots {@code names} holds; each slot is taken into this
     * machine's kallsyms on first use (by name and size), so its traces and debug reports name the
     * same functions.
     */
    public void setCallSiteNames(CallSiteNames names) {
        this.siteNames = names;
    }

    /** The line's call site as an address of this machine's kallsyms. */
    private long site(TraceLine l) {
        long cs = l.callSite();
        if (siteNames == null) {
            return cs;
        }
        int id = Symbols.slotOf(cs);
        if (id < 0) {
            return cs;
        }
        if (id >= siteBase.length) {
            siteBase = java.util.Arrays.copyOf(siteBase, Math.max(id + 1, siteBase.length * 2));
        }
        long base = siteBase[id];
        if (base == 0) {
            base = internSite(id);
        }
        return base == -1 ? cs : base + Symbols.offsetOf(cs);
    }

    /** First use of a reader's call-site slot: the same function's slot in this machine's kallsyms, or -1. */
    private long internSite(int id) {
        Symbols.Slot s = siteNames.slot(id);
        long base = s == null ? -1 : Symbols.address(machine.symbols().slot(s.name(), s.size()), 0);
        siteBase[id] = base;
        return base;
    }

    public Machine machine() {
        return machine;
    }

    public SlabLayer slab() {
        return slab;
    }

    /** Applies one line the reader returned (EVENT, OTHER_EVENT, MALFORMED or CACHE_DEFINITION). */
    public void apply(TraceLine l) {
        if (creationLinesLeft > 0 && l.kind() != TraceLine.Kind.CACHE_DEFINITION) {
            creationLine(l);
            return;
        }
        switch (l.kind()) {
            case NONE:
                return;
            case CACHE_DEFINITION:
                defineCache(l.lineNo(), l.cacheDefinition());
                return;
            case MALFORMED:
                malformed(l);
                return;
            case OTHER_EVENT:
                stats.eventsRead++;
                skip(SkipReason.OTHER_EVENT);
                stats.otherEvents.merge(l.eventName(), 1L, Long::sum);
                return;
            default:
                stats.eventsRead++;
                applyEvent(l);
                sample(l);
        }
    }

    private void malformed(TraceLine l) {
        stats.eventsRead++;
        stats.malformed++;
        if (stats.malformedSamples.size() < options.malformedSamples()) {
            stats.malformedSamples.add("line " + l.lineNo() + ": " + l.reason());
        }
    }

    private void applyEvent(TraceLine l) {
        TraceOp op = l.op();
        if (op.isBuddyInternal()) {
            skip(SkipReason.BUDDY_INTERNAL);
            return;
        }
        if (op.isPageEvent() && !options.pageEvents()) {
            skip(SkipReason.PAGE_EVENT);
            return;
        }
        int cpu = enterContext(l);
        switch (op) {
            case KMALLOC -> kmalloc(cpu, l);
            case KMEM_CACHE_ALLOC -> kmemCacheAlloc(cpu, l);
            case KFREE, KMEM_CACHE_FREE -> free(cpu, l);
            case KREALLOC -> krealloc(cpu, l);
            case MM_PAGE_ALLOC -> pageAlloc(cpu, l);
            case MM_PAGE_FREE, MM_PAGE_FREE_BATCHED -> pageFree(cpu, l);
            default -> skip(SkipReason.BUDDY_INTERNAL);
        }
    }

    /** Sets the task and clock of the line's CPU; returns the emulated CPU. */
    private int enterContext(TraceLine l) {
        int cpu = l.cpu();
        if (cpu >= nrCpus) {
            cpu %= nrCpus;
            stats.foldedCpuEvents++;
        }
        if (currentComm[cpu] != l.comm() || currentPid[cpu] != l.pid()) {
            currentComm[cpu] = l.comm();
            currentPid[cpu] = l.pid();
            cpus.setCurrent(cpu, l.comm(), l.pid());
        }
        long t = l.nanos();
        if (stats.firstNanos < 0) {
            stats.firstNanos = t;
        }
        if (t > lastNanos) {
            lastNanos = t;
            stats.lastNanos = t;
            machine.clock().set(t);
            slab.timerTick(machine.clock().nanos());
        }
        if (!pendingCaches.isEmpty()) {
            createDefinedCaches();
        }
        return cpu;
    }

    // --- caches a kmemlab trace defines -------------------------------------------------------

    /**
     * A {@code # kmemlab cache:} comment: the recorded run created this cache here. It is created
     * in the context (CPU, task, time) of the next event, as the recorded run did it in the context
     * of the event it was handling; the {@code events} lines that follow are what the creation
     * itself emitted, which creating it again repeats, so they are skipped.
     */
    private void defineCache(long lineNo, CacheDefinition d) {
        stats.cacheComments++;
        if (slab.find(d.name()) != null) {
            // A cache of the booted kernel, or one this replay made (the recording destroyed and
            // made it again; the replay never destroys): not created again, so what the
            // recording's creation did is replayed as ordinary events.
            LOG.debug("line {}: cache {} exists; its definition is not applied", lineNo, d.name());
            return;
        }
        pendingCaches.add(d);
        creationLinesLeft += d.events();
    }

    /** One of the lines a recorded cache creation emitted: its context is the creation's. */
    private void creationLine(TraceLine l) {
        creationLinesLeft--;
        switch (l.kind()) {
            case MALFORMED -> malformed(l);
            case OTHER_EVENT -> {
                stats.eventsRead++;
                skip(SkipReason.CACHE_CREATION);
            }
            case EVENT -> {
                stats.eventsRead++;
                enterContext(l);
                skip(SkipReason.CACHE_CREATION);
                sample(l);
            }
            default -> creationLinesLeft++;
        }
    }

    /** kmem_cache_create with the recorded arguments, for each pending definition in order. */
    @SuppressWarnings("try") // the muting handle is only closed
    private void createDefinedCaches() {
        while (!pendingCaches.isEmpty()) {
            CacheDefinition d = pendingCaches.poll();
            if (slab.find(d.name()) != null) {
                // A cache of the booted kernel (or one created earlier under that name).
                continue;
            }
            KmemCacheArgs.Builder args = KmemCacheArgs.builder()
                    .align(d.align())
                    .usercopy(d.useroffset(), d.usersize())
                    .ctor(d.ctor() ? CacheShape.NOOP_CTOR : null)
                    .sheafCapacity(d.sheafCapacity());
            if (d.freeptrOffset() >= 0) {
                args.freeptrOffset(d.freeptrOffset());
            }
            KmemCache s;
            try (Tracer.Muted m = machine.tracer().mute()) {
                s = slab.kmemCacheCreate(d.name(), d.size(), d.flags(), args.build());
            }
            if (s == null) {
                // kmem_cache_create has reported why; the cache's events fall back to a shape.
                stats.cachesDefinedFailed++;
                LOG.debug("kmem_cache_create({}) as the trace defines it failed", d.name());
                continue;
            }
            stats.cachesDefined++;
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "created cache {} as the trace defines it: object_size={} slot={}{}",
                        d.name(),
                        d.size(),
                        s.impl().size(),
                        s.name().equals(d.name()) ? "" : " (merged into " + s.name() + ")");
            }
        }
    }

    // --- objects ----------------------------------------------------------------------------

    private void kmalloc(int cpu, TraceLine l) {
        long ptr = l.ptr();
        if (ptr == 0) {
            skip(SkipReason.FAILED_IN_TRACE);
            return;
        }
        long prev = objects.get(ptr);
        if (isLive(prev)) {
            if (ptr == lastKmallocPtr[cpu]
                    && l.bytesReq() == lastKmallocReq[cpu]
                    && Long.compareUnsigned(l.bytesReq(), TRACED_KMALLOC_MAX_CACHE_SIZE) > 0) {
                // 6.18: __do_kmalloc_node and __kmalloc_large_node_noprof both trace one large kmalloc.
                skip(SkipReason.DUPLICATE_LARGE_KMALLOC);
                return;
            }
            implicitFree(cpu, prev, l);
        }
        long size = l.bytesReq();
        long obj = slab.kmalloc(cpu, size, l.gfpFlags(), site(l));
        lastKmallocPtr[cpu] = ptr;
        lastKmallocReq[cpu] = size;
        stats.applied++;
        if (obj == 0) {
            allocFailed(ptr, prev);
            return;
        }
        stats.allocations++;
        stats.bytesReq += size;
        stats.bytesAlloc += slab.kmallocBytesAlloc();
        markKmalloc(size, l.gfpFlags());
        kmallocReq.put(ptr, size);
        liveReq += size;
        putObject(ptr, prev, handle(cpu, 0, obj));
    }

    /** Remembers the kmalloc cache a request of {@code size} was served from (none above the limit). */
    private void markKmalloc(long size, int gfp) {
        if (size > 0 && size <= limits.maxCacheSize()) {
            kmallocUsed[KmallocType.of(gfp).ordinal()] |=
                    1L << slab.kmallocIndex().index(size);
        }
    }

    private void kmemCacheAlloc(int cpu, TraceLine l) {
        long ptr = l.ptr();
        if (ptr == 0) {
            skip(SkipReason.FAILED_IN_TRACE);
            return;
        }
        int id = cacheId(l);
        if (id < 0) {
            skip(SkipReason.CACHE_NOT_CREATED);
            return;
        }
        long prev = objects.get(ptr);
        if (isLive(prev)) {
            implicitFree(cpu, prev, l);
        }
        KmemCache s = caches.get(id);
        long obj = slab.kmemCacheAlloc(cpu, s, l.gfpFlags(), site(l));
        stats.applied++;
        if (obj == 0) {
            allocFailed(ptr, prev);
            return;
        }
        stats.allocations++;
        // What the caller asked for is the traced object size, even if the emulated cache was
        // merged into a bigger one; what it got is the emulated slot.
        stats.bytesReq += l.bytesReq();
        stats.bytesAlloc += s.impl().size();
        liveReq += cacheReq[id];
        putObject(ptr, prev, handle(cpu, id, obj));
    }

    /** The replay's id of the line's cache, creating the cache on first sight; -1 if impossible. */
    private int cacheId(TraceLine l) {
        String name = l.cacheName();
        // The reader interns names, so the same name is mostly the same String: a direct-mapped
        // cache by reference saves the HashMap lookup (and Integer unboxing) per event.
        int slot = name == null ? 0 : name.hashCode() & (NAME_CACHE - 1);
        if (name != null && nameCacheKey[slot] == name) {
            return nameCacheId[slot];
        }
        int id = cacheIdSlow(l, name);
        if (name != null) {
            nameCacheKey[slot] = name;
            nameCacheId[slot] = id;
        }
        return id;
    }

    private int cacheIdSlow(TraceLine l, String name) {
        if (name == null) {
            // Kernels before name= existed: one cache per object size.
            name = "replay-" + l.bytesReq();
        }
        Integer id = cacheIds.get(name);
        if (id != null) {
            return id;
        }
        int newId = createCache(name, l.bytesReq(), l.bytesAlloc());
        if (newId > 0 && l.cacheName() == null) {
            // A made-up name: a free naming its cache (5.12+ kernels, before allocations did) is not wrong.
            cacheNames.set(newId, null);
        }
        cacheIds.put(name, newId);
        return newId;
    }

    @SuppressWarnings("try") // the muting handle is only closed
    private int createCache(String name, long bytesReq, long bytesAlloc) {
        if (caches.size() >= (1 << CACHE_ID_BITS) - 1) {
            return -1;
        }
        KmemCache s = slab.find(name);
        if (s == null) {
            if (bytesReq < 1 || bytesReq > Integer.MAX_VALUE) {
                machine.dmesg()
                        .report(
                                ReportKind.BAD_INPUT,
                                String.format(
                                        Locale.ROOT,
                                        "replay: cache %s: object size %s is impossible; its events are skipped",
                                        name,
                                        Long.toUnsignedString(bytesReq)));
                return -1;
            }
            CacheShape shape = CacheShape.forTrace((int) bytesReq, bytesAlloc);
            // A cache the kernel is known to create is made with its real arguments; any other
            // gets a shape that reproduces the trace's slot size.
            KernelCaches.Spec known = KernelCaches.find(name);
            // The traced kernel created this cache before the capture (at boot or module load);
            // the replay creates it late, so the events of creating it (the kmem_cache object,
            // per-node and per-CPU structures) are kept out of an emitted trace. That also makes
            // an emitted trace replay to the same state.
            try (Tracer.Muted m = machine.tracer().mute()) {
                if (known != null) {
                    s = slab.kmemCacheCreate(name, bytesReq, known.flags(), known.args(bytesReq));
                }
                if (s == null) {
                    known = null;
                    s = slab.kmemCacheCreate(
                            name,
                            bytesReq,
                            shape.align(),
                            shape.flags(),
                            shape.ctor() ? CacheShape.NOOP_CTOR : null,
                            0,
                            0,
                            KmemCache.NO_FREEPTR_OFFSET);
                }
            }
            if (s == null) {
                return -1;
            }
            stats.cachesCreated++;
            if (!(known != null ? known.shape((int) bytesReq) : shape).matches(bytesAlloc)) {
                stats.cachesSlotMismatch++;
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "created cache {} object_size={} trace bytes_alloc={} slot={} (shape {})",
                        name,
                        bytesReq,
                        bytesAlloc,
                        s.impl().size(),
                        shape);
            }
        }
        caches.add(s);
        cacheNames.add(name);
        int id = caches.size() - 1;
        if (id >= cacheReq.length) {
            cacheReq = java.util.Arrays.copyOf(cacheReq, cacheReq.length * 2);
        }
        cacheReq[id] = bytesReq;
        return id;
    }

    private void free(int cpu, TraceLine l) {
        long ptr = l.ptr();
        if (ptr == 0) {
            // kfree(NULL) is a no-op in the kernel too, and still traced.
            if (l.op() == TraceOp.KFREE) {
                slab.kfree(cpu, 0, site(l));
            }
            stats.applied++;
            stats.frees++;
            stats.nullFrees++;
            return;
        }
        long h = objects.get(ptr);
        if (h == NONE) {
            skip(SkipReason.UNMATCHED_FREE);
            return;
        }
        if (h == FAILED) {
            objects.remove(ptr);
            skip(SkipReason.FAILED_IN_REPLAY);
            return;
        }
        if ((h & FREED) != 0) {
            skip(SkipReason.DOUBLE_FREE);
            if (stats.doubleFrees() <= DOUBLE_FREE_REPORTS) {
                machine.dmesg()
                        .report(
                                ReportKind.BAD_INPUT,
                                String.format(
                                        Locale.ROOT,
                                        "replay: line %d: double free of %s ptr=%016x (not applied)",
                                        l.lineNo(),
                                        l.op().eventName(),
                                        ptr));
            }
            return;
        }
        String named = l.op() == TraceOp.KMEM_CACHE_FREE ? l.cacheName() : null;
        int id = cacheOf(h);
        // What the allocation was credited as bytes_alloc: the slot of its cache, or kmalloc's ksize.
        long freedBytes =
                id == 0 ? slab.ksize(addressOf(h)) : caches.get(id).impl().size();
        String from = cacheNames.get(id);
        boolean ok = named != null && from != null && named != from && !named.equals(from)
                ? freeWrongCache(cpu, h, named, site(l))
                : freeHandle(cpu, h, site(l));
        release(ptr, h);
        objects.put(ptr, h | FREED);
        tombstones++;
        maybePurgeTombstones();
        if (ok) {
            stats.applied++;
            stats.frees++;
            stats.bytesFreed += freedBytes;
            if (cpuOf(h) != (cpu & CPU_MASK)) {
                // perf kmem's ping-pong: freed on another CPU than the one that allocated it.
                stats.crossCpuFrees++;
            }
        } else {
            skip(SkipReason.FREE_REJECTED);
        }
    }

    /** krealloc (malloc-lab's {@code r}): through SlabLayer.krealloc, which moves or resizes in place. */
    private void krealloc(int cpu, TraceLine l) {
        long ptr = l.oldPtr();
        long h = ptr == 0 ? NONE : objects.get(ptr);
        if (!isLive(h) || cacheOf(h) != 0) {
            // krealloc(NULL, n) is kmalloc(n).
            kmalloc(cpu, l);
            return;
        }
        long size = l.bytesReq();
        long old = addressOf(h);
        long obj = slab.krealloc(cpu, old, size, l.gfpFlags(), site(l));
        stats.applied++;
        if (obj == 0) {
            // A failed krealloc leaves the old object allocated.
            stats.failures++;
            return;
        }
        release(ptr, h);
        if (size != 0) {
            kmallocReq.put(l.ptr(), size);
            liveReq += size;
        }
        if (size == 0) {
            // as krealloc(): new_size 0 frees p and returns ZERO_SIZE_PTR.
            stats.frees++;
        } else if (obj != old) {
            stats.allocations++;
            stats.frees++;
            stats.bytesReq += size;
            stats.bytesAlloc += slab.kmallocBytesAlloc();
            markKmalloc(size, l.gfpFlags());
        }
        objects.put(l.ptr(), handle(cpu, 0, obj));
    }

    /** Frees what a handle names through the API it was allocated with. */
    private boolean freeHandle(int cpu, long h, long callSite) {
        long obj = addressOf(h);
        int id = cacheOf(h);
        if (id == 0) {
            return slab.kfree(cpu, obj, callSite);
        }
        return slab.kmemCacheFree(cpu, caches.get(id), obj, callSite);
    }

    /**
     * kmem_cache_free(X, obj) of an object the trace allocated from cache Y: what SLUB's and
     * SLAB's kmem_cache_free do, on every allocator (cache_from_obj WARNs "Wrong slab cache" and
     * the object is freed to the cache it is from), so that a compare compares the allocators, not
     * their handling of a bad trace (SLOB's would free it with X's size). The engine asks for the
     * report itself ({@link SlabLayer#reportWrongCache}), because this machine may have merged X
     * into Y, or not have X at all; reports after the first {@link #WRONG_CACHE_REPORTS} are only counted.
     */
    private boolean freeWrongCache(int cpu, long h, String named, long callSite) {
        stats.wrongCacheFrees++;
        if (stats.wrongCacheFrees <= WRONG_CACHE_REPORTS) {
            slab.reportWrongCache(cpu, named, cacheNames.get(cacheOf(h)), callSite);
        } else {
            machine.dmesg().count(ReportKind.SLAB_BAD_FREE);
        }
        return freeHandle(cpu, h, callSite);
    }

    /** Takes a freed object's requested bytes off the live total. */
    private void release(long ptr, long h) {
        int id = cacheOf(h);
        liveReq -= id == 0 ? kmallocReq.remove(ptr) : cacheReq[id];
    }

    /** An allocation at a pointer still live: the trace lost its free (ring buffer overrun). */
    private void implicitFree(int cpu, long prev, TraceLine l) {
        freeHandle(cpu, prev, site(l));
        release(l.ptr(), prev);
        stats.implicitFrees++;
    }

    private void allocFailed(long ptr, long prev) {
        stats.failures++;
        if (prev != NONE && (prev & FREED) != 0 && prev != FAILED) {
            tombstones--;
        }
        objects.put(ptr, FAILED);
    }

    private void putObject(long ptr, long prev, long h) {
        if (prev != NONE && (prev & FREED) != 0 && prev != FAILED) {
            tombstones--;
        }
        objects.put(ptr, h);
    }

    private void maybePurgeTombstones() {
        tombstones = purgeTombstones(objects, tombstones);
    }

    /**
     * Drops the freed entries of {@code map} wholesale once they outnumber its live ones by far
     * (and a floor); returns the tombstones left (0 after a purge).
     */
    private static long purgeTombstones(LongLongMap map, long tombstones) {
        long live = map.size() - tombstones;
        if (tombstones <= TOMBSTONE_FLOOR || tombstones <= 4 * live) {
            return tombstones;
        }
        List<Long> dead = new ArrayList<>();
        map.forEach((k, v) -> {
            if ((v & FREED) != 0 && v != FAILED) {
                dead.add(k);
            }
        });
        for (long k : dead) {
            map.remove(k);
        }
        return 0;
    }

    private static boolean isLive(long h) {
        return h != NONE && (h & FREED) == 0;
    }

    private static long handle(int cpu, int cacheId, long obj) {
        long addr = obj == Addr.ZERO_SIZE_PTR ? ZERO_ADDR : Addr.virtToPhys(obj);
        return ((long) (cpu & CPU_MASK) << CPU_SHIFT) | ((long) cacheId << ADDR_BITS) | addr;
    }

    private static int cpuOf(long h) {
        return (int) (h >>> CPU_SHIFT) & CPU_MASK;
    }

    private static long addressOf(long h) {
        long addr = h & ADDR_MASK;
        return addr == ZERO_ADDR ? Addr.ZERO_SIZE_PTR : Addr.physToVirt(addr);
    }

    private static int cacheOf(long h) {
        return (int) ((h >>> ADDR_BITS) & ((1 << CACHE_ID_BITS) - 1));
    }

    // --- pages --------------------------------------------------------------------------------

    private void pageAlloc(int cpu, TraceLine l) {
        long pfn = l.pfn();
        if (pfn < 0) {
            skip(SkipReason.FAILED_IN_TRACE);
            return;
        }
        long prev = pages.get(pfn);
        if (isLive(prev)) {
            pageFreeHandle(cpu, prev);
        } else if (prev != NONE && prev != FAILED) {
            pageTombstones--;
        }
        int got = pageAllocator.allocPages(cpu, l.gfpFlags(), l.order());
        stats.applied++;
        if (got == PageAllocator.NO_PAGE) {
            stats.failures++;
            pages.put(pfn, FAILED);
            return;
        }
        stats.pageEventPages += 1L << l.order();
        pages.put(pfn, ((long) l.order() << 32) | got);
    }

    private void pageFree(int cpu, TraceLine l) {
        long h = pages.get(l.pfn());
        if (h == NONE) {
            skip(SkipReason.UNMATCHED_PAGE_FREE);
            return;
        }
        if (h == FAILED) {
            pages.remove(l.pfn());
            skip(SkipReason.FAILED_IN_REPLAY);
            return;
        }
        if ((h & FREED) != 0) {
            skip(l.op() == TraceOp.MM_PAGE_FREE_BATCHED ? SkipReason.DUPLICATE_BATCHED_FREE : SkipReason.DOUBLE_FREE);
            if (l.op() == TraceOp.MM_PAGE_FREE_BATCHED) {
                pages.remove(l.pfn());
                pageTombstones--;
            }
            return;
        }
        maybePurgePageTombstones();
        pageFreeHandle(cpu, h);
        // Remember the free: 6.18 prints mm_page_free_batched right after mm_page_free of a page.
        pages.put(l.pfn(), h | FREED);
        pageTombstones++;
        stats.applied++;
    }

    /**
     * Keeps the page map O(live pages): freed pfns are only needed right after their free (the
     * batched duplicate), so they are dropped wholesale when they outnumber live pages by far.
     */
    private void maybePurgePageTombstones() {
        pageTombstones = purgeTombstones(pages, pageTombstones);
    }

    /**
     * The emulated object a trace pointer stands for now, live or freed (0 if the trace never
     * allocated it or the replay's allocation failed): {@code --step} draws its slab. Reads only.
     */
    long emulatedObject(long tracePtr) {
        long h = tracePtr == 0 ? NONE : objects.get(tracePtr);
        return h == NONE || h == FAILED ? 0 : addressOf(h);
    }

    /** The emulated head PFN a trace pfn stands for, live or freed, or -1. Reads only. */
    int emulatedPfn(long tracePfn) {
        long h = pages.get(tracePfn);
        return h == NONE || h == FAILED ? -1 : (int) h;
    }

    /** The order of the emulated block a trace pfn stands for (0 if none). Reads only. */
    int emulatedOrder(long tracePfn) {
        long h = pages.get(tracePfn);
        return h == NONE || h == FAILED ? 0 : (int) ((h >>> 32) & 0xff);
    }

    /** Entries of the engine's pointer and pfn maps (tests: memory stays O(live objects)). */
    long mapEntries() {
        return objects.size() + pages.size() + kmallocReq.size();
    }

    private void pageFreeHandle(int cpu, long h) {
        int order = (int) ((h >>> 32) & 0xff);
        int pfn = (int) h;
        pageAllocator.freePages(cpu, pfn, order);
    }

    // --- memory accounting ------------------------------------------------------------------

    /**
     * The caches the replay used, each with the number of objects the replay holds in it: those
     * its trace names (kmem_cache events and cache definitions), the kmalloc caches its kmallocs
     * were served from, and the owner of every object it holds.
     */
    private Map<KmemCache, long[]> replayCaches() {
        Map<KmemCache, long[]> held = new IdentityHashMap<>();
        for (int id = 1; id < caches.size(); id++) {
            if (caches.get(id) != null) {
                held.computeIfAbsent(caches.get(id), k -> new long[1]);
            }
        }
        for (KmallocType type : KmallocType.values()) {
            long bits = kmallocUsed[type.ordinal()];
            for (int index = 0; bits != 0; index++, bits >>>= 1) {
                KmemCache c = (bits & 1) != 0 ? slab.kmallocCache(type, index) : null;
                if (c != null) {
                    held.computeIfAbsent(c, k -> new long[1]);
                }
            }
        }
        objects.forEach((ptr, h) -> {
            long obj = addressOf(h);
            if (!isLive(h) || obj == Addr.ZERO_SIZE_PTR) {
                return;
            }
            KmemCache c = cacheOf(h) != 0 ? caches.get(cacheOf(h)) : null;
            if (c == null) {
                // A kmalloc object: the cache of its slab page (none for a large kmalloc).
                SlabCache owner = allocator.ownerOf(obj);
                c = owner == null ? null : owner.descriptor();
            }
            if (c != null) {
                held.computeIfAbsent(c, k -> new long[1])[0]++;
            }
        });
        return held;
    }

    /** /proc/meminfo's Slab: NR_SLAB_RECLAIMABLE_B + NR_SLAB_UNRECLAIMABLE_B, in bytes. */
    private long nodeSlabBytes() {
        return machine.nodeStat(NodeStat.NR_SLAB_RECLAIMABLE_B) + machine.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B);
    }

    /**
     * Memory the object allocator took since the replay began (slabs, large kmalloc, SLOB pages),
     * in bytes: the growth of /proc/meminfo's Slab: counter. O(1), so it is sampled every event.
     */
    public long slabBytes() {
        return nodeSlabBytes() - baselineSlabBytes;
    }

    private void sample(TraceLine l) {
        long b = slabBytes();
        if (b > stats.peakSlabBytes) {
            // A new peak is at least one page more than the last: at most one snapshot per page.
            stats.peakSlabBytes = b;
            stats.peakLine = l.lineNo();
            stats.peakNanos = machine.clock().nanos();
            stats.liveBytesReqAtPeak = liveReq;
            stats.fragPeak = BuddyFragmentation.of(metric);
            stats.fragPeakZones = BuddyFragmentation.perZone(metric);
            if (onPeak != null) {
                onPeak.accept(target);
            }
        }
        if (stats.series.offer(machine.clock().nanos(), b)) {
            // A kept point (the series is decimated, so rarely): fragmentation over time with it.
            stats.series.fragAtLast(Fragmentation.unusableFreeIndex(freeBlocks, BuddyFragmentation.SERIES_ORDER));
        }
    }

    private void skip(SkipReason r) {
        stats.skipped[r.ordinal()]++;
    }

    /** Final numbers: slab memory at the end, objects, overheads, top caches, fragmentation. */
    public ReplayStats finish() {
        // Caches defined after the last event: created in the last context, as empty caches.
        createDefinedCaches();
        stats.finalSlabBytes = slabBytes();
        stats.fragEnd = BuddyFragmentation.of(metric);
        stats.fragEndZones = BuddyFragmentation.perZone(metric);
        stats.paths = PathCounts.of(slab);
        stats.dmesg = List.copyOf(machine.dmesg().since(dmesgMark));
        for (ReportKind k : ReportKind.values()) {
            long n = machine.dmesg().reportCount(k) - baselineReports[k.ordinal()];
            if (n != 0) {
                stats.reports.put(k.name().toLowerCase(Locale.ROOT), n);
            }
        }
        Map<KmemCache, long[]> replayLive = replayCaches();
        long active = 0;
        long total = 0;
        long slotBytes = 0;
        long unused = 0;
        long cacheSlabBytes = 0;
        List<CacheUsage> usage = new ArrayList<>();
        List<CacheUsage> replayUsage = new ArrayList<>();
        for (KmemCache c : slab.caches()) {
            SlabInfoRow r = c.impl().slabinfo();
            long bytes = r.numSlabs() * r.pagesPerSlab() * (long) Addr.PAGE_SIZE;
            long[] held = replayLive.get(c);
            long inUse =
                    held == null ? r.activeObjs() : Math.min(r.numObjs(), baselineActive.getOrDefault(c, 0L) + held[0]);
            CacheUsage u = new CacheUsage(r.name(), r.activeObjs(), r.numObjs(), r.objSize(), bytes, inUse);
            active += r.activeObjs();
            total += r.numObjs();
            slotBytes += r.numObjs() * r.objSize();
            unused += (r.numObjs() - r.activeObjs()) * r.objSize();
            cacheSlabBytes += bytes;
            if (r.numObjs() > 0 || bytes > 0) {
                usage.add(u);
            }
            if (held != null) {
                stats.replayCaches++;
                stats.replayInUseObjs += inUse;
                stats.replayTotalObjs += r.numObjs();
                stats.replayFreeSlotBytes += u.freeSlotBytes();
                stats.replayCacheSlabBytes += bytes;
                stats.replayMetadataBytes += Math.max(0, bytes - r.numObjs() * r.objSize());
                if (r.numObjs() > 0 || bytes > 0) {
                    replayUsage.add(u);
                }
            }
        }
        Comparator<CacheUsage> bySize = Comparator.comparingLong(CacheUsage::slabBytes)
                .reversed()
                .thenComparing(Comparator.comparingLong(CacheUsage::activeObjs).reversed())
                .thenComparing(CacheUsage::name);
        usage.sort(bySize);
        replayUsage.sort(bySize);
        stats.topCaches = List.copyOf(usage.subList(0, Math.min(TOP_CACHES, usage.size())));
        stats.replayTopCaches = List.copyOf(replayUsage.subList(0, Math.min(TOP_CACHES, replayUsage.size())));
        stats.activeObjs = active;
        stats.totalObjs = total;
        stats.slotBytes = slotBytes;
        stats.unusedSlotBytes = unused;
        stats.metadataBytes = Math.max(0, cacheSlabBytes - slotBytes);
        long[] live = new long[1];
        objects.forEach((k, v) -> {
            if (isLive(v)) {
                live[0]++;
            }
        });
        stats.liveObjects = live[0];
        stats.liveBytesReq = liveReq;
        assert stats.applied + stats.skipped() + stats.malformed == stats.eventsRead
                : "replay accounting does not add up";
        return stats;
    }
}
