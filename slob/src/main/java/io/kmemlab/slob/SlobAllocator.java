package io.kmemlab.slob;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.LongLongMap;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.Rcu;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.slab.AliasFinder;
import io.kmemlab.mm.slab.HeapMetric;
import io.kmemlab.mm.slab.KmallocBackend;
import io.kmemlab.mm.slab.KmallocCaches;
import io.kmemlab.mm.slab.KmallocLimits;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabCache;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.slab.SlabState;
import io.kmemlab.mm.slab.SlabinfoWriter;
import io.kmemlab.mm.trace.EventType;
import io.kmemlab.mm.trace.KmemEvent;
import io.kmemlab.mm.trace.Tracer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SLOB, Linux 6.3 {@code mm/slob.c}: kmalloc with a size header on the SLOB heap
 * ({@code __do_kmalloc_node}, {@code kfree}, {@code __ksize}), kmem_cache objects without a
 * header ({@code slob_alloc_node}, {@code kmem_cache_free}, the TYPESAFE_BY_RCU footer), big
 * requests straight from the page allocator, and the bootstrap. The heap itself is
 * {@link SlobHeap}; see the package documentation for how it works.
 */
public final class SlobAllocator implements SlabAllocator, KmallocBackend {
    private static final Logger LOG = LoggerFactory.getLogger(SlobAllocator.class);

    /** kmalloc constants of SLOB ≤ 6.3: SHIFT_LOW 3, SHIFT_HIGH = PAGE_SHIFT, MAX 4 MiB. */
    public static final KmallocLimits KMALLOC_LIMITS =
            new KmallocLimits(3, Addr.PAGE_SHIFT, 8, Addr.PAGE_SIZE, 4L << 20, 0, true, true);
    /** max(ARCH_KMALLOC_MINALIGN, ARCH_SLAB_MINALIGN): the kmalloc header size on x86-64. */
    public static final int MINALIGN = 8;
    /** sizeof(struct slob_rcu): an rcu_head and the int size, the footer of RCU objects. */
    public static final int SLOB_RCU_SIZE = 24;
    /** Offset of slob_rcu.size in the footer (after the two-pointer rcu_head). */
    public static final int SLOB_RCU_SIZE_OFFSET = 16;
    /** sizeof(struct kmem_cache) under SLOB on x86-64 (mm/slab.h, the CONFIG_SLOB variant). */
    public static final int KMEM_CACHE_STRUCT_SIZE = 64;
    /** Path of kmemlab's own view of the heap (Linux has no such file). */
    public static final String VIEW_PATH = "/sys/kernel/debug/kmemlab/slob";

    private final Machine machine;
    private final PhysMem mem;
    private final PageFrames frames;
    private final Tracer tracer;
    private final SlobSettings settings;
    private final SlobHeap heap;
    private SlabLayer layer;
    private KmemCache kmemCacheBoot;
    private long createCallSite;
    private long releaseCallSite;
    private boolean warnedZeroCtor;
    private long bytesAlloc;

    private final Rcu rcu;
    /** kmem_rcu_free on the machine's RCU: the footer's address and the size the cache expects. */
    private final Rcu.Callback kmemRcuFreeFn = this::kmemRcuFree;
    /**
     * The footers of kmemRcuFreeFn's pending callbacks (footer → the size queued with it), for the
     * double-free check in O(1) where {@code rcu.isPending} scans the machine's whole ring: added
     * right after call_rcu, removed when the callback runs (RCU never drops one unrun), checked
     * against the ring by {@link #validate()}.
     */
    private final LongLongMap rcuFooters = new LongLongMap(0);

    public SlobAllocator(Machine machine, SlobSettings settings) {
        this.machine = machine;
        this.mem = machine.mem();
        this.frames = machine.frames();
        this.tracer = machine.tracer();
        this.settings = settings;
        this.rcu = machine.rcu();
        this.heap = new SlobHeap(machine, settings.fit());
    }

    Machine machine() {
        return machine;
    }

