package io.kmemlab.malloc.jemalloc;

import io.kmemlab.malloc.UserCost;
import io.kmemlab.mm.LongLongMap;
import io.kmemlab.mm.sched.LockPolicy;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.Steps;
import io.kmemlab.mm.sched.VLock;
import io.kmemlab.mm.user.HeapChunks;
import io.kmemlab.mm.user.ThreadedAllocator;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorStats;
import io.kmemlab.mm.user.UserHeapMetric;
import io.kmemlab.mm.user.UserSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * jemalloc 5.3.0 over one emulated process: the thread cache in front of arena 0 (a single-threaded
 * process is always given the least loaded arena, which is the first), the huge arena for requests
 * of {@code oversize_threshold} and more, and the thread-event counters that drive the tcache's
 * incremental GC. See the package essay for the whole design.
 */
public final class Jemalloc implements UserAllocator, UserAllocatorStats, ThreadedAllocator {
    static final long CACHELINE = 64;

    private final UserSpace space;
    final JemallocConfig conf;
    final Extents ex = new Extents();
    final Base b0;
    final Arena[] arenas;
    final int hugeArenaInd;
    /** The calling thread's tcache (null without one). */
    Tcache tcache;

    private final long tcacheMaxclass;
    /** The calling thread's arena (arena_choose: bound on its first allocation). */
    private Arena threadArena;

    private int thread;
    /** Every other thread's state while it is not the caller (index = thread id). */
    private Tsd[] tsds = new Tsd[4];

    // threads in virtual time (attach): Steps.OFF and no locks unless a scheduler drives it
    private Steps steps = Steps.OFF;
    private Scheduler sched;

    // thread events (te_*): bytes allocated and freed, and the tcache GC's waits
    private long allocated;
    private long allocLastEvent;
    private long allocWait;
    private long deallocated;
    private long deallocLastEvent;
    private long deallocWait;
    private final long[] flushBuf = new long[8192];
    private final int[] emptySlabs = new int[8192];
    long zeroReallocs;

    private final Metric metric = new Metric();
    private final LongLongMap requested = new LongLongMap(-1, 1024);

    Jemalloc(UserSpace space, JemallocConfig conf) {
        this.space = space;
        this.conf = conf;
        boolean hugeOk = conf.oversizeThreshold() >= SizeClasses.LARGE_MINCLASS
                && conf.oversizeThreshold() <= SizeClasses.LARGE_MAXCLASS;
        this.hugeArenaInd = hugeOk ? conf.narenas() : -1;
        // arena_init_huge reserves an index past the automatic arenas when the huge arena is on
        int narenasTotal = conf.narenas() + (hugeOk ? 1 : 0);
        this.arenas = new Arena[narenasTotal];
        this.b0 = new Base(space, Base.BOOT_BYTES + (long) narenasTotal * Base.CTL_ARENA_BYTES, true);

        this.tcacheMaxclass = SizeClasses.s2u(conf.tcacheMax());
        Arena a0 = arena(0);
        a0.nthreads++;
        threadArena = a0;
        tcache = conf.tcache() ? newTcache(a0) : null;
        allocWait = conf.tcacheGcIncrBytes();
        deallocWait = conf.tcacheGcIncrBytes();
        // Debian's libjemalloc.so.2 links libstdc++, whose static constructor mallocs its emergency
        // exception-handling pool before main: every process with this library starts with it.
        int ind = SizeClasses.size2index(EH_POOL_BYTES);
        long usize = SizeClasses.index2size(ind);
        if (allocUsize(ind, usize, EH_POOL_BYTES) != 0) {
            allocEvent(usize);
        }
    }

    /** tsd_tcache_data_init: the stacks are an internal, page-aligned allocation from a0. */
    private Tcache newTcache(Arena a) {
        Tcache tc = new Tcache(conf, a);
        Arena a0 = arena(0);
        long size = SizeClasses.sa2u(tc.allocSize, SizeClasses.PAGE);
        long p = size <= SizeClasses.SMALL_MAXCLASS
                ? a0.mallocSmall(SizeClasses.size2index(size))
                : a0.mallocLarge(size, SizeClasses.PAGE);
        if (p != 0) {
            a0.internal += size;
        }
        return tc;
    }

