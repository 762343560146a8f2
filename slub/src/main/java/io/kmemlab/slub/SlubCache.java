package io.kmemlab.slub;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.KernelLocks;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.Rcu;
import io.kmemlab.mm.SpinLock;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.slab.Ctor;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabCache;
import io.kmemlab.mm.slab.SlabCacheMetric;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.slab.SlabLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SLUB cache ({@code struct kmem_cache} with its {@code kmem_cache_cpu} and
 * {@code kmem_cache_node}): the per-CPU slab and lockless freelist, the per-CPU partial lists, the
 * node partial (and, with U, full) list, and the free pointers kept in object memory. See the
 * package essay for the paths and their invariants.
 */
final class SlubCache implements SlabCache {
    private static final Logger LOG = LoggerFactory.getLogger(SlubCache.class);
    static final int NIL = SlabTable.NIL;
    /** SHRINK_PROMOTE_MAX. */
    static final int SHRINK_PROMOTE_MAX = 32;
    /** The GFP bits new_slab passes to the page allocator (GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK). */
    static final int GFP_SLAB_PASS = Gfp.__GFP_DIRECT_RECLAIM
            | Gfp.__GFP_KSWAPD_RECLAIM
            | Gfp.__GFP_IO
            | Gfp.__GFP_FS
            | Gfp.__GFP_NOWARN
            | Gfp.__GFP_RETRY_MAYFAIL
            | Gfp.__GFP_NOFAIL
            | Gfp.__GFP_NORETRY
            | Gfp.__GFP_MEMALLOC
            | Gfp.__GFP_NOMEMALLOC
            | Gfp.__GFP_HARDWALL
            | Gfp.__GFP_THISNODE;

    final SlubAllocator allocator;
    final KmemCache desc;
    final Machine machine;
    /** machine.locks(), kept: the cmpxchg steps of freeze and __slab_free read it on every call. */
    private final KernelLocks locks;

    final PhysMem mem;
    final PageFrames frames;
    /** Frames of emulated memory (the direct map's extent, as {@code PhysMem.contains}). */
    final int nrMemFrames;

    final SlabTable t;
    final SlubGeometry geo;
    final SlubDebug dbg;

    // geometry, copied into fields for the hot paths
    final int size;
    /** ceil(2^64 / size): the multiplier of {@link #multipleOf}'s divide-free divisibility test. */
    final long sizeMagic;
    /** {@link #divisibilityBound} of sizeMagic: {@link #multipleOf}'s limit. */
    final long sizeBound;

    final int offset;
    final int redLeftPad;
    final int flags;
    final boolean debug;
    final boolean hardened;
    final long random;
    final int allocflags;
    final Ctor ctor;
    /** setup_object does something for this cache (debug init or a constructor). */
    private final boolean objectSetup;

    int inuseOffset;
    int minPartial;
    int cpuPartial;
    int cpuPartialSlabs;
    /** Random free-list permutation (object indices), or null. */
    final int[] randomSeq;
    /**
     * random_seq as byte offsets (index × size, as the kernel's init_cache_random_seq transforms
     * it), written out twice: a walk of {@code count} entries from any start never wraps.
     */
    private final int[] randomSeqBytes2;

    private final SplittableRandom rng;

    // kmem_cache_cpu
    /** struct kmem_cache_cpu per CPU: the cpu freelist and the cpu slab. */
    final CpuSlab[] cpus;

    final int[] cpuPartialHead;
    final long[] stats;
    final int nrCpus;

    // kmem_cache_node (one node)
    /** n->list_lock: the node's partial list (taken only where the kernel takes it: the slow paths). */
    final SpinLock listLock;

    int partialHead = NIL;
    int partialTail = NIL;
    int nrPartial;
    int fullHead = NIL;
    int fullTail = NIL;
    long nrSlabs;
    long totalObjects;
    /** Discarded TYPESAFE_BY_RCU slabs whose pages wait for a grace period (not in nrSlabs). */
    int rcuSlabs;
    /** call_rcu's func for discarded slabs, made once so discarding allocates nothing. */
    private final Rcu.Callback rcuFreeSlabFn = this::rcuFreeSlab;

    /** Errors counted as the kernel's slab error counter counts them (KUnit accounting). */
    long errors;
    /** Address of this cache's struct kmem_cache / kmem_cache_node objects (0 for none). */
    long structObj;

    long nodeObj;
    /** The kcalloc'ed random_seq array (0 without freelist randomisation). */
    long randomSeqObj;

    String sysfsDir;
    final List<String> aliasNames = new ArrayList<>();
    /** The SLUB of 7.1: no per-CPU slab, no per-CPU partial list ({@link SlubVersion#V7_1}). */
    final boolean v7;
    /** Per-CPU sheaves and per-node barns, or null (s->sheaf_capacity == 0). */
    SlubSheaves sheaves;
    /**
     * No debugging, no sheaves, 6.18's per-CPU slab ({@code !debug && sheaves == null && !v7}):
     * the allocation and free fast paths test this one field instead of three.
     */
    private boolean plain;
    /** Slabs refill_objects collected from the partial list (reused, so a refill allocates nothing). */
    private int[] refillScratch = new int[16];
    /**
     * kmemlab's own counts of the cpu-slab path work 6.18's sheaf refills and flushes did, so the
     * metric's fast and slow path figures count the callers' allocations and frees only.
     */
    long refillFast;

    long refillSlow;
    long flushFast;
    long flushSlow;

    SlubCache(SlubAllocator allocator, KmemCache desc, SlubGeometry geo, SplittableRandom rng) {
        this.allocator = allocator;
        this.desc = desc;
        this.machine = allocator.machine();
        this.locks = machine.locks();
        this.mem = machine.mem();
        this.frames = machine.frames();
        this.nrMemFrames = mem.nrFrames();
        this.t = allocator.table();
        this.geo = geo;
        this.size = geo.size();
        this.sizeMagic = divisibilityMagic(size);
        this.sizeBound = divisibilityBound(sizeMagic);
        this.offset = geo.offset();
        this.redLeftPad = geo.redLeftPad();
        this.flags = geo.flags();
        this.debug = geo.debug();
        this.hardened = allocator.config().freelistHardened();
        this.rng = rng;
        this.random = hardened ? rng.nextLong() : 0;
        this.ctor = desc.ctor();
        this.inuseOffset = geo.inuse();
        this.minPartial = geo.minPartial();
        this.v7 = allocator.config().version() == SlubVersion.V7_1;
        this.plain = !debug && !v7;
        // 7.0 removed the per-CPU partial lists: cpu_partial reads 0
        this.cpuPartial = v7 ? 0 : geo.cpuPartial();
        this.cpuPartialSlabs = v7 ? 0 : geo.cpuPartialSlabs();
        int af = Gfp.__GFP_COMP;
        if ((flags & SlabFlags.CACHE_DMA) != 0) {
            af |= Gfp.GFP_DMA;
        }
        if ((flags & SlabFlags.CACHE_DMA32) != 0) {
            af |= Gfp.GFP_DMA32;
        }
        if ((flags & SlabFlags.RECLAIM_ACCOUNT) != 0) {
            af |= Gfp.__GFP_RECLAIMABLE;
        }
        this.allocflags = af;
        this.randomSeq =
                allocator.config().freelistRandom() && geo.objects() >= 2 ? randomSequence(geo.objects(), rng) : null;
        this.randomSeqBytes2 = randomSeq == null ? null : twiceAsBytes(randomSeq, size);
        this.nrCpus = machine.cpus().nrCpus();
        this.listLock =
                machine.locks().register(new SpinLock(desc.name() + ":list_lock", "&n->list_lock"), "get_partial_node");
        this.cpus = new CpuSlab[nrCpus];
        for (int c = 0; c < nrCpus; c++) {
            cpus[c] = new CpuSlab();
        }
        this.cpuPartialHead = new int[nrCpus];
        java.util.Arrays.fill(cpuPartialHead, NIL);
        this.stats = new long[nrCpus * SlubStat.COUNT];
        this.dbg = new SlubDebug(this);
        this.objectSetup = needsObjectSetup();
    }

    private static int[] twiceAsBytes(int[] seq, int size) {
        int[] b = new int[2 * seq.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = seq[i % seq.length] * size;
        }
        return b;
    }