    public SlobSettings settings() {
        return settings;
    }

    /** Numbers of the heap for views, reports and tests. */
    public SlobMetric metric() {
        return heap;
    }

    @Override
    public HeapMetric heapMetric() {
        return heap;
    }

    SlobHeap heap() {
        return heap;
    }

    @Override
    public String name() {
        return "slob";
    }

    @Override
    public KmallocLimits kmallocLimits() {
        return KMALLOC_LIMITS;
    }

    /**
     * kmem_cache_init: {@code kmem_cache} is the static kmem_cache_boot (never on slab_caches,
     * never merged); slab_state goes straight to UP. SLOB prints no boot line.
     */
    @Override
    public void kmemCacheInit(Machine m, SlabLayer slabLayer) {
        this.layer = slabLayer;
        this.createCallSite = machine.symbols().intern("kmem_cache_create_usercopy", 0x9d, 0x2c0);
        this.releaseCallSite = machine.symbols().intern("slab_kmem_cache_release", 0x2b, 0x40);
        KmemCache boot = new KmemCache(
                "kmem_cache",
                KMEM_CACHE_STRUCT_SIZE,
                MINALIGN,
                SlabFlags.PANIC,
                null,
                0,
                0,
                KmemCache.NO_FREEPTR_OFFSET);
        boot.setRefcount(-1);
        boot.setImpl(new SlobCache(this, boot, 0));
        this.kmemCacheBoot = boot;
        slabLayer.setState(SlabState.UP);
        machine.vfs().register(VIEW_PATH, () -> SlobView.render(heap, this));
    }

    /** kmem_cache_init_late: slab_state = FULL. */
    @Override
    public void kmemCacheInitLate(Machine m, SlabLayer slabLayer) {
        slabLayer.setState(SlabState.FULL);
    }

    /** The static {@code kmem_cache_boot} cache, whose objects are the caches' descriptors. */
    public KmemCache kmemCacheBoot() {
        return kmemCacheBoot;
    }

    /**
     * __kmem_cache_create: size = object_size, plus the slob_rcu footer for TYPESAFE_BY_RCU. The
     * descriptor itself is allocated from kmem_cache_boot on the SLOB heap, as create_cache's
     * kmem_cache_zalloc(kmem_cache) does.
     */
    @Override
    public SlabCache createCache(KmemCache descriptor) {
        long struct = 0;
        if (kmemCacheBoot != null && layer != null) {
            struct = layer.kmemCacheAlloc(0, kmemCacheBoot, Gfp.GFP_KERNEL | Gfp.__GFP_ZERO, createCallSite);
            if (struct == 0) {
                // the page allocator has reported; the common layer reports the failed create
                return null;
            }
        }
        return new SlobCache(this, descriptor, struct);
    }

    /** Frames of the machine's memory (the direct map's extent). */
    int memFrames() {
        return mem.nrFrames();
    }

    /** SLOB pages belong to no cache: every cache shares the heap. */
    @Override
    public SlabCache ownerOf(long obj) {
        return null;
    }

    /** SLOB never merges caches. */
    @Override
    public AliasFinder aliasFinder() {
        return null;
    }

    /** kmalloc is SLOB's own: size-headed blocks on the heap, big requests as pages. */
    @Override
    public KmallocBackend kmallocBackend(KmallocCaches common) {
        return this;
    }

    /** No /proc/slabinfo under SLOB. */
    @Override
    public SlabinfoWriter slabinfo() {
        return null;
    }

    // --- kmalloc ------------------------------------------------------------------------