    /** A thread's state while another thread calls: its tcache, arena and event counters. */
    private static final class Tsd {
        Tcache tcache;
        Arena arena;
        long allocated;
        long allocLastEvent;
        long allocWait;
        long deallocated;
        long deallocLastEvent;
        long deallocWait;
        boolean exited;
    }

    /**
     * Makes thread {@code tid} the caller. A new thread is bound as arena_choose_hard binds it:
     * the automatic arena with the fewest threads (ties to the lowest index) if it has none,
     * else a new arena in the first uninitialised slot, else that least-loaded one; its tcache is
     * made on its first allocation's path (here at once). The process is multi-threaded, and
     * jemalloc's locks are real, from the first other thread on.
     */
    @Override
    public void asThread(int tid) {
        if (tid < 0) {
            throw new IllegalArgumentException("thread " + tid);
        }
        if (tid == thread) {
            return;
        }
        if (tid >= tsds.length) {
            tsds = java.util.Arrays.copyOf(tsds, Math.max(tid + 1, tsds.length * 2));
        }
        Tsd save = tsds[thread] == null ? (tsds[thread] = new Tsd()) : tsds[thread];
        save.tcache = tcache;
        save.arena = threadArena;
        save.allocated = allocated;
        save.allocLastEvent = allocLastEvent;
        save.allocWait = allocWait;
        save.deallocated = deallocated;
        save.deallocLastEvent = deallocLastEvent;
        save.deallocWait = deallocWait;
        thread = tid;
        Tsd t = tsds[tid];
        if (t == null || t.exited) {
            threadArena = chooseArena();
            threadArena.nthreads++;
            tcache = conf.tcache() ? newTcache(threadArena) : null;
            allocated = allocLastEvent = deallocated = deallocLastEvent = 0;
            allocWait = deallocWait = conf.tcacheGcIncrBytes();
            if (t != null) {
                t.exited = false;
            }
            return;
        }
        tcache = t.tcache;
        threadArena = t.arena;
        allocated = t.allocated;
        allocLastEvent = t.allocLastEvent;
        allocWait = t.allocWait;
        deallocated = t.deallocated;
        deallocLastEvent = t.deallocLastEvent;
        deallocWait = t.deallocWait;
    }

    /** arena_choose_hard for an application thread. */
    private Arena chooseArena() {
        int narenas = conf.narenas();
        int choose = 0;
        int firstNull = -1;
        for (int i = 0; i < narenas; i++) {
            if (arenas[i] == null) {
                if (firstNull < 0) {
                    firstNull = i;
                }
            } else if (arenas[i].nthreads < arenas[choose].nthreads) {
                choose = i;
            }
        }
        if (arenas[choose].nthreads == 0 || firstNull < 0) {
            return arenas[choose];
        }
        Arena a = arena(firstNull);
        attachArena(a);
        return a;
    }

    /**
     * The calling thread exits (tsd_cleanup → tcache_destroy): every bin of its tcache is flushed
     * to the arenas and its stacks freed; its arena loses a thread. Thread 0 does not exit.
     */
    public void threadExit() {
        if (thread == 0) {
            return;
        }
        Tcache tc = tcache;
        if (tc != null) {
            for (int b = 0; b < tc.nhbins; b++) {
                flush(b, 0, b < SizeClasses.NBINS);
            }
        }
        threadArena.nthreads--;
        Tsd t = tsds[thread] == null ? (tsds[thread] = new Tsd()) : tsds[thread];
        t.exited = true;
        t.tcache = null;
        tcache = null;
    }

    /**
     * Threads in virtual time: every bin's lock and each arena's extents and decay locks become
     * jemalloc's malloc_mutex (trylock, up to opt.mutex_max_spin = 600 PAUSE polls, then a futex
     * sleep), and each operation records its path's work ({@link JemallocCosts}) and locks.
     */
    @Override
    public void attach(Scheduler s) {
        sched = s;
        steps = s.steps();
        for (Arena a : arenas) {
            if (a != null) {
                attachArena(a);
            }
        }
    }

