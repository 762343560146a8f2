package io.kmemlab.slab;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PfnList;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.Rcu;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabCache;
import io.kmemlab.mm.slab.SlabCacheMetric;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayout;
import io.kmemlab.mm.slab.SlabState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SLAB cache ({@code struct kmem_cache} of mm/slab.c): per-CPU arrays, per-node lists and
 * shared/alien arrays, slab growth and destruction, refill and flush, reaping and tuning.
 * Objects are handled as slot addresses ({@code objp}); callers see {@code objp + obj_offset}.
 */
final class ClassicSlabCache implements SlabCache {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicSlabCache.class);
    /** Destroyed TYPESAFE_BY_RCU slabs waiting for kmem_rcu_free (not in total_slabs). */
    private int rcuSlabs;
    /** call_rcu's func for destroyed slabs, made once so destroying allocates nothing. */
    private final Rcu.Callback kmemRcuFreeFn = this::kmemRcuFree;

    /** BATCHREFILL_LIMIT: an untouched array refills at most this many objects. */
    static final int BATCHREFILL_LIMIT = 16;
    /** GFP_CONSTRAINT_MASK. */
    private static final int GFP_CONSTRAINT_MASK = Gfp.__GFP_HARDWALL | Gfp.__GFP_THISNODE;
    /** GFP_RECLAIM_MASK: the gfp bits a slab's page allocation inherits. */
    private static final int GFP_RECLAIM_MASK = Gfp.__GFP_RECLAIM
            | Gfp.__GFP_HIGH
            | Gfp.__GFP_IO
            | Gfp.__GFP_FS
            | Gfp.__GFP_NOWARN
            | Gfp.__GFP_RETRY_MAYFAIL
            | Gfp.__GFP_NOFAIL
            | Gfp.__GFP_NORETRY
            | Gfp.__GFP_MEMALLOC
            | Gfp.__GFP_NOMEMALLOC;

    final ClassicSlabAllocator alloc;
    final KmemCache desc;
    final SlabGeometry g;
    final PhysMem mem;
    final PageFrames frames;
    /** Frames of memory: the direct map's extent, for {@link #remembers}. */
    private final int nrMemFrames;

    final SlabTable table;
    final String name;
    final int size;
    /** {@code cache->reciprocal_buffer_size}: see {@link #objIndex}. */
    final long reciprocalSize;

    final int num;
    final int order;
    final int objOffset;
    final boolean redZone;
    final boolean poison;
    final boolean storeUser;
    final boolean debug;
    private final int allocflags;
    private final KmemCache freelistCache;
    private final ArrayCache[] cpuCache;
    final SlabNode[] nodes;
    private final PfnList destroyList;
    final SlabDebug dbg;
    private int limit;
    private int batchcount;
    private int shared;
    private final long kmemCacheObj;
    /** Addresses of the emulated struct kmem_cache_node per node (0: the static boot copy). */
    private final long[] nodeStruct;
    /** Addresses of the kmalloc'ed shared arrays per node. */
    private final long[] sharedMeta;
    /** Addresses of the kmalloc'ed alien arrays per node (see {@link #allocAlienMeta}). */
    private final long[][] alienMeta;
    /** cachep->random_seq (SLAB_FREELIST_RANDOM), or null. */
    private int[] randomSeq;

    private long randomSeqMeta;
    private final long callSiteMgmt;
    private final long callSiteArray;
    final SlabStats stats = new SlabStats();

    private ClassicSlabCache(ClassicSlabAllocator alloc, KmemCache desc, SlabGeometry g, KmemCache freelistCache) {
        this.alloc = alloc;
        this.desc = desc;
        this.g = g;
        this.mem = alloc.machine().mem();
        this.frames = alloc.machine().frames();
        this.nrMemFrames = alloc.machine().mem().nrFrames();
        this.table = alloc.table();
        this.name = desc.name();
        this.size = g.size();
        this.reciprocalSize = reciprocal(size);
        this.num = g.num();
        this.order = g.order();
        this.objOffset = g.objOffset();
        this.redZone = (g.flags() & SlabFlags.RED_ZONE) != 0;
        this.poison = (g.flags() & SlabFlags.POISON) != 0;
        this.storeUser = (g.flags() & SlabFlags.STORE_USER) != 0;
        this.debug = redZone || poison || storeUser;
        int af = Gfp.__GFP_COMP;
        if (desc.hasFlag(SlabFlags.CACHE_DMA)) {
            af |= Gfp.GFP_DMA;
        }
        if (desc.hasFlag(SlabFlags.CACHE_DMA32)) {
            af |= Gfp.GFP_DMA32;
        }
        if (desc.hasFlag(SlabFlags.RECLAIM_ACCOUNT)) {
            af |= Gfp.__GFP_RECLAIMABLE;
        }
        this.allocflags = af;
        this.freelistCache = freelistCache;
        this.cpuCache = new ArrayCache[alloc.nrCpus()];
        this.nodes = new SlabNode[alloc.nrNodes()];
        this.destroyList = new PfnList(frames);
        this.dbg = new SlabDebug(this);
        this.callSiteMgmt = alloc.machine().symbols().intern("cache_grow_begin", 0x1d0, 0x3a0);
        this.callSiteArray = alloc.machine().symbols().intern("alloc_arraycache", 0x2c, 0x70);
        this.kmemCacheObj = alloc.allocKmemCacheObject();
        this.nodeStruct = new long[alloc.nrNodes()];
        this.sharedMeta = new long[alloc.nrNodes()];
        this.alienMeta = new long[alloc.nrNodes()][];
    }

    /**
     * __kmem_cache_create() + setup_cpu_cache(): computes the geometry and sets up the arrays as
     * the bootstrap stage allows.
     *
     * @return the cache, or null (reported) if no slab order can hold an object
     */
    static ClassicSlabCache create(ClassicSlabAllocator alloc, KmemCache desc) {
        SlabGeometry.FreelistCacheLookup lookup = bytes -> {
            KmemCache fc = alloc.kmallocCacheFor(bytes);
            if (fc == null
                    || fc.impl() == null
                    || ((ClassicSlabCache) fc.impl()).g.mgmt() == SlabGeometry.Mgmt.OFF_SLAB) {
                return SlabGeometry.FreelistCacheLookup.NONE;
            }
            return fc.impl().size();
        };
        SlabGeometry g = SlabGeometry.compute(new SlabGeometry.Request(
                desc.objectSize(),
                desc.align(),
                desc.flags(),
                desc.ctor() != null,
                alloc.forcedDebug(),
                alloc.slabMaxOrder(),
                lookup));
        if (g == null) {
            alloc.machine()
                    .dmesg()
                    .report(
                            ReportKind.WARN,
                            String.format(Locale.ROOT, "kmem_cache_create(%s) failed with error -7", desc.name()));
            return null;
        }
        KmemCache fc = g.mgmt() == SlabGeometry.Mgmt.OFF_SLAB ? alloc.kmallocCacheFor(g.freelistSize()) : null;
        ClassicSlabCache c = new ClassicSlabCache(alloc, desc, g, fc);
        c.setupCpuCache();
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "{}: size {} num {} order {} colour {}x{} freelist {} ({} bytes left over)",
                    desc.name(),
                    g.size(),
                    g.num(),
                    g.order(),
                    g.colour(),
                    g.colourOff(),
                    g.mgmt().label(),
                    g.leftOver());
        }
        return c;
    }

    /** setup_cpu_cache(): boot arrays of one entry before FULL, final tunables after. */
    private void setupCpuCache() {
        if (alloc.state().compareTo(SlabState.FULL) >= 0) {
            enableCpucache();
            return;
        }
        for (int cpu = 0; cpu < cpuCache.length; cpu++) {
            cpuCache[cpu] = new ArrayCache(Tunables.BOOT.limit(), Tunables.BOOT.batchcount());
        }
        long j = alloc.jiffiesNow();
        // DOWN (kmem_cache) and PARTIAL (the INDEX_NODE cache) use the static boot node
        // structures; later caches kmalloc theirs (kmem_cache_node_init: free_limit 0 until
        // enable_cpucache)
        boolean staticNodes = alloc.state().compareTo(SlabState.PARTIAL_NODE) < 0;
        for (int n = 0; n < nodes.length; n++) {
            nodes[n] = newNode(n);
            if (staticNodes) {
                nodes[n].nextReap = j + ClassicSlabAllocator.REAPTIMEOUT_NODE + reapSkew();
            } else {
                nodeStruct[n] = kmallocMeta(ClassicSlabAllocator.KMEM_CACHE_NODE_SIZE);
            }
        }
        nodes[alloc.cpuToNode(0)].nextReap = j + ClassicSlabAllocator.REAPTIMEOUT_NODE + reapSkew();
        limit = Tunables.BOOT.limit();
        batchcount = Tunables.BOOT.batchcount();
        shared = 0;
    }

    /**
     * cache_random_seq_create(): a Fisher–Yates shuffled permutation of the object indices, kept
     * per cache (kcalloc'ed, as the kernel does) for the shuffles of later slabs.
     */
    private void cacheRandomSeqCreate() {
        java.util.SplittableRandom r = alloc.random();
        if (r == null || randomSeq != null || num == 0) {
            return;
        }
        randomSeqMeta = kmallocMeta(4 * num);
        int[] seq = new int[num];
        for (int i = 0; i < num; i++) {
            seq[i] = i;
        }
        for (int i = num - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = seq[i];
            seq[i] = seq[j];
            seq[j] = t;
        }
        randomSeq = seq;
    }

    /**
     * shuffle_freelist(): with SLAB_FREELIST_RANDOM a new slab's free list follows the cache's
     * random sequence from a random start (or, before enable_cpucache, a fresh shuffle); an
     * OBJFREELIST slab hosts the index array in the first slot picked and hands it out last.
     *
     * @return false if the list stays in address order
     */
    private boolean shuffleFreelist(int id) {
        java.util.SplittableRandom r = alloc.random();
        if (r == null || num < 2) {
            return false;
        }
        long sMem = table.sMem[id];
        int count = num;
        int pos = randomSeq == null ? 0 : r.nextInt(num);
        int host = 0;
        boolean objfl = g.mgmt() == SlabGeometry.Mgmt.OBJFREELIST;
        if (objfl) {
            if (randomSeq == null) {
                host = count - 1;
            } else {
                host = randomSeq[pos];
                pos = (pos + 1) % num;
            }
            table.freelist[id] = sMem + (long) host * size + objOffset;
            count--;
        }
        long fl = table.freelist[id];
        if (randomSeq == null) {
            for (int i = 0; i < count; i++) {
                mem.writeU8(fl + i, i);
            }
            for (int i = count - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int a = mem.readU8(fl + i);
                mem.writeU8(fl + i, mem.readU8(fl + j));
                mem.writeU8(fl + j, a);
            }
        } else {
            for (int i = 0; i < count; i++) {
                mem.writeU8(fl + i, randomSeq[pos]);
                pos = (pos + 1) % num;
            }
        }
        if (objfl) {
            mem.writeU8(fl + num - 1, host);
        }
        return true;
    }

    private SlabNode newNode(int n) {
        SlabNode node = new SlabNode(n, frames, name);
        alloc.machine().locks().register(node.listLock, "cache_alloc_refill", () -> node.freeObjects);
        return node;
    }

    /** kmem_cache_init step 5: the static boot node structures are replaced by kmalloc'ed copies. */
    void replaceBootNode(int n) {
        if (nodeStruct[n] == 0) {
            nodeStruct[n] = kmallocMeta(ClassicSlabAllocator.KMEM_CACHE_NODE_SIZE);
        }
    }

    /** kmalloc_node() of SLAB's own metadata (node structures, shared and alien arrays). */
    private long kmallocMeta(int bytes) {
        return alloc.layer().kmalloc(0, bytes, Gfp.GFP_KERNEL, callSiteArray);
    }

    private void kfreeMeta(long addr) {
        if (addr != 0) {
            alloc.layer().kfree(0, addr, callSiteArray);
        }
    }

    /** alloc_alien_cache(): a pointer array plus one array per other node; addresses, [nrNodes] = pointer array. */
    private long[] allocAlienMeta(int n, int alienLimit) {
        long[] addrs = new long[nodes.length + 1];
        addrs[nodes.length] = kmallocMeta(8 * nodes.length);
        for (int r = 0; r < nodes.length; r++) {
            if (r != n) {
                addrs[r] = kmallocMeta(24 + 8 * alienLimit);
            }
        }
        return addrs;
    }

    /** free_alien_cache(). */
    private void freeAlienMeta(long[] addrs) {
        if (addrs == null) {
            return;
        }
        for (int r = 0; r < nodes.length; r++) {
            kfreeMeta(addrs[r]);
        }
        kfreeMeta(addrs[nodes.length]);
    }

    /** __kmem_cache_release(): per node the shared array, the alien arrays, the node structure. */
    private void releaseMeta() {
        // cache_random_seq_destroy()
        kfreeMeta(randomSeqMeta);
        randomSeqMeta = 0;
        randomSeq = null;
        for (int n = 0; n < nodes.length; n++) {
            kfreeMeta(sharedMeta[n]);
            sharedMeta[n] = 0;
            freeAlienMeta(alienMeta[n]);
            alienMeta[n] = null;
            kfreeMeta(nodeStruct[n]);
            nodeStruct[n] = 0;
        }
    }

    private long reapSkew() {
        return Long.remainderUnsigned(kmemCacheObj, ClassicSlabAllocator.REAPTIMEOUT_NODE);
    }

    /** enable_cpucache(): the default tunables for the slot size. */
    void enableCpucache() {
        cacheRandomSeqCreate();
        doTuneCpucache(g.defaultTunables(alloc.nrCpus(), alloc.forcedDebug()));
    }

    /**
     * do_tune_cpucache(): new per-CPU arrays (the old contents go back to the slabs), then per
     * node a new shared array, alien arrays (once) and free_limit.
     */
    void doTuneCpucache(Tunables t) {
        ArrayCache[] prev = cpuCache.clone();
        for (int cpu = 0; cpu < cpuCache.length; cpu++) {
            cpuCache[cpu] = new ArrayCache(t.limit(), t.batchcount());
        }
        limit = t.limit();
        batchcount = t.batchcount();
        shared = t.shared();
        for (int cpu = 0; cpu < prev.length; cpu++) {
            ArrayCache ac = prev[cpu];
            if (ac != null && ac.avail > 0) {
                freeBlock(cpu, alloc.cpuToNode(cpu), ac.entry, 0, ac.avail);
                ac.avail = 0;
                slabsDestroy(cpu);
            }
        }
        for (int n = 0; n < nodes.length; n++) {
            setupNode(n);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: tunables limit {} batchcount {} shared {}", name, limit, batchcount, shared);
        }
    }

    /** setup_kmem_cache_node(force_change = true). */
    private void setupNode(int n) {
        int alienLimit = limit > 1 ? 12 : limit;
        long[] newAlienMeta = alloc.useAlienCaches() ? allocAlienMeta(n, alienLimit) : null;
        long newSharedMeta = shared > 0 ? kmallocMeta(ArrayCache.bytes(shared * batchcount)) : 0;
        SlabNode node = nodes[n];
        if (node == null) {
            // init_cache_node() for a node without a structure
            node = newNode(n);
            node.nextReap = alloc.jiffiesNow() + ClassicSlabAllocator.REAPTIMEOUT_NODE + reapSkew();
            nodeStruct[n] = kmallocMeta(ClassicSlabAllocator.KMEM_CACHE_NODE_SIZE);
            nodes[n] = node;
        }
        node.freeLimit = (long) (1 + alloc.nrCpusNode(n)) * batchcount + num;
        if (node.shared != null) {
            freeBlock(0, n, node.shared.entry, 0, node.shared.avail);
            node.shared.avail = 0;
        }
        long oldSharedMeta = sharedMeta[n];
        node.shared = shared > 0 ? new ArrayCache(shared * batchcount, 0xbaadf00d) : null;
        sharedMeta[n] = newSharedMeta;
        if (alloc.useAlienCaches() && node.alien == null) {
            // alloc_alien_cache(): 12 entries per remote node, 1 if the cache limit is 1
            node.alien = new ArrayCache[nodes.length];
            for (int r = 0; r < nodes.length; r++) {
                if (r != n) {
                    node.alien[r] = new ArrayCache(alienLimit, 0xbaadf00d);
                }
            }
            alienMeta[n] = newAlienMeta;
            newAlienMeta = null;
        }
        slabsDestroy(0);
        kfreeMeta(oldSharedMeta);
        freeAlienMeta(newAlienMeta);
    }

    // --- allocation ------------------------------------------------------------------------

    @Override
    public long alloc(int cpu, int gfpFlags, int origSize, long callSite) {
        ArrayCache ac = cpuCache[cpu];
        long objp;
        int id;
        int idx;
        while (true) {
            if (ac.avail > 0) {
                // ____cache_alloc(): an allocation hit
                ac.touched = true;
                objp = ac.entry[--ac.avail];
                stats.allochit++;
            } else {
                stats.allocmiss++;
                objp = cacheAllocRefill(cpu, gfpFlags);
                if (objp == 0 && alloc.nrNodes() > 1) {
                    objp = fallbackAlloc(cpu, gfpFlags);
                }
                if (objp == 0) {
                    return 0;
                }
            }
            int pfn = Addr.virtToPfn(objp);
            // the remembered page's slab is known; any other takes the page-struct lookup
            id = pfn == lookupPfn ? lookupId : slabOfPopped(pfn);
            idx = objIndex(objp - table.sMem[id], reciprocalSize);
            if (!table.isUsed(id, idx)) {
                break;
            }
            // only a corrupted free list hands out a live object: report, drop it, try again
            dbg.reportLiveObjectHandedOut(objp);
        }
        table.setUsed(id, idx);
        if (debug) {
            dbg.allocCheck(objp, callSite);
        }
        long obj = objp + objOffset;
        if ((gfpFlags & Gfp.__GFP_ZERO) != 0) {
            mem.fill(obj, 0, desc.objectSize());
        }
        return obj;
    }

    /** cache_alloc_refill(): from the shared array, then partial and free slabs, then a new slab. */
    private long cacheAllocRefill(int cpu, int gfpFlags) {
        int nodeId = alloc.cpuToNode(cpu);
        ArrayCache ac = cpuCache[cpu];
        int batch = ac.batchcount;
        if (!ac.touched && batch > BATCHREFILL_LIMIT) {
            // little recent activity: partial refill, to avoid refill bouncing
            batch = BATCHREFILL_LIMIT;
        }
        SlabNode n = nodes[nodeId];
        ArrayCache sh = n.shared;
        n.listLock.lock("cache_alloc_refill");
        if (n.freeObjects != 0 || (sh != null && sh.avail != 0)) {
            if (sh != null && ac.transferFrom(sh, batch) > 0) {
                sh.touched = true;
            } else {
                while (batch > 0) {
                    int head = getFirstSlab(n);
                    if (head == PageFrames.NIL) {
                        break;
                    }
                    int id = frames.priv(head);
                    batch = allocBlock(ac, id, batch);
                    fixupSlabList(n, id);
                }
                n.freeObjects -= ac.avail;
            }
        }
        n.listLock.unlock();
        if (ac.avail == 0) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: cpu {} array empty and node {} has no free objects: growing", name, cpu, nodeId);
            }
            int id = cacheGrowBegin(cpu, gfpExactNode(gfpFlags), nodeId);
            if (id != 0) {
                allocBlock(ac, id, batch);
                cacheGrowEnd(id);
            }
            if (ac.avail == 0) {
                return 0;
            }
        }
        ac.touched = true;
        return ac.entry[--ac.avail];
    }

    /**
     * fallback_alloc()'s last resort on NUMA, after the exact-node refill failed quietly: grow a
     * slab with the caller's own gfp flags (so a failure is reported) and take one object from
     * it directly. The other nodes' lists are not searched: kmemlab's page allocator has no
     * nodes, so their pages would be no more available.
     */
    private long fallbackAlloc(int cpu, int gfpFlags) {
        int id = cacheGrowBegin(cpu, gfpFlags, alloc.cpuToNode(cpu));
        if (id == 0) {
            return 0;
        }
        long objp = slabGetObj(id);
        stats.numActive++;
        cacheGrowEnd(id);
        return objp;
    }

    /** gfp_exact_node(): stay on the node, fail quietly, no reclaim (NUMA); never NOFAIL. */
    private int gfpExactNode(int gfp) {
        if (alloc.nrNodes() > 1) {
            return (gfp | Gfp.__GFP_THISNODE | Gfp.__GFP_NOWARN) & ~(Gfp.__GFP_RECLAIM | Gfp.__GFP_NOFAIL);
        }
        return gfp & ~Gfp.__GFP_NOFAIL;
    }

    /** get_first_slab(): a partial slab, else a free one (marking the free list as used). */
    private int getFirstSlab(SlabNode n) {
        int head = n.slabsPartial.first();
        if (head == PageFrames.NIL) {
            n.freeTouched = true;
            head = n.slabsFree.first();
            if (head != PageFrames.NIL) {
                n.freeSlabs--;
            }
        }
        return head;
    }

    /** alloc_block(): moves objects of one slab onto the array; returns the batch left. */
    private int allocBlock(ArrayCache ac, int id, int batch) {
        while (table.active[id] < num && batch-- > 0) {
            stats.numAllocations++;
            stats.numActive++;
            if (stats.numActive > stats.highMark) {
                stats.highMark = stats.numActive;
            }
            ac.entry[ac.avail++] = slabGetObj(id);
        }
        return batch;
    }

    /** slab_get_obj(): the object named by freelist[active]. */
    private long slabGetObj(int id) {
        int idx = mem.readU8(table.freelist[id] + table.active[id]);
        if (idx >= num) {
            // the index array was overwritten (a write past an object): stay inside the slab
            dbg.reportCorruptIndex(id, idx);
            idx %= num;
        }
        table.active[id]++;
        return table.sMem[id] + (long) idx * size;
    }

    /** fixup_slab_list(): a slab goes to the head of full or partial after objects were taken. */
    private void fixupSlabList(SlabNode n, int id) {
        unlink(n, id);
        if (table.active[id] == num) {
            addHead(n, SlabTable.ON_FULL, id);
            if (g.mgmt() == SlabGeometry.Mgmt.OBJFREELIST) {
                if (poison) {
                    // the index array overwrote the host object's poison
                    dbg.poisonObj(table.freelist[id] - objOffset, SlabDebug.POISON_FREE);
                }
                table.freelist[id] = 0;
            }
        } else {
            addHead(n, SlabTable.ON_PARTIAL, id);
        }
    }

    /** list_del(&slab->slab_list) from whichever list holds it (none after a fresh grow). */
    private void unlink(SlabNode n, int id) {
        int head = table.headPfn[id];
        switch (table.onList[id]) {
            case SlabTable.ON_PARTIAL -> n.slabsPartial.remove(head);
            case SlabTable.ON_FULL -> n.slabsFull.remove(head);
            case SlabTable.ON_FREE -> n.slabsFree.remove(head);
            default -> {}
        }
        table.onList[id] = SlabTable.ON_NONE;
    }

    private void addHead(SlabNode n, byte list, int id) {
        listFor(n, list).addHead(table.headPfn[id]);
        table.onList[id] = list;
    }

    private void addTail(SlabNode n, byte list, int id) {
        listFor(n, list).addTail(table.headPfn[id]);
        table.onList[id] = list;
    }

    private static PfnList listFor(SlabNode n, byte list) {
        return switch (list) {
            case SlabTable.ON_PARTIAL -> n.slabsPartial;
            case SlabTable.ON_FULL -> n.slabsFull;
            default -> n.slabsFree;
        };
    }

    /**
     * cache_grow_begin(): pages from the page allocator, the next colour, the management array,
     * the objects initialised.
     *
     * @return the new slab id, or 0
     */
    private int cacheGrowBegin(int cpu, int gfpFlags, int nodeId) {
        int pageGfp = (gfpFlags & (GFP_CONSTRAINT_MASK | GFP_RECLAIM_MASK)) | allocflags;
        int pfn = alloc.pageAllocator().allocPages(cpu, pageGfp, order);
        if (pfn == PageAllocator.NO_PAGE) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: no order-{} pages for a new slab (gfp {})", name, order, Gfp.format(pageGfp));
            }
            return 0;
        }
        long bytes = (long) Addr.PAGE_SIZE << order;
        alloc.machine()
                .addNodeStat(
                        desc.hasFlag(SlabFlags.RECLAIM_ACCOUNT)
                                ? NodeStat.NR_SLAB_RECLAIMABLE_B
                                : NodeStat.NR_SLAB_UNRECLAIMABLE_B,
                        bytes);
        SlabNode n = nodes[nodeId];
        n.colourNext++;
        if (n.colourNext >= g.colour()) {
            n.colourNext = 0;
        }
        int offset = n.colourNext < g.colour() ? n.colourNext : 0;
        offset *= g.colourOff();
        long base = Addr.pfnToVirt(pfn);
        int id = table.allocId(this, pfn, nodeId);
        table.sMem[id] = base + offset;
        switch (g.mgmt()) {
            case OBJFREELIST -> table.freelist[id] = 0;
            case OFF_SLAB -> {
                long fl = alloc.layer().kmemCacheAlloc(cpu, freelistCache, gfpFlags & GFP_RECLAIM_MASK, callSiteMgmt);
                if (fl == 0) {
                    table.releaseId(id);
                    alloc.machine()
                            .addNodeStat(
                                    desc.hasFlag(SlabFlags.RECLAIM_ACCOUNT)
                                            ? NodeStat.NR_SLAB_RECLAIMABLE_B
                                            : NodeStat.NR_SLAB_UNRECLAIMABLE_B,
                                    -bytes);
                    alloc.pageAllocator().freePages(cpu, pfn, order);
                    return 0;
                }
                table.freelist[id] = fl;
            }
            case ON_SLAB -> table.freelist[id] = base + bytes - g.freelistSize();
        }
        frames.set(pfn, PageFrames.PG_SLAB);
        frames.setPriv(pfn, id);
        cacheInitObjs(id);
        return id;
    }

    /** cache_init_objs(): debug words, constructor, freelist[i] = i. */
    private void cacheInitObjs(int id) {
        if (debug) {
            dbg.initObjs(id);
        }
        long sMem = table.sMem[id];
        boolean shuffled = shuffleFreelist(id);
        if (!shuffled && g.mgmt() == SlabGeometry.Mgmt.OBJFREELIST) {
            table.freelist[id] = sMem + (long) (num - 1) * size + objOffset;
        }
        boolean ctorNow = desc.ctor() != null && !poison;
        long fl = table.freelist[id];
        for (int i = 0; i < num; i++) {
            if (ctorNow && !debug) {
                desc.ctor().construct(mem, sMem + (long) i * size + objOffset, desc.objectSize());
            }
            if (!shuffled) {
                mem.writeU8(fl + i, i);
            }
        }
    }

    /** cache_grow_end(): the new slab joins the node's lists. */
    private void cacheGrowEnd(int id) {
        SlabNode n = nodes[table.node[id]];
        n.totalSlabs++;
        if (table.active[id] == 0) {
            addTail(n, SlabTable.ON_FREE, id);
            n.freeSlabs++;
        } else {
            fixupSlabList(n, id);
        }
        stats.grown++;
        n.freeObjects += num - table.active[id];
    }

    // --- free ------------------------------------------------------------------------------

    /** cache_from_obj: virt_to_cache through the allocator's slab table. */
    @Override
    public SlabCache ownerOf(long obj) {
        if (remembers(obj)) {
            return this;
        }
        return alloc.ownerOf(obj);
    }

    /**
     * kmem_cache_free/kfree after cache_from_obj: on the remembered page (the usual case after
     * {@link #ownerOf}) its slab is known; otherwise virt_to_slab's lookup of its own.
     */
    @Override
    public boolean free(int cpu, long obj, long callSite) {
        if (remembers(obj)) {
            return freeOnSlabId(cpu, lookupId, obj, callSite);
        }
        return freeOnSlab(cpu, frames.compoundHead(Addr.virtToPfn(obj)), obj, callSite);
    }

    /**
     * The last page {@link ClassicSlabAllocator#ownerOf} found on a slab of this cache, and that
     * slab's id: a page keeps its slab until {@link #slabDestroy}, which forgets it.
     */
    private int lookupPfn = PageFrames.NIL;

    private int lookupId;

    /** True if {@code obj} lies on the remembered page. */
    @Override
    public boolean remembers(long obj) {
        return Addr.isDirectMap(obj, nrMemFrames) && Addr.virtToPfn(obj) == lookupPfn;
    }

    /**
     * The slab of an object the CPU array handed out, from its page struct; remembered when the
     * page checks out as a slab of this cache (objects of one refill come from one or two slabs).
     */
    private int slabOfPopped(int pfn) {
        int head = frames.compoundHead(pfn);
        int id = frames.priv(head);
        if (table.idOf(head, id) != 0 && table.cache[id] == this) {
            remember(pfn, id);
        }
        return id;
    }

    /** Remembers that page {@code pfn} lies on slab {@code id} of this cache. */
    void remember(int pfn, int id) {
        lookupPfn = pfn;
        lookupId = id;
    }

    /** kmem_cache_free/kfree after virt_to_slab: {@code head} is the slab's head frame. */
    private boolean freeOnSlab(int cpu, int head, long obj, long callSite) {
        int id = table.idOf(head, frames.priv(head));
        if (id == 0 || table.cache[id] != this) {
            alloc.machine()
                    .dmesg()
                    .report(
                            ReportKind.SLAB_BAD_FREE,
                            String.format(
                                    Locale.ROOT,
                                    "kmem_cache_free: Wrong slab cache. %s but object is from %s",
                                    name,
                                    id == 0 ? "no slab" : table.cache[id].name));
            return false;
        }
        return freeOnSlabId(cpu, id, obj, callSite);
    }

    /** The rest of the free once {@code obj} is known to lie on slab {@code id} of this cache. */
    private boolean freeOnSlabId(int cpu, int id, long obj, long callSite) {
        long objp = obj - objOffset;
        long off = objp - table.sMem[id];
        // the range check first: it bounds off below 2^32, where objIndex is exact
        int idx = off < 0 || off >= (long) num * size ? -1 : objIndex(off, reciprocalSize);
        if (idx < 0 || (long) idx * size != off) {
            alloc.machine()
                    .dmesg()
                    .report(
                            ReportKind.SLAB_BAD_FREE,
                            String.format(
                                    Locale.ROOT,
                                    "slab error in cache_free_debugcheck(): cache `%s': %s is not an object of this slab"
                                            + " (s_mem %s, object size %d)",
                                    name,
                                    SlabDebug.px(obj),
                                    SlabDebug.px(table.sMem[id]),
                                    size));
            return false;
        }
        if (!table.isUsed(id, idx)) {
            dbg.reportDoubleFree(objp);
            return false;
        }
        if (debug) {
            dbg.freeCheck(objp, callSite);
        }
        table.clearUsed(id, idx);
        cacheFree(cpu, objp, id);
        return true;
    }

    /**
     * The multiplier of {@link #objIndex}: ceil(2^64 / d) = floor((2^64 - 1) / d) + 1. Slot sizes
     * are multiples of BYTES_PER_WORD, so d ≥ 8 and the value is non-zero.
     */
    static long reciprocal(int d) {
        assert d >= 2 : d;
        return Long.divideUnsigned(-1L, d) + 1;
    }

    /**
     * obj_to_index(): {@code off / size} without a divide, as the kernel's reciprocal_divide with
     * {@code cache->reciprocal_buffer_size}. The high 64 bits of the unsigned product
     * {@code off · ceil(2^64 / size)} are the exact quotient for 0 ≤ off, size &lt; 2^32 (Lemire,
     * Kaser and Kurz, 2019); off is below the slab size.
     */
    static int objIndex(long off, long reciprocal) {
        // unsigned multiply-high of reciprocal and a non-negative off (Math.unsignedMultiplyHigh is Java 18+)
        return (int) (Math.multiplyHigh(reciprocal, off) + ((reciprocal >> 63) & off));
    }

    /** ___cache_free(): alien path for remote objects, else push on the CPU array. */
    private void cacheFree(int cpu, long objp, int id) {
        int nodeId = alloc.cpuToNode(cpu);
        int slabNode = table.node[id];
        if (alloc.nrNodes() > 1 && slabNode != nodeId) {
            cacheFreeAlien(cpu, objp, nodeId, slabNode);
            return;
        }
        ArrayCache ac = cpuCache[cpu];
        if (ac.avail < ac.limit) {
            stats.freehit++;
        } else {
            stats.freemiss++;
            cacheFlusharray(cpu, nodeId, ac);
        }
        ac.entry[ac.avail++] = objp;
    }

    /** __cache_free_alien(): park in this node's alien array for the slab's node. */
    private void cacheFreeAlien(int cpu, long objp, int nodeId, int slabNode) {
        stats.nodeFrees++;
        SlabNode n = nodes[nodeId];
        ArrayCache alien = n.alien == null ? null : n.alien[slabNode];
        if (alien != null) {
            if (alien.avail == alien.limit) {
                stats.nodeOverflow++;
                drainAlien(cpu, alien, slabNode);
            }
            alien.entry[alien.avail++] = objp;
        } else {
            scratch[0] = objp;
            freeBlock(cpu, slabNode, scratch, 0, 1);
            slabsDestroy(cpu);
        }
    }

    private final long[] scratch = new long[1];

    /** __drain_alien_cache(): into the remote node's shared array first, the rest to its slabs. */
    private void drainAlien(int cpu, ArrayCache ac, int remote) {
        if (ac.avail == 0) {
            return;
        }
        SlabNode rn = nodes[remote];
        if (rn.shared != null) {
            rn.shared.transferFrom(ac, ac.limit);
        }
        freeBlock(cpu, remote, ac.entry, 0, ac.avail);
        ac.avail = 0;
        slabsDestroy(cpu);
    }

    /** cache_flusharray(): the oldest batch goes to the shared array if it has room, else to the slabs. */
    private void cacheFlusharray(int cpu, int nodeId, ArrayCache ac) {
        int batch = ac.batchcount;
        SlabNode n = nodes[nodeId];
        ArrayCache sh = n.shared;
        n.listLock.lock("cache_flusharray");
        int room = sh == null ? 0 : sh.limit - sh.avail;
        if (room > 0) {
            if (batch > room) {
                batch = room;
            }
            System.arraycopy(ac.entry, 0, sh.entry, sh.avail, batch);
            sh.avail += batch;
        } else {
            freeBlock(cpu, nodeId, ac.entry, 0, batch);
        }
        if (alloc.forcedDebug()) {
            long freeable = n.slabsFree.size();
            if (stats.maxFreeable < freeable) {
                stats.maxFreeable = freeable;
            }
        }
        n.listLock.unlock();
        ac.removeOldest(batch);
        slabsDestroy(cpu);
    }

    /**
     * free_block(): objects back into their slabs; empty slabs to the head of slabs_free, others
     * to the tail of slabs_partial; then free slabs beyond free_limit are queued for destruction
     * (from the tail). Call {@link #slabsDestroy} afterwards.
     */
    private void freeBlock(int cpu, int nodeId, long[] objs, int from, int nr) {
        SlabNode n = nodes[nodeId];
        n.freeObjects += nr;
        for (int i = from; i < from + nr; i++) {
            long objp = objs[i];
            int head = frames.compoundHead(Addr.virtToPfn(objp));
            int id = frames.priv(head);
            unlink(n, id);
            slabPutObj(id, objp);
            stats.numActive--;
            if (table.active[id] == 0) {
                addHead(n, SlabTable.ON_FREE, id);
                n.freeSlabs++;
            } else {
                addTail(n, SlabTable.ON_PARTIAL, id);
            }
        }
        while (n.freeObjects > n.freeLimit && !n.slabsFree.isEmpty()) {
            n.freeObjects -= num;
            int head = n.slabsFree.last();
            unlink(n, frames.priv(head));
            destroyList.addHead(head);
            n.freeSlabs--;
            n.totalSlabs--;
        }
    }

    /** slab_put_obj(): freelist[--active] = index; a full OBJFREELIST slab adopts the object. */
    private void slabPutObj(int id, long objp) {
        int idx = objIndex(objp - table.sMem[id], reciprocalSize);
        if (debug) {
            dbg.checkFreelistDuplicate(id, idx, objp);
        }
        table.active[id]--;
        if (table.freelist[id] == 0) {
            table.freelist[id] = objp + objOffset;
        }
        mem.writeU8(table.freelist[id] + table.active[id], idx);
    }

    /** slabs_destroy(): destroys the slabs free_block or drain_freelist queued. */
    private void slabsDestroy(int cpu) {
        int head;
        while ((head = destroyList.pollFirst()) != PageFrames.NIL) {
            slabDestroy(cpu, frames.priv(head));
        }
    }

    /**
     * slab_destroy(): pages back to the page allocator (kmem_freepages) at once, or for a
     * TYPESAFE_BY_RCU cache after a grace period (call_rcu(kmem_rcu_free)); an off-slab index
     * array goes back to its cache at once either way. The callers have already taken the slab
     * out of the node counters.
     */
    private void slabDestroy(int cpu, int id) {
        if (id == lookupId) {
            // the page may go to another slab or back to the page allocator: forget it
            lookupPfn = PageFrames.NIL;
        }
        if (debug) {
            dbg.destroyCheck(id);
        }
        long fl = table.freelist[id];
        if (desc.hasFlag(SlabFlags.TYPESAFE_BY_RCU)) {
            table.onList[id] = SlabTable.ON_RCU;
            rcuSlabs++;
            if (LOG.isTraceEnabled()) {
                LOG.trace(
                        "{}: slab pfn {} waits for an RCU grace period", name, Integer.toHexString(table.headPfn[id]));
            }
            alloc.machine().rcu().callRcu(cpu, kmemRcuFreeFn, id);
        } else {
            kmemFreepages(cpu, id);
        }
        if (g.mgmt() == SlabGeometry.Mgmt.OFF_SLAB) {
            alloc.layer().kmemCacheFree(cpu, freelistCache, fl, callSiteMgmt);
        }
    }

    /** kmem_rcu_free(): the grace period has ended; the pages go back. */
    private void kmemRcuFree(int cpu, long arg, long unused) {
        int id = (int) arg;
        assert table.cache[id] == this && table.onList[id] == SlabTable.ON_RCU : name + ": rcu slab " + id;
        rcuSlabs--;
        kmemFreepages(cpu, id);
    }

    /** kmem_freepages(): PG_slab off, NR_SLAB_*_B down, pages back to the page allocator. */
    private void kmemFreepages(int cpu, int id) {
        int pfn = table.headPfn[id];
        frames.clear(pfn, PageFrames.PG_SLAB);
        frames.setPriv(pfn, 0);
        table.releaseId(id);
        long bytes = (long) Addr.PAGE_SIZE << order;
        alloc.machine()
                .addNodeStat(
                        desc.hasFlag(SlabFlags.RECLAIM_ACCOUNT)
                                ? NodeStat.NR_SLAB_RECLAIMABLE_B
                                : NodeStat.NR_SLAB_UNRECLAIMABLE_B,
                        -bytes);
        alloc.pageAllocator().freePages(cpu, pfn, order);
    }

    /** Destroyed slabs of this cache whose pages wait for an RCU grace period. */
    public int rcuSlabsPending() {
        return rcuSlabs;
    }

    // --- reaping, shrinking ---------------------------------------------------------------

    /** cache_reap()'s work for this cache on one CPU at jiffies {@code j}. */
    void reap(int cpu, int nodeId, int reapNode, long j) {
        SlabNode n = nodes[nodeId];
        if (n.alien != null && n.alien[reapNode] != null && n.alien[reapNode].avail > 0) {
            drainAlien(cpu, n.alien[reapNode], reapNode);
        }
        drainArray(cpu, nodeId, cpuCache[cpu]);
        if (n.nextReap - j > 0) {
            return;
        }
        n.nextReap = j + ClassicSlabAllocator.REAPTIMEOUT_NODE;
        drainArray(cpu, nodeId, n.shared);
        if (n.freeTouched) {
            n.freeTouched = false;
        } else {
            long tofree = (n.freeLimit + 5L * num - 1) / (5L * num);
            stats.reaped += drainFreelist(cpu, n, tofree);
        }
    }

    /** drain_array(): a touched array is only untouched; else about a fifth goes back. */
    private void drainArray(int cpu, int nodeId, ArrayCache ac) {
        if (ac == null || ac.avail == 0) {
            return;
        }
        if (ac.touched) {
            ac.touched = false;
            return;
        }
        drainArrayLocked(cpu, nodeId, ac, false);
    }

    private void drainArrayLocked(int cpu, int nodeId, ArrayCache ac, boolean freeAll) {
        if (ac == null || ac.avail == 0) {
            return;
        }
        int tofree = freeAll ? ac.avail : (ac.limit + 4) / 5;
        if (tofree > ac.avail) {
            tofree = (ac.avail + 1) / 2;
        }
        freeBlock(cpu, nodeId, ac.entry, 0, tofree);
        ac.removeOldest(tofree);
        slabsDestroy(cpu);
    }

    /** drain_freelist(): destroys up to {@code tofree} free slabs from the tail. */
    private int drainFreelist(int cpu, SlabNode n, long tofree) {
        int freed = 0;
        while (freed < tofree && !n.slabsFree.isEmpty()) {
            int head = n.slabsFree.last();
            unlink(n, frames.priv(head));
            n.freeSlabs--;
            n.totalSlabs--;
            n.freeObjects -= num;
            slabDestroy(cpu, frames.priv(head));
            freed++;
        }
        return freed;
    }

    /** drain_cpu_caches(): every CPU array, alien array and shared array, completely. */
    private void drainCpuCaches() {
        for (int cpu = 0; cpu < cpuCache.length; cpu++) {
            ArrayCache ac = cpuCache[cpu];
            if (ac.avail > 0) {
                freeBlock(cpu, alloc.cpuToNode(cpu), ac.entry, 0, ac.avail);
                ac.avail = 0;
                slabsDestroy(cpu);
            }
        }
        for (SlabNode n : nodes) {
            if (n.alien != null) {
                for (int r = 0; r < n.alien.length; r++) {
                    if (n.alien[r] != null) {
                        drainAlien(0, n.alien[r], r);
                    }
                }
            }
        }
        for (SlabNode n : nodes) {
            drainArrayLocked(0, n.node, n.shared, true);
        }
    }

    @Override
    public void shrink() {
        shrinkInternal();
    }

    /** __kmem_cache_shrink(): true if full or partial slabs remain. */
    private boolean shrinkInternal() {
        drainCpuCaches();
        boolean left = false;
        for (SlabNode n : nodes) {
            drainFreelist(0, n, Integer.MAX_VALUE);
            left |= !n.slabsFull.isEmpty() || !n.slabsPartial.isEmpty();
        }
        return left;
    }

    @Override
    public long shutdown() {
        if (shrinkInternal()) {
            long live = 0;
            for (SlabNode n : nodes) {
                live += (n.totalSlabs - n.freeSlabs) * num - (n.freeObjects);
            }
            return Math.max(live, 1);
        }
        for (SlabNode n : nodes) {
            if (n != null) {
                alloc.machine().locks().unregister(n.listLock);
            }
        }
        releaseMeta();
        alloc.freeKmemCacheObject(kmemCacheObj);
        alloc.forget(this);
        return 0;
    }

    // --- views -----------------------------------------------------------------------------

    @Override
    public KmemCache descriptor() {
        return desc;
    }

    /** {@code s->flags}: with FORCED_DEBUG the red zone, last user and poison bits it added. */
    @Override
    public int effectiveFlags() {
        return g.flags();
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
        return g.align();
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public int objsPerSlab() {
        return num;
    }

    Tunables tunables() {
        return new Tunables(limit, batchcount, shared);
    }

    SlabGeometry geometryRecord() {
        return g;
    }

    long totalSlabs() {
        long t = 0;
        for (SlabNode n : nodes) {
            t += n.totalSlabs;
        }
        return t;
    }

    /** The per-CPU array of {@code cpu} (tests and validation). */
    ArrayCache cpuArray(int cpu) {
        return cpuCache[cpu];
    }

    @Override
    public SlabCacheMetric metric() {
        return metric;
    }

    private final SlabCacheMetric metric = new Metric();

    /** get_slabinfo(): objects in per-CPU, shared and alien arrays count as active. */
    private final class Metric implements SlabCacheMetric {
        @Override
        public String name() {
            return name;
        }

        @Override
        public long activeObjs() {
            long freeObjs = 0;
            for (SlabNode n : nodes) {
                freeObjs += n.freeObjects;
            }
            return numObjs() - freeObjs;
        }

        @Override
        public long numObjs() {
            return numSlabs() * num;
        }

        @Override
        public int objSize() {
            return size;
        }

        @Override
        public int objPerSlab() {
            return num;
        }

        @Override
        public int pagesPerSlab() {
            return 1 << order;
        }

        @Override
        public int limit() {
            return limit;
        }

        @Override
        public int batchcount() {
            return batchcount;
        }

        @Override
        public int sharedFactor() {
            return shared;
        }

        @Override
        public long activeSlabs() {
            long freeSlabs = 0;
            for (SlabNode n : nodes) {
                freeSlabs += n.freeSlabs;
            }
            return numSlabs() - freeSlabs;
        }

        @Override
        public long numSlabs() {
            long total = 0;
            for (SlabNode n : nodes) {
                total += n.totalSlabs;
            }
            return total;
        }

        @Override
        public long sharedAvail() {
            long avail = 0;
            for (SlabNode n : nodes) {
                if (n.shared != null) {
                    avail += n.shared.avail;
                }
            }
            return avail;
        }

        @Override
        public long allocFastpath() {
            return stats.allochit;
        }

        @Override
        public long allocSlowpath() {
            return stats.allocmiss;
        }

        @Override
        public long freeFastpath() {
            return stats.freehit;
        }

        @Override
        public long freeSlowpath() {
            return stats.freemiss;
        }

        @Override
        public long cpuObjects() {
            long avail = 0;
            for (ArrayCache ac : cpuCache) {
                if (ac != null) {
                    avail += ac.avail;
                }
            }
            return avail;
        }

        @Override
        public long partialSlabs() {
            long partial = 0;
            for (SlabNode n : nodes) {
                partial += n.slabsPartial.size();
            }
            return partial;
        }
    }

    @Override
    public String slabinfoStats() {
        return String.format(
                Locale.ROOT,
                " : globalstat %7d %6d %5d %4d %4d %4d %4d %4d %4d : cpustat %6d %6d %6d %6d",
                stats.numAllocations,
                stats.highMark,
                stats.grown,
                stats.reaped,
                stats.errors,
                stats.maxFreeable,
                stats.nodeAllocs,
                stats.nodeFrees,
                stats.nodeOverflow,
                stats.allochit,
                stats.allocmiss,
                stats.freehit,
                stats.freemiss);
    }

    /** SLAB's ksize: object_size. */
    @Override
    public int ksize(long obj) {
        return desc.objectSize();
    }

    @Override
    public Map<String, String> geometry() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("object_size", Integer.toString(desc.objectSize()));
        m.put("slab_size", Integer.toString(size));
        m.put("order", Integer.toString(order));
        m.put("objs_per_slab", Integer.toString(num));
        m.put("align", Integer.toString(g.align()));
        m.put("colour", Integer.toString(g.colour()));
        m.put("colour_off", Integer.toString(g.colourOff()));
        m.put("freelist", g.mgmt().label());
        m.put("limit", Integer.toString(limit));
        m.put("batchcount", Integer.toString(batchcount));
        m.put("sharedfactor", Integer.toString(shared));
        return m;
    }

    @Override
    public List<String> explainLayout() {
        return SlabLayoutExplainer.explain(this);
    }

    @Override
    public Optional<SlabLayout> slabLayout() {
        return Optional.of(SlabLayoutExplainer.layout(this));
    }

    // --- validation ------------------------------------------------------------------------

    @Override
    public int validate() {
        List<String> problems = validateProblems();
        for (String p : problems) {
            alloc.machine().dmesg().report(ReportKind.SLAB_CORRUPTION, "SLAB " + name + ": " + p);
        }
        return problems.size();
    }

    /**
     * The invariants: list membership matches active counts, counters match the lists, every
     * array holds only free objects of this cache, and no object is both free and in use.
     */
    List<String> validateProblems() {
        List<String> out = new ArrayList<>();
        // objects parked in arrays, per slab
        java.util.HashMap<Long, Integer> parked = new java.util.HashMap<>();
        for (int cpu = 0; cpu < cpuCache.length; cpu++) {
            collectArray(cpuCache[cpu], "cpu " + cpu + " array", alloc.cpuToNode(cpu), parked, out);
        }
        for (SlabNode n : nodes) {
            collectArray(n.shared, "node " + n.node + " shared array", n.node, parked, out);
            if (n.alien != null) {
                for (int r = 0; r < n.alien.length; r++) {
                    collectArray(n.alien[r], "node " + n.node + " alien array for node " + r, r, parked, out);
                }
            }
        }
        for (SlabNode n : nodes) {
            long freeObjs = 0;
            long slabs = 0;
            slabs += checkList(n, n.slabsFull, "full", out);
            slabs += checkList(n, n.slabsPartial, "partial", out);
            long freeCount = checkList(n, n.slabsFree, "free", out);
            slabs += freeCount;
            for (PfnList l : new PfnList[] {n.slabsFull, n.slabsPartial, n.slabsFree}) {
                for (int p = l.first(); p != PageFrames.NIL; p = l.next(p)) {
                    int id = frames.priv(p);
                    freeObjs += num - table.active[id];
                    checkSlabObjects(id, parked, out);
                }
            }
            if (slabs != n.totalSlabs) {
                out.add(String.format(
                        Locale.ROOT, "node %d: %d slabs on lists but total_slabs=%d", n.node, slabs, n.totalSlabs));
            }
            if (freeCount != n.freeSlabs) {
                out.add(String.format(
                        Locale.ROOT, "node %d: %d free slabs but free_slabs=%d", n.node, freeCount, n.freeSlabs));
            }
            if (freeObjs != n.freeObjects) {
                out.add(String.format(
                        Locale.ROOT,
                        "node %d: %d free objects on slabs but free_objects=%d",
                        n.node,
                        freeObjs,
                        n.freeObjects));
            }
        }
        for (Map.Entry<Long, Integer> e : parked.entrySet()) {
            if (e.getValue() > 1) {
                out.add("object " + SlabDebug.px(e.getKey()) + " parked " + e.getValue() + " times in arrays");
            }
        }
        return out;
    }

    private void collectArray(ArrayCache ac, String what, int expectNode, Map<Long, Integer> parked, List<String> out) {
        if (ac == null) {
            return;
        }
        if (ac.avail < 0 || ac.avail > ac.limit) {
            out.add(what + ": avail " + ac.avail + " outside [0, " + ac.limit + "]");
            return;
        }
        for (int i = 0; i < ac.avail; i++) {
            long objp = ac.entry[i];
            int head = frames.compoundHead(Addr.virtToPfn(objp));
            int id = table.idOf(head, frames.priv(head));
            if (id == 0 || table.cache[id] != this) {
                out.add(what + ": " + SlabDebug.px(objp) + " is not an object of this cache");
                continue;
            }
            if (table.node[id] != expectNode) {
                out.add(what + ": " + SlabDebug.px(objp) + " belongs to node " + table.node[id]);
            }
            parked.merge(objp, 1, Integer::sum);
        }
    }

    private long checkList(SlabNode n, PfnList l, String kind, List<String> out) {
        long count = 0;
        for (int p = l.first(); p != PageFrames.NIL; p = l.next(p)) {
            count++;
            int id = table.idOf(p, frames.priv(p));
            if (id == 0 || table.cache[id] != this) {
                out.add("node " + n.node + " slabs_" + kind + ": pfn 0x" + Integer.toHexString(p)
                        + " is not a slab of this cache");
                continue;
            }
            byte expect = switch (kind) {
                case "full" -> SlabTable.ON_FULL;
                case "partial" -> SlabTable.ON_PARTIAL;
                default -> SlabTable.ON_FREE;
            };
            if (table.onList[id] != expect) {
                out.add(String.format(
                        Locale.ROOT, "slab pfn 0x%x on slabs_%s but recorded on list %d", p, kind, table.onList[id]));
            }
            int a = table.active[id];
            boolean ok = switch (kind) {
                case "full" -> a == num;
                case "partial" -> a > 0 && a < num;
                default -> a == 0;
            };
            if (!ok) {
                out.add(String.format(
                        Locale.ROOT,
                        "node %d: slab pfn 0x%x on slabs_%s has active %d of %d",
                        n.node,
                        p,
                        kind,
                        a,
                        num));
            }
            if (table.node[id] != n.node) {
                out.add(String.format(
                        Locale.ROOT, "slab pfn 0x%x of node %d on node %d's lists", p, table.node[id], n.node));
            }
        }
        if (count != l.size()) {
            out.add("node " + n.node + " slabs_" + kind + ": size " + l.size() + " but " + count + " linked");
        }
        return count;
    }

    /** Free-list part of the index array, array-parked objects and live bitmap must partition the slab. */
    private void checkSlabObjects(int id, Map<Long, Integer> parked, List<String> out) {
        int a = table.active[id];
        boolean[] onFreelist = new boolean[num];
        if (a < num) {
            long fl = table.freelist[id];
            if (fl == 0) {
                out.add("slab " + pfnText(id) + ": freelist NULL with " + (num - a) + " free objects");
                return;
            }
            for (int pos = a; pos < num; pos++) {
                int idx = mem.readU8(fl + pos);
                if (idx >= num || onFreelist[idx]) {
                    out.add("slab " + pfnText(id) + ": freelist[" + pos + "] = " + idx + " invalid or repeated");
                    return;
                }
                onFreelist[idx] = true;
            }
        }
        int parkedHere = 0;
        int used = 0;
        for (int i = 0; i < num; i++) {
            long objp = table.sMem[id] + (long) i * size;
            boolean inArray = parked.containsKey(objp);
            boolean live = table.isUsed(id, i);
            if (inArray) {
                parkedHere++;
            }
            if (live) {
                used++;
            }
            int states = (onFreelist[i] ? 1 : 0) + (inArray ? 1 : 0) + (live ? 1 : 0);
            if (states != 1) {
                out.add("slab " + pfnText(id) + ": object " + SlabDebug.px(objp + objOffset)
                        + (live ? " in use" : "") + (onFreelist[i] ? " on freelist" : "")
                        + (inArray ? " in an array" : "") + (states == 0 ? " lost" : ""));
            }
        }
        if (a != used + parkedHere) {
            out.add("slab " + pfnText(id) + ": active " + a + " but " + used + " in use + " + parkedHere
                    + " in arrays");
        }
    }

    private String pfnText(int id) {
        return "pfn 0x" + Integer.toHexString(table.headPfn[id]);
    }
}