    /**
     * __do_kmalloc_node: below PAGE_SIZE − minalign a size-headed block on the heap (power-of-two
     * sizes naturally aligned at the payload), otherwise pages straight from the page allocator.
     */
    @Override
    public long kmalloc(int cpu, long size, int gfpFlags, long callSite, boolean constant) {
        if (size >= 0 && size < Addr.PAGE_SIZE - MINALIGN) {
            int align = MINALIGN;
            if (Long.bitCount(size) == 1) {
                align = Math.max(MINALIGN, (int) size);
            }
            long m = heap.alloc(cpu, (int) size + MINALIGN, gfpFlags, align, MINALIGN);
            if (m == 0) {
                return 0;
            }
            heap.writeU32InLastBlock(m, (int) size);
            // the block's bytes: the header and the payload in whole units
            bytesAlloc = (long) SlobBlock.units(size + MINALIGN) * SlobBlock.SLOB_UNIT;
            long ret = m + MINALIGN;
            if (tracer.on(EventType.KMALLOC)) {
                tracer.emit(cpu, new KmemEvent.Kmalloc(callSite, ret, size, size + MINALIGN, gfpFlags, -1));
            }
            return ret;
        }
        // get_order of a size_t: up to 52 for sizes of 2^63 and more (negative here); the page
        // allocator refuses anything above its largest order with its own warning
        int order = size < 0 || size > Long.MAX_VALUE - Addr.PAGE_SIZE ? 64 - Addr.PAGE_SHIFT : Addr.getOrder(size);
        int gfp = order > 0 ? gfpFlags | Gfp.__GFP_COMP : gfpFlags;
        int pfn = heap.newPages(cpu, gfp, order);
        long ret = 0;
        if (pfn != PageAllocator.NO_PAGE) {
            frames.set(pfn, PageFrames.PG_LARGE_KMALLOC);
            heap.countBigPages(1L << order);
            ret = Addr.pfnToVirt(pfn);
        }
        bytesAlloc = order + Addr.PAGE_SHIFT >= 64 ? 0 : (long) Addr.PAGE_SIZE << order;
        if (tracer.on(EventType.KMALLOC)) {
            tracer.emit(cpu, new KmemEvent.Kmalloc(callSite, ret, size, bytesAlloc, gfp, -1));
        }
        return ret;
    }

    /**
     * The bytes the latest kmalloc took: its heap block (header plus payload in whole units; the
     * kmalloc tracepoint shows size + minalign, as 6.3 does), or its pages.
     */
    @Override
    public long bytesAlloc() {
        return bytesAlloc;
    }

    /** __do_krealloc under SLOB: in place while ksize holds the request; nothing to zero or re-arm. */
    @Override
    public long kreallocInPlace(int cpu, long p, long newSize, int gfpFlags, long callSite) {
        long ks = ksize(p);
        if (ks < 0) {
            SlabLayer.reportBadAccess(machine, "krealloc", p, callSite);
            return -1;
        }
        return newSize > 0 && newSize <= ks ? 0 : ks;
    }

    /** kmalloc_size_roundup under SLOB: whole pages up to KMALLOC_MAX_SIZE. */
    @Override
    public long sizeRoundup(long n) {
        if (n > 0 && n <= KMALLOC_LIMITS.maxSize()) {
            return (long) Addr.PAGE_SIZE << Addr.getOrder(n);
        }
        return n;
    }

    /** kfree: a heap block by its header, or the pages of a big kmalloc. */
    @Override
    public boolean kfree(int cpu, long obj, long callSite) {
        int pfn = Addr.virtToPfn(obj);
        int slot = heap.slotOf(pfn);
        if (slot >= 0) {
            if ((obj & (MINALIGN - 1)) != 0 || Addr.offsetInPage(obj) < MINALIGN) {
                return heap.reject(
                        ReportKind.SLAB_BAD_FREE,
                        "slob: kfree: invalid free of %s: not a kmalloc object (misaligned)",
                        Addr.hex(obj));
            }
            // on obj's page: obj is at least MINALIGN into it
            long m = obj - MINALIGN;
            if (heap.insideFreeBlock(slot, m)) {
                // freed before: the header is now part of a free block's header or body
                return heap.reject(
                        ReportKind.SLAB_CORRUPTION,
                        "slob: kfree: double free of %s: its header at %s lies in a free block of page pfn:0x%x",
                        Addr.hex(obj),
                        Addr.hex(m),
                        pfn);
            }
            long size = Integer.toUnsignedLong(heap.readU32(slot, m));
            if (size == 0
                    || size >= Addr.PAGE_SIZE - MINALIGN
                    || Addr.offsetInPage(m) + SlobBlock.units(size + MINALIGN) * SlobBlock.SLOB_UNIT > Addr.PAGE_SIZE) {
                return heap.reject(
                        ReportKind.SLAB_CORRUPTION,
                        "slob: kfree: corrupted size header %d at %s of object %s",
                        size,
                        Addr.hex(m),
                        Addr.hex(obj));
            }
            return heap.free(cpu, m, (int) size + MINALIGN, "kfree");
        }
        return kfreeNotHeap(cpu, obj, pfn);
    }