    private void attachArena(Arena a) {
        if (sched == null || a.binLock != null) {
            return;
        }
        a.steps = steps;
        a.binLock = new VLock[SizeClasses.NBINS];
        for (int b = 0; b < SizeClasses.NBINS; b++) {
            a.binLock[b] = sched.newLock("arenas[" + a.ind + "].bins[" + b + "].lock", LockPolicy.SPIN_THEN_BLOCK);
        }
        a.extentsLock = sched.newLock("arenas[" + a.ind + "].extents_dirty", LockPolicy.SPIN_THEN_BLOCK);
        a.decayLock = sched.newLock("arenas[" + a.ind + "].decay_dirty", LockPolicy.SPIN_THEN_BLOCK);
    }

    @Override
    public String lockStats(long uptimeNs) {
        return new JemallocStatsPrinter(this).mutexText(uptimeNs);
    }

    /** Bytes in every thread's tcache whose arena is {@code only} (null: all). */
    long tcacheBytes(Arena only) {
        long sum = 0;
        for (int i = 0; i < Math.max(tsds.length, thread + 1); i++) {
            Tcache tc = i == thread ? tcache : tsds[i] == null ? null : tsds[i].tcache;
            if (tc != null && (only == null || only == tc.arena)) {
                sum += tc.cachedBytes();
            }
        }
        return sum;
    }

    static final long DEFAULT_OVERSIZE_THRESHOLD = 8L << 20;

    /** libstdc++'s emergency EH pool (eh_alloc.cc), the one allocation before main. */
    static final long EH_POOL_BYTES = 72704;

    Arena arena(int ind) {
        Arena a = arenas[ind];
        if (a == null) {
            Base base = ind == 0 ? b0 : new Base(space, Base.ARENA_BOOT_BYTES, false);
            boolean huge = ind == hugeArenaInd;
            long dirtyMs = huge && conf.dirtyDecayMs() > 0 ? 0 : conf.dirtyDecayMs();
            long muzzyMs = huge && conf.muzzyDecayMs() > 0 ? 0 : conf.muzzyDecayMs();
            // arena 0 is made before arena_init_huge reads the option: it keeps the default
            long oversize = ind == 0
                    ? DEFAULT_OVERSIZE_THRESHOLD
                    : hugeArenaInd >= 0 ? conf.oversizeThreshold() : SizeClasses.LARGE_MAXCLASS + SizeClasses.PAGE;
            Pac pac = new Pac(space, ex, conf, base, b0, ind, dirtyMs, muzzyMs, oversize);
            a = new Arena(ind, ex, conf, base, pac);
            a.createdNanos = space.nowNanos();
            arenas[ind] = a;
            attachArena(a);
        }
        return a;
    }

    /** arena_choose_maybe_huge. */
    private Arena largeArena(long usize) {
        if (hugeArenaInd >= 0 && usize >= conf.oversizeThreshold()) {
            return arena(hugeArenaInd);
        }
        return threadArena;
    }

    @Override
    public String name() {
        return "jemalloc";
    }

    // ---- allocation ----

    /**
     * imalloc_body without the event: the pointer for usize class {@code ind}, or 0. The huge arena
     * is chosen by {@code size} as the caller passes it down: malloc and calloc the request itself,
     * realloc's move the new usable size (arena_choose_maybe_huge sees whichever it is given).
     */
    private long allocUsize(int ind, long usize, long size) {
        if (usize <= SizeClasses.SMALL_MAXCLASS) {
            if (tcache != null && ind < tcache.nhbins) {
                return tcacheAllocSmall(ind);
            }
            return threadArena.mallocSmall(ind);
        }
        if (tcache != null && usize <= tcacheMaxclass) {
            return tcacheAllocLarge(ind, usize);
        }
        return largeArena(size).mallocLarge(usize, CACHELINE);
    }

    @Override
    public long malloc(long size) {
        space.chargeUser(UserCost.CALL_NANOS);
        steps.work(JemallocCosts.CALL);
        metric.mallocs++;
        if (size < 0 || size > SizeClasses.LARGE_MAXCLASS) {
            metric.failures++;
            return 0;
        }
        int ind = SizeClasses.size2index(size);
        long usize = SizeClasses.index2size(ind);
        long p = allocUsize(ind, usize, size);
        if (p == 0) {
            metric.failures++;
            return 0;
        }
        allocEvent(usize);
        track(p, size, usize);
        return p;
    }