    /** cache_random_seq_create: a Fisher–Yates permutation of the object indices. */
    private static int[] randomSequence(int count, SplittableRandom rng) {
        int[] seq = new int[count];
        for (int i = 0; i < count; i++) {
            seq[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = seq[i];
            seq[i] = seq[j];
            seq[j] = tmp;
        }
        return seq;
    }

    // --- SlabCache -----------------------------------------------------------------------

    @Override
    public KmemCache descriptor() {
        return desc;
    }

    @Override
    public int objectSize() {
        return desc.objectSize();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int align() {
        return geo.align();
    }

    @Override
    public int order() {
        return geo.order();
    }

    @Override
    public int objsPerSlab() {
        return geo.objects();
    }

    @Override
    public int effectiveFlags() {
        return flags;
    }

    String name() {
        return desc.name();
    }

    void stat(int cpu, SlubStat s) {
        stat(cpu, s.ordinal());
    }

    // stat_item indices of the hot paths as constants (an enum's ordinal() is a field load)
    private static final int ALLOC_FASTPATH = SlubStat.ALLOC_FASTPATH.ordinal();
    private static final int FREE_FASTPATH = SlubStat.FREE_FASTPATH.ordinal();
    private static final int FREE_SLOWPATH = SlubStat.FREE_SLOWPATH.ordinal();
    private static final int FREE_FROZEN = SlubStat.FREE_FROZEN.ordinal();
    private static final int CPU_PARTIAL_FREE = SlubStat.CPU_PARTIAL_FREE.ordinal();

    /**
     * stat() by index. The four counters of the fast paths live in the CPU's {@link CpuSlab}
     * (where the kernel keeps all of them, c->stat[]), so that the hot paths count with one
     * increment of an object already at hand; the rest are in {@link #stats}.
     */
    void stat(int cpu, int item) {
        CpuSlab c = cpus[cpu];
        if (item == ALLOC_FASTPATH) {
            c.allocFastpath++;
        } else if (item == FREE_FASTPATH) {
            c.freeFastpath++;
        } else if (item == FREE_SLOWPATH) {
            c.freeSlowpath++;
        } else if (item == FREE_FROZEN) {
            c.freeFrozen++;
        } else {
            stats[cpu * SlubStat.COUNT + item]++;
        }
    }

    /** stat_add(). */
    void stat(int cpu, SlubStat s, long n) {
        setStat(cpu, s, statOf(cpu, s) + n);
    }

    /** CPU {@code cpu}'s count of {@code s} (one C&lt;cpu&gt;= figure of the sysfs file). */
    long statOf(int cpu, SlubStat s) {
        CpuSlab c = cpus[cpu];
        int item = s.ordinal();
        if (item == ALLOC_FASTPATH) {
            return c.allocFastpath;
        } else if (item == FREE_FASTPATH) {
            return c.freeFastpath;
        } else if (item == FREE_SLOWPATH) {
            return c.freeSlowpath;
        } else if (item == FREE_FROZEN) {
            return c.freeFrozen;
        }
        return stats[cpu * SlubStat.COUNT + item];
    }

    /** Sets CPU {@code cpu}'s count of {@code s} (the sysfs file's write of 0 clears it). */
    void setStat(int cpu, SlubStat s, long n) {
        CpuSlab c = cpus[cpu];
        int item = s.ordinal();
        if (item == ALLOC_FASTPATH) {
            c.allocFastpath = n;
        } else if (item == FREE_FASTPATH) {
            c.freeFastpath = n;
        } else if (item == FREE_SLOWPATH) {
            c.freeSlowpath = n;
        } else if (item == FREE_FROZEN) {
            c.freeFrozen = n;
        } else {
            stats[cpu * SlubStat.COUNT + item] = n;
        }
    }

    long statSum(SlubStat s) {
        long n = 0;
        for (int c = 0; c < nrCpus; c++) {
            n += statOf(c, s);
        }
        return n;
    }

    // --- free pointers ---------------------------------------------------------------------

    /**
     * freelist_ptr_encode / freelist_ptr_decode (the same XOR both ways): with
     * CONFIG_SLAB_FREELIST_HARDENED the word at {@code addr} is {@code v ^ s->random ^
     * swab(addr)}, else {@code v} itself.
     */
    private long freelistPtr(long v, long addr) {
        return hardened ? v ^ random ^ Long.reverseBytes(addr) : v;
    }

    /** get_freepointer: decodes the word at object + s->offset (freelist_ptr_decode). */
    long getFreepointer(long obj) {
        long addr = obj + offset;
        long v = mem.readU64(addr);
        return freelistPtr(v, addr);
    }

    /** set_freepointer without the double-free check (used where the kernel writes raw). */
    void setFreepointer(long obj, long fp) {
        long addr = obj + offset;
        mem.writeU64(addr, freelistPtr(fp, addr));
    }

    /**
     * get_freepointer for an object of slab {@code id}: the same word through the slab's cached
     * PhysMem block (an object start is 8-aligned, and so is its free pointer).
     */
    long getFreepointer(int id, long obj) {
        return getFreepointer(t.slab[id].frame, id, obj);
    }

    /** get_freepointer with slab {@code id}'s {@code t.slab[id].frame} ({@code f}) at hand. */
    private long getFreepointer(byte[] f, int id, long obj) {
        long addr = obj + offset;
        if (f == null) {
            // a slab of order > 0 keeps no page bytes: the page's in its memory block
            f = PhysMem.frameIn(t.block[id], addr);
        }
        // an untouched page reads as zeros (and frameIn's null is exactly an untouched page)
        long v = f != null ? PhysMem.readU64(f, addr) : 0;
        return freelistPtr(v, addr);
    }

    /** set_freepointer (raw) for an object of slab {@code id}, through the slab's PhysMem block. */
    void setFreepointer(int id, long obj, long fp) {
        setFreepointer(t.slab[id].frame, id, obj, fp);
    }

    /** set_freepointer with slab {@code id}'s {@code t.slab[id].frame} ({@code f}) at hand. */
    private void setFreepointer(byte[] f, int id, long obj, long fp) {
        long addr = obj + offset;
        long v = freelistPtr(fp, addr);
        if (f == null) {
            f = PhysMem.frameIn(t.block[id], addr);
        }
        // An untouched page takes the general write, which backs it; a new slab's freelist is
        // written by initFreepointer, so that here that branch stays cold and no call is
        // compiled into the loops this is inlined into (a call in a loop makes C2 keep the loop's
        // values on the stack: the kmem_cache pair's 5.4 ns launches, docs/benchmarks.md).
        if (f != null) {
            PhysMem.writeU64(f, addr, v);
        } else {
            mem.writeU64(addr, v);
        }
    }

    /**
     * {@link #setFreepointer(int, long, long)} for a new slab's freelist ({@link #buildFreelist}),
     * the same write in a method of its own: the JIT profiles each method's branches once for all
     * caches, and a new slab's pages are often untouched (the general write backs them), which
     * would make that branch look taken in the free path's copy and compile a call into every
     * loop the free path is inlined into.
     */
    private void initFreepointer(int id, long obj, long fp) {
        long addr = obj + offset;
        long v = freelistPtr(fp, addr);
        byte[] f = t.slab[id].frame;
        if (f == null) {
            f = PhysMem.frameIn(t.block[id], addr);
        }
        if (f != null) {
            PhysMem.writeU64(f, addr, v);
        } else {
            mem.writeU64(addr, v);
        }
    }

    /** check_valid_pointer: NULL, or an object start inside the slab. */
    boolean validPointer(int id, long p) {
        if (p == 0) {
            return true;
        }
        long rel = p - redLeftPad - t.base[id];
        return objectOffset(rel, (long) t.objects[id] * size);
    }

    /**
     * The multiplier for {@link #multipleOf}: ceil(2^64 / d) = floor((2^64 - 1) / d) + 1 (0 for
     * d = 1, which the test handles). The kernel avoids the divide in obj_to_index() the same way,
     * with a precomputed reciprocal (s->reciprocal_size).
     */
    static long divisibilityMagic(int d) {
        return Long.divideUnsigned(-1L, d) + 1;
    }

    /**
     * c − 1 for the multiplier c of d ≥ 2, which is below 2^63; for d = 1 (c = 0, every n a
     * multiple) Long.MAX_VALUE.
     */
    static long divisibilityBound(long magic) {
        return magic == 0 ? Long.MAX_VALUE : magic - 1;
    }

    /**
     * {@code n % d == 0} for 0 ≤ n, d &lt; 2^32 without a divide (Lemire, Kaser and Kurz, "Faster
     * remainder by direct computation", 2019): n is a multiple of d iff n·c mod 2^64 ≤ c − 1
     * (unsigned), c = {@link #divisibilityMagic}(d), {@code bound} = {@link #divisibilityBound}(c).
     * As c − 1 &lt; 2^63 the unsigned test is two signed compares, which C2 compiles into fewer
     * instructions than Long.compareUnsigned's offset compare. The hot paths check every free
     * pointer.
     */
    static boolean multipleOf(long n, long magic, long bound) {
        long m = n * magic;
        // 0 <= m <= bound as one sign test: both terms are non-negative exactly then
        return (m | (bound - m)) >= 0;
    }

    /**
     * check_valid_pointer's arithmetic: {@code rel} (an address minus the slab's first object) is
     * an object start of a slab whose objects span {@code span} ≤ 2^32 bytes: 0 ≤ rel &lt; span
     * and rel a {@link #multipleOf} the size. All four bounds are one sign test of an OR (each
     * term is non-negative exactly when its bound holds; no term overflows when the others do
     * not fail), so that the hot paths branch once, not four times; out of range, the
     * multiplication's value does not matter.
     */
    private boolean objectOffset(long rel, long span) {
        return objectOffset(rel, span, sizeMagic, sizeBound);
    }

    /** {@link #objectOffset(long, long)} for a size of multiplier {@code magic}, limit {@code bound}. */
    static boolean objectOffset(long rel, long span, long magic, long bound) {
        long m = rel * magic;
        return (rel | (span - 1 - rel) | m | (bound - m)) >= 0;
    }

    long slabBase(int id) {
        return t.base[id];
    }

    int slabOf(long obj) {
        return frames.priv(frames.compoundHead(Addr.virtToPfn(obj)));
    }

    // --- allocation --------------------------------------------------------------------------

    @Override
    public long alloc(int cpu, int gfpFlags, int origSize, long callSite) {
        // The common case (no debugging, no sheaves, no __GFP_ZERO) is kept this small so that the
        // JIT inlines it into kmalloc and kmem_cache_alloc; everything else is allocGeneral.
        if (plain && (gfpFlags & Gfp.__GFP_ZERO) == 0) {
            return cpuSlabAlloc(cpu, gfpFlags);
        }
        return allocGeneral(cpu, gfpFlags, origSize, callSite);
    }

    private long allocGeneral(int cpu, int gfpFlags, int origSize, long callSite) {
        long obj;
        SlubSheaves sh = sheaves;
        SlubSheaves.Sheaf m;
        if (debug) {
            obj = allocDebug(cpu, gfpFlags, origSize, callSite);
        } else if (sh != null && (m = sh.main[cpu]).size != 0) {
            // alloc_from_pcs: the top of the main sheaf
            obj = m.objects[--m.size];
            stat(cpu, sh.allocStat);
        } else if (sh == null || (obj = sh.allocSlow(cpu, gfpFlags)) == 0) {
            obj = v7 ? allocSingle(cpu, gfpFlags) : cpuSlabAlloc(cpu, gfpFlags);
        }
        if (obj != 0 && (gfpFlags & Gfp.__GFP_ZERO) != 0) {
            // slab_post_alloc_hook: kmalloc caches with U or Z zero only the request.
            int zero = (flags & SlabFlags.KMALLOC) != 0 && (flags & (SlabFlags.STORE_USER | SlabFlags.RED_ZONE)) != 0
                    ? origSize
                    : desc.objectSize();
            mem.fill(obj, 0, zero);
        }
        return obj;
    }

    /** The per-CPU slab's fast path (slab_alloc_node → __slab_alloc_node), else ___slab_alloc. */
    private long cpuSlabAlloc(int cpu, int gfpFlags) {
        CpuSlab c = cpus[cpu];
        int slab = c.slab;
        long obj = c.freelist;
        if (obj != 0 && slab != NIL) {
            long next = getFreepointer(c.frame, slab, obj);
            if (next != 0 && !onCpuSlab(c, next)) {
                next = dbg.isolateCorruptChain(slab, obj);
            }
            c.freelist = next;
            c.allocFastpath++;
            return obj;
        }
        return slowAlloc(cpu, gfpFlags);
    }

    /**
     * check_valid_pointer for the cpu slab, from the bounds kept beside it: {@code p} (non-NULL) is
     * an object start of {@code c.slab}.
     */
    private boolean onCpuSlab(CpuSlab c, long p) {
        // short-circuit here, unlike objectOffset: the pairs pop and push one object, and the
        // four terms computed every time cost them 20 % (0.78 -> 0.97 ns) for nothing measurable
        // on the batch
        long rel = p - c.first;
        return rel >= 0 && rel < c.span && multipleOf(rel, sizeMagic, sizeBound);
    }

    /** c->slab = {@code id} (NIL: none), with the slab's page bytes and bounds kept beside it. */
    private void setCpuSlab(int cpu, int id) {
        CpuSlab c = cpus[cpu];
        c.slab = id;
        if (id == NIL) {
            c.frame = null;
            c.first = 0;
            c.span = 0;
        } else {
            c.frame = t.slab[id].frame;
            c.first = t.base[id] + redLeftPad;
            c.span = (long) t.objects[id] * size;
        }
    }

    /**
     * struct kmem_cache_cpu: the CPU's freelist and frozen slab; beside them (kmemlab's) the slab's
     * page bytes and object bounds, so that the allocation fast path reads one object for all of
     * them instead of an array each.
     */
    static final class CpuSlab {
        /** c->freelist: an object address, 0 = NULL. */
        long freelist;
        /** c->slab: a slab id, NIL = none. */
        int slab = NIL;
        /** The slab's {@code SlabTable.frame} (null: none kept), first object, objects × size. */
        byte[] frame;

        long first;
        long span;

        /** c->stat[] of the fast paths (the others are in SlubCache.stats). */
        long allocFastpath;

        long freeFastpath;
        long freeSlowpath;
        long freeFrozen;
    }

    /** ___slab_alloc for caches without debugging. */
    private long slowAlloc(int cpu, int gfp) {
        stat(cpu, SlubStat.ALLOC_SLOWPATH);
        int slab = cpus[cpu].slab;
        if (slab != NIL) {
            // get_freelist: objects freed remotely to the frozen cpu slab
            long fl = t.slab[slab].freelist;
            t.slab[slab].freelist = 0;
            t.slab[slab].inuse = t.objects[slab];
            if (fl != 0) {
                stat(cpu, SlubStat.ALLOC_REFILL);
                return load(cpu, slab, fl);
            }
            // the cpu slab is full: unfreeze it, it becomes a full slab on no list
            t.slab[slab].state = SlabTable.NONE;
            setCpuSlab(cpu, NIL);
            stat(cpu, SlubStat.DEACTIVATE_BYPASS);
        }
        while (cpuPartialHead[cpu] != NIL) {
            int s = cpuPartialHead[cpu];
            cpuPartialHead[cpu] = t.cpuNext[s];
            if (t.cpuNext[s] != NIL) {
                t.cpuSlabs[t.cpuNext[s]] = t.cpuSlabs[s] - 1;
            }
            t.cpuNext[s] = NIL;
            long fl = freeze(s);
            setCpuSlab(cpu, s);
            stat(cpu, SlubStat.CPU_PARTIAL_ALLOC);
            if (fl != 0) {
                return load(cpu, s, fl);
            }
            // a cpu partial slab always has free objects; tolerate a corrupted one
            t.slab[s].state = SlabTable.NONE;
            setCpuSlab(cpu, NIL);
        }
        int s = getPartial(cpu);
        if (s != NIL) {
            setCpuSlab(cpu, s);
            return load(cpu, s, freezeTaken);
        }
        s = newSlab(cpu, gfp);
        if (s == NIL) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: no slab for cpu {} gfp {}", name(), cpu, Gfp.format(gfp));
            }
            return 0;
        }
        stat(cpu, SlubStat.ALLOC_SLAB);
        long fl = freeze(s);
        setCpuSlab(cpu, s);
        return load(cpu, s, fl);
    }