    /**
     * kfree of an address on no SLOB heap page: a large kmalloc, else a report. Kept out of
     * {@link #kfree} so that its heap path stays small enough for the JIT to inline.
     */
    private boolean kfreeNotHeap(int cpu, long obj, int pfn) {
        int head = frames.valid(pfn) ? frames.compoundHead(pfn) : pfn;
        if (frames.valid(head) && frames.test(head, PageFrames.PG_LARGE_KMALLOC)) {
            if (obj != Addr.pfnToVirt(head)) {
                return heap.reject(
                        ReportKind.SLAB_BAD_FREE,
                        "slob: kfree: invalid free of %s: inside the kmalloc pages at %s",
                        Addr.hex(obj),
                        Addr.hex(Addr.pfnToVirt(head)));
            }
            int order = frames.test(head, PageFrames.PG_HEAD) ? frames.order(head) : 0;
            frames.clear(head, PageFrames.PG_LARGE_KMALLOC);
            heap.countBigPages(-(1L << order));
            heap.freePages(cpu, head, order);
            return true;
        }
        if (frames.valid(pfn) && frames.test(pfn, PageFrames.PG_OWNER_PRIV)) {
            return heap.reject(
                    ReportKind.SLAB_BAD_FREE,
                    "slob: kfree: invalid free of %s: kmem_cache_alloc memory (use kmem_cache_free)",
                    Addr.hex(obj));
        }
        return heap.reject(
                ReportKind.SLAB_BAD_FREE,
                "slob: kfree: invalid free of %s: not SLOB or kmalloc memory (pfn:0x%x)",
                Addr.hex(obj),
                pfn);
    }

    /** __ksize: the header's size rounded up to a unit, or the size of a big kmalloc's pages. */
    @Override
    public long ksize(long obj) {
        int pfn = Addr.virtToPfn(obj);
        if (heap.isHeapPage(pfn)) {
            if ((obj & (MINALIGN - 1)) != 0
                    || Addr.offsetInPage(obj) < MINALIGN
                    || heap.insideFreeBlock(obj - MINALIGN)) {
                return -1;
            }
            long size = Integer.toUnsignedLong(mem.readU32(obj - MINALIGN));
            if (size == 0 || size >= Addr.PAGE_SIZE - MINALIGN) {
                return -1;
            }
            return (long) SlobBlock.units(size) * SlobBlock.SLOB_UNIT;
        }
        if (!frames.valid(pfn)) {
            return -1;
        }
        int head = frames.compoundHead(pfn);
        if (frames.test(head, PageFrames.PG_LARGE_KMALLOC)) {
            int order = frames.test(head, PageFrames.PG_HEAD) ? frames.order(head) : 0;
            return (long) Addr.PAGE_SIZE << order;
        }
        return -1;
    }

    // --- kmem_cache objects (called by SlobCache) ------------------------------------------