    @Override
    public long calloc(long n, long size) {
        space.chargeUser(UserCost.CALL_NANOS);
        metric.mallocs++;
        long total;
        try {
            total = Math.multiplyExact(n, size);
        } catch (ArithmeticException e) {
            metric.failures++;
            return 0;
        }
        if (n < 0 || size < 0 || total > SizeClasses.LARGE_MAXCLASS) {
            metric.failures++;
            return 0;
        }
        int ind = SizeClasses.size2index(total);
        long usize = SizeClasses.index2size(ind);
        long p = allocUsize(ind, usize, total);
        if (p == 0) {
            metric.failures++;
            return 0;
        }
        space.fill(p, 0, usize);
        space.chargeUser(UserCost.bytesNanos(usize));
        allocEvent(usize);
        track(p, total, usize);
        return p;
    }

    @Override
    public long memalign(long alignment, long size) {
        space.chargeUser(UserCost.CALL_NANOS);
        metric.mallocs++;
        if (alignment <= 0 || Long.bitCount(alignment) != 1 || size < 0) {
            metric.failures++;
            return 0;
        }
        // aligned_usize_get with bump_empty_aligned_alloc: memalign(a, 0) is memalign(a, 1)
        long usize = SizeClasses.sa2u(size == 0 ? 1 : size, alignment);
        if (usize == 0 || usize > SizeClasses.LARGE_MAXCLASS) {
            metric.failures++;
            return 0;
        }
        long p;
        if (usize <= SizeClasses.SMALL_MAXCLASS) {
            p = allocUsize(SizeClasses.size2index(usize), usize, usize);
        } else {
            // ipalloct → arena_palloc: large aligned allocations bypass the tcache
            p = largeArena(usize).mallocLarge(usize, Math.max(alignment, CACHELINE));
        }
        if (p == 0) {
            metric.failures++;
            return 0;
        }
        allocEvent(usize);
        track(p, size, usize);
        return p;
    }

    @Override
    public void free(long ptr) {
        if (ptr == 0) {
            return;
        }
        space.chargeUser(UserCost.CALL_NANOS);
        steps.work(JemallocCosts.CALL);
        metric.frees++;
        int h = owner(ptr);
        if (h < 0) {
            return;
        }
        long usize = SizeClasses.index2size(ex.szind[h]);
        untrack(ptr, usize);
        dallocPtr(h, ptr, usize);
        deallocEvent(usize);
    }

    /** isdalloct: to the tcache when there is one and the class is cached, else to the arena. */
    private void dallocPtr(int h, long ptr, long usize) {
        int ind = ex.szind[h];
        if (ex.isSlab(h)) {
            if (tcache != null && ind < tcache.nhbins) {
                tcacheDallocSmall(ind, ptr);
            } else {
                arena(ex.arena[h]).dallocSmall(h, ptr);
            }
        } else if (tcache != null && usize <= tcacheMaxclass) {
            tcacheDallocLarge(ind, ptr);
        } else {
            Arena a = arena(ex.arena[h]);
            a.dallocLarge(h);
            a.decayTick(1);
        }
    }

    @Override
    public long realloc(long ptr, long size) {
        if (ptr == 0) {
            long p = malloc(size);
            metric.mallocs--;
            metric.reallocs++;
            return p;
        }
        metric.reallocs++;
        space.chargeUser(UserCost.CALL_NANOS);
        if (size == 0 && !conf.zeroRealloc().equals("alloc")) {
            zeroReallocs++;
            if (conf.zeroRealloc().equals("abort")) {
                space.abort("<jemalloc>: Called realloc(non-null-ptr, 0) with zero_realloc:abort set");
                return 0;
            }
            free(ptr);
            metric.frees--;
            return 0;
        }
        if (size == 0) {
            zeroReallocs++;
            size = 1;
        }
        int h = owner(ptr);
        if (h < 0) {
            return 0;
        }
        if (size < 0 || size > SizeClasses.LARGE_MAXCLASS) {
            metric.failures++;
            return 0;
        }
        long oldUsize = SizeClasses.index2size(ex.szind[h]);
        int ind = SizeClasses.size2index(size);
        long usize = SizeClasses.index2size(ind);
        long p = arenaRalloc(h, ptr, oldUsize, ind, usize);
        if (p == 0) {
            metric.failures++;
            return 0;
        }
        untrack(ptr, oldUsize);
        track(p, size, usize);
        allocEvent(usize);
        deallocEvent(oldUsize);
        return p;
    }