    private long freezeTaken;

    /**
     * The cmpxchg on slab {@code id}'s freelist and counters in the lock model: its struct slab
     * line comes to this CPU (the address is computed only when a scheduler drives the machine).
     */
    private void slabCmpxchg(int id) {
        if (locks.stepping()) {
            locks.steps().atomic(Addr.structPage(t.pfn[id]));
        }
    }

    /** freeze_slab / get_freelist: take the whole slab freelist, inuse = objects, frozen. */
    private long freeze(int s) {
        slabCmpxchg(s);
        long fl = t.slab[s].freelist;
        t.slab[s].freelist = 0;
        t.slab[s].inuse = t.objects[s];
        t.slab[s].state = SlabTable.CPU_SLAB;
        return fl;
    }

    /** Returns the first object of {@code fl} and makes the rest the cpu freelist. */
    private long load(int cpu, int slab, long fl) {
        if (!validPointer(slab, fl)) {
            // corrupted slab freelist head: isolate everything and try again
            dbg.freelistHeadCorrupt(slab, fl);
            cpus[cpu].freelist = 0;
            return slowAlloc(cpu, Gfp.GFP_NOWAIT);
        }
        long next = getFreepointer(slab, fl);
        if (next != 0 && !validPointer(slab, next)) {
            next = dbg.isolateCorruptChain(slab, fl);
        }
        cpus[cpu].freelist = next;
        return fl;
    }

    /** get_partial_node: freeze the first usable node partial slab, move more to the cpu list. */
    private int getPartial(int cpu) {
        if (partialHead == NIL) {
            return NIL;
        }
        listLock.lock("get_partial_node");
        int first = NIL;
        int extra = 0;
        int id = partialHead;
        while (id != NIL) {
            int nx = t.next[id];
            removePartial(id);
            if (first == NIL) {
                first = id;
                freezeTaken = freeze(id);
                stat(cpu, SlubStat.ALLOC_FROM_PARTIAL);
                if (cpuPartialSlabs == 0) {
                    break;
                }
            } else {
                putCpuPartial(cpu, id, false);
                stat(cpu, SlubStat.CPU_PARTIAL_NODE);
                if (++extra > cpuPartialSlabs / 2) {
                    break;
                }
            }
            id = nx;
        }
        listLock.unlock();
        return first;
    }

    /** put_cpu_partial(s, slab, drain). */
    private void putCpuPartial(int cpu, int id, boolean drain) {
        int old = cpuPartialHead[cpu];
        int toPut = NIL;
        int slabs = 0;
        if (old != NIL) {
            if (drain && t.cpuSlabs[old] >= cpuPartialSlabs) {
                toPut = old;
                old = NIL;
            } else {
                slabs = t.cpuSlabs[old];
            }
        }
        t.cpuSlabs[id] = slabs + 1;
        t.cpuNext[id] = old;
        t.slab[id].state = SlabTable.CPU_PARTIAL;
        cpuPartialHead[cpu] = id;
        if (toPut != NIL) {
            putPartials(cpu, toPut);
            stat(cpu, SlubStat.CPU_PARTIAL_DRAIN);
        }
    }

    /** __put_partials: a detached cpu partial list goes to the node (empty slabs may go). */
    private void putPartials(int cpu, int head) {
        listLock.lock("__put_partials");
        for (int id = head; id != NIL; ) {
            int nx = t.cpuNext[id];
            t.cpuNext[id] = NIL;
            t.cpuSlabs[id] = 0;
            t.slab[id].state = SlabTable.NONE;
            if (t.slab[id].inuse == 0 && nrPartial >= minPartial) {
                stat(cpu, SlubStat.DEACTIVATE_EMPTY);
                discardSlab(cpu, id);
                stat(cpu, SlubStat.FREE_SLAB);
            } else {
                addPartial(id, true);
                stat(cpu, SlubStat.FREE_ADD_PARTIAL);
            }
            id = nx;
        }
        listLock.unlock();
    }

    // --- slabs ---------------------------------------------------------------------------------