    /** slob_alloc_node: a headerless heap block, or pages for caches of a page or more. */
    long cacheAlloc(int cpu, KmemCache c, int size, int gfp) {
        long b;
        if (size < Addr.PAGE_SIZE) {
            b = heap.alloc(cpu, size, gfp, c.align(), 0);
        } else {
            int order = Addr.getOrder(size);
            int pfn = heap.newPages(cpu, gfp, order);
            b = 0;
            if (pfn != PageAllocator.NO_PAGE) {
                frames.set(pfn, PageFrames.PG_OWNER_PRIV);
                heap.countBigPages(1L << order);
                b = Addr.pfnToVirt(pfn);
            }
        }
        if (b != 0 && c.ctor() != null) {
            if ((gfp & Gfp.__GFP_ZERO) != 0 && !warnedZeroCtor) {
                warnedZeroCtor = true;
                machine.dmesg()
                        .report(
                                ReportKind.WARN,
                                String.format(
                                        Locale.ROOT,
                                        "WARNING: CPU: %d PID: %d at mm/slob.c slob_alloc_node: __GFP_ZERO with a constructor"
                                                + " (cache %s)",
                                        cpu,
                                        machine.cpus().pid(cpu),
                                        c.name()));
            }
            c.ctor().construct(mem, b, c.objectSize());
        }
        return b;
    }

    /** kmem_cache_free: at once, or after a grace period for TYPESAFE_BY_RCU caches. */
    boolean cacheFree(int cpu, KmemCache c, int size, long obj) {
        if (!checkCacheObject(c, size, obj)) {
            return false;
        }
        if (!c.hasFlag(SlabFlags.TYPESAFE_BY_RCU)) {
            return freeObject(cpu, obj, size, "kmem_cache_free");
        }
        long footer = obj + size - SLOB_RCU_SIZE;
        // rcu.isPending(kmemRcuFreeFn, footer), answered by its shadow without scanning the ring
        if (rcuFooters.containsKey(footer)) {
            return heap.reject(
                    ReportKind.SLAB_CORRUPTION,
                    "slob: kmem_cache_free: double free of %s in %s: already waiting for an RCU grace period",
                    Addr.hex(obj),
                    c.name());
        }
        if (size < Addr.PAGE_SIZE && !heap.checkFree(obj, size, "kmem_cache_free")) {
            return false;
        }
        mem.writeU32(footer + SLOB_RCU_SIZE_OFFSET, size);
        // call_rcu(&slob_rcu->head, kmem_rcu_free)
        rcu.callRcu(cpu, kmemRcuFreeFn, footer, size);
        rcuFooters.put(footer, size);
        return true;
    }

    /** What can be checked of a kmem_cache_free before touching anything. */
    private boolean checkCacheObject(KmemCache c, int size, long obj) {
        int pfn = Addr.virtToPfn(obj);
        if (size < Addr.PAGE_SIZE) {
            if (!heap.isHeapPage(pfn)) {
                return heap.reject(
                        ReportKind.SLAB_BAD_FREE,
                        "slob: kmem_cache_free: invalid free of %s to %s: not on a SLOB page",
                        Addr.hex(obj),
                        c.name());
            }
            if ((obj & (c.align() - 1)) != 0) {
                return heap.reject(
                        ReportKind.SLAB_BAD_FREE,
                        "slob: kmem_cache_free: invalid free of %s to %s: not aligned to %d",
                        Addr.hex(obj),
                        c.name(),
                        c.align());
            }
            return true;
        }
        if (Addr.offsetInPage(obj) != 0 || !frames.valid(pfn) || !frames.test(pfn, PageFrames.PG_OWNER_PRIV)) {
            return heap.reject(
                    ReportKind.SLAB_BAD_FREE,
                    "slob: kmem_cache_free: invalid free of %s to %s: not the pages of a %d-byte object",
                    Addr.hex(obj),
                    c.name(),
                    size);
        }
        return true;
    }

    /** __kmem_cache_free(b, size). */
    private boolean freeObject(int cpu, long b, int size, String fn) {
        if (size < Addr.PAGE_SIZE) {
            return heap.free(cpu, b, size, fn);
        }
        int pfn = Addr.virtToPfn(b);
        int order = Addr.getOrder(size);
        frames.clear(pfn, PageFrames.PG_OWNER_PRIV);
        heap.countBigPages(-(1L << order));
        heap.freePages(cpu, pfn, order);
        return true;
    }