    /** arena_ralloc. */
    private long arenaRalloc(int h, long ptr, long oldUsize, int ind, long usize) {
        if (usize <= SizeClasses.SMALL_MAXCLASS) {
            if (oldUsize <= SizeClasses.SMALL_MAXCLASS && ind == ex.szind[h]) {
                arena(ex.arena[h]).decayTick(1);
                return ptr;
            }
        }
        long p;
        if (oldUsize >= SizeClasses.LARGE_MINCLASS && usize >= SizeClasses.LARGE_MINCLASS) {
            if (arena(ex.arena[h]).rallocLargeNoMove(h, usize)) {
                return ptr;
            }
            p = largeArena(usize).mallocLarge(usize, CACHELINE);
        } else {
            p = allocUsize(ind, usize, usize);
        }
        if (p == 0) {
            return 0;
        }
        space.copy(p, ptr, Math.min(usize, oldUsize));
        space.chargeUser(UserCost.bytesNanos(Math.min(usize, oldUsize)));
        dallocPtr(h, ptr, oldUsize);
        return p;
    }

    @Override
    public long usableSize(long ptr) {
        if (ptr == 0) {
            return 0;
        }
        int h = ex.lookup(ptr);
        if (h < 0 || ex.state[h] != Extents.ACTIVE || ex.szind[h] >= SizeClasses.NSIZES) {
            return 0;
        }
        return SizeClasses.index2size(ex.szind[h]);
    }

    /**
     * The active extent that allocated {@code ptr}, or -1 after reporting a bad pointer. The real
     * library trusts the pointer (a bad one corrupts it or crashes it); kmemlab checks it against
     * the page map and the live blocks and reports it on stderr, counted, so a program's bug is seen.
     */
    private int owner(long ptr) {
        int h = ex.lookup(ptr);
        boolean ok = h >= 0 && ex.state[h] == Extents.ACTIVE && ex.szind[h] < SizeClasses.NSIZES;
        if (ok) {
            ok = ex.isSlab(h) ? (ptr - ex.base[h]) % SizeClasses.index2size(ex.szind[h]) == 0 : ptr == ex.addr[h];
        }
        if (!ok || !requested.containsKey(ptr)) {
            metric.badFrees++;
            space.warn(
                    ok
                            ? "<jemalloc>: double free of 0x" + Long.toHexString(ptr)
                            : "<jemalloc>: invalid pointer 0x" + Long.toHexString(ptr) + " passed to free or realloc");
            return -1;
        }
        return h;
    }

    // ---- tcache ----

    /** tcache_alloc_small. */
    private long tcacheAllocSmall(int bin) {
        Tcache tc = tcache;
        int base = tc.offset[bin];
        if (tc.head[bin] == tc.ncachedMax[bin]) {
            // tcache_alloc_small_hard: fill half (by lg_fill_div) of the bin from the arena
            int nfill = tc.ncachedMax[bin] >> tc.lgFillDiv[bin];
            if (nfill == 0) {
                nfill = 1;
            }
            int start = base + tc.ncachedMax[bin] - nfill;
            int filled = tc.arena.fillSmall(bin, tc.stack, start, nfill, tc.tstatsNrequests[bin]);
            tc.tstatsNrequests[bin] = 0;
            if (filled < nfill) {
                System.arraycopy(tc.stack, start, tc.stack, base + tc.ncachedMax[bin] - filled, filled);
            }
            tc.head[bin] = tc.ncachedMax[bin] - filled;
            tc.binRefilled[bin] = true;
            if (filled == 0) {
                return 0;
            }
        }
        long p = tc.stack[base + tc.head[bin]];
        steps.work(JemallocCosts.TCACHE);
        tc.head[bin]++;
        int n = tc.ncached(bin);
        if (n < tc.lowWater[bin]) {
            tc.lowWater[bin] = n;
        }
        tc.tstatsNrequests[bin]++;
        return p;
    }

