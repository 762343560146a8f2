package io.kmemlab.slab;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.VirtualClock;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.slab.AliasFinder;
import io.kmemlab.mm.slab.KmallocLimits;
import io.kmemlab.mm.slab.KmallocType;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabCache;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.slab.SlabSlots;
import io.kmemlab.mm.slab.SlabState;
import io.kmemlab.mm.slab.SlabinfoWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SLAB allocator ({@code mm/slab.c}): bootstrap, the per-slab table, NUMA topology, cache
 * reaping on the virtual clock and {@code /proc/slabinfo} tunables. Each cache's algorithm is in
 * {@link ClassicSlabCache}. See the package essay for the design.
 */
public final class ClassicSlabAllocator implements SlabAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicSlabAllocator.class);

    /**
     * SLAB's kmalloc constants for the pinned version (6.0 and earlier): KMALLOC_SHIFT_LOW 5, the
     * largest cache kmalloc-4M, ARCH_KMALLOC_FLAGS = HWCACHE_ALIGN, natural alignment of
     * power-of-two boot caches, no large kmalloc (bigger requests return NULL).
     */
    public static final KmallocLimits KMALLOC_LIMITS =
            new KmallocLimits(5, 22, 32, 4 << 20, 4L << 20, SlabFlags.HWCACHE_ALIGN, true, false);

    /** REAPTIMEOUT_AC: per-CPU reap interval. */
    public static final int REAPTIMEOUT_AC = 2 * VirtualClock.HZ;
    /** REAPTIMEOUT_NODE: per-node reap interval. */
    public static final int REAPTIMEOUT_NODE = 4 * VirtualClock.HZ;
    /** INDEX_NODE: kmalloc_index(sizeof(struct kmem_cache_node)) = kmalloc-128. */
    public static final int INDEX_NODE = 7;
    /** sizeof(struct kmem_cache_node) (x86-64, no lockdep). */
    public static final int KMEM_CACHE_NODE_SIZE = 120;
    /**
     * offsetof(struct kmem_cache, node) for the 5.4 x86-64 layout with MEMCG and
     * SLAB_FREELIST_RANDOM, no KASAN (kmemlab's estimate; with two nodes the kmem_cache object is
     * 264 bytes, the 320-byte slot of the reference row).
     */
    public static final int KMEM_CACHE_NODE_OFFSET = 248;
    /** What CONFIG_DEBUG_SLAB adds to struct kmem_cache (statistics and obj_offset). */
    public static final int KMEM_CACHE_DEBUG_EXTRA = 104;

    private final Machine machine;
    private final SlabSettings settings;
    private final PageFrames frames;
    private final int nrMemFrames;
    private final SlabTable table = new SlabTable();
    private final int nrCpus;
    private final int nrNodes;
    private final int[] cpuNode;
    private final int[] nodeCpus;
    private final long[] nextCpuReap;
    private final int[] reapNode;
    private final List<ClassicSlabCache> caches = new ArrayList<>();
    private SlabLayer layer;
    private int slabMaxOrder;
    private boolean useAlienCaches;
    private boolean taintBadPage;
    private KmemCache kmemCacheDesc;
    private boolean reapStarted;
    /**
     * Virtual time before which no CPU's cache_reap is due: {@link #tick}, which the replay calls
     * whenever the clock moves, returns at once until then. Long.MIN_VALUE: work it out again.
     */
    private long reapDueNanos = Long.MIN_VALUE;
    /** SLAB_FREELIST_RANDOM's randomness, split from the machine's only when enabled. */
    private final SplittableRandom random;

    public ClassicSlabAllocator(Machine machine, SlabSettings settings) {
        this.machine = machine;
        this.settings = settings;
        this.frames = machine.frames();
        this.nrMemFrames = machine.mem().nrFrames();
        this.nrCpus = machine.cpus().nrCpus();
        this.nrNodes = machine.config().nrNodes();
        this.cpuNode = new int[nrCpus];
        this.nodeCpus = new int[nrNodes];
        for (int cpu = 0; cpu < nrCpus; cpu++) {
            // CPUs are spread over the nodes in contiguous blocks
            cpuNode[cpu] = (int) ((long) cpu * nrNodes / nrCpus);
            nodeCpus[cpuNode[cpu]]++;
        }
        this.nextCpuReap = new long[nrCpus];
        this.reapNode = new int[nrCpus];
        this.slabMaxOrder = settings.slabMaxOrder() < 0 ? 0 : settings.slabMaxOrder();
        this.random = settings.freelistRandom() ? machine.random().split() : null;
    }

    /** The free-list randomness, or null without SLAB_FREELIST_RANDOM. */
    SplittableRandom random() {
        return random;
    }

    @Override
    public String name() {
        return "slab";
    }

    @Override
    public KmallocLimits kmallocLimits() {
        return KMALLOC_LIMITS;
    }

    Machine machine() {
        return machine;
    }

    SlabLayer layer() {
        return layer;
    }

    SlabSettings settings() {
        return settings;
    }

    SlabTable table() {
        return table;
    }

    PageAllocator pageAllocator() {
        return machine.pageAllocator();
    }

    int nrCpus() {
        return nrCpus;
    }

    int nrNodes() {
        return nrNodes;
    }

    /** cpu_to_mem(cpu). */
    int cpuToNode(int cpu) {
        return cpuNode[cpu];
    }

    /** nr_cpus_node(node). */
    int nrCpusNode(int node) {
        return nodeCpus[node];
    }

    boolean useAlienCaches() {
        return useAlienCaches;
    }

    int slabMaxOrder() {
        return slabMaxOrder;
    }

    SlabState state() {
        return layer == null ? SlabState.DOWN : layer.state();
    }

    /** The value print_tainted() shows in "Slab corruption (…)". */
    String taintString() {
        // 6.0 taint flags P F S R M B U D A W C I O E L K X T N; only B (TAINT_BAD_PAGE) is set
        return taintBadPage ? "Tainted: G    B             " : "Not tainted";
    }

    void taintBadPage() {
        taintBadPage = true;
    }

    /** The machine's jiffies (one CONFIG_HZ for every allocator). */
    long jiffiesNow() {
        return machine.clock().jiffies();
    }

    /** Address of the kmem_cache object describing {@code c} (for the reap skew), 0 if static. */
    long allocKmemCacheObject() {
        if (kmemCacheDesc == null) {
            return 0;
        }
        long callSite = machine.symbols().intern("kmem_cache_create_usercopy", 0x1b4, 0x2a0);
        // create_kmalloc_cache() uses GFP_NOWAIT during bootstrap; create_cache() GFP_KERNEL
        int gfp = state().compareTo(SlabState.UP) < 0 ? Gfp.GFP_NOWAIT : Gfp.GFP_KERNEL;
        return layer.kmemCacheAlloc(0, kmemCacheDesc, gfp | Gfp.__GFP_ZERO, callSite);
    }

    void freeKmemCacheObject(long addr) {
        if (kmemCacheDesc != null && addr != 0) {
            long callSite = machine.symbols().intern("kmem_cache_destroy", 0x9c, 0x150);
            layer.kmemCacheFree(0, kmemCacheDesc, addr, callSite);
        }
    }

    /**
     * kmalloc_slab(size) for an off-slab index array: the NORMAL kmalloc cache, or null while it
     * does not exist yet (early boot).
     */
    KmemCache kmallocCacheFor(int bytes) {
        if (layer == null) {
            return null;
        }
        return layer.kmallocCache(KmallocType.NORMAL, layer.kmallocIndex().index(bytes));
    }

    // --- SlabAllocator ----------------------------------------------------------------------

    @Override
    public void kmemCacheInit(Machine m, SlabLayer slabLayer) {
        this.layer = slabLayer;
        useAlienCaches = nrNodes > 1 && !settings.noAlienCache();
        if (settings.slabMaxOrder() < 0 && pageAllocator().metric().managedPages() > (32L << 20) >> 12) {
            slabMaxOrder = 1;
        }
        // 1) the cache of caches, from a static descriptor
        int kmemCacheSize = KMEM_CACHE_NODE_OFFSET + (settings.debug() ? KMEM_CACHE_DEBUG_EXTRA : 0) + nrNodes * 8;
        KmemCache kc = layer.createBootCache("kmem_cache", kmemCacheSize, SlabFlags.HWCACHE_ALIGN, 0, 0);
        layer.addCache(kc);
        kmemCacheDesc = kc;
        layer.setState(SlabState.PARTIAL);
        debugState("PARTIAL");
        // 2) the kmalloc cache that holds struct kmem_cache_node
        KmemCache nodeCache = layer.createKmallocCache(KmallocType.NORMAL, INDEX_NODE);
        layer.setState(SlabState.PARTIAL_NODE);
        debugState("PARTIAL_NODE");
        // 5) replace the static node structures of both caches by kmalloc'ed ones
        for (int nid = 0; nid < nrNodes; nid++) {
            ((ClassicSlabCache) kc.impl()).replaceBootNode(nid);
            ((ClassicSlabCache) nodeCache.impl()).replaceBootNode(nid);
        }
        // 3) create_kmalloc_caches() as in 5.4-6.0: NORMAL then RECLAIM over 32 … 4M with 96
        // after 64 and 192 after 128, then a DMA cache for every NORMAL one (0 … HIGH)
        KmallocLimits lim = KMALLOC_LIMITS;
        for (KmallocType type : new KmallocType[] {KmallocType.NORMAL, KmallocType.RECLAIM}) {
            for (int i = lim.shiftLow(); i <= lim.shiftHigh(); i++) {
                createKmalloc(type, i);
                if (lim.minSize() <= 32 && i == 6) {
                    createKmalloc(type, 1);
                }
                if (lim.minSize() <= 64 && i == 7) {
                    createKmalloc(type, 2);
                }
            }
        }
        for (int i = 0; i <= lim.shiftHigh(); i++) {
            KmemCache normal = layer.kmallocCache(KmallocType.NORMAL, i);
            if (normal != null) {
                createKmalloc(KmallocType.DMA, i);
            }
            // no kmalloc-cg-* before 5.14: accounted kmalloc uses the NORMAL caches
            if (normal != null) {
                layer.aliasKmallocCache(KmallocType.CGROUP, i, normal);
            }
        }
        layer.setState(SlabState.UP);
        debugState("UP");
    }

    private void createKmalloc(KmallocType type, int index) {
        if (layer.kmallocCache(type, index) == null) {
            layer.createKmallocCache(type, index);
        }
    }

    private void debugState(String state) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "kmem_cache_init: slab_state = {} (slab_max_order {}, alien caches {})",
                    state,
                    slabMaxOrder,
                    useAlienCaches);
        }
    }

    @Override
    public void kmemCacheInitLate(Machine machine, SlabLayer slabLayer) {
        // kmem_cache_init_late(): final tunables for every boot cache, then slab_state = FULL
        for (KmemCache c : layer.caches()) {
            ((ClassicSlabCache) c.impl()).enableCpucache();
        }
        layer.setState(SlabState.FULL);
        debugState("FULL");
        // cpucache_init(): start each online CPU's reap work, first run about a second from now
        long j = jiffiesNow();
        for (int cpu = 0; cpu < nrCpus; cpu++) {
            nextCpuReap[cpu] = j + roundJiffiesRelative(VirtualClock.HZ, cpu, j);
            reapNode[cpu] = nextNodeIn(cpuToNode(cpu));
        }
        reapDueNanos = Long.MIN_VALUE;
        reapStarted = true;
    }

    /** SLAB's find_mergeable also requires the alias's alignment to divide the cache's. */
    @Override
    public AliasFinder aliasFinder() {
        return AliasFinder.ALIGNMENT_DIVIDES;
    }

    @Override
    public SlabCache createCache(KmemCache descriptor) {
        ClassicSlabCache c = ClassicSlabCache.create(this, descriptor);
        if (c != null) {
            caches.add(c);
        }
        return c;
    }

    void forget(ClassicSlabCache c) {
        caches.remove(c);
    }

    boolean forcedDebug() {
        return settings.debug();
    }

    /** virt_to_cache: virt_to_slab, then the slab id in page_private, checked against the table. */
    @Override
    public SlabCache ownerOf(long obj) {
        ClassicSlabCache last = lastOwner;
        if (last != null && last.remembers(obj)) {
            return last;
        }
        if (!Addr.isDirectMap(obj, nrMemFrames)) {
            return null;
        }
        int pfn = Addr.virtToPfn(obj);
        int head = frames.slabHead(pfn);
        if (head == PageFrames.NIL) {
            return null;
        }
        int id = table.idOf(head, frames.priv(head));
        if (id == 0 || table.onList[id] == SlabTable.ON_RCU) {
            // a destroyed slab waiting for kmem_rcu_free holds no object anyone may free
            return null;
        }
        ClassicSlabCache c = table.cache[id];
        c.remember(pfn, id);
        lastOwner = c;
        return c;
    }

    /**
     * The cache {@link #ownerOf} found last: frees come in runs on one slab, so most lookups are
     * its {@link ClassicSlabCache#remembers} compare (a cache forgets the page when the slab is
     * destroyed, so a stale owner answers no).
     */
    private ClassicSlabCache lastOwner;

    /** The slab {@code obj} lies on, as {@link ClassicSlabSlots} draws it; nothing is changed. */
    @Override
    public SlabSlots slabSlots(long obj) {
        if (!Addr.isDirectMap(obj, nrMemFrames)) {
            return null;
        }
        int head = frames.slabHead(Addr.virtToPfn(obj));
        int id = head == PageFrames.NIL ? 0 : table.idOf(head, frames.priv(head));
        return id == 0 ? null : ClassicSlabSlots.of(table.cache[id], id);
    }

    @Override
    public void tick(long nowNanos) {
        if (!reapStarted || nowNanos < reapDueNanos) {
            return;
        }
        long j = VirtualClock.jiffies(nowNanos);
        long earliest = Long.MAX_VALUE;
        for (int cpu = 0; cpu < nrCpus; cpu++) {
            if (j - nextCpuReap[cpu] >= 0) {
                cacheReap(cpu, j);
                nextCpuReap[cpu] = j + roundJiffiesRelative(REAPTIMEOUT_AC, cpu, j);
            }
            earliest = Math.min(earliest, nextCpuReap[cpu]);
        }
        reapDueNanos = VirtualClock.nanosOfJiffies(earliest);
    }

    /** Jiffies at which {@code cpu}'s next cache_reap runs. */
    public long nextReap(int cpu) {
        return nextCpuReap[cpu];
    }

    /** cache_reap() on one CPU: every cache, newest first, as slab_caches is walked. */
    private void cacheReap(int cpu, long j) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("cache_reap on cpu {} at jiffies {}", cpu, j);
        }
        int node = cpuToNode(cpu);
        for (KmemCache kc : layer.caches()) {
            ((ClassicSlabCache) kc.impl()).reap(cpu, node, reapNode[cpu], j);
        }
        reapNode[cpu] = nextNodeIn(reapNode[cpu]);
    }

    /** next_node_in(node, node_online_map). */
    private int nextNodeIn(int node) {
        return (node + 1) % nrNodes;
    }

    /**
     * round_jiffies_relative(): rounds {@code now + delta} to a whole second (down if within a
     * quarter second past it), skewed by 3 jiffies per CPU so that CPUs do not fire together.
     */
    static long roundJiffiesRelative(long delta, int cpu, long now) {
        long original = now + delta;
        long j = original + cpu * 3L;
        long rem = Long.remainderUnsigned(j, VirtualClock.HZ);
        j = rem < VirtualClock.HZ / 4 ? j - rem : j - rem + VirtualClock.HZ;
        j -= cpu * 3L;
        return (j - now > 0 ? j : original) - now;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        int slabs = 0;
        for (ClassicSlabCache c : caches) {
            // a destroyed TYPESAFE_BY_RCU slab keeps its table entry until kmem_rcu_free
            slabs += c.totalSlabs() + c.rcuSlabsPending();
        }
        if (slabs != table.liveSlabs()) {
            out.add(String.format(
                    Locale.ROOT, "slab table holds %d slabs but caches count %d", table.liveSlabs(), slabs));
        }
        return out;
    }

    // --- /proc/slabinfo ---------------------------------------------------------------------

    /** SLAB's /proc/slabinfo: mode 0600, tunables written through it, statistics under DEBUG_SLAB. */
    @Override
    public SlabinfoWriter slabinfo() {
        return slabinfoWriter;
    }

    private final SlabinfoWriter slabinfoWriter = new SlabinfoWriter() {
        @Override
        public int mode() {
            return 0600;
        }

        @Override
        public boolean statistics() {
            return settings.debug();
        }

        @Override
        public String write(String text) {
            return slabinfoWrite(text);
        }
    };

    /** MAX_SLABINFO_WRITE. */
    static final int MAX_SLABINFO_WRITE = 128;

    /**
     * slabinfo_write(): {@code NAME LIMIT BATCHCOUNT SHARED}. Unknown caches and malformed lines
     * fail with EINVAL; out-of-range numbers are accepted and ignored, as the kernel does.
     */
    String slabinfoWrite(String text) {
        if (text.length() > MAX_SLABINFO_WRITE) {
            return "EINVAL";
        }
        int sp = text.indexOf(' ');
        if (sp < 0) {
            return "EINVAL";
        }
        String name = text.substring(0, sp);
        int[] v = new int[3];
        if (!scanInts(text.substring(sp + 1), v)) {
            return "EINVAL";
        }
        for (KmemCache kc : layer.caches()) {
            if (kc.name().equals(name)) {
                Tunables t = new Tunables(v[0], v[1], v[2]);
                if (!t.acceptable()) {
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("slabinfo_write {}: {} ignored (limit/batchcount/shared out of range)", name, t);
                    }
                    return null;
                }
                ((ClassicSlabCache) kc.impl()).doTuneCpucache(t);
                return null;
            }
        }
        return "EINVAL";
    }

    /** sscanf(" %d %d %d"): three decimal ints separated by white space; trailing text ignored. */
    static boolean scanInts(String s, int[] out) {
        int pos = 0;
        for (int k = 0; k < out.length; k++) {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            int start = pos;
            if (pos < s.length() && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
                pos++;
            }
            int digits = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == digits) {
                return false;
            }
            try {
                out[k] = (int) Math.max(
                        Integer.MIN_VALUE,
                        Math.min(Integer.MAX_VALUE, Long.parseLong(s.substring(start, Math.min(pos, start + 18)))));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
