package io.kmemlab.slub;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.slab.AliasFinder;
import io.kmemlab.mm.slab.KmallocLimits;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabCache;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.slab.SlabSlots;
import io.kmemlab.mm.slab.SlabState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SLUB allocator of Linux 6.18 ({@code mm/slub.c}): cache creation with the kernel's
 * geometry, bootstrap, and the slab table shared by all caches. See {@code package-info.java}.
 */
public final class SlubAllocator implements SlabAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(SlubAllocator.class);
    /** sizeof(struct kmem_cache_node) with SLUB_DEBUG on x86-64. */
    public static final int KMEM_CACHE_NODE_SIZE = 72;
    /** offsetof(struct kmem_cache, node): kmem_cache's size is this plus 8 per node. */
    public static final int KMEM_CACHE_BASE_SIZE = 224;

    private final Machine machine;
    private final PageFrames frames;
    private final int nrMemFrames;
    private final SlubConfig config;
    private final SlabTable table = new SlabTable();
    private final List<SlubCache> caches = new ArrayList<>();
    private final SplittableRandom random;
    private SlabLayer layer;
    private SlubCache kmemCacheCache;
    private SlubCache kmemCacheNodeCache;
    private boolean bootstrapped;
    private boolean taintBadPage;
    private boolean taintWarn;
    /** The cache {@link #ownerOf} found last. */
    private SlubCache lastOwner;

    public SlubAllocator(Machine machine, SlubConfig config) {
        this.machine = machine;
        this.frames = machine.frames();
        this.nrMemFrames = machine.mem().nrFrames();
        this.config = config;
        this.random = machine.random().split();
    }

    Machine machine() {
        return machine;
    }

    SlabTable table() {
        return table;
    }

    public SlubConfig config() {
        return config;
    }

    SlabLayer layer() {
        return layer;
    }

    @Override
    public String name() {
        return "slub";
    }

    @Override
    public KmallocLimits kmallocLimits() {
        return KmallocLimits.SLUB_6_18;
    }

    /** slab_nomerge: none; the O option with global Z/P/U keeps every cache's own sysfs name. */
    @Override
    public AliasFinder aliasFinder() {
        if (!config.merge()) {
            return null;
        }
        return forceOwnSysfsNames() ? OWN_SYSFS_NAMES : AliasFinder.COMMON;
    }

    private static final AliasFinder OWN_SYSFS_NAMES = new AliasFinder() {
        @Override
        public boolean ownSysfsNames() {
            return true;
        }
    };

    @Override
    public int kmemCacheFlags(int flags, String name) {
        return config.debug().apply(flags, name);
    }

    private boolean forceOwnSysfsNames() {
        return config.debug().disableHigherOrder()
                && (config.debug().globalFlags() & (SlabFlags.RED_ZONE | SlabFlags.POISON | SlabFlags.STORE_USER)) != 0;
    }

    /** The printk taint string: {@code Not tainted} or {@code Tainted: G    B   W          }. */
    String taintString() {
        if (!taintBadPage && !taintWarn) {
            return "Not tainted";
        }
        char[] c = "G                   ".toCharArray();
        if (taintBadPage) {
            c[5] = 'B';
        }
        if (taintWarn) {
            c[9] = 'W';
        }
        return "Tainted: " + new String(c);
    }

    void taint(boolean badPage, boolean warn) {
        taintBadPage |= badPage;
        taintWarn |= warn;
    }

    /** kmem_cache_init (6.18): boot caches, bootstrap, kmalloc caches, the boot line. */
    @Override
    public void kmemCacheInit(Machine m, SlabLayer slabLayer) {
        this.layer = slabLayer;
        for (String w : config.debug().warnings()) {
            machine.dmesg().err(w);
        }
        KmemCache node =
                slabLayer.createBootCache("kmem_cache_node", KMEM_CACHE_NODE_SIZE, SlabFlags.HWCACHE_ALIGN, 0, 0);
        kmemCacheNodeCache = (SlubCache) node.impl();
        slabLayer.setState(SlabState.PARTIAL);
        KmemCache kc = slabLayer.createBootCache(
                "kmem_cache", KMEM_CACHE_BASE_SIZE + 8 * machine.config().nrNodes(), SlabFlags.HWCACHE_ALIGN, 0, 0);
        kmemCacheCache = (SlubCache) kc.impl();
        // bootstrap(): the static boot structures move into objects of kmem_cache
        for (SlubCache c : List.of(kmemCacheCache, kmemCacheNodeCache)) {
            c.structObj = kmemCacheCache.alloc(0, Gfp.GFP_NOWAIT, kmemCacheCache.objectSize(), 0);
        }
        bootstrapped = true;
        slabLayer.addCache(kc);
        slabLayer.addCache(node);
        slabLayer.createKmallocCaches();
        if (config.version() == SlubVersion.V7_1) {
            bootstrapKmallocSheaves();
        }
        // init_freelist_randomization: every existing cache gets its random_seq (kcalloc)
        for (io.kmemlab.mm.slab.KmemCache k : slabLayer.caches()) {
            initRandomSeq((SlubCache) k.impl());
        }
        machine.dmesg()
                .info(String.format(
                        Locale.ROOT,
                        "SLUB: HWalign=%d, Order=%d-%d, MinObjects=%d, CPUs=%d, Nodes=%d",
                        SlabLayer.CACHE_LINE,
                        config.minOrder(),
                        config.maxOrder(),
                        config.minObjects(),
                        machine.cpus().nrCpus(),
                        machine.config().nrNodes()));
        slabLayer.setState(SlabState.FULL);
    }

    @Override
    public SlabCache createCache(KmemCache d) {
        int flags = config.debug().apply(d.flags(), d.name());
        SlubGeometry geo;
        try {
            geo = SlubGeometry.compute(
                    d.objectSize(),
                    d.align(),
                    flags,
                    d.ctor() != null,
                    d.freeptrOffset(),
                    config.debug().disableHigherOrder(),
                    new SlubGeometry.OrderParams(
                            config.minOrder(),
                            config.maxOrder(),
                            config.minObjects(),
                            machine.cpus().nrCpus()));
        } catch (SlubGeometry.GeometryException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("cache {} rejected: {}", d.name(), e.getMessage());
            }
            return null;
        }
        SlubCache c = new SlubCache(this, d, geo, random.split());
        int capacity = sheafCapacity(c, d);
        if (capacity > 0 && !c.enableSheaves(capacity)) {
            return null;
        }
        // init_kmem_cache_nodes: kmem_cache_node itself is served by early_kmem_cache_node_alloc
        if (kmemCacheNodeCache != null) {
            c.nodeObj = kmemCacheNodeCache.alloc(0, Gfp.GFP_KERNEL, KMEM_CACHE_NODE_SIZE, 0);
        } else {
            c.nodeObj = c.alloc(0, Gfp.GFP_NOWAIT, KMEM_CACHE_NODE_SIZE, 0);
        }
        if (bootstrapped) {
            c.structObj = kmemCacheCache.alloc(0, Gfp.GFP_KERNEL, kmemCacheCache.objectSize(), 0);
        }
        caches.add(c);
        if (layer != null && layer.state().compareTo(SlabState.UP) >= 0) {
            initRandomSeq(c);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "cache {}: size {} align {} order {} objects {}",
                    d.name(),
                    geo.size(),
                    geo.align(),
                    geo.order(),
                    geo.objects());
        }
        return c;
    }

    /**
     * The sheaf capacity a new cache gets. 6.18: the one it asked for, unless it has debug flags.
     * 7.1 (calculate_sheaf_capacity): none for the two boot caches, debug caches and
     * SLAB_NOLEAKTRACE caches; KMALLOC_NORMAL caches get theirs at {@link #bootstrapKmallocSheaves}.
     */
    private int sheafCapacity(SlubCache c, KmemCache d) {
        if ((c.flags & SlabFlags.DEBUG_FLAGS) != 0) {
            return 0;
        }
        if (config.version() == SlubVersion.V6_18) {
            return d.sheafCapacity();
        }
        if (!bootstrapped || (c.flags & SlabFlags.NOLEAKTRACE) != 0 || isKmallocNormal(c)) {
            return 0;
        }
        return defaultSheafCapacity(c.size, d.sheafCapacity());
    }

    private static boolean isKmallocNormal(SlubCache c) {
        int typeFlags = SlabFlags.CACHE_DMA | SlabFlags.RECLAIM_ACCOUNT | SlabFlags.ACCOUNT;
        return (c.flags & SlabFlags.KMALLOC) != 0 && (c.flags & typeFlags) == 0;
    }

    /**
     * 7.x's capacity by object stride: 60 under 256 bytes, 26 under 1024, 12 under a page, 4 above,
     * rounded up so that the sheaf ({@code 32 + 8 × capacity} bytes) fills its kmalloc bucket, and
     * at least what the creator asked for.
     */
    int defaultSheafCapacity(int size, int requested) {
        int base = size >= 4096 ? 4 : size >= 1024 ? 12 : size >= 256 ? 26 : 60;
        long bytes = layer.kmallocSizeRoundup(SlubSheaves.SHEAF_HEADER + 8L * base);
        int cap = (int) ((bytes - SlubSheaves.SHEAF_HEADER) / 8);
        return Math.max(cap, requested);
    }

    /** bootstrap_kmalloc_sheaves (7.0/7.1): the KMALLOC_NORMAL caches get their sheaves now. */
    private void bootstrapKmallocSheaves() {
        for (SlubCache c : List.copyOf(caches)) {
            if (isKmallocNormal(c) && c.sheaves == null && (c.flags & SlabFlags.DEBUG_FLAGS) == 0) {
                if (!c.enableSheaves(defaultSheafCapacity(c.size, 0))) {
                    throw new IllegalStateException("Failed to allocate sheaves for " + c.name());
                }
            }
        }
    }

    /** flush_all_rcu_sheaves: every cache's rcu_free sheaves to RCU, and wait for them. */
    @Override
    public void flushAllRcuSheaves() {
        for (SlubCache c : List.copyOf(caches)) {
            if (c.sheaves != null) {
                c.sheaves.flushRcuSheaves();
            }
        }
    }

    /**
     * init_cache_random_seq: the permutation lives in a kcalloc'ed array of unsigned ints holding
     * byte offsets (index × size), as the kernel keeps it; the cache walks its Java copy.
     */
    private void initRandomSeq(SlubCache c) {
        if (c.randomSeq == null || c.randomSeqObj != 0) {
            return;
        }
        long site = machine.symbols().intern("init_cache_random_seq", 0x2d, 0xa0);
        long obj = layer.kcalloc(0, c.randomSeq.length, 4, Gfp.GFP_KERNEL, site);
        if (obj == 0) {
            return;
        }
        for (int i = 0; i < c.randomSeq.length; i++) {
            machine.mem().writeU32(obj + 4L * i, c.randomSeq[i] * c.size);
        }
        c.randomSeqObj = obj;
    }

    /** Called by a cache whose shutdown succeeded: its struct and node objects go back. */
    void released(SlubCache c) {
        caches.remove(c);
        if (lastOwner == c) {
            lastOwner = null;
        }
        if (c.randomSeqObj != 0) {
            layer.kfree(0, c.randomSeqObj, 0);
            c.randomSeqObj = 0;
        }
        if (c.nodeObj != 0 && kmemCacheNodeCache != null && kmemCacheNodeCache != c) {
            kmemCacheNodeCache.free(0, c.nodeObj, 0);
        }
        if (c.structObj != 0 && kmemCacheCache != null && kmemCacheCache != c) {
            kmemCacheCache.free(0, c.structObj, 0);
        }
        c.nodeObj = 0;
        c.structObj = 0;
    }

    /**
     * virt_to_cache in one pass: the cache remembered last, else virt_to_slab (range, hole,
     * compound head, PG_slab) and the slab id in page_private, checked against the table; the
     * cache found remembers the slab for the free that follows.
     */
    @Override
    public SlabCache lastOwner() {
        return lastOwner;
    }

    @Override
    public SlabCache ownerOf(long obj) {
        SlubCache last = lastOwner;
        if (last != null && last.remembersPage(obj)) {
            return last;
        }
        return lookUpOwner(obj);
    }

    /**
     * {@link #ownerOf} past the remembered slab: virt_to_slab and the slab id's checks. The
     * benchmarks keep C2 from inlining it into the free paths (docs/benchmarks.md).
     */
    SlabCache lookUpOwner(long obj) {
        if (!Addr.isDirectMap(obj, nrMemFrames)) {
            return null;
        }
        int pfn = Addr.virtToPfn(obj);
        int head = frames.slabHead(pfn);
        if (head == PageFrames.NIL) {
            return null;
        }
        int id = frames.priv(head);
        if (id < 0 || id >= table.high() || table.pfn[id] != head) {
            return null;
        }
        if (table.slab[id].state == SlabTable.RCU_FREE) {
            // discarded, waiting for rcu_free_slab: it holds no object anyone may free
            return null;
        }
        SlubCache c = table.cache[id];
        c.remember(pfn, id);
        lastOwner = c;
        return c;
    }

    /** The slab {@code obj} lies on, as {@link SlubSlots} draws it; nothing is remembered or changed. */
    @Override
    public SlabSlots slabSlots(long obj) {
        if (!Addr.isDirectMap(obj, nrMemFrames)) {
            return null;
        }
        int head = frames.slabHead(Addr.virtToPfn(obj));
        if (head == PageFrames.NIL) {
            return null;
        }
        int id = frames.priv(head);
        if (id < 0 || id >= table.high() || table.pfn[id] != head || table.cache[id] == null) {
            return null;
        }
        return SlubSlots.of(table.cache[id], id);
    }

    /** Caches in creation order. */
    List<SlubCache> caches() {
        return caches;
    }

    /** Live slabs of all caches. */
    public int liveSlabs() {
        return table.live();
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        int slabs = 0;
        for (SlubCache c : caches) {
            out.addAll(c.checkInvariants());
            // a discarded TYPESAFE_BY_RCU slab keeps its table entry until rcu_free_slab
            slabs += c.nrSlabs + c.rcuSlabs;
        }
        if (slabs != table.live()) {
            out.add("slab table holds " + table.live() + " slabs but caches count " + slabs);
        }
        return out;
    }
}