    /** tcache_alloc_large: a hit pops the stack; a miss allocates one from the arena. */
    private long tcacheAllocLarge(int bin, long usize) {
        Tcache tc = tcache;
        if (tc.head[bin] == tc.ncachedMax[bin]) {
            return largeArena(usize).mallocLarge(usize, CACHELINE);
        }
        long p = tc.stack[tc.offset[bin] + tc.head[bin]];
        tc.head[bin]++;
        int n = tc.ncached(bin);
        if (n < tc.lowWater[bin]) {
            tc.lowWater[bin] = n;
        }
        tc.tstatsNrequests[bin]++;
        return p;
    }

    private void tcacheDallocSmall(int bin, long ptr) {
        Tcache tc = tcache;
        steps.work(JemallocCosts.TCACHE);
        if (tc.head[bin] == 0) {
            flush(bin, tc.ncachedMax[bin] >> conf.lgTcacheFlushSmallDiv(), true);
        }
        tc.stack[tc.offset[bin] + --tc.head[bin]] = ptr;
    }

    private void tcacheDallocLarge(int bin, long ptr) {
        Tcache tc = tcache;
        if (tc.head[bin] == 0) {
            flush(bin, tc.ncachedMax[bin] >> conf.lgTcacheFlushLargeDiv(), false);
        }
        tc.stack[tc.offset[bin] + --tc.head[bin]] = ptr;
    }

    /**
     * tcache_bin_flush_bottom: return the oldest {@code ncached - rem} pointers of a bin to their
     * arenas, one pass per arena as tcache_bin_flush_impl locks one bin at a time, freeing the slabs
     * that became empty after the passes; then slide the kept pointers to the empty end.
     */
    private void flush(int bin, int rem, boolean small) {
        Tcache tc = tcache;
        int max = tc.ncachedMax[bin];
        int ncached = max - tc.head[bin];
        int nflush = ncached - rem;
        if (nflush <= 0) {
            nflushStats(bin, small, tc);
            return;
        }
        int from = tc.offset[bin] + max - nflush;
        System.arraycopy(tc.stack, from, flushBuf, 0, nflush);
        int dallocCount = 0;
        boolean merged = false;
        int n = nflush;
        while (n > 0) {
            int curArena = ex.arena[ex.lookup(flushBuf[0])];
            Arena a = arena(curArena);
            if (a == tc.arena && !merged) {
                merged = true;
                nflushStats(bin, small, tc);
            }
            int ndeferred = 0;
            int freed = 0;
            if (small) {
                a.flushLock(bin, true, 0);
            }
            for (int i = 0; i < n; i++) {
                long ptr = flushBuf[i];
                int h = ex.lookup(ptr);
                if (ex.arena[h] != curArena) {
                    flushBuf[ndeferred++] = ptr;
                    continue;
                }
                if (small) {
                    int empty = a.dallocBinStep(bin, h, ptr);
                    if (empty >= 0) {
                        emptySlabs[dallocCount++] = empty;
                    }
                } else {
                    a.dallocLarge(h);
                }
                freed++;
            }
            if (small) {
                a.dallocBinFinish(bin, freed);
                a.flushLock(bin, false, freed);
            }
            a.decayTick(freed);
            n = ndeferred;
        }
        for (int i = 0; i < dallocCount; i++) {
            int slab = emptySlabs[i];
            arena(ex.arena[slab]).slabDalloc(slab);
        }
        if (!merged) {
            nflushStats(bin, small, tc);
        }
        int base = tc.offset[bin];
        System.arraycopy(tc.stack, base + tc.head[bin], tc.stack, base + tc.head[bin] + nflush, rem);
        tc.head[bin] += nflush;
        if (tc.ncached(bin) < tc.lowWater[bin]) {
            tc.lowWater[bin] = tc.ncached(bin);
        }
    }