    /** The kmem_cache descriptor goes back to kmem_cache_boot (slab_kmem_cache_release). */
    void releaseStruct(long struct) {
        if (struct != 0 && layer != null) {
            layer.kmemCacheFree(0, kmemCacheBoot, struct, releaseCallSite);
        }
    }

    // --- RCU --------------------------------------------------------------------------------

    /** Objects of TYPESAFE_BY_RCU caches waiting for a grace period of the machine's RCU. */
    public int rcuPending() {
        return rcu.pending(kmemRcuFreeFn);
    }

    /** kmem_rcu_free: the footer says how big the object is and so where it starts. */
    private void kmemRcuFree(int cpu, long footer, long expectedSize) {
        rcuFooters.remove(footer);
        int expected = (int) expectedSize;
        int size = mem.readU32(footer + SLOB_RCU_SIZE_OFFSET);
        if (size != expected) {
            heap.reject(
                    ReportKind.SLAB_CORRUPTION,
                    "slob: kmem_rcu_free: footer at %s says %d bytes, the cache's objects have %d; using %d",
                    Addr.hex(footer),
                    Integer.toUnsignedLong(size),
                    expected,
                    expected);
            size = expected;
        }
        long b = footer - (size - SLOB_RCU_SIZE);
        if (LOG.isTraceEnabled()) {
            LOG.trace("kmem_rcu_free: grace period over for {} ({} bytes)", Addr.hex(b), size);
        }
        freeObject(cpu, b, size, "kmem_rcu_free");
    }

    // --- validation -------------------------------------------------------------------------

    @Override
    public List<String> validate() {
        List<String> errors = new ArrayList<>(heap.validate());
        long accounted = machine.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B);
        long pages = heap.heapPages() + heap.bigPages();
        if (accounted != pages * Addr.PAGE_SIZE) {
            errors.add("slob: NR_SLAB_UNRECLAIMABLE_B is " + accounted + " bytes but SLOB holds " + pages + " pages");
        }
        validateRcuFooters(errors);
        rcu.forEachPending(kmemRcuFreeFn, (footer, expected) -> {
            int size = (int) expected;
            long b = footer - (size - SLOB_RCU_SIZE);
            int pfn = Addr.virtToPfn(b);
            boolean onHeap = size < Addr.PAGE_SIZE && heap.isHeapPage(pfn);
            boolean onPages = size >= Addr.PAGE_SIZE && frames.valid(pfn) && frames.test(pfn, PageFrames.PG_OWNER_PRIV);
            if (!onHeap && !onPages) {
                errors.add("slob: RCU callback for " + Addr.hex(b) + " points at memory SLOB does not own");
            }
        });
        return errors;
    }

    /** The shadow of pending kmem_rcu_free footers names exactly the callbacks the RCU holds. */
    private void validateRcuFooters(List<String> errors) {
        long[] queued = new long[rcu.pending(kmemRcuFreeFn)];
        int[] n = {0};
        rcu.forEachPending(kmemRcuFreeFn, (footer, expected) -> queued[n[0]++] = footer);
        Arrays.sort(queued);
        long[] shadow = new long[rcuFooters.size()];
        int[] m = {0};
        rcuFooters.forEach((footer, size) -> shadow[m[0]++] = footer);
        Arrays.sort(shadow);
        if (!Arrays.equals(queued, shadow)) {
            errors.add("slob: " + shadow.length + " footers marked waiting for RCU but " + queued.length
                    + " kmem_rcu_free callbacks pending (or other footers)");
        }
    }

    @Override
    public String toString() {
        return "slob(fit=" + settings.fit().word() + ", heap pages " + heap.heapPages() + ", big pages "
                + heap.bigPages() + ", rcu pending " + rcuPending() + ")";
    }
}