    /** new_slab / allocate_slab: pages from the page allocator, objects set up, freelist built. */
    int newSlab(int cpu, int gfp) {
        PageAllocator pa = machine.pageAllocator();
        if ((gfp & SlabLayer.GFP_SLAB_BUG_MASK) != 0) {
            gfp = allocator.layer().kmallocFixFlags(gfp);
        }
        int g = (gfp & GFP_SLAB_PASS) | allocflags;
        int order = geo.order();
        int objects = geo.objects();
        int ag = (g | Gfp.__GFP_NOWARN | Gfp.__GFP_NORETRY) & ~Gfp.__GFP_NOFAIL;
        if ((ag & Gfp.__GFP_DIRECT_RECLAIM) != 0 && order > geo.minOrder()) {
            ag = (ag | Gfp.__GFP_NOMEMALLOC) & ~Gfp.__GFP_RECLAIM;
        }
        int pfn = pa.allocPages(cpu, ag, order);
        if (pfn == PageAllocator.NO_PAGE) {
            order = geo.minOrder();
            objects = geo.minOrderObjects();
            pfn = pa.allocPages(cpu, g, order);
            if (pfn == PageAllocator.NO_PAGE) {
                slabOutOfMemory(cpu, gfp);
                return NIL;
            }
            stat(cpu, SlubStat.ORDER_FALLBACK);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: order {} failed, fell back to order {}", name(), geo.order(), order);
            }
        }
        int id = t.allocate();
        t.pfn[id] = pfn;
        t.order[id] = order;
        t.objects[id] = objects;
        t.cache[id] = this;
        long base = Addr.pfnToVirt(pfn);
        t.base[id] = base;
        // a buddy block of order <= MAX_PAGE_ORDER is naturally aligned: one directory block holds it
        if (!PhysMem.oneBlock(pfn, 1 << order)) {
            throw new IllegalStateException(
                    name() + ": slab at pfn " + pfn + " order " + order + " spans two memory blocks");
        }
        t.block[id] = mem.block(pfn);
        frames.set(pfn, PageFrames.PG_SLAB);
        frames.setPriv(pfn, id);
        machine.addNodeStat(
                reclaimable() ? NodeStat.NR_SLAB_RECLAIMABLE_B : NodeStat.NR_SLAB_UNRECLAIMABLE_B,
                (long) Addr.PAGE_SIZE << order);
        if ((flags & SlabFlags.POISON) != 0) {
            mem.fill(base, SlubDebug.POISON_INUSE, (long) Addr.PAGE_SIZE << order);
        }
        if (order == 0) {
            // With two objects or more the first free pointer is non-NULL and materialises the
            // page anyway; with one the page stays lazy until something is written to it.
            t.slab[id].frame = objects >= 2 ? mem.frame(pfn) : mem.frameIfBacked(pfn);
        }
        buildFreelist(id, objects);
        t.slab[id].inuse = 0;
        nrSlabs++;
        totalObjects += objects;
        return id;
    }

    /** slab_out_of_memory: the SLUB warning after the fallback order failed too. */
    private void slabOutOfMemory(int cpu, int gfp) {
        if ((gfp & Gfp.__GFP_NOWARN) != 0) {
            return;
        }
        StringBuilder sb = new StringBuilder(256);
        sb.append(String.format(
                java.util.Locale.ROOT,
                "SLUB: Unable to allocate memory on CPU %d (of node 0) on node -1, gfp=%#x(%s)%n",
                cpu,
                gfp,
                Gfp.format(gfp)));
        sb.append(String.format(
                java.util.Locale.ROOT,
                "  cache: %s, object size: %d, buffer size: %d, default order: %d, min order: %d%n",
                name(),
                desc.objectSize(),
                size,
                geo.order(),
                geo.minOrder()));
        if (geo.minOrder() > Addr.getOrder(desc.objectSize())) {
            sb.append("  ").append(name()).append(" debugging increased min order, use slab_debug=O to disable.\n");
        }
        sb.append(String.format(
                java.util.Locale.ROOT,
                "  node 0: slabs: %d, objs: %d, free: %d",
                nrSlabs,
                totalObjects,
                partialFreeApprox()));
        machine.dmesg().warn(sb.toString().replace("\r", ""));
    }

    boolean reclaimable() {
        return (flags & SlabFlags.RECLAIM_ACCOUNT) != 0;
    }

    private void buildFreelist(int id, int objects) {
        long first = t.base[id] + redLeftPad;
        boolean setup = objectSetup;
        byte[] f = t.slab[id].frame;
        if (f != null && !setup && randomSeq != null && objects == randomSeq.length) {
            shuffleIntoFrame(id, f, first);
            return;
        }
        if (randomSeq == null || objects < 2) {
            long p = first;
            if (setup) {
                setupObject(p);
            }
            t.slab[id].freelist = p;
            for (int i = 1; i < objects; i++) {
                long nx = p + size;
                if (setup) {
                    setupObject(nx);
                }
                initFreepointer(id, p, nx);
                p = nx;
            }
            initFreepointer(id, p, 0);
            return;
        }
        // shuffle_freelist: walk random_seq cyclically from a random start, skip indices >= objects
        int count = randomSeq.length;
        int pos = rng.nextInt(count);
        long cur = 0;
        for (int n = 0; n < objects; n++) {
            int idx;
            do {
                idx = randomSeq[pos];
                pos = pos + 1 == count ? 0 : pos + 1;
            } while (idx >= objects);
            long obj = first + (long) idx * size;
            if (setup) {
                setupObject(obj);
            }
            if (cur == 0) {
                t.slab[id].freelist = obj;
            } else {
                initFreepointer(id, cur, obj);
            }
            cur = obj;
        }
        initFreepointer(id, cur, 0);
    }

    /**
     * {@link #buildFreelist}'s shuffle_freelist for the common new slab: an order-0 slab whose
     * page bytes are kept, no setup_object work, and as many objects as random_seq has entries,
     * so that the walk skips no entry. It is {@code count} consecutive entries of {@link
     * #randomSeqBytes2} from the same random start the general walk draws, written in a loop that
     * calls, compares and wraps nothing: the same words in the same order (a slab of the fallback
     * order, with fewer objects, takes the general walk). SlubShuffleTest pins both walks to
     * random_seq; the replay reports' golden addresses pin the words.
     */
    private void shuffleIntoFrame(int id, byte[] f, long first) {
        int[] seq = randomSeqBytes2;
        int count = randomSeq.length;
        int pos = rng.nextInt(count);
        long off = offset;
        long cur = first + seq[pos];
        t.slab[id].freelist = cur;
        int end = pos + count;
        for (int j = pos + 1; j < end; j++) {
            long obj = first + seq[j];
            long addr = cur + off;
            PhysMem.writeU64(f, addr, freelistPtr(obj, addr));
            cur = obj;
        }
        long addr = cur + off;
        PhysMem.writeU64(f, addr, freelistPtr(0, addr));
    }

    /** True if setup_object has work: debug initialisation or a constructor. */
    private boolean needsObjectSetup() {
        return geo.objectPoison() || (flags & (SlabFlags.RED_ZONE | SlabFlags.STORE_USER)) != 0 || ctor != null;
    }

    /** setup_object: debug initialisation, then the constructor. */
    private void setupObject(long obj) {
        if (geo.objectPoison() || (flags & (SlabFlags.RED_ZONE | SlabFlags.STORE_USER)) != 0) {
            dbg.initObject(obj, SlubDebug.RED_INACTIVE);
            dbg.initTracking(obj);
        }
        if (ctor != null) {
            ctor.construct(mem, obj, desc.objectSize());
        }
    }

    /**
     * discard_slab: the node counters go down now (dec_slabs_node), then free_slab: a
     * TYPESAFE_BY_RCU slab's pages wait for a grace period (call_rcu(rcu_free_slab)), any other
     * slab's go back at once (__free_slab).
     */
    void discardSlab(int cpu, int id) {
        forget();
        nrSlabs--;
        totalObjects -= t.objects[id];
        if ((flags & SlabFlags.TYPESAFE_BY_RCU) != 0) {
            t.slab[id].state = SlabTable.RCU_FREE;
            t.next[id] = t.prev[id] = t.cpuNext[id] = NIL;
            rcuSlabs++;
            if (LOG.isTraceEnabled()) {
                LOG.trace(
                        "{}: slab {} (pfn {}) waits for an RCU grace period",
                        name(),
                        id,
                        Integer.toHexString(t.pfn[id]));
            }
            machine.rcu().callRcu(Math.max(cpu, 0), rcuFreeSlabFn, id);
            return;
        }
        freeSlabPages(cpu, id);
    }

    /** rcu_free_slab: the grace period has ended; __free_slab gives the pages back. */
    private void rcuFreeSlab(int cpu, long arg, long unused) {
        int id = (int) arg;
        assert t.cache[id] == this && t.slab[id].state == SlabTable.RCU_FREE : name() + ": rcu slab " + id;
        rcuSlabs--;
        freeSlabPages(cpu, id);
    }

    /** __free_slab: PG_slab off, NR_SLAB_*_B down, pages back to the page allocator. */
    private void freeSlabPages(int cpu, int id) {
        forget();
        int pfn = t.pfn[id];
        int order = t.order[id];
        frames.clear(pfn, PageFrames.PG_SLAB);
        frames.setPriv(pfn, 0);
        machine.addNodeStat(
                reclaimable() ? NodeStat.NR_SLAB_RECLAIMABLE_B : NodeStat.NR_SLAB_UNRECLAIMABLE_B,
                -((long) Addr.PAGE_SIZE << order));
        t.release(id);
        machine.pageAllocator().freePages(Math.max(cpu, 0), pfn, order);
    }

    /** Slabs of this cache discarded and waiting for an RCU grace period to free their pages. */
    public int rcuSlabsPending() {
        return rcuSlabs;
    }

    void addPartial(int id, boolean tail) {
        t.slab[id].state = SlabTable.NODE_PARTIAL;
        if (partialHead == NIL) {
            partialHead = partialTail = id;
            t.next[id] = t.prev[id] = NIL;
        } else if (tail) {
            t.prev[id] = partialTail;
            t.next[id] = NIL;
            t.next[partialTail] = id;
            partialTail = id;
        } else {
            t.next[id] = partialHead;
            t.prev[id] = NIL;
            t.prev[partialHead] = id;
            partialHead = id;
        }
        nrPartial++;
    }

    void removePartial(int id) {
        int p = t.prev[id];
        int n = t.next[id];
        if (p == NIL) {
            partialHead = n;
        } else {
            t.next[p] = n;
        }
        if (n == NIL) {
            partialTail = p;
        } else {
            t.prev[n] = p;
        }
        t.next[id] = t.prev[id] = NIL;
        t.slab[id].state = SlabTable.NONE;
        nrPartial--;
    }

    /** add_full: only caches with U track full slabs. */
    void addFull(int id) {
        if ((flags & SlabFlags.STORE_USER) == 0) {
            t.slab[id].state = SlabTable.NONE;
            return;
        }
        t.slab[id].state = SlabTable.NODE_FULL;
        t.prev[id] = fullTail;
        t.next[id] = NIL;
        if (fullTail == NIL) {
            fullHead = id;
        } else {
            t.next[fullTail] = id;
        }
        fullTail = id;
    }

    void removeFull(int id) {
        if (t.slab[id].state != SlabTable.NODE_FULL) {
            return;
        }
        int p = t.prev[id];
        int n = t.next[id];
        if (p == NIL) {
            fullHead = n;
        } else {
            t.next[p] = n;
        }
        if (n == NIL) {
            fullTail = p;
        } else {
            t.prev[n] = p;
        }
        t.next[id] = t.prev[id] = NIL;
        t.slab[id].state = SlabTable.NONE;
    }

    // --- free ----------------------------------------------------------------------------------

    /**
     * cache_from_obj with the slab remembered from the last lookup: frees come in runs on one
     * slab, so most answers are a compare; anything else is {@link SlubAllocator#ownerOf}'s
     * virt_to_slab (range, hole, compound head, PG_slab, the slab id in page_private), which
     * remembers the slab in the cache it finds.
     */
    @Override
    public SlabCache ownerOf(long obj) {
        if (remembersPage(obj)) {
            return this;
        }
        return allocator.ownerOf(obj);
    }

    /**
     * True if {@code obj} lies on the page of this cache's remembered slab. The page number is
     * compared as a long: {@code (obj - PAGE_OFFSET) >>> PAGE_SHIFT} equals a frame number only for
     * an address on that frame's page of the direct map (below PAGE_OFFSET the difference wraps to
     * 0x778000000000 or more, a page number above 2^31), so no separate range check is needed; NIL
     * (-1) matches nothing.
     */
    boolean remembersPage(long obj) {
        return pageNumber(obj) == lookupPfn;
    }

    /**
     * True if {@code obj} is an object start of the remembered slab: then it lies on one of this
     * cache's slabs, and {@link #free} frees it there with the same test, which the JIT compiles
     * once for both. Anything else (another page, an address inside an object, nothing
     * remembered: the span is 0) is for {@link #ownerOf} and {@link #free} to sort out and report.
     */
    @Override
    public boolean remembers(long obj) {
        return objectOffset(obj - lookupFirst, lookupSpan);
    }

    /** Forgets the remembered slab (it is being discarded). */
    private void forget() {
        lookupPfn = PageFrames.NIL;
        lookupSpan = 0;
    }

    /** virt_to_pfn without the truncation to int: see {@link #remembersPage}. */
    private static long pageNumber(long obj) {
        return (obj - Addr.PAGE_OFFSET) >>> Addr.PAGE_SHIFT;
    }

    /** Remembers that page {@code pfn} lies on slab {@code id} of this cache. */
    void remember(int pfn, int id) {
        lookupPfn = pfn;
        lookupId = id;
        lookupSlab = t.slab[id];
        lookupFirst = t.base[id] + redLeftPad;
        lookupSpan = (long) t.objects[id] * size;
    }

    /**
     * slab_free: an object start of the remembered slab (the usual case after {@link #ownerOf})
     * is freed there, check_valid_pointer done by the bounds kept beside it; any other address on
     * the remembered page is that slab's to report; anything else takes a lookup of its own. The
     * address is one {@code ownerOf} placed in memory (or an object of this cache), so the page
     * compare alone finds the remembered slab.
     */
    @Override
    public boolean free(int cpu, long obj, long callSite) {
        if (objectOffset(obj - lookupFirst, lookupSpan)) {
            return freeValidObject(cpu, lookupSlab, obj, callSite);
        }
        if (pageNumber(obj) == lookupPfn) {
            return freeToSlab(cpu, lookupId, obj, callSite);
        }
        return freeToSlab(cpu, slabOf(obj), obj, callSite);
    }

    /**
     * The last page {@link #ownerOf} found on a slab of this cache, and that slab: frees come in
     * runs on one slab, and a page keeps its slab until {@link #discardSlab}, which forgets it.
     */
    private int lookupPfn = PageFrames.NIL;

    private int lookupId;
    /** t.slab[lookupId]: the free path reads the slab's hot fields from it without an index. */
    private SlabTable.Slab lookupSlab;
    /** That slab's first object and objects × size: {@link #validPointer}'s bounds for it. */
    private long lookupFirst;

    private long lookupSpan;

    /** slab_free: checks the address is an object start of slab {@code id}, then frees it. */
    private boolean freeToSlab(int cpu, int id, long obj, long callSite) {
        if (!validPointer(id, obj)) {
            dbg.invalidFree(id, obj);
            return false;
        }
        return freeValidObject(cpu, t.slab[id], obj, callSite);
    }

    /** slab_free of an object start of slab {@code s} (check_valid_pointer has passed). */
    private boolean freeValidObject(int cpu, SlabTable.Slab s, long obj, long callSite) {
        if (plain) {
            return cpuSlabFree(cpu, s, obj);
        }
        return freeNotPlain(cpu, s.id, obj, callSite);
    }

    /** {@link #freeValidObject} with debugging, sheaves or 7.1's slab paths. */
    private boolean freeNotPlain(int cpu, int id, long obj, long callSite) {
        if (debug) {
            return freeDebug(cpu, id, obj, callSite);
        }
        SlubSheaves sh = sheaves;
        if (sh != null && canFreeToPcs(id, cpu) && sh.free(cpu, obj)) {
            return true;
        }
        if (v7) {
            stat(cpu, FREE_SLOWPATH);
            return slabFree7(cpu, id, obj);
        }
        return cpuSlabFree(cpu, t.slab[id], obj);
    }

    /** do_slab_free: onto the cpu freelist if the object is on the cpu slab, else __slab_free. */
    private boolean cpuSlabFree(int cpu, SlabTable.Slab s, long obj) {
        CpuSlab c = cpus[cpu];
        int id = s.id;
        if (id == c.slab) {
            // do_slab_free fast path: push on the cpu freelist
            long head = c.freelist;
            if (hardened && head == obj) {
                dbg.naiveDoubleFree(obj);
                return false;
            }
            setFreepointer(c.frame, id, obj, head);
            c.freelist = obj;
            c.freeFastpath++;
            return true;
        }
        c.freeSlowpath++;
        return slabFree(cpu, s, obj);
    }

    /** __slab_free for caches without debugging (the caller has counted FREE_SLOWPATH). */
    private boolean slabFree(int cpu, SlabTable.Slab s, long obj) {
        int id = s.id;
        long prior = s.freelist;
        if (hardened && prior == obj) {
            dbg.naiveDoubleFree(obj);
            return false;
        }
        int inuse = s.inuse;
        if (inuse == 0) {
            // the kernel's u16 counter would wrap: certainly a double free
            dbg.tooManyFrees(id, obj);
            return false;
        }
        s.freelist = obj;
        slabCmpxchg(id);
        s.inuse = --inuse;
        byte st = s.state;
        setFreepointer(s.frame, id, obj, prior);
        if (st == SlabTable.CPU_SLAB) {
            cpus[cpu].freeFrozen++;
            return true;
        }
        if (prior == 0) {
            // was full; cpu partial is supported for every non-debug cache
            putCpuPartial(cpu, id, true);
            stat(cpu, CPU_PARTIAL_FREE);
            return true;
        }
        if (inuse == 0 && st == SlabTable.NODE_PARTIAL && nrPartial >= minPartial) {
            listLock.lock("__slab_free");
            removePartial(id);
            listLock.unlock();
            stat(cpu, SlubStat.FREE_REMOVE_PARTIAL);
            stat(cpu, SlubStat.FREE_SLAB);
            discardSlab(cpu, id);
        }
        return true;
    }

    /** free_to_partial_list: debug caches free one object under the list lock. */
    private boolean freeDebug(int cpu, int id, long obj, long callSite) {
        stat(cpu, SlubStat.FREE_SLOWPATH);
        if (!dbg.freeDebugProcessing(cpu, id, obj, callSite)) {
            return false;
        }
        long prior = t.slab[id].freelist;
        if (hardened && prior == obj) {
            dbg.naiveDoubleFree(obj);
            return false;
        }
        t.slab[id].inuse--;
        setFreepointer(obj, prior);
        t.slab[id].freelist = obj;
        boolean discard = t.slab[id].inuse == 0 && nrPartial >= minPartial;
        if (prior == 0) {
            removeFull(id);
            if (!discard) {
                addPartial(id, true);
                stat(cpu, SlubStat.FREE_ADD_PARTIAL);
            }
        } else if (discard && t.slab[id].state == SlabTable.NODE_PARTIAL) {
            removePartial(id);
            stat(cpu, SlubStat.FREE_REMOVE_PARTIAL);
        }
        if (discard) {
            t.slab[id].state = SlabTable.NONE;
            stat(cpu, SlubStat.FREE_SLAB);
            discardSlab(cpu, id);
        }
        return true;
    }

    // --- sheaves and the slab paths of 7.1 ------------------------------------------------------

    /**
     * Gives the cache {@code capacity}-object sheaves: barns and a main sheaf per CPU
     * (init_percpu_sheaves, or bootstrap_cache_sheaves for 7.1's kmalloc caches).
     *
     * @return false if the sheaf structures could not be allocated
     */
    boolean enableSheaves(int capacity) {
        SlubSheaves sh = new SlubSheaves(this, capacity, machine.config().nrNodes(), v7);
        if (!sh.init(0)) {
            return false;
        }
        sheaves = sh;
        plain = false;
        return true;
    }

    /** s->sheaf_capacity (0: no sheaves). */
    int sheafCapacity() {
        return sheaves == null ? 0 : sheaves.capacity;
    }

    /** numa_node_id() of a CPU: kmemlab's SLUB keeps every slab on node 0 (package essay). */
    int cpuNode(int cpu) {
        return 0;
    }

    /** slab_nid(). */
    int slabNode(int id) {
        return 0;
    }

    /**
     * May a freed object of slab {@code id} go into {@code cpu}'s sheaves? 6.18 and 7.0: the slab is
     * on the CPU's memory node; 7.1 (can_free_to_pcs): on the CPU's node, or the CPU's node has no
     * normal memory (then remote objects are cached too). pfmemalloc slabs never (not modelled).
     */
    boolean canFreeToPcs(int id, int cpu) {
        return slabNode(id) == cpuNode(cpu);
    }

    /**
     * May an empty main sheaf be refilled from slabs with {@code gfp}? 6.18: only if the request may
     * block (gfpflags_allow_blocking); 7.0-rc6 and later: whenever it may spin, which every kmemlab
     * request may (there is no kmalloc_nolock).
     */
    boolean sheafRefillAllowed(int gfp) {
        return v7 || (gfp & Gfp.__GFP_DIRECT_RECLAIM) != 0;
    }

    /**
     * refill_sheaf's bulk allocation of {@code n} objects onto {@code sh}: 6.18's
     * __kmem_cache_alloc_bulk through the per-CPU slab, 7.1's refill_objects from whole partial
     * slabs and new slabs.
     *
     * @return the objects added
     */
    int refillSheaf(int cpu, int gfp, SlubSheaves.Sheaf sh, int n) {
        if (v7) {
            return refillObjects(cpu, gfp, sh, n);
        }
        int got = 0;
        while (got < n) {
            long fast = cpus[cpu].allocFastpath;
            long obj = cpuSlabAlloc(cpu, gfp);
            if (obj == 0) {
                break;
            }
            if (cpus[cpu].allocFastpath != fast) {
                refillFast++;
            } else {
                refillSlow++;
            }
            sh.objects[sh.size++] = obj;
            got++;
        }
        return got;
    }

    /**
     * refill_objects (7.0/7.1): slabs taken off the head of the node partial list until their free
     * objects cover {@code n} (collected with list_add, so used in reverse), each slab's objects in
     * freelist order, a slab with objects left over back at the partial tail, one not needed at all
     * back at the head; then new slabs, whose leftovers go to the partial head.
     */
    private int refillObjects(int cpu, int gfp, SlubSheaves.Sheaf sh, int n) {
        int k = 0;
        long total = 0;
        for (int id = partialHead; id != NIL && total < n; ) {
            int nx = t.next[id];
            total += t.objects[id] - t.slab[id].inuse;
            removePartial(id);
            if (k == refillScratch.length) {
                refillScratch = java.util.Arrays.copyOf(refillScratch, k * 2);
            }
            refillScratch[k++] = id;
            id = nx;
        }
        int got = 0;
        for (int i = k - 1; i >= 0; i--) {
            int id = refillScratch[i];
            if (got >= n) {
                // collected but not needed: back to the head, or discarded if empty and the node
                // keeps enough partial slabs
                if (t.slab[id].inuse == 0 && nrPartial >= minPartial) {
                    stat(cpu, SlubStat.FREE_SLAB);
                    discardSlab(cpu, id);
                } else {
                    addPartial(id, false);
                }
                continue;
            }
            while (got < n && t.slab[id].freelist != 0) {
                sh.objects[sh.size++] = popFree(id);
                got++;
            }
            if (t.slab[id].freelist != 0) {
                // the unused rest of the detached freelist goes back through __slab_free
                addPartial(id, true);
                stat(cpu, SlubStat.FREE_ADD_PARTIAL);
            }
        }
        while (got < n) {
            int id = newSlab(cpu, gfp);
            if (id == NIL) {
                break;
            }
            stat(cpu, SlubStat.ALLOC_SLAB);
            while (got < n && t.slab[id].freelist != 0) {
                sh.objects[sh.size++] = popFree(id);
                got++;
            }
            if (t.slab[id].freelist != 0) {
                addPartial(id, false);
            }
        }
        return got;
    }

    /**
     * Takes the first object off slab {@code id}'s freelist (not empty); a corrupt freelist is
     * reported and the rest of it isolated (its objects leak, the slab counts them used).
     */
    private long popFree(int id) {
        long obj = t.slab[id].freelist;
        if (!validPointer(id, obj)) {
            dbg.freelistHeadCorrupt(id, obj);
            return 0;
        }
        long nx = getFreepointer(id, obj);
        if (nx != 0 && !validPointer(id, nx)) {
            dbg.isolateCorruptChain(id, obj);
            t.slab[id].freelist = 0;
            t.slab[id].inuse = t.objects[id];
            return obj;
        }
        t.slab[id].freelist = nx;
        t.slab[id].inuse++;
        return obj;
    }

    /**
     * ___slab_alloc of 7.0+: one object from the first node partial slab (a slab it empties leaves
     * the list: full slabs are on no list), else from a new slab, which goes to the partial head.
     */
    private long allocSingle(int cpu, int gfp) {
        stat(cpu, SlubStat.ALLOC_SLOWPATH);
        for (int id = partialHead; id != NIL; ) {
            int nx = t.next[id];
            long obj = t.slab[id].freelist == 0 ? 0 : popFree(id);
            if (t.slab[id].freelist == 0) {
                removePartial(id);
            }
            if (obj != 0) {
                return obj;
            }
            id = nx;
        }
        int id = newSlab(cpu, gfp);
        if (id == NIL) {
            return 0;
        }
        stat(cpu, SlubStat.ALLOC_SLAB);
        long obj = popFree(id);
        if (t.slab[id].freelist != 0) {
            addPartial(id, false);
        }
        return obj;
    }

    /**
     * __slab_free of 7.0+ (no frozen slabs): push on the slab freelist; a slab that was full goes to
     * the partial tail; one that became empty is discarded if the node has min_partial partial
     * slabs. The caller counts FREE_SLOWPATH for a user's free; a sheaf flush counts SHEAF_FLUSH.
     */
    private boolean slabFree7(int cpu, int id, long obj) {
        long prior = t.slab[id].freelist;
        if (hardened && prior == obj) {
            dbg.naiveDoubleFree(obj);
            return false;
        }
        if (t.slab[id].inuse == 0) {
            dbg.tooManyFrees(id, obj);
            return false;
        }
        setFreepointer(id, obj, prior);
        t.slab[id].freelist = obj;
        int inuse = --t.slab[id].inuse;
        if (inuse == 0 && nrPartial >= minPartial) {
            if (t.slab[id].state == SlabTable.NODE_PARTIAL) {
                removePartial(id);
                stat(cpu, SlubStat.FREE_REMOVE_PARTIAL);
            }
            t.slab[id].state = SlabTable.NONE;
            stat(cpu, SlubStat.FREE_SLAB);
            discardSlab(cpu, id);
            return true;
        }
        if (prior == 0 && t.slab[id].state != SlabTable.NODE_PARTIAL) {
            addPartial(id, true);
            stat(cpu, SlubStat.FREE_ADD_PARTIAL);
        }
        return true;
    }

    /**
     * One object of a sheaf back to its slab (__kmem_cache_free_bulk): 6.18 through do_slab_free
     * (the cpu freelist or __slab_free, counted as frees), 7.1 straight to the slab.
     */
    void flushObject(int cpu, long obj) {
        int id = slabOf(obj);
        if (v7) {
            slabFree7(cpu, id, obj);
            return;
        }
        long fast = cpus[cpu].freeFastpath;
        cpuSlabFree(cpu, t.slab[id], obj);
        if (cpus[cpu].freeFastpath != fast) {
            flushFast++;
        } else {
            flushSlow++;
        }
    }

    /** True if {@code obj} is an object start on one of this cache's slabs. */
    boolean ownsObject(long obj) {
        if (!Addr.isDirectMap(obj, nrMemFrames) || !frames.valid(Addr.virtToPfn(obj))) {
            return false;
        }
        int head = frames.slabHead(Addr.virtToPfn(obj));
        if (head == PageFrames.NIL) {
            return false;
        }
        int id = frames.priv(head);
        return id >= 0 && id < t.high() && t.pfn[id] == head && t.cache[id] == this && validPointer(id, obj);
    }

    /**
     * kfree_rcu_sheaf: 6.18 for caches with sheaves; 7.x tries every cache and counts a cache
     * without them (boot, debug) as FREE_RCU_SHEAF_FAIL. The object must be an object start of the
     * slab {@link #ownerOf} found.
     */
    @Override
    public boolean kfreeRcuSheaf(int cpu, long obj) {
        if (!remembersPage(obj) || !validPointer(lookupId, obj) || !canFreeToPcs(lookupId, cpu)) {
            return false;
        }
        if (sheaves == null) {
            if (v7) {
                stat(cpu, SlubStat.FREE_RCU_SHEAF_FAIL);
            }
            return false;
        }
        return sheaves.kfreeRcu(cpu, obj);
    }

    /** Prefilled sheaves handed out, by the address of their structure. */
    private final Map<Long, SlubSheaves.Sheaf> prefilled = new java.util.HashMap<>();

    @Override
    public long prefillSheaf(int cpu, int gfp, int count) {
        if (sheaves == null) {
            return 0;
        }
        SlubSheaves.Sheaf s = sheaves.prefill(cpu, gfp, count);
        if (s == null) {
            return 0;
        }
        prefilled.put(s.addr, s);
        return s.addr;
    }

    @Override
    public long allocFromSheaf(int cpu, int gfp, long sheaf) {
        SlubSheaves.Sheaf s = prefilled.get(sheaf);
        long obj = s == null ? 0 : SlubSheaves.allocFromSheaf(s);
        if (obj != 0 && (gfp & Gfp.__GFP_ZERO) != 0) {
            mem.fill(obj, 0, desc.objectSize());
        }
        return obj;
    }

    @Override
    public long refillSheaf(int cpu, int gfp, long sheaf, int count) {
        SlubSheaves.Sheaf s = prefilled.get(sheaf);
        if (s == null) {
            return 0;
        }
        SlubSheaves.Sheaf r = sheaves.refill(cpu, gfp, s, count);
        if (r == null) {
            return 0;
        }
        if (r != s) {
            prefilled.remove(sheaf);
            prefilled.put(r.addr, r);
        }
        return r.addr;
    }

    @Override
    public boolean returnSheaf(int cpu, int gfp, long sheaf) {
        SlubSheaves.Sheaf s = prefilled.remove(sheaf);
        if (s == null) {
            return false;
        }
        sheaves.returnSheaf(cpu, gfp, s);
        return true;
    }

    @Override
    public int sheafSize(long sheaf) {
        SlubSheaves.Sheaf s = prefilled.get(sheaf);
        return s == null ? -1 : s.size;
    }

    // --- debug allocation ---------------------------------------------------------------------

    /** ___slab_alloc for debug caches: one object at a time under the list lock. */
    private long allocDebug(int cpu, int gfp, int origSize, long callSite) {
        stat(cpu, SlubStat.ALLOC_SLOWPATH);
        long obj = 0;
        for (int id = partialHead; id != NIL && obj == 0; ) {
            int nx = t.next[id];
            obj = allocSingleFromPartial(id, origSize);
            id = nx;
        }
        if (obj == 0) {
            int id = newSlab(cpu, gfp);
            if (id == NIL) {
                return 0;
            }
            stat(cpu, SlubStat.ALLOC_SLAB);
            obj = t.slab[id].freelist;
            t.slab[id].freelist = getFreepointer(obj);
            t.slab[id].inuse = 1;
            if (!dbg.allocDebugProcessing(id, obj, origSize)) {
                return 0;
            }
            if (t.slab[id].inuse == t.objects[id]) {
                addFull(id);
            } else {
                addPartial(id, false);
            }
        }
        if ((flags & SlabFlags.STORE_USER) != 0) {
            dbg.setTrack(obj, SlubDebug.TRACK_ALLOC, callSite, cpu);
        }
        return obj;
    }

    /** alloc_single_from_partial. */
    private long allocSingleFromPartial(int id, int origSize) {
        long obj = t.slab[id].freelist;
        if (obj == 0 || !validPointer(id, obj)) {
            if ((flags & SlabFlags.CONSISTENCY_CHECKS) != 0 && obj != 0) {
                dbg.freelistPointerCheckFails(id, obj);
            } else {
                dbg.freelistHeadCorrupt(id, obj);
            }
            removePartial(id);
            if (t.slab[id].state != SlabTable.DEAD) {
                addFull(id);
            }
            return 0;
        }
        long nx = getFreepointer(obj);
        if (nx != 0 && !validPointer(id, nx) && (flags & SlabFlags.CONSISTENCY_CHECKS) == 0) {
            nx = dbg.isolateCorruptChain(id, obj);
        }
        t.slab[id].freelist = nx;
        t.slab[id].inuse++;
        if (!dbg.allocDebugProcessing(id, obj, origSize)) {
            removePartial(id);
            t.slab[id].state = SlabTable.DEAD;
            return 0;
        }
        if (t.slab[id].inuse == t.objects[id]) {
            removePartial(id);
            addFull(id);
        }
        return obj;
    }

    // --- flush, deactivate, shrink, shutdown ----------------------------------------------------

    /** deactivate_slab(s, slab, cpu freelist). */
    void deactivate(int cpu, int id, long cpuFl) {
        boolean tail = false;
        if (t.slab[id].freelist != 0) {
            stat(cpu, SlubStat.DEACTIVATE_REMOTE_FREES);
            tail = true;
        }
        int freeDelta = 0;
        long last = 0;
        for (long p = cpuFl; p != 0; ) {
            if (freeDelta == t.slab[id].inuse) {
                // more free objects than objects in use: a cycle from a double free
                dbg.freelistCycle(id, last);
                break;
            }
            long nx = getFreepointer(id, p);
            if (nx != 0 && !validPointer(id, nx)) {
                nx = dbg.isolateCorruptChain(id, p);
            }
            freeDelta++;
            last = p;
            p = nx;
        }
        if (last != 0) {
            setFreepointer(id, last, t.slab[id].freelist);
            t.slab[id].freelist = cpuFl;
        }
        t.slab[id].inuse -= freeDelta;
        t.slab[id].state = SlabTable.NONE;
        if (t.slab[id].inuse == 0 && nrPartial >= minPartial) {
            stat(cpu, SlubStat.DEACTIVATE_EMPTY);
            discardSlab(cpu, id);
            stat(cpu, SlubStat.FREE_SLAB);
        } else if (t.slab[id].freelist != 0) {
            addPartial(id, tail);
            stat(cpu, tail ? SlubStat.DEACTIVATE_TO_TAIL : SlubStat.DEACTIVATE_TO_HEAD);
        } else {
            stat(cpu, SlubStat.DEACTIVATE_FULL);
        }
    }

    /**
     * flush_cpu_slab: the CPU's sheaves (pcs_flush_all), then __flush_cpu_slab: deactivate the cpu
     * slab, move the cpu partial list to the node.
     */
    void flushCpu(int cpu) {
        if (sheaves != null) {
            sheaves.flushCpu(cpu);
        }
        int id = cpus[cpu].slab;
        if (id != NIL) {
            long fl = cpus[cpu].freelist;
            setCpuSlab(cpu, NIL);
            cpus[cpu].freelist = 0;
            deactivate(cpu, id, fl);
            stat(cpu, SlubStat.CPUSLAB_FLUSH);
        }
        int p = cpuPartialHead[cpu];
        if (p != NIL) {
            cpuPartialHead[cpu] = NIL;
            putPartials(cpu, p);
        }
    }

    void flushAll() {
        for (int c = 0; c < nrCpus; c++) {
            flushCpu(c);
        }
    }

    @Override
    public void shrink() {
        flushAll();
        if (sheaves != null) {
            sheaves.shrinkBarns();
        }
        // __kmem_cache_do_shrink: discard empty slabs, fullest partial slabs first
        List<List<Integer>> promote = new ArrayList<>(SHRINK_PROMOTE_MAX);
        for (int i = 0; i < SHRINK_PROMOTE_MAX; i++) {
            promote.add(new ArrayList<>());
        }
        List<Integer> rest = new ArrayList<>();
        List<Integer> discard = new ArrayList<>();
        for (int id = partialHead; id != NIL; id = t.next[id]) {
            int free = t.objects[id] - t.slab[id].inuse;
            if (free == t.objects[id]) {
                discard.add(id);
            } else if (free <= SHRINK_PROMOTE_MAX) {
                promote.get(free - 1).add(0, id);
            } else {
                rest.add(id);
            }
        }
        partialHead = partialTail = NIL;
        nrPartial = 0;
        for (List<Integer> bucket : promote) {
            for (int id : bucket) {
                addPartial(id, true);
            }
        }
        for (int id : rest) {
            addPartial(id, true);
        }
        for (int id : discard) {
            t.slab[id].state = SlabTable.NONE;
            discardSlab(0, id);
        }
    }

    @Override
    public long shutdown() {
        flushAll();
        if (sheaves != null) {
            // rcu_barrier() for the rcu_free sheaves flush_all handed to RCU, then barn_shrink
            sheaves.rcuBarrier();
            sheaves.shrinkBarns();
            // 6.18 frees the barn's objects through do_slab_free, which can park a slab that was
            // full on the flushing CPU's partial list, where free_partial does not look; kmemlab
            // flushes the CPU slabs once more instead of reporting those objects as a leak
            flushAll();
        }
        // free_partial: empty slabs go, occupied ones are listed as errors
        for (int id = partialHead; id != NIL; ) {
            int nx = t.next[id];
            if (t.slab[id].inuse == 0) {
                removePartial(id);
                discardSlab(0, id);
            } else {
                dbg.listSlabObjects(id);
            }
            id = nx;
        }
        if (nrPartial != 0 || nrSlabs != 0) {
            return Math.max(1, liveObjects());
        }
        if (sheaves != null) {
            sheaves.destroy();
        }
        machine.locks().unregister(listLock);
        allocator.released(this);
        return 0;
    }

    /** Objects handed out and not freed (cpu freelists and slab freelists count as free). */
    long liveObjects() {
        long free = 0;
        for (int c = 0; c < nrCpus; c++) {
            if (cpus[c].slab != NIL) {
                free += countChain(cpus[c].slab, cpus[c].freelist);
            }
        }
        long inuse = 0;
        for (int id = 0; id < t.high(); id++) {
            if (t.cache[id] == this) {
                inuse += t.slab[id].inuse;
            }
        }
        return inuse - free - (sheaves == null ? 0 : sheaves.heldObjects());
    }

    /** Length of a free chain in a slab, bounded by its object count. */
    int countChain(int id, long head) {
        int n = 0;
        for (long p = head; p != 0 && n <= t.objects[id] && validPointer(id, p); p = getFreepointer(p)) {
            n++;
        }
        return n;
    }

    // --- views ---------------------------------------------------------------------------------

    /** count_partial(n, count_free). */
    long partialFree() {
        long n = 0;
        for (int id = partialHead; id != NIL; id = t.next[id]) {
            n += t.objects[id] - t.slab[id].inuse;
        }
        return n;
    }

    long partialInuse() {
        long n = 0;
        for (int id = partialHead; id != NIL; id = t.next[id]) {
            n += t.slab[id].inuse;
        }
        return n;
    }

    /** count_partial_free_approx: exact up to 10000 partial slabs, then sampled and scaled. */
    long partialFreeApprox() {
        final int maxPartialToScan = 10000;
        if (nrPartial <= maxPartialToScan) {
            return partialFree();
        }
        long x = 0;
        int scanned = 0;
        for (int id = partialHead; id != NIL && scanned < maxPartialToScan / 2; id = t.next[id], scanned++) {
            x += t.objects[id] - t.slab[id].inuse;
        }
        scanned = 0;
        for (int id = partialTail; id != NIL && scanned < maxPartialToScan / 2; id = t.prev[id], scanned++) {
            x += t.objects[id] - t.slab[id].inuse;
        }
        return x * nrPartial / maxPartialToScan;
    }

    @Override
    public SlabCacheMetric metric() {
        return metric;
    }

    private final SlabCacheMetric metric = new Metric();

    /** get_slabinfo (count_partial_free_approx) and the CONFIG_SLUB_STATS sums. */
    private final class Metric implements SlabCacheMetric {
        @Override
        public String name() {
            return desc.name();
        }

        @Override
        public long activeObjs() {
            return totalObjects - partialFreeApprox();
        }

        @Override
        public long numObjs() {
            return totalObjects;
        }

        @Override
        public int objSize() {
            return size;
        }

        @Override
        public int objPerSlab() {
            return geo.objects();
        }

        @Override
        public int pagesPerSlab() {
            return 1 << geo.order();
        }

        @Override
        public long activeSlabs() {
            return nrSlabs;
        }

        @Override
        public long numSlabs() {
            return nrSlabs;
        }

        // The callers' allocations and frees: 6.18's sheaf hits are served without touching a slab
        // too, and the cpu-slab work of its refills and flushes is the sheaves', not a caller's.
        // A sheaf hit that first refilled the sheaf, and a free that first flushed one, touched the
        // slabs: they count as slow here.
        @Override
        public long allocFastpath() {
            return statSum(SlubStat.ALLOC_FASTPATH) + statSum(SlubStat.ALLOC_PCS) - refillFast - refilledHits();
        }

        @Override
        public long allocSlowpath() {
            return statSum(SlubStat.ALLOC_SLOWPATH) - refillSlow + refilledHits();
        }

        @Override
        public long freeFastpath() {
            return statSum(SlubStat.FREE_FASTPATH) + statSum(SlubStat.FREE_PCS) - flushFast - flushedFrees();
        }

        @Override
        public long freeSlowpath() {
            return statSum(SlubStat.FREE_SLOWPATH) - flushSlow + flushedFrees();
        }

        private long refilledHits() {
            return sheaves == null ? 0 : sheaves.refilledHits;
        }

        private long flushedFrees() {
            return sheaves == null ? 0 : sheaves.flushedFrees;
        }

        @Override
        public long sheafObjects() {
            return sheaves == null ? 0 : sheaves.heldObjects();
        }

        @Override
        public long sheafBytes() {
            return sheaves == null ? 0 : sheaves.sheafStructBytes;
        }

        @Override
        public long cpuSlabs() {
            return SlubSysfs.cpuSlabs(SlubCache.this);
        }

        @Override
        public long partialSlabs() {
            return nrPartial;
        }
    }

    @Override
    public int ksize(long obj) {
        // slab_ksize(s)
        if ((flags & (SlabFlags.RED_ZONE | SlabFlags.POISON)) != 0) {
            return desc.objectSize();
        }
        if ((flags & (SlabFlags.TYPESAFE_BY_RCU | SlabFlags.STORE_USER)) != 0) {
            return inuseOffset;
        }
        return size;
    }

    @Override
    public int origSize(long obj) {
        return geo.origSizeTracking() ? dbg.getOrigSize(obj) : desc.objectSize();
    }

    @Override
    public void setOrigSize(long obj, int newSize) {
        if (!geo.origSizeTracking()) {
            return;
        }
        dbg.setOrigSize(obj, newSize);
        if ((flags & SlabFlags.RED_ZONE) != 0 && newSize < desc.objectSize()) {
            mem.fill(obj + newSize, SlubDebug.RED_ACTIVE, desc.objectSize() - newSize);
        }
    }

    @Override
    public void skipOrigSizeCheck(long obj) {
        if (geo.origSizeTracking()) {
            dbg.setOrigSize(obj, desc.objectSize());
        }
    }

    @Override
    public void addAlias(String aliasName, int aliasSize, VirtualFs vfs) {
        inuseOffset = Math.max(inuseOffset, (aliasSize + 7) & ~7);
        aliasNames.add(aliasName);
        if (sysfsDir != null) {
            SlubSysfs.registerAlias(this, vfs, aliasName);
        }
    }

    /** validate_store(): validate_slab_cache() under kmem_cache_debug(s), else -EINVAL. */
    @Override
    public int validate() {
        if (!debug) {
            return -EINVAL;
        }
        return (int) dbg.validateSlabCache();
    }

    @Override
    public void registerFiles(VirtualFs vfs) {
        SlubSysfs.register(this, vfs);
    }

    @Override
    public void unregisterFiles(VirtualFs vfs) {
        SlubSysfs.unregister(this, vfs);
    }

    @Override
    public Map<String, String> geometry() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("object_size", Integer.toString(desc.objectSize()));
        m.put("slab_size", Integer.toString(size));
        m.put("align", Integer.toString(geo.align()));
        m.put("order", Integer.toString(geo.order()));
        m.put("objs_per_slab", Integer.toString(geo.objects()));
        m.put("sheaf_capacity", Integer.toString(sheafCapacity()));
        m.put("offset", Integer.toString(offset));
        m.put("inuse", Integer.toString(inuseOffset));
        m.put("red_left_pad", Integer.toString(redLeftPad));
        m.put("min_partial", Integer.toString(minPartial));
        m.put("cpu_partial", Integer.toString(cpuPartial));
        m.put("cpu_partial_slabs", Integer.toString(cpuPartialSlabs));
        m.put("sanity_checks", bit(SlabFlags.CONSISTENCY_CHECKS));
        m.put("red_zone", bit(SlabFlags.RED_ZONE));
        m.put("poison", bit(SlabFlags.POISON));
        m.put("store_user", bit(SlabFlags.STORE_USER));
        return m;
    }

    private String bit(int f) {
        return (flags & f) != 0 ? "1" : "0";
    }

    @Override
    public List<String> explainLayout() {
        return SlubLayoutText.explain(this);
    }

    @Override
    public Optional<SlabLayout> slabLayout() {
        return Optional.of(SlubLayoutText.layout(this));
    }

    /** Internal invariants; one string per violation (kmemlab bugs, not user mistakes). */
    List<String> checkInvariants() {
        List<String> out = new ArrayList<>();
        long slabs = 0;
        long objs = 0;
        int partial = 0;
        int rcu = 0;
        for (int id = 0; id < t.high(); id++) {
            if (t.cache[id] != this) {
                continue;
            }
            if (t.slab[id].state == SlabTable.RCU_FREE) {
                // discarded: out of nr_slabs, still PG_slab until rcu_free_slab
                rcu++;
                if (!frames.test(t.pfn[id], PageFrames.PG_SLAB) || t.slab[id].inuse != 0) {
                    out.add(name() + ": rcu slab " + id + " not an empty PG_slab page");
                }
                continue;
            }
            slabs++;
            objs += t.objects[id];
            if (frames.priv(t.pfn[id]) != id || !frames.test(t.pfn[id], PageFrames.PG_SLAB)) {
                out.add(name() + ": slab " + id + " page 0x" + Integer.toHexString(t.pfn[id]) + " not marked");
            }
            if (t.slab[id].inuse < 0 || t.slab[id].inuse > t.objects[id]) {
                out.add(name() + ": slab " + id + " inuse " + t.slab[id].inuse + " of " + t.objects[id]);
            }
            if (t.slab[id].state == SlabTable.NODE_PARTIAL) {
                partial++;
            }
            if (t.slab[id].state != SlabTable.CPU_SLAB && t.slab[id].state != SlabTable.DEAD) {
                int free = countChain(id, t.slab[id].freelist);
                if (free + t.slab[id].inuse != t.objects[id]) {
                    out.add(name() + ": slab " + id + " inuse " + t.slab[id].inuse + " + free " + free + " != objects "
                            + t.objects[id]);
                }
            }
        }
        if (rcu != rcuSlabs) {
            out.add(name() + ": " + rcuSlabs + " slabs wait for RCU but " + rcu + " are marked");
        }
        if (slabs != nrSlabs) {
            out.add(name() + ": nr_slabs " + nrSlabs + " but " + slabs + " slabs");
        }
        if (objs != totalObjects) {
            out.add(name() + ": total_objects " + totalObjects + " but " + objs);
        }
        if (partial != nrPartial) {
            out.add(name() + ": nr_partial " + nrPartial + " but " + partial + " marked partial");
        }
        int walked = 0;
        for (int id = partialHead; id != NIL && walked <= nrPartial; id = t.next[id]) {
            walked++;
        }
        if (walked != nrPartial) {
            out.add(name() + ": partial list has " + walked + " slabs, nr_partial " + nrPartial);
        }
        if (debug) {
            for (int c = 0; c < nrCpus; c++) {
                if (cpus[c].slab != NIL || cpuPartialHead[c] != NIL) {
                    out.add(name() + ": debug cache has a cpu slab on cpu " + c);
                }
            }
        }
        for (int c = 0; c < nrCpus; c++) {
            CpuSlab cs = cpus[c];
            int s = cs.slab;
            if (s != NIL && (t.cache[s] != this || t.slab[s].state != SlabTable.CPU_SLAB)) {
                out.add(name() + ": cpu " + c + " slab " + s + " not frozen");
            }
            if (s != NIL
                    && (cs.frame != t.slab[s].frame
                            || cs.first != t.base[s] + redLeftPad
                            || cs.span != (long) t.objects[s] * size)) {
                out.add(name() + ": cpu " + c + " keeps bounds or page bytes of slab " + s
                        + " that are not the slab's");
            }
            int n = 0;
            for (int p = cpuPartialHead[c]; p != NIL && n <= nrSlabs; p = t.cpuNext[p]) {
                if (t.slab[p].state != SlabTable.CPU_PARTIAL) {
                    out.add(name() + ": cpu " + c + " partial slab " + p + " in state " + t.slab[p].state);
                }
                n++;
            }
            if (cpuPartialHead[c] != NIL && t.cpuSlabs[cpuPartialHead[c]] != n) {
                out.add(name() + ": cpu " + c + " partial count " + t.cpuSlabs[cpuPartialHead[c]] + " != " + n);
            }
        }
        if (sheaves != null) {
            out.addAll(sheaves.checkInvariants());
        }
        if (v7) {
            for (int c = 0; c < nrCpus; c++) {
                if (cpus[c].slab != NIL || cpuPartialHead[c] != NIL) {
                    out.add(name() + ": 7.1 has no cpu slabs, but cpu " + c + " holds one");
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name();
    }
}