    private void nflushStats(int bin, boolean small, Tcache tc) {
        Arena a = tc.arena;
        if (small) {
            a.nflushes[bin]++;
            a.nrequests[bin] += tc.tstatsNrequests[bin];
        } else {
            a.lnrequests[bin - SizeClasses.NBINS] += tc.tstatsNrequests[bin];
            a.lnflushes[bin - SizeClasses.NBINS]++;
        }
        tc.tstatsNrequests[bin] = 0;
    }

    /** tcache_event: one bin's incremental GC, round robin over the bins. */
    private void tcacheEvent() {
        Tcache tc = tcache;
        if (tc == null) {
            return;
        }
        int bin = tc.nextGcBin;
        boolean small = bin < SizeClasses.NBINS;
        int lowWater = tc.lowWater[bin];
        if (lowWater > 0) {
            int ncached = tc.ncached(bin);
            if (small) {
                int nflush = lowWater - (lowWater >> 2);
                if (nflush < tc.flushDelayItems[bin]) {
                    tc.flushDelayItems[bin] -= nflush;
                } else {
                    tc.flushDelayItems[bin] = Tcache.gcItemDelay(conf, bin);
                    flush(bin, ncached - nflush, true);
                    if ((tc.ncachedMax[bin] >> (tc.lgFillDiv[bin] + 1)) >= 1) {
                        tc.lgFillDiv[bin]++;
                    }
                }
            } else {
                flush(bin, ncached - lowWater + (lowWater >> 2), false);
            }
        } else if (small && tc.binRefilled[bin]) {
            if (tc.lgFillDiv[bin] > 1) {
                tc.lgFillDiv[bin]--;
            }
            tc.binRefilled[bin] = false;
        }
        tc.lowWater[bin] = tc.ncached(bin);
        tc.nextGcBin++;
        if (tc.nextGcBin == tc.nhbins) {
            tc.nextGcBin = 0;
        }
    }

    /** thread_alloc_event: after the allocation, fire the GC when its wait has passed. */
    private void allocEvent(long usize) {
        allocated += usize;
        if (allocated - allocLastEvent >= allocWait) {
            allocLastEvent = allocated;
            allocWait = conf.tcacheGcIncrBytes();
            tcacheEvent();
        }
    }

    private void deallocEvent(long usize) {
        deallocated += usize;
        if (deallocated - deallocLastEvent >= deallocWait) {
            deallocLastEvent = deallocated;
            deallocWait = conf.tcacheGcIncrBytes();
            tcacheEvent();
        }
    }

    // ---- bookkeeping for UserHeapMetric ----

    private void track(long p, long size, long usize) {
        requested.put(p, size);
        metric.liveBlocks++;
        metric.liveRequested += size;
        metric.liveUsable += usize;
        metric.peakLiveRequested = Math.max(metric.peakLiveRequested, metric.liveRequested);
        long heap = heapBytes();
        metric.peakHeap = Math.max(metric.peakHeap, heap);
    }

    private void untrack(long p, long usize) {
        long size = requested.remove(p);
        metric.liveBlocks--;
        metric.liveRequested -= size;
        metric.liveUsable -= usize;
    }

    long heapBytes() {
        return figure(4) + figure(5);
    }

    // ---- stats ----

    /** stats.allocated, active, metadata, resident, mapped, retained by index 0..5, as ctl_refresh. */
    long figure(int which) {
        long v = 0;
        for (Arena a : arenas) {
            if (a == null) {
                continue;
            }
            Pac p = a.pac;
            v += switch (which) {
                case 0 -> a.smallAllocated() + a.largeAllocated();
                case 1 -> p.nactive << SizeClasses.LG_PAGE;
                case 2 -> a.base.allocated + a.internal;
                case 3 -> a.base.resident + ((p.nactive + p.ndirty()) << SizeClasses.LG_PAGE);
                case 4 -> a.base.mapped + p.mapped;
                default -> p.retainedBytes();
            };
        }
        return v;
    }

    /** An arena's age on the virtual clock (stats.arenas.N.uptime). */
    long uptime(Arena a) {
        return Math.max(0, space.nowNanos() - a.createdNanos);
    }

