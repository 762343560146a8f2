package io.kmemlab.mm.slab;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.Rcu;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.trace.CacheDefinition;
import io.kmemlab.mm.trace.EventType;
import io.kmemlab.mm.trace.KmemEvent;
import io.kmemlab.mm.trace.Tracer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** The largest alignment kmem_cache_create takes: a slab is a buddy block of at most this size. */
    public static final long MAX_ALIGN = (long) Addr.PAGE_SIZE << io.kmemlab.mm.page.PageAllocator.MAX_PAGE_ORDER;

    private static final Logger LOG = LoggerFactory.getLogger(SlabLayer.class);

    private final Machine machine;
    private final SlabAllocator allocator;
    private final KmallocIndex kmallocIndex;
    private final Tracer tracer;
    /** tracer.activeFlags(): the fast paths test their event here ({@link #traced}). */
    private final boolean[] traceOn;

    private final PageFrames frames;
    /** The name of 6.18's kmem_buckets_cache. */
    public static final String KMALLOC_BUCKETS = "kmalloc_buckets";
    /** sizeof(kmem_buckets): a cache pointer for each kmalloc index 0 … KMALLOC_SHIFT_HIGH (13). */
    static final long KMEM_BUCKETS_SIZE = (13 + 1) * Long.BYTES;
    /** slab_caches: newest first. */
    private final LinkedList<KmemCache> caches = new LinkedList<>();

    private final Map<String, KmemCache> byName = new HashMap<>();
    private final KmemCache[][] kmallocCaches = new KmemCache[KmallocType.COUNT][KmallocIndex.MAX_INFO_INDEX + 1];
    private final AliasFinder aliasFinder;
    private final KmallocBackend kmalloc;
    /** The common kmalloc caches (kmalloc's backend unless the allocator has its own). */
    private final KmallocCaches kmallocCommon;

    private SlabinfoWriter slabinfo;
    private SlabState state = SlabState.DOWN;
    private KmemCache kmemBucketsCache;
    private boolean kmallocZero;
    private final Rcu rcu;
    /** kfree_rcu's callback on the machine's RCU: kfree(obj) from the call site kfree_rcu named. */
    private final Rcu.Callback kvfreeRcuFn = this::kvfreeRcuCallback;

    public SlabLayer(Machine machine, SlabAllocator allocator) {
        this.machine = machine;
        this.allocator = allocator;
        this.kmallocIndex = new KmallocIndex(allocator.kmallocLimits());
        this.tracer = machine.tracer();
        this.traceOn = tracer.activeFlags();
        this.frames = machine.frames();
        this.rcu = machine.rcu();
        this.aliasFinder = allocator.aliasFinder();
        this.kmallocCommon = new KmallocCaches(this, kmallocCaches);
        this.kmalloc = allocator.kmallocBackend(kmallocCommon);
    }

    /** Runs the allocator's kmem_cache_init, registers /proc/slabinfo, then kmem_cache_init_late. */
    public void init() {
        allocator.kmemCacheInit(machine, this);
        slabinfo = allocator.slabinfo();
        if (slabinfo != null) {
            // proc_create("slabinfo", SLABINFO_RIGHTS, …): the writer says its mode and writes
            machine.vfs()
                    .register(
                            "/proc/slabinfo",
                            slabinfo.mode(),
                            this::slabinfo,
                            slabinfo.writable() ? slabinfo::write : null);
        }
        allocator.kmemCacheInitLate(machine, this);
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

    /** The allocator's merging rules, or null if it never merges. */
    public AliasFinder aliasFinder() {
        return aliasFinder;
    }

    /** Where kmalloc, kfree, ksize and krealloc are served. */
    public KmallocBackend kmallocBackend() {
        return kmalloc;
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
        KmemCache c = new KmemCache(name, size, align, flags, null, useroffset, usersize, KmemCache.NO_FREEPTR_OFFSET);
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
        kmallocCommon.refresh();
        state = SlabState.UP;
        // CONFIG_SLAB_BUCKETS: the cache kmem_buckets_create() takes its kmem_buckets from.
        kmemBucketsCache = kmemCacheCreate(
                KMALLOC_BUCKETS,
                KMEM_BUCKETS_SIZE,
                SlabFlags.NO_MERGE,
                KmemCacheArgs.builder().build());
    }

    /** kmem_buckets_cache, created last by {@link #createKmallocCaches()}; null before or without it. */
    public KmemCache kmemBucketsCache() {
        return kmemBucketsCache;
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
        kmallocCommon.refresh();
        addCache(c);
        return c;
    }

    /** Points a kmalloc type's slot at an existing cache (a type the kernel version lacks). */
    public void aliasKmallocCache(KmallocType type, int index, KmemCache c) {
        kmallocCaches[type.ordinal()][index] = c;
        kmallocCommon.refresh();
    }

    /** True if {@code s} serves kmalloc (it is in kmalloc_caches[][]). */
    public boolean isKmallocCache(KmemCache s) {
        for (KmemCache[] row : kmallocCaches) {
            for (KmemCache c : row) {
                if (c == s) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The kmalloc cache for a type and index, or null if none. */
    public KmemCache kmallocCache(KmallocType type, int index) {
        return kmallocCaches[type.ordinal()][index];
    }

    /**
     * kmem_cache_create(name, size, align, flags, ctor) with the usercopy region and explicit free
     * pointer offset of 6.18's kmem_cache_args ({@code freeptrOffset} &lt; 0: none).
     *
     * @return the cache (possibly an existing cache this one was merged into), or null with a
     *     kernel-style report for invalid arguments
     */
    public KmemCache kmemCacheCreate(
            String name, long size, long align, int flags, Ctor ctor, int useroffset, int usersize, int freeptrOffset) {
        KmemCacheArgs.Builder b = KmemCacheArgs.builder()
                .align(align)
                .usercopy(useroffset, usersize)
                .ctor(ctor);
        if (freeptrOffset >= 0) {
            b.freeptrOffset(freeptrOffset);
        }
        return kmemCacheCreate(name, size, flags, b.build());
    }

    /**
     * 6.18's {@code kmem_cache_create(name, size, args, flags)} ({@code __kmem_cache_create_args}):
     * validates, tries to merge with an existing cache ({@code __kmem_cache_alias}), else creates a
     * new cache and puts it at the head of slab_caches.
     *
     * @return the cache (an existing one if merged), or null with a kernel-style report
     */
    public KmemCache kmemCacheCreate(String name, long size, int flags, KmemCacheArgs args) {
        // A kmemlab trace file gets the creation's arguments as a comment before the events the
        // creation emits, so that its replay creates the same cache at the same point.
        tracer.beginCacheCreate();
        KmemCache c = null;
        try {
            c = createCacheArgs(name, size, flags, args);
            return c;
        } finally {
            tracer.endCacheCreate(
                    c == null || !tracer.cacheComments()
                            ? null
                            : new CacheDefinition(
                                    name,
                                    size,
                                    args.align(),
                                    flags,
                                    args.ctor() != null,
                                    args.useroffset(),
                                    args.usersize(),
                                    args.useFreeptrOffset() ? args.freeptrOffset() : -1,
                                    0,
                                    args.sheafCapacity()));
        }
    }

    private KmemCache createCacheArgs(String name, long size, int flags, KmemCacheArgs args) {
        long align = args.align();
        // kmem_cache_sanity_check(): a name, and a size from sizeof(void *) to KMALLOC_MAX_SIZE
        // (the kernel checks these under CONFIG_DEBUG_VM; kmemlab always does, since an absurd
        // size would otherwise corrupt its geometry).
        if (name == null
                || name.isEmpty()
                || size < SlabLimits.MIN_OBJECT_SIZE
                || size > kmallocIndex.limits().maxSize()) {
            machine.dmesg().report(ReportKind.WARN, "kmem_cache_create(" + name + ") integrity check failed");
            return createFailed(name, flags, -22);
        }
        if (align < 0 || (align & (align - 1)) != 0 || align > MAX_ALIGN) {
            // An alignment must be a power of two the slab can honour; the kernel's
            // calculate_alignment would silently produce nonsense for others. Above PAGE_SIZE is
            // fine (kmalloc-8k's is 8192): the slot is rounded up to it and a slab, a naturally
            // aligned buddy block at least one slot long, starts on such a boundary.
            return createFailed(name, flags, -22);
        }
        if (args.sheafCapacity() < 0) {
            return createFailed(name, flags, -22);
        }
        // Refuse requests with allocator specific flags (SLAB_FLAGS_PERMITTED).
        if ((flags & ~SlabFlags.FLAGS_PERMITTED) != 0) {
            return createFailed(name, flags, -22);
        }
        int useroffset = args.useroffset();
        int usersize = args.usersize();
        if (usersize != 0 && (useroffset < 0 || usersize < 0 || (long) useroffset + usersize > size)) {
            // WARN_ON(args->usersize && (args->useroffset + args->usersize > object_size))
            machine.dmesg()
                    .report(
                            ReportKind.WARN,
                            "------------[ cut here ]------------\n"
                                    + "WARNING: kmem_cache_create(" + name + "): usercopy region "
                                    + useroffset + "+" + usersize + " outside object of " + size + " bytes");
            useroffset = 0;
            usersize = 0;
        }
        if (args.useFreeptrOffset()
                && (args.freeptrOffset() < 0
                        || args.freeptrOffset() >= size
                        || (flags & SlabFlags.TYPESAFE_BY_RCU) == 0
                        || (args.freeptrOffset() & 7) != 0)) {
            return createFailed(name, flags, -22);
        }
        if (byName.containsKey(name)) {
            // The kernel tolerates duplicate names (sysfs then fails for unmergeable caches);
            // kmemlab names caches in its shell and replay, so it refuses them.
            return createFailed(name, flags, -17);
        }
        if (usersize == 0 && args.sheafCapacity() == 0) {
            KmemCache alias = findMergeable((int) size, (int) align, flags, name, args.ctor());
            if (alias != null) {
                // __kmem_cache_alias
                alias.setRefcount(alias.refcount() + 1);
                alias.setObjectSize(Math.max(alias.objectSize(), (int) size));
                byName.put(name, alias);
                alias.impl().addAlias(name, (int) size, machine.vfs());
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "kmem_cache_create({}): merged into {} (slot {})",
                            name,
                            alias.name(),
                            alias.impl().size());
                }
                return alias;
            }
        }
        int calcAlign = calculateAlignment(flags, (int) align, (int) size);
        KmemCache c = new KmemCache(
                name,
                (int) size,
                calcAlign,
                flags,
                args.ctor(),
                useroffset,
                usersize,
                args.useFreeptrOffset() ? args.freeptrOffset() : KmemCache.NO_FREEPTR_OFFSET);
        c.setSheafCapacity(args.sheafCapacity());
        SlabCache impl = allocator.createCache(c);
        if (impl == null) {
            return createFailed(name, flags, -22);
        }
        c.setImpl(impl);
        addCache(c);
        return c;
    }

    private KmemCache createFailed(String name, int flags, int err) {
        if ((flags & SlabFlags.PANIC) != 0) {
            machine.dmesg()
                    .report(
                            ReportKind.BUG,
                            String.format(
                                    Locale.ROOT,
                                    "Kernel panic - not syncing: __kmem_cache_create_args: Failed to create slab '%s'. Error %d",
                                    name,
                                    err));
        } else {
            machine.dmesg()
                    .report(
                            ReportKind.WARN,
                            String.format(Locale.ROOT, "__kmem_cache_create_args(%s) failed with error %d", name, err));
        }
        return null;
    }

    /** slab_unmergeable(s). */
    public boolean unmergeable(KmemCache s) {
        if (aliasFinder == null || s.impl() == null) {
            return true;
        }
        if ((s.impl().effectiveFlags() & SlabFlags.NEVER_MERGE) != 0) {
            return true;
        }
        // 6.18: a cache with sheaves (it asked for them); 7.x: SLAB_NO_MERGE for a cache that asked
        return s.ctor() != null || s.usersize() != 0 || s.refcount() < 0 || s.sheafCapacity() != 0;
    }

    /**
     * find_mergeable(size, align, flags, name, ctor): the oldest cache this request can share, or
     * null.
     */
    public KmemCache findMergeable(int size, int align, int flags, String name, Ctor ctor) {
        if (aliasFinder == null || ctor != null) {
            return null;
        }
        flags = allocator.kmemCacheFlags(flags, name);
        if ((flags & SlabFlags.NEVER_MERGE) != 0) {
            return null;
        }
        int sz = align8(size);
        int al = calculateAlignment(flags, align, sz);
        sz = alignUp(sz, al);
        // slab_caches is newest first; the kernel scans it in reverse, oldest first.
        for (java.util.Iterator<KmemCache> it = caches.descendingIterator(); it.hasNext(); ) {
            KmemCache s = it.next();
            if (unmergeable(s)) {
                continue;
            }
            int ssize = s.impl().size();
            if (sz > ssize) {
                continue;
            }
            if (((flags ^ s.impl().effectiveFlags()) & SlabFlags.MERGE_SAME) != 0) {
                continue;
            }
            if ((ssize & (al - 1)) != 0) {
                continue;
            }
            if (ssize - sz >= 8) {
                continue;
            }
            if (!aliasFinder.fits(s.impl(), al)) {
                continue;
            }
            return s;
        }
        return null;
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    private static int alignUp(int n, int a) {
        return (n + a - 1) & -a;
    }

    /**
     * The SLUB sysfs directory name of a cache (sysfs_slab_add): its own name if unmergeable, else
     * the unique id {@code :[dDaFA-]%07u} of its slot size.
     */
    public String sysfsName(KmemCache s) {
        if (unmergeable(s) || aliasFinder.ownSysfsNames()) {
            return s.name();
        }
        return uniqueId(s.impl().effectiveFlags(), s.impl().size());
    }

    /** tracer.on(type), one load fewer: the tracer's own array, held here. */
    private boolean traced(EventType type) {
        return traceOn[type.ordinal()];
    }

    /** create_unique_id: {@code :} + flag letters + ({@code -} if any) + {@code %07u} of s->size. */
    public static String uniqueId(int flags, int slotSize) {
        StringBuilder sb = new StringBuilder(":");
        int letters = sb.length();
        if ((flags & SlabFlags.CACHE_DMA) != 0) {
            sb.append('d');
        }
        if ((flags & SlabFlags.CACHE_DMA32) != 0) {
            sb.append('D');
        }
        if ((flags & SlabFlags.RECLAIM_ACCOUNT) != 0) {
            sb.append('a');
        }
        if ((flags & SlabFlags.CONSISTENCY_CHECKS) != 0) {
            sb.append('F');
        }
        if ((flags & SlabFlags.ACCOUNT) != 0) {
            sb.append('A');
        }
        if (sb.length() != letters) {
            sb.append('-');
        }
        sb.append(String.format(Locale.ROOT, "%07d", slotSize));
        return sb.toString();
    }

    // --- kmem_cache alloc/free ------------------------------------------------------------

    public long kmemCacheAlloc(int cpu, KmemCache s, int gfp, long callSite) {
        long obj = s.impl().alloc(cpu, gfp, s.objectSize(), callSite);
        if (traced(EventType.KMEM_CACHE_ALLOC)) {
            traceKmemCacheAlloc(cpu, s, obj, gfp, callSite);
        }
        return obj;
    }

    // The trace emitters are methods of their own so that the fast paths stay small enough to inline.
    private void traceKmemCacheAlloc(int cpu, KmemCache s, long obj, int gfp, long callSite) {
        boolean accounted = (gfp & Gfp.__GFP_ACCOUNT) != 0 || s.hasFlag(SlabFlags.ACCOUNT);
        tracer.emit(
                cpu,
                new KmemEvent.KmemCacheAlloc(
                        callSite, obj, s.name(), s.objectSize(), s.impl().size(), gfp, -1, accounted));
    }

    /**
     * kmem_cache_prefill_sheaf(s, gfp, count): a prefilled sheaf's address, or 0 (NULL). Only SLUB
     * has sheaves; under the others the call returns NULL.
     */
    public long kmemCachePrefillSheaf(int cpu, KmemCache s, int gfp, int count) {
        return count <= 0 ? 0 : s.impl().prefillSheaf(cpu, gfp, count);
    }

    /** kmem_cache_alloc_from_sheaf: traced as kmem_cache_alloc, as the kernel traces it. */
    public long kmemCacheAllocFromSheaf(int cpu, KmemCache s, int gfp, long sheaf, long callSite) {
        long obj = s.impl().allocFromSheaf(cpu, gfp, sheaf);
        if (obj != 0 && traced(EventType.KMEM_CACHE_ALLOC)) {
            traceKmemCacheAlloc(cpu, s, obj, gfp, callSite);
        }
        return obj;
    }

    /** kmem_cache_refill_sheaf: the sheaf to use from now on, or 0 if memory ran out. */
    public long kmemCacheRefillSheaf(int cpu, KmemCache s, int gfp, long sheaf, int count) {
        return s.impl().refillSheaf(cpu, gfp, sheaf, count);
    }

    /** kmem_cache_return_sheaf; false if {@code sheaf} is no prefilled sheaf of {@code s}. */
    public boolean kmemCacheReturnSheaf(int cpu, KmemCache s, int gfp, long sheaf) {
        return s.impl().returnSheaf(cpu, gfp, sheaf);
    }

    /** kmem_cache_sheaf_size, or -1 if {@code sheaf} is no prefilled sheaf of {@code s}. */
    public int kmemCacheSheafSize(KmemCache s, long sheaf) {
        return s.impl().sheafSize(sheaf);
    }

    /** kmem_cache_zalloc. */
    public long kmemCacheZalloc(int cpu, KmemCache s, int gfp, long callSite) {
        return kmemCacheAlloc(cpu, s, gfp | Gfp.__GFP_ZERO, callSite);
    }

    /**
     * kmem_cache_free: {@code cache_from_obj} checks the object belongs to {@code s}; if it belongs
     * to another cache the kernel WARNs and frees it to that cache, as kmemlab does. One lookup:
     * the cache remembers the slab {@link SlabCache#ownerOf} found for its {@link SlabCache#free}.
     */
    public boolean kmemCacheFree(int cpu, KmemCache s, long obj, long callSite) {
        // The hot path stays small enough for the JIT to inline into callers; every report is in
        // a separate method.
        if (obj == 0) {
            // kmem_cache_free(s, NULL) returns before the tracepoint (cache_from_obj is not run).
            return true;
        }
        SlabCache c = s.impl();
        if (!c.remembers(obj)) {
            return kmemCacheFreeLookup(cpu, s, c, obj, callSite);
        }
        // on the page c remembered: cache_from_obj is c, and no call comes before c.free
        if (traced(EventType.KMEM_CACHE_FREE)) {
            traceKmemCacheFree(cpu, c, obj, callSite);
        }
        return c.free(cpu, obj, callSite);
    }

    /** kmem_cache_free of an object on a page {@code c} does not remember: cache_from_obj's lookup. */
    private boolean kmemCacheFreeLookup(int cpu, KmemCache s, SlabCache c, long obj, long callSite) {
        SlabCache owner = c.ownerOf(obj);
        if (owner != c) {
            return cacheFromObjMismatch(cpu, s, owner, obj, callSite);
        }
        if (traced(EventType.KMEM_CACHE_FREE)) {
            traceKmemCacheFree(cpu, c, obj, callSite);
        }
        return c.free(cpu, obj, callSite);
    }

    private void traceKmemCacheFree(int cpu, SlabCache owner, long obj, long callSite) {
        tracer.emit(
                cpu,
                new KmemEvent.KmemCacheFree(callSite, obj, owner.descriptor().name()));
    }

    /**
     * cache_from_obj when the object is not on a slab of {@code s}: not on a slab page at all (the
     * free is dropped), or on another cache's slab (the kernel WARNs and frees it there).
     */
    private boolean cacheFromObjMismatch(int cpu, KmemCache s, SlabCache owner, long obj, long callSite) {
        if (owner == null && !machine.mem().contains(obj, 1)) {
            badFree("kmem_cache_free", obj, callSite);
            return false;
        }
        if (owner == null) {
            // virt_to_slab() is NULL: "kmem_cache_free: Object is not a Slab page!"
            machine.dmesg()
                    .report(
                            ReportKind.SLAB_BAD_FREE,
                            String.format(
                                            Locale.ROOT,
                                            "------------[ cut here ]------------%n"
                                                    + "kmem_cache_free: Object is not a Slab page!%n"
                                                    + "WARNING: CPU: %d PID: %d at cache_from_obj called from %s",
                                            cpu,
                                            machine.cpus().pid(cpu),
                                            machine.symbols().format(callSite))
                                    .replace("\r", ""));
            return false;
        }
        // cache_from_obj WARNs and returns the object's real cache: the free goes there.
        reportWrongCache(cpu, s.name(), owner.descriptor().name(), callSite);
        if (traced(EventType.KMEM_CACHE_FREE)) {
            traceKmemCacheFree(cpu, owner, obj, callSite);
        }
        return owner.free(cpu, obj, callSite);
    }

    /**
     * cache_from_obj's WARN for a kmem_cache_free that names cache {@code named} of an object
     * from cache {@code actual}, in the kernel's words.
     */
    public void reportWrongCache(int cpu, String named, String actual, long callSite) {
        machine.dmesg()
                .report(
                        ReportKind.SLAB_BAD_FREE,
                        String.format(
                                        Locale.ROOT,
                                        "------------[ cut here ]------------%n"
                                                + "kmem_cache_free: Wrong slab cache. %s but object is from %s%n"
                                                + "WARNING: CPU: %d PID: %d at cache_from_obj called from %s",
                                        named,
                                        actual,
                                        cpu,
                                        machine.cpus().pid(cpu),
                                        machine.symbols().format(callSite))
                                .replace("\r", ""));
    }

    void badFree(String fn, long obj, long callSite) {
        reportBadAccess(machine, fn, obj, callSite);
    }

    /**
     * The page fault a kfree, kmem_cache_free or krealloc of an address that is no object takes
     * in the kernel, as a report ({@code fn} is the function that faulted).
     */
    public static void reportBadAccess(Machine machine, String fn, long obj, long callSite) {
        machine.dmesg()
                .report(
                        ReportKind.SLAB_BAD_FREE,
                        String.format(
                                        Locale.ROOT,
                                        "BUG: unable to handle page fault for address: %016x%n"
                                                + "#PF: supervisor read access in kernel mode%n"
                                                + "RIP: %s called from %s",
                                        obj,
                                        fn,
                                        machine.symbols().format(callSite))
                                .replace("\r", ""));
    }

    // --- kmalloc ------------------------------------------------------------------------

    /** The cache kmalloc would use for {@code size} (1 … KMALLOC_MAX_CACHE_SIZE) and gfp. */
    public KmemCache kmallocSlab(long size, int gfp) {
        return kmallocCaches[KmallocType.of(gfp).ordinal()][kmallocIndex.index(size)];
    }

    /**
     * {@code kmalloc()} with a size the compiler cannot see ({@code __do_kmalloc_node}). Above
     * KMALLOC_MAX_CACHE_SIZE this is the 6.18 path that emits the {@code kmalloc} event twice.
     */
    public long kmalloc(int cpu, long size, int gfp, long callSite) {
        return doKmalloc(cpu, size, gfp, callSite, false);
    }

    /**
     * {@code kmalloc()} with a compile-time constant size: large requests call
     * {@code __kmalloc_large_noprof} directly and emit one event.
     */
    public long kmallocConstant(int cpu, long size, int gfp, long callSite) {
        return doKmalloc(cpu, size, gfp, callSite, true);
    }

    /**
     * {@code kmalloc_node_track_caller()} (krealloc, kmemdup, __alloc_skb): a large request's first
     * event names __kmalloc_node_track_caller_noprof, the second the caller.
     */
    public long kmallocTrackCaller(int cpu, long size, int gfp, long callSite) {
        if (size == 0) {
            kmallocZero = true;
            return Addr.ZERO_SIZE_PTR;
        }
        kmallocZero = false;
        return kmalloc.kmallocTrackCaller(cpu, size, gfp, callSite);
    }

    private long doKmalloc(int cpu, long size, int gfp, long callSite, boolean constant) {
        if (size == 0) {
            kmallocZero = true;
            return Addr.ZERO_SIZE_PTR;
        }
        kmallocZero = false;
        return kmalloc.kmalloc(cpu, size, gfp, callSite, constant);
    }

    /**
     * The bytes_alloc of the latest kmalloc (kzalloc, kcalloc, the allocation of a moving
     * krealloc): the kmalloc cache's slot, the large folio, SLOB's block — what its tracepoint
     * shows; 0 for kmalloc(0), which returns ZERO_SIZE_PTR. Read it right after the call; it
     * costs nothing per operation.
     */
    public long kmallocBytesAlloc() {
        return kmallocZero ? 0 : kmalloc.bytesAlloc();
    }

    /**
     * {@code __kmalloc_cache_noprof(s, gfp, size)}: a kmalloc-style allocation of {@code size}
     * bytes from a given cache (orig_size = size; the {@code kmalloc} event).
     */
    public long kmallocFromCache(int cpu, KmemCache s, long size, int gfp, long callSite) {
        long obj = s.impl().alloc(cpu, gfp, (int) size, callSite);
        if (traced(EventType.KMALLOC)) {
            tracer.emit(cpu, new KmemEvent.Kmalloc(callSite, obj, size, s.impl().size(), gfp, -1));
        }
        return obj;
    }

    /**
     * kfree_rcu (kvfree_call_rcu): the object is freed after a grace period of the machine's
     * {@link Rcu}, or at {@link #kvfreeRcuBarrier()} (which kmem_cache_destroy runs first) or an
     * rcu_barrier.
     */
    public void kfreeRcu(int cpu, long obj, long callSite) {
        if (Long.compareUnsigned(obj, Addr.ZERO_SIZE_PTR) <= 0) {
            return;
        }
        // kvfree_call_rcu: a slab object of a cache with sheaves goes into its rcu_free sheaf
        SlabCache owner = machine.mem().contains(obj, 1) ? allocator.ownerOf(obj) : null;
        if (owner != null && owner.kfreeRcuSheaf(cpu, obj)) {
            return;
        }
        rcu.callRcu(cpu, kvfreeRcuFn, obj, callSite);
    }

    private void kvfreeRcuCallback(int cpu, long obj, long callSite) {
        kfree(cpu, obj, callSite);
    }

    /** kvfree_rcu_barrier: runs every pending kfree_rcu. */
    public void kvfreeRcuBarrier() {
        allocator.flushAllRcuSheaves();
        rcu.barrier(kvfreeRcuFn);
    }

    /**
     * The timer interrupt as the shell and replay drive it whenever the virtual clock moves: the
     * RCU callbacks whose grace period has ended run, then the allocator's periodic work (SLAB's
     * cache_reap).
     */
    public void timerTick(long nowNanos) {
        rcu.tick();
        allocator.tick(nowNanos);
    }

    /** GFP_SLAB_BUG_MASK: zone bits a slab allocation must not carry, and undefined bits. */
    public static final int GFP_SLAB_BUG_MASK = Gfp.__GFP_DMA32 | Gfp.__GFP_HIGHMEM | ~Gfp.GFP_BITS_MASK;

    /**
     * kmalloc_fix_flags: warns about GFP bits a slab allocation cannot honour and strips them.
     * Allocators call it where the kernel does (new_slab, large kmalloc).
     */
    public int kmallocFixFlags(int gfp) {
        int invalid = gfp & GFP_SLAB_BUG_MASK;
        int fixed = gfp & ~GFP_SLAB_BUG_MASK;
        machine.dmesg()
                .report(
                        ReportKind.WARN,
                        String.format(
                                Locale.ROOT,
                                "Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code!",
                                invalid,
                                Gfp.format(invalid),
                                fixed,
                                Gfp.format(fixed)));
        return fixed;
    }

    /** Number of kfree_rcu objects waiting for a grace period. */
    public int rcuPending() {
        return rcu.pending(kvfreeRcuFn);
    }

    /** kzalloc. */
    public long kzalloc(int cpu, long size, int gfp, long callSite) {
        return kmalloc(cpu, size, gfp | Gfp.__GFP_ZERO, callSite);
    }

    /**
     * kmalloc_array(n, size): NULL without a warning if {@code n * size} overflows size_t
     * (check_mul_overflow), else kmalloc of the product.
     */
    public long kmallocArray(int cpu, long n, long size, int gfp, long callSite) {
        // unsigned 64-bit high word of n * size (Math.unsignedMultiplyHigh is Java 18+)
        long high = Math.multiplyHigh(n, size) + ((n >> 63) & size) + ((size >> 63) & n);
        if (high != 0) {
            return 0;
        }
        return kmalloc(cpu, n * size, gfp, callSite);
    }

    /** kcalloc(n, size) = kmalloc_array with __GFP_ZERO. */
    public long kcalloc(int cpu, long n, long size, int gfp, long callSite) {
        return kmallocArray(cpu, n, size, gfp | Gfp.__GFP_ZERO, callSite);
    }

    private void traceKfree(int cpu, long obj, long callSite) {
        tracer.emit(cpu, new KmemEvent.Kfree(callSite, obj));
    }

    /**
     * kfree: kfree(NULL) and kfree(ZERO_SIZE_PTR) are no-ops. One slab lookup, as
     * kmem_cache_free's: {@link SlabAllocator#ownerOf} (virt_to_slab, which also rejects an
     * address outside memory or in a hole), and the object goes to that cache; anything else is
     * {@link #kfreeNoCache}'s.
     */
    public boolean kfree(int cpu, long obj, long callSite) {
        if (traced(EventType.KFREE)) {
            traceKfree(cpu, obj, callSite);
        }
        if (Long.compareUnsigned(obj, Addr.ZERO_SIZE_PTR) <= 0) {
            return true;
        }
        SlabCache last = allocator.lastOwner();
        if (last != null && last.remembers(obj)) {
            // an object of the slab the last lookup found: virt_to_cache is that cache
            return last.free(cpu, obj, callSite);
        }
        return kfreeLookup(cpu, obj, callSite);
    }

    /** kfree past the remembered slab: virt_to_cache's lookup. */
    private boolean kfreeLookup(int cpu, long obj, long callSite) {
        SlabCache owner = allocator.ownerOf(obj);
        if (owner != null) {
            return owner.free(cpu, obj, callSite);
        }
        return kfreeNoCache(cpu, obj, callSite);
    }

    /** kfree of an address on no cache's slab: outside memory (the fault), else the backend's. */
    private boolean kfreeNoCache(int cpu, long obj, long callSite) {
        if (!machine.mem().contains(obj, 1) || !frames.valid(Addr.virtToPfn(obj))) {
            badFree("kfree", obj, callSite);
            return false;
        }
        return kmalloc.kfreeNotOnCache(cpu, obj, callSite);
    }

    /**
     * ksize: 0 for NULL and ZERO_SIZE_PTR, the folio size of a large kmalloc, the allocator's
     * usable size of a slab object; -1 if the address is neither (kmemlab's "not an object").
     */
    public long ksize(long obj) {
        if (Long.compareUnsigned(obj, Addr.ZERO_SIZE_PTR) <= 0) {
            return 0;
        }
        if (!machine.mem().contains(obj, 1) || !frames.valid(Addr.virtToPfn(obj))) {
            return -1;
        }
        return kmalloc.ksize(obj);
    }

    /** kmalloc_size_roundup(n). */
    public long kmallocSizeRoundup(long n) {
        return n == 0 ? 0 : kmalloc.sizeRoundup(n);
    }

    /**
     * krealloc(p, newSize, gfp) with 6.18 semantics ({@code __do_krealloc}): size 0 frees and
     * returns ZERO_SIZE_PTR; NULL or ZERO_SIZE_PTR allocates; a request that still fits the
     * bucket stays in place ({@link KmallocBackend#kreallocInPlace}); otherwise a new object, a
     * copy, and a free of the old one.
     *
     * @return the (possibly moved) object; 0 if the allocation failed (p is then untouched) or p
     *     is not a kmalloc object (reported)
     */
    public long krealloc(int cpu, long p, long newSize, int gfp, long callSite) {
        if (newSize == 0) {
            kfree(cpu, p, callSite);
            return Addr.ZERO_SIZE_PTR;
        }
        if (Long.compareUnsigned(p, Addr.ZERO_SIZE_PTR) <= 0) {
            return kmalloc(cpu, newSize, gfp, callSite);
        }
        if (!machine.mem().contains(p, 1) || !frames.valid(Addr.virtToPfn(p))) {
            badFree("krealloc", p, callSite);
            return 0;
        }
        long copy = kmalloc.kreallocInPlace(cpu, p, newSize, gfp, callSite);
        if (copy == 0) {
            return p;
        }
        if (copy < 0) {
            return 0;
        }
        // __do_krealloc: kmalloc_node_track_caller_noprof(new_size, flags, NUMA_NO_NODE, _RET_IP_).
        long ret = kmallocTrackCaller(cpu, newSize, gfp, callSite);
        if (ret != 0) {
            machine.mem().copy(ret, p, (int) Math.min(copy, Integer.MAX_VALUE));
            kfree(cpu, p, callSite);
        }
        return ret;
    }

    // --- shrink / destroy ----------------------------------------------------------------

    public void kmemCacheShrink(KmemCache s) {
        s.impl().shrink();
    }

    /**
     * kmem_cache_destroy: drops a reference; the last one shuts the cache down. If objects remain
     * the allocator has reported them, the kernel WARNs and the cache is leaked (kept).
     *
     * @return true if the cache (or the alias reference) is gone
     */
    public boolean kmemCacheDestroy(KmemCache s) {
        return kmemCacheDestroy(0, s, machine.symbols().intern("kmem_cache_destroy", 0, 0x1a0));
    }

    /** kmem_cache_destroy called from {@code callSite} on {@code cpu}. */
    public boolean kmemCacheDestroy(int cpu, KmemCache s, long callSite) {
        if (s == null) {
            return true;
        }
        // in-flight kfree_rcu()s may include objects from this cache
        kvfreeRcuBarrier();
        if (s.refcount() < 0) {
            // A boot cache (kmem_cache, kmalloc caches during boot) is never destroyed.
            machine.dmesg()
                    .report(
                            ReportKind.WARN,
                            "------------[ cut here ]------------\n"
                                    + "kmem_cache_destroy " + s.name() + ": refcount " + s.refcount()
                                    + ", boot caches are never destroyed");
            return false;
        }
        if (s.refcount() > 1) {
            s.setRefcount(s.refcount() - 1);
            return true;
        }
        if (isKmallocCache(s)) {
            // The kernel would free it and leave kmalloc_caches[] dangling; kmemlab refuses.
            machine.dmesg()
                    .report(
                            ReportKind.WARN,
                            "------------[ cut here ]------------\n" + "kmem_cache_destroy " + s.name()
                                    + ": kmalloc caches are never destroyed");
            return false;
        }
        long left = s.impl().shutdown();
        if (left == 0 && (s.flags() & SlabFlags.TYPESAFE_BY_RCU) != 0) {
            // 6.x kmem_cache_destroy: rcu_barrier() before kmem_cache_release, so the slabs the
            // shutdown discarded have given their pages back when destroy returns.
            rcu.barrier();
        }
        if (left != 0) {
            machine.dmesg()
                    .report(
                            ReportKind.SLAB_LEAK,
                            String.format(
                                            Locale.ROOT,
                                            "------------[ cut here ]------------%n"
                                                    + "kmem_cache_destroy %s: Slab cache still has objects when called from %s",
                                            s.name(),
                                            machine.symbols().format(callSite))
                                    .replace("\r", ""));
            return false;
        }
        s.setRefcount(0);
        s.impl().unregisterFiles(machine.vfs());
        caches.remove(s);
        byName.values().removeIf(c -> c == s);
        for (KmemCache[] row : kmallocCaches) {
            for (int i = 0; i < row.length; i++) {
                if (row[i] == s) {
                    row[i] = null;
                }
            }
        }
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
        boolean stats = slabinfo != null && slabinfo.statistics();
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
        sb.append(String.format(
                        Locale.ROOT,
                        "%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d" + " : slabdata %6d %6d %6d%n",
                        r.name(),
                        r.activeObjs(),
                        r.numObjs(),
                        r.objSize(),
                        r.objPerSlab(),
                        r.pagesPerSlab(),
                        r.limit(),
                        r.batchcount(),
                        r.sharedFactor(),
                        r.activeSlabs(),
                        r.numSlabs(),
                        r.sharedAvail())
                .replace("\r", ""));
    }

    /**
     * Validates every cache that can be validated (a cache that refuses, {@code -EINVAL}, adds
     * nothing) and the allocator; returns the total error count.
     */
    public int validate() {
        int errors = 0;
        for (KmemCache c : caches) {
            errors += Math.max(0, c.impl().validate());
        }
        errors += allocator.validate().size();
        return errors;
    }
}
