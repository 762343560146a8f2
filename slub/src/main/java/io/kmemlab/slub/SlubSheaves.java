package io.kmemlab.slub;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Rcu;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One cache's per-CPU sheaves and per-node barns ({@code struct slub_percpu_sheaves},
 * {@code struct node_barn}): the layer SLUB puts in front of its slabs, opt-in in 6.18
 * ({@code kmem_cache_args.sheaf_capacity}) and on almost every cache from 7.0. See the package essay
 * for the state machines; reference sheaves-compaction.md §2, slub.md §10.
 *
 * <p>A sheaf is an array of object pointers with a size ({@link Sheaf}); the structure itself is a
 * kmalloc object of {@code 32 + 8 × capacity} bytes ({@code kzalloc} in {@code __alloc_empty_sheaf}),
 * taken from and given back to the kmalloc cache of that size, so it shows in /proc/slabinfo. Per
 * CPU: {@code main} (never null), {@code spare} (null, empty or full) and {@code rcu_free} (null or a
 * batch of kfree_rcu'd objects). Per node: a barn of at most {@link #MAX_FULL_SHEAVES} full and
 * {@link #MAX_EMPTY_SHEAVES} empty sheaves, both lists LIFO. Objects in any sheaf are allocated from
 * their slab's point of view (its {@code inuse} counts them).
 *
 * <p>Only the refill and flush steps differ between the versions, and they are the cache's own
 * slab paths ({@link SlubCache#refillSheaf}, {@link SlubCache#flushObject}): 6.18 goes through the
 * per-CPU slab ({@code __kmem_cache_alloc_bulk}, {@code do_slab_free}), 7.1 takes whole slab
 * freelists off the node partial list and frees straight to the slabs. The counters differ in name
 * only: 6.18's {@code alloc_cpu_sheaf}/{@code free_cpu_sheaf} are 7.x's {@code alloc_fastpath}/
 * {@code free_fastpath}.
 */
final class SlubSheaves {
    /** MAX_FULL_SHEAVES. */
    static final int MAX_FULL_SHEAVES = 10;
    /** MAX_EMPTY_SHEAVES. */
    static final int MAX_EMPTY_SHEAVES = 10;
    /** PCS_BATCH_MAX: objects flushed from the main sheaf per batch. */
    static final int PCS_BATCH_MAX = 32;
    /** offsetof(struct slab_sheaf, objects) on 64-bit. */
    static final int SHEAF_HEADER = 32;
    /** sizeof(struct node_barn): a spinlock, two list heads, two counters. */
    static final int BARN_SIZE = 48;
    /** The GFP bits __alloc_empty_sheaf clears (OBJCGS_CLEAR_MASK). */
    static final int OBJCGS_CLEAR_MASK = Gfp.__GFP_DMA | Gfp.__GFP_RECLAIMABLE | Gfp.__GFP_ACCOUNT | Gfp.__GFP_NOFAIL;

    /** {@code struct slab_sheaf}. */
    static final class Sheaf {
        final long[] objects;
        int size;
        /** The kmalloc object holding the structure, and its cache. */
        final long addr;

        final SlubCache bucket;
        /** The node whose barn an rcu_free sheaf goes back to. */
        int node;

        Sheaf(int capacity, long addr, SlubCache bucket) {
            this.objects = new long[capacity];
            this.addr = addr;
            this.bucket = bucket;
        }

        int capacity() {
            return objects.length;
        }

        boolean full() {
            return size == objects.length;
        }
    }

    /** {@code struct node_barn}: LIFO lists of full and empty sheaves. */
    static final class Barn {
        final ArrayDeque<Sheaf> full = new ArrayDeque<>(MAX_FULL_SHEAVES + 2);
        final ArrayDeque<Sheaf> empty = new ArrayDeque<>(MAX_EMPTY_SHEAVES + 2);
        long addr;
        SlubCache bucket;
    }

    final SlubCache c;
    /** s->sheaf_capacity. */
    final int capacity;

    final Sheaf[] main;
    final Sheaf[] spare;
    final Sheaf[] rcuFree;
    final Barn[] barns;
    /** The counters of an object served from or freed into a sheaf (6.18's *_cpu_sheaf, 7.x's *_fastpath). */
    final int allocStat;

    final int freeStat;
    /** rcu_free sheaves handed to RCU, by the slot their callback carries. */
    private final List<Sheaf> inRcu = new ArrayList<>();

    private final ArrayDeque<Integer> freeRcuSlots = new ArrayDeque<>();
    /** rcu_free sheaves waiting for their grace period. */
    private int rcuInFlight;
    /** rcu_free_sheaf and rcu_free_sheaf_nobarn, made once so queueing allocates nothing. */
    final Rcu.Callback rcuFreeSheafFn = this::rcuFreeSheaf;

    final Rcu.Callback rcuFreeSheafNobarnFn = this::rcuFreeSheafNobarn;
    /**
     * kmemlab's own counts for the metric: sheaf hits that first had to refill the sheaf from the
     * slabs, and frees into a sheaf that first had to flush one to the slabs (both touched slabs).
     */
    long refilledHits;

    long flushedFrees;
    /** Sheaf structures allocated and not freed, and their kmalloc bytes (for the metric). */
    long sheafStructs;

    long sheafStructBytes;

    SlubSheaves(SlubCache c, int capacity, int nrNodes, boolean v7) {
        this.c = c;
        this.capacity = capacity;
        this.main = new Sheaf[c.nrCpus];
        this.spare = new Sheaf[c.nrCpus];
        this.rcuFree = new Sheaf[c.nrCpus];
        this.barns = new Barn[nrNodes];
        this.allocStat = (v7 ? SlubStat.ALLOC_FASTPATH : SlubStat.ALLOC_PCS).ordinal();
        this.freeStat = (v7 ? SlubStat.FREE_FASTPATH : SlubStat.FREE_PCS).ordinal();
    }

    /**
     * init_kmem_cache_nodes' barns and init_percpu_sheaves: a barn per node and an empty main sheaf
     * per CPU, kmalloc'ed now.
     *
     * @return false if memory ran out (the cache cannot be created)
     */
    boolean init(int cpu) {
        for (int n = 0; n < barns.length; n++) {
            Barn b = new Barn();
            KmemCache k = c.allocator.layer().kmallocSlab(BARN_SIZE, Gfp.GFP_KERNEL);
            if (k != null) {
                SlubCache bc = (SlubCache) k.impl();
                b.addr = bc.alloc(cpu, Gfp.GFP_KERNEL | Gfp.__GFP_ZERO, BARN_SIZE, site());
                b.bucket = b.addr == 0 ? null : bc;
            }
            barns[n] = b;
        }
        for (int i = 0; i < main.length; i++) {
            main[i] = allocEmptySheaf(cpu, Gfp.GFP_KERNEL, capacity);
            if (main[i] == null) {
                return false;
            }
        }
        return true;
    }

    private long site() {
        return c.machine.symbols().intern("__alloc_empty_sheaf", 0x2f, 0x90);
    }

    /** get_barn: the barn of the CPU's node (7.1: numa_node_id()). */
    Barn barn(int cpu) {
        return barns[c.cpuNode(cpu)];
    }

    // --- sheaf structures ------------------------------------------------------------------------

    /**
     * __alloc_empty_sheaf: a kzalloc of {@code 32 + 8 × capacity} bytes. A kmalloc cache's sheaf is
     * allocated with __GFP_NO_OBJ_EXT, and a request that already carries it gets no sheaf, so a
     * kmalloc cache's sheaf allocation never needs a sheaf of its own (one level of recursion).
     */
    Sheaf allocEmptySheaf(int cpu, int gfp, int cap) {
        if ((gfp & Gfp.__GFP_NO_OBJ_EXT) != 0) {
            return null;
        }
        int g = gfp & ~OBJCGS_CLEAR_MASK;
        if ((c.flags & SlabFlags.KMALLOC) != 0) {
            g |= Gfp.__GFP_NO_OBJ_EXT;
        }
        int bytes = SHEAF_HEADER + 8 * cap;
        SlabLayer layer = c.allocator.layer();
        if (bytes > layer.kmallocIndex().limits().maxCacheSize()) {
            return null;
        }
        KmemCache k = layer.kmallocSlab(bytes, g);
        if (k == null) {
            return null;
        }
        SlubCache bucket = (SlubCache) k.impl();
        long addr = bucket.alloc(cpu, g | Gfp.__GFP_ZERO, bytes, site());
        if (addr == 0) {
            return null;
        }
        c.stat(cpu, SlubStat.SHEAF_ALLOC);
        sheafStructs++;
        sheafStructBytes += bucket.size;
        return new Sheaf(cap, addr, bucket);
    }

    /** free_empty_sheaf: kfree of the structure. */
    void freeSheaf(int cpu, Sheaf s) {
        c.stat(cpu, SlubStat.SHEAF_FREE);
        releaseStruct(cpu, s);
    }

    /** The kfree of a sheaf structure (an oversize prefilled sheaf is freed uncounted in 7.1). */
    private void releaseStruct(int cpu, Sheaf s) {
        sheafStructs--;
        sheafStructBytes -= s.bucket.size;
        s.bucket.free(cpu, s.addr, site());
    }

    // --- allocation --------------------------------------------------------------------------------

    /**
     * __pcs_replace_empty_main then the pop: the main sheaf of {@code cpu} is empty. Swap in a
     * non-empty spare, else trade the empty main for a full barn sheaf (BARN_GET), else
     * (BARN_GET_FAIL) refill the spare, an empty barn sheaf or a new one from slabs and install it.
     *
     * @return the object, or 0 if the sheaves cannot serve it (the slab path does)
     */
    long allocSlow(int cpu, int gfp) {
        Sheaf m = main[cpu];
        if (m.size == 0 && !replaceEmptyMain(cpu, gfp)) {
            return 0;
        }
        m = main[cpu];
        c.stat(cpu, allocStat);
        return m.objects[--m.size];
    }

    private boolean replaceEmptyMain(int cpu, int gfp) {
        Sheaf sp = spare[cpu];
        if (sp != null && sp.size > 0) {
            spare[cpu] = main[cpu];
            main[cpu] = sp;
            return true;
        }
        Barn barn = barn(cpu);
        Sheaf full = barn.full.pollFirst();
        if (full != null) {
            // barn_replace_empty_sheaf: the count of sheaves in the barn is unchanged
            barn.empty.addFirst(main[cpu]);
            main[cpu] = full;
            c.stat(cpu, SlubStat.BARN_GET);
            return true;
        }
        c.stat(cpu, SlubStat.BARN_GET_FAIL);
        if (!c.sheafRefillAllowed(gfp)) {
            return false;
        }
        Sheaf empty = spare[cpu];
        if (empty != null) {
            spare[cpu] = null;
        } else {
            empty = barn.empty.pollFirst();
        }
        if (empty == null) {
            empty = allocEmptySheaf(cpu, gfp, capacity);
            if (empty == null) {
                return false;
            }
        }
        int want = empty.capacity() - empty.size;
        int got = c.refillSheaf(cpu, gfp | Gfp.__GFP_NOMEMALLOC | Gfp.__GFP_NOWARN, empty, want);
        c.stat(cpu, SlubStat.SHEAF_REFILL, got);
        refilledHits++;
        if (!empty.full()) {
            flushSheaf(cpu, empty);
            freeSheaf(cpu, empty);
            return false;
        }
        // install: the refilled sheaf becomes main, the old (empty) main the spare; the alloc
        // of a sheaf structure may have run this cache's own paths, so re-check
        Sheaf old = main[cpu];
        if (old.size == 0) {
            if (spare[cpu] == null) {
                spare[cpu] = old;
            } else {
                barn.empty.addFirst(old);
            }
            main[cpu] = empty;
        } else if (spare[cpu] == null) {
            spare[cpu] = empty;
        } else {
            barn.full.addFirst(empty);
            c.stat(cpu, SlubStat.BARN_PUT);
        }
        return true;
    }

    // --- free --------------------------------------------------------------------------------------

    /**
     * free_to_pcs: puts {@code obj} on the main sheaf of {@code cpu}, replacing a full main first
     * (__pcs_replace_full_main).
     *
     * @return false if the object must go to its slab
     */
    boolean free(int cpu, long obj) {
        Sheaf m = main[cpu];
        if (m.full() && !replaceFullMain(cpu)) {
            return false;
        }
        m = main[cpu];
        m.objects[m.size++] = obj;
        c.stat(cpu, freeStat);
        return true;
    }

    private boolean replaceFullMain(int cpu) {
        Barn barn = barn(cpu);
        boolean putFail = false;
        Sheaf sp = spare[cpu];
        if (sp == null) {
            Sheaf empty = barn.empty.pollFirst();
            if (empty != null) {
                spare[cpu] = main[cpu];
                main[cpu] = empty;
                return true;
            }
        } else if (!sp.full()) {
            spare[cpu] = main[cpu];
            main[cpu] = sp;
            return true;
        } else if (barn.full.size() >= MAX_FULL_SHEAVES) {
            // barn_replace_full_sheaf: -E2BIG; the full spare goes to the slabs and becomes main
            c.stat(cpu, SlubStat.BARN_PUT_FAIL);
            flushSheaf(cpu, sp);
            flushedFrees++;
            spare[cpu] = main[cpu];
            main[cpu] = sp;
            return true;
        } else {
            Sheaf empty = barn.empty.pollFirst();
            if (empty != null) {
                barn.full.addFirst(main[cpu]);
                main[cpu] = empty;
                c.stat(cpu, SlubStat.BARN_PUT);
                return true;
            }
            putFail = true;
        }
        // no empty sheaf at hand: allocate one without blocking, else flush main to the slabs
        Sheaf empty = allocEmptySheaf(cpu, Gfp.GFP_NOWAIT, capacity);
        if (empty == null) {
            if (putFail) {
                c.stat(cpu, SlubStat.BARN_PUT_FAIL);
            }
            flushMain(cpu);
            flushedFrees++;
            return true;
        }
        installEmpty(cpu, empty, barn);
        return true;
    }

    /** __pcs_install_empty_sheaf, re-checking what the unlocked allocation may have changed. */
    private void installEmpty(int cpu, Sheaf empty, Barn barn) {
        if (!main[cpu].full()) {
            barn.empty.addFirst(empty);
            return;
        }
        if (spare[cpu] == null) {
            spare[cpu] = main[cpu];
            main[cpu] = empty;
            return;
        }
        if (!spare[cpu].full()) {
            Sheaf sp = spare[cpu];
            spare[cpu] = main[cpu];
            main[cpu] = sp;
            barn.empty.addFirst(empty);
            return;
        }
        barn.full.addFirst(main[cpu]);
        c.stat(cpu, SlubStat.BARN_PUT);
        main[cpu] = empty;
    }

    /** sheaf_flush_main: the main sheaf goes to the slabs, PCS_BATCH_MAX objects at a time. */
    void flushMain(int cpu) {
        Sheaf m = main[cpu];
        while (m.size > 0) {
            int batch = Math.min(m.size, PCS_BATCH_MAX);
            for (int i = 0; i < batch; i++) {
                c.flushObject(cpu, m.objects[m.size - batch + i]);
            }
            m.size -= batch;
            c.stat(cpu, SlubStat.SHEAF_FLUSH, batch);
        }
    }

    /** sheaf_flush_unused: every object of {@code s} back to its slab. */
    void flushSheaf(int cpu, Sheaf s) {
        int n = s.size;
        for (int i = 0; i < n; i++) {
            c.flushObject(cpu, s.objects[i]);
        }
        s.size = 0;
        if (n > 0) {
            c.stat(cpu, SlubStat.SHEAF_FLUSH, n);
        }
    }

    // --- kfree_rcu -----------------------------------------------------------------------------------

    /**
     * __kfree_rcu_sheaf: {@code obj} joins the CPU's rcu_free sheaf (the empty spare, an empty barn
     * sheaf or a new one); a full rcu_free sheaf is handed to call_rcu.
     */
    boolean kfreeRcu(int cpu, long obj) {
        Sheaf r = rcuFree[cpu];
        if (r == null) {
            Sheaf sp = spare[cpu];
            if (sp != null && sp.size == 0) {
                r = sp;
                spare[cpu] = null;
            } else {
                r = barn(cpu).empty.pollFirst();
            }
            if (r == null) {
                r = allocEmptySheaf(cpu, Gfp.GFP_NOWAIT, capacity);
            }
            if (r == null) {
                c.stat(cpu, SlubStat.FREE_RCU_SHEAF_FAIL);
                return false;
            }
            rcuFree[cpu] = r;
        }
        r.objects[r.size++] = obj;
        c.stat(cpu, SlubStat.FREE_RCU_SHEAF);
        if (r.full()) {
            rcuFree[cpu] = null;
            r.node = c.cpuNode(cpu);
            submit(cpu, r, rcuFreeSheafFn);
        }
        return true;
    }

    private void submit(int cpu, Sheaf s, Rcu.Callback fn) {
        Integer slot = freeRcuSlots.pollFirst();
        int i;
        if (slot == null) {
            i = inRcu.size();
            inRcu.add(s);
        } else {
            i = slot;
            inRcu.set(i, s);
        }
        rcuInFlight++;
        c.machine.rcu().callRcu(cpu, fn, i);
    }

    private Sheaf take(long slot) {
        int i = (int) slot;
        Sheaf s = inRcu.get(i);
        inRcu.set(i, null);
        freeRcuSlots.addFirst(i);
        rcuInFlight--;
        return s;
    }

    /**
     * rcu_free_sheaf: after the grace period a full-enough sheaf goes to the barn of its node as a
     * full sheaf, else its objects go to the slabs and the empty sheaf stays in the barn or is freed.
     */
    private void rcuFreeSheaf(int cpu, long slot, long unused) {
        Sheaf s = take(slot);
        Barn barn = barns[s.node];
        if (s.size > 0) {
            if (barn.full.size() < MAX_FULL_SHEAVES) {
                barn.full.addFirst(s);
                c.stat(cpu, SlubStat.BARN_PUT);
                return;
            }
            c.stat(cpu, SlubStat.BARN_PUT_FAIL);
            flushSheaf(cpu, s);
        }
        if (barn.empty.size() < MAX_EMPTY_SHEAVES) {
            barn.empty.addFirst(s);
            return;
        }
        freeSheaf(cpu, s);
    }

    /** rcu_free_sheaf_nobarn: a flushed rcu_free sheaf's objects go to the slabs, the sheaf away. */
    private void rcuFreeSheafNobarn(int cpu, long slot, long unused) {
        Sheaf s = take(slot);
        flushSheaf(cpu, s);
        freeSheaf(cpu, s);
    }

    /** flush_all_rcu_sheaves for this cache: the partial rcu_free sheaves go to RCU, then wait. */
    void flushRcuSheaves() {
        boolean any = false;
        for (int cpu = 0; cpu < rcuFree.length; cpu++) {
            Sheaf r = rcuFree[cpu];
            if (r != null && r.size > 0) {
                rcuFree[cpu] = null;
                r.node = c.cpuNode(cpu);
                submit(cpu, r, rcuFreeSheafFn);
                any = true;
            }
        }
        if (any || rcuInFlight > 0) {
            rcuBarrier();
        }
    }

    /** Runs this cache's pending rcu sheaf callbacks. */
    void rcuBarrier() {
        c.machine.rcu().barrier(rcuFreeSheafFn);
        c.machine.rcu().barrier(rcuFreeSheafNobarnFn);
    }

    // --- prefilled sheaves (the maple tree's API) --------------------------------------------------

    /**
     * kmem_cache_prefill_sheaf(s, gfp, count): a sheaf with at least {@code count} objects for the
     * caller alone; null for count 0 or if memory ran out.
     */
    Sheaf prefill(int cpu, int gfp, int count) {
        if (count <= 0) {
            return null;
        }
        if (count > capacity) {
            c.stat(cpu, SlubStat.SHEAF_PREFILL_OVERSIZE);
            Sheaf s = allocEmptySheaf(cpu, gfp, count);
            if (s == null) {
                return null;
            }
            int got = c.refillSheaf(cpu, gfp, s, count);
            if (got < count) {
                flushSheaf(cpu, s);
                releaseStruct(cpu, s);
                return null;
            }
            return s;
        }
        Sheaf s = spare[cpu];
        if (s != null) {
            spare[cpu] = null;
            c.stat(cpu, SlubStat.SHEAF_PREFILL_FAST);
        } else {
            c.stat(cpu, SlubStat.SHEAF_PREFILL_SLOW);
            Barn barn = barn(cpu);
            s = barn.full.pollFirst();
            if (s != null) {
                c.stat(cpu, SlubStat.BARN_GET);
            } else {
                s = barn.empty.pollFirst();
                c.stat(cpu, SlubStat.BARN_GET_FAIL);
            }
            if (s == null) {
                s = allocEmptySheaf(cpu, gfp, capacity);
                if (s == null) {
                    return null;
                }
            }
        }
        if (s.size < count && !refillFull(cpu, gfp, s)) {
            flushSheaf(cpu, s);
            freeSheaf(cpu, s);
            return null;
        }
        return s;
    }

    /** refill_sheaf to full capacity; true if it is full. */
    private boolean refillFull(int cpu, int gfp, Sheaf s) {
        int got = c.refillSheaf(cpu, gfp, s, s.capacity() - s.size);
        c.stat(cpu, SlubStat.SHEAF_REFILL, got);
        return s.full();
    }

    /** kmem_cache_alloc_from_sheaf: the top object of a prefilled sheaf, 0 once it is empty. */
    static long allocFromSheaf(Sheaf s) {
        return s.size == 0 ? 0 : s.objects[--s.size];
    }

    /**
     * kmem_cache_refill_sheaf: makes a prefilled sheaf hold at least {@code count} objects.
     *
     * @return the sheaf to use from now on (another one if it had to grow past its capacity), or
     *     null if memory ran out (the old sheaf is unchanged)
     */
    Sheaf refill(int cpu, int gfp, Sheaf s, int count) {
        if (s.size >= count) {
            return s;
        }
        if (s.capacity() >= count) {
            int got = c.refillSheaf(cpu, gfp, s, s.capacity() - s.size);
            if (s.capacity() == capacity) {
                c.stat(cpu, SlubStat.SHEAF_REFILL, got);
            }
            return s.full() ? s : null;
        }
        Sheaf bigger = prefill(cpu, gfp, count);
        if (bigger == null) {
            return null;
        }
        returnSheaf(cpu, gfp, s);
        return bigger;
    }

    /**
     * kmem_cache_return_sheaf: an oversize sheaf is flushed and freed; a regular one becomes the
     * spare, or is refilled into the barn as a full sheaf, or flushed and freed.
     */
    void returnSheaf(int cpu, int gfp, Sheaf s) {
        if (s.capacity() != capacity) {
            flushSheaf(cpu, s);
            releaseStruct(cpu, s);
            return;
        }
        if (spare[cpu] == null) {
            spare[cpu] = s;
            c.stat(cpu, SlubStat.SHEAF_RETURN_FAST);
            return;
        }
        c.stat(cpu, SlubStat.SHEAF_RETURN_SLOW);
        Barn barn = barn(cpu);
        if (barn.full.size() >= MAX_FULL_SHEAVES || !refillFull(cpu, gfp, s)) {
            flushSheaf(cpu, s);
            freeSheaf(cpu, s);
            return;
        }
        barn.full.addFirst(s);
        c.stat(cpu, SlubStat.BARN_PUT);
    }

    // --- flush, shrink, destroy ------------------------------------------------------------------

    /**
     * pcs_flush_all for one CPU: the spare's objects go to the slabs and it is freed, the rcu_free
     * sheaf goes to RCU to be flushed after its grace period, the main sheaf is emptied (kept).
     */
    void flushCpu(int cpu) {
        Sheaf sp = spare[cpu];
        if (sp != null) {
            spare[cpu] = null;
            flushSheaf(cpu, sp);
            freeSheaf(cpu, sp);
        }
        Sheaf r = rcuFree[cpu];
        if (r != null) {
            rcuFree[cpu] = null;
            submit(cpu, r, rcuFreeSheafNobarnFn);
        }
        flushMain(cpu);
    }

    /** barn_shrink for every barn: full sheaves flushed and freed, empty sheaves freed. */
    void shrinkBarns() {
        for (Barn b : barns) {
            Sheaf s;
            while ((s = b.full.pollFirst()) != null) {
                flushSheaf(0, s);
                freeSheaf(0, s);
            }
            while ((s = b.empty.pollFirst()) != null) {
                freeSheaf(0, s);
            }
        }
    }

    /** pcs_destroy and the barns' kfree (__kmem_cache_release): after a successful shutdown. */
    void destroy() {
        for (int cpu = 0; cpu < main.length; cpu++) {
            if (main[cpu] != null) {
                releaseStruct(cpu, main[cpu]);
                main[cpu] = null;
            }
        }
        for (Barn b : barns) {
            if (b.bucket != null) {
                b.bucket.free(0, b.addr, site());
                b.bucket = null;
            }
        }
    }

    // --- numbers -------------------------------------------------------------------------------

    /** Visits every object {@link #heldObjects} counts (read-only: {@code --step}'s slot view). */
    void forEachHeld(java.util.function.LongConsumer visit) {
        for (int cpu = 0; cpu < main.length; cpu++) {
            visitSheaf(main[cpu], visit);
            visitSheaf(spare[cpu], visit);
            visitSheaf(rcuFree[cpu], visit);
        }
        for (Barn b : barns) {
            for (Sheaf s : b.full) {
                visitSheaf(s, visit);
            }
        }
        for (Sheaf s : inRcu) {
            visitSheaf(s, visit);
        }
    }

    private static void visitSheaf(Sheaf s, java.util.function.LongConsumer visit) {
        if (s != null) {
            for (int i = 0; i < s.size; i++) {
                visit.accept(s.objects[i]);
            }
        }
    }

    /** Objects held in this cache's sheaves and barns (allocated as far as the slabs know). */
    long heldObjects() {
        long n = 0;
        for (int cpu = 0; cpu < main.length; cpu++) {
            n += size(main[cpu]) + size(spare[cpu]) + size(rcuFree[cpu]);
        }
        for (Barn b : barns) {
            for (Sheaf s : b.full) {
                n += s.size;
            }
        }
        for (Sheaf s : inRcu) {
            n += size(s);
        }
        return n;
    }

    private static int size(Sheaf s) {
        return s == null ? 0 : s.size;
    }

    /** Full and empty sheaves in the barns. */
    int barnFull() {
        int n = 0;
        for (Barn b : barns) {
            n += b.full.size();
        }
        return n;
    }

    int barnEmpty() {
        int n = 0;
        for (Barn b : barns) {
            n += b.empty.size();
        }
        return n;
    }

    /** Every sheaf this cache holds (for validation). */
    List<Sheaf> all() {
        List<Sheaf> out = new ArrayList<>();
        for (int cpu = 0; cpu < main.length; cpu++) {
            for (Sheaf s : new Sheaf[] {main[cpu], spare[cpu], rcuFree[cpu]}) {
                if (s != null) {
                    out.add(s);
                }
            }
        }
        for (Barn b : barns) {
            out.addAll(b.full);
            out.addAll(b.empty);
        }
        for (Sheaf s : inRcu) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** The invariants of the sheaves; one string per violation. */
    List<String> checkInvariants() {
        List<String> out = new ArrayList<>();
        String n = c.name();
        for (int cpu = 0; cpu < main.length; cpu++) {
            if (main[cpu] == null) {
                out.add(n + ": cpu " + cpu + " has no main sheaf");
            }
            Sheaf sp = spare[cpu];
            if (sp != null && sp.size != 0 && !sp.full()) {
                out.add(n + ": cpu " + cpu + " spare sheaf holds " + sp.size + " of " + sp.capacity());
            }
        }
        for (Barn b : barns) {
            if (b.empty.size() > MAX_EMPTY_SHEAVES + c.nrCpus || b.full.size() > MAX_FULL_SHEAVES + c.nrCpus) {
                out.add(n + ": barn holds " + b.full.size() + " full and " + b.empty.size() + " empty sheaves");
            }
            for (Sheaf s : b.empty) {
                if (s.size != 0) {
                    out.add(n + ": empty barn sheaf holds " + s.size);
                }
            }
            for (Sheaf s : b.full) {
                if (s.size == 0) {
                    out.add(n + ": full barn sheaf is empty");
                }
            }
        }
        for (Sheaf s : all()) {
            if (s.size < 0 || s.size > s.capacity()) {
                out.add(n + ": sheaf holds " + s.size + " of " + s.capacity());
                continue;
            }
            for (int i = 0; i < s.size; i++) {
                long obj = s.objects[i];
                // (the same object twice is a user's double free, which the kernel accepts too)
                if (!c.ownsObject(obj)) {
                    out.add(n + ": sheaf holds 0x" + Long.toHexString(obj) + ", no object of this cache");
                }
            }
        }
        return out;
    }
}