    /** The first metadata block's header (base_block_t.size), which validate() checks. */
    long metadataBlock() {
        return b0.firstBlock();
    }

    static final String[] FIGURES = {
        "stats.allocated", "stats.active", "stats.metadata", "stats.resident", "stats.mapped", "stats.retained"
    };

    @Override
    public Map<String, Long> statsFigures() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < FIGURES.length; i++) {
            m.put(FIGURES[i], figure(i));
        }
        return m;
    }

    /** malloc_stats_print's text form. */
    @Override
    public String mallocStats() {
        return statsPrint("");
    }

    /** What replay.c prints after its op lines: the six figures, then malloc_stats_print("J") on one line. */
    @Override
    public String statsText() {
        StringBuilder sb = new StringBuilder();
        statsFigures()
                .forEach((k, v) ->
                        sb.append("# ").append(k).append(' ').append(v).append('\n'));
        return sb.append(statsPrint("J").stripTrailing()).append('\n').toString();
    }

    @Override
    public String statsPrint(String opts) {
        // malloc_stats_print buffers its output in a 64 KiB internal allocation from arena 0
        Arena a0 = arena(0);
        long buf = a0.mallocLarge(65536, CACHELINE);
        if (buf != 0) {
            a0.internal += 65536;
        }
        String out = new JemallocStatsPrinter(this).print(opts == null ? "" : opts);
        if (buf != 0) {
            a0.internal -= 65536;
            int h = ex.lookup(buf);
            a0.dallocLarge(h);
        }
        return out;
    }

    @Override
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        b0.validate(problems);
        for (Arena a : arenas) {
            if (a != null) {
                a.validate(problems);
                if (a.base != b0) {
                    a.base.validate(problems);
                }
            }
        }
        if (metric.liveBlocks < 0 || metric.liveUsable < metric.liveRequested) {
            problems.add("live blocks " + metric.liveBlocks + ": usable " + metric.liveUsable + " below requested "
                    + metric.liveRequested);
        }
        return problems;
    }

    /** Every extent and base block, chunk by chunk ({@link JemallocHeapChunks}). */
    @Override
    public Optional<HeapChunks> heapChunks() {
        return Optional.of(new JemallocHeapChunks(this));
    }

    @Override
    public UserHeapMetric metric() {
        return metric;
    }

    private final class Metric implements UserHeapMetric {
        long liveBlocks;
        long liveRequested;
        long peakLiveRequested;
        long liveUsable;
        long peakHeap;
        long mallocs;
        long frees;
        long reallocs;
        long failures;
        long badFrees;

        @Override
        public long heapBytes() {
            return Jemalloc.this.heapBytes();
        }

        @Override
        public long peakHeapBytes() {
            return Math.max(peakHeap, heapBytes());
        }

        @Override
        public long liveBlocks() {
            return liveBlocks;
        }

        @Override
        public long liveRequestedBytes() {
            return liveRequested;
        }

        @Override
        public long peakLiveRequestedBytes() {
            return peakLiveRequested;
        }

        @Override
        public long liveUsableBytes() {
            return liveUsable;
        }

        @Override
        public long freeBytes() {
            long base = 0;
            for (Arena a : arenas) {
                if (a != null) {
                    base += a.base.mapped;
                }
            }
            return Math.max(0, heapBytes() - base - liveUsable);
        }

        @Override
        public long mallocs() {
            return mallocs;
        }

        @Override
        public long frees() {
            return frees;
        }

        @Override
        public long reallocs() {
            return reallocs;
        }

        @Override
        public long failures() {
            return failures;
        }

        @Override
        public long badFrees() {
            return badFrees;
        }

        @Override
        public long largestFreeBlock() {
            long best = 0;
            for (Arena a : arenas) {
                if (a == null) {
                    continue;
                }
                for (Ecache ec : new Ecache[] {a.pac.dirty, a.pac.muzzy, a.pac.retained}) {
                    for (int i = SizeClasses.NPSIZES - 1; i >= 0; i--) {
                        for (int h = ec.heads[i]; h >= 0; h = ex.next[h]) {
                            best = Math.max(best, ex.size[h]);
                        }
                    }
                }
            }
            return best;
        }
    }
}
