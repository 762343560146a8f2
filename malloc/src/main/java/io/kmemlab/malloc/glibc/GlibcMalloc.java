package io.kmemlab.malloc.glibc;

import io.kmemlab.mm.sched.LockPolicy;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.Steps;
import io.kmemlab.mm.sched.VLock;
import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.HeapChunks;
import io.kmemlab.mm.user.Mman;
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
 * glibc 2.36's malloc (ptmalloc2) over one emulated process; see the package essay. Method names
 * follow malloc.c and arena.c ({@code intMalloc} is {@code _int_malloc}); every chunk header, link
 * and boundary tag is a word in the process's memory, read and written through {@link UserSpace}.
 */
public final class GlibcMalloc implements UserAllocator, UserAllocatorStats, ThreadedAllocator {
    static final long SIZE_SZ = 8;
    static final long MALLOC_ALIGN_MASK = 15;
    static final long MINSIZE = 32;
    static final long CHUNK_HDR_SZ = 16;
    static final long PREV_INUSE = 1;
    static final long IS_MMAPPED = 2;
    static final long NON_MAIN_ARENA = 4;
    static final long SIZE_BITS = 7;
    static final int NBINS = 128;
    static final long MIN_LARGE_SIZE = 1024;
    static final int NFASTBINS = 10;
    static final int BINMAPSIZE = 4;
    static final long FASTBIN_CONSOLIDATION_THRESHOLD = 65536;
    static final long PAGE = 4096;
    static final long MMAP_AS_MORECORE_SIZE = 1024 * 1024;
    static final long HEAP_MIN_SIZE = 32 * 1024;
    static final long HEAP_MAX_SIZE = 2 * MallocPar.DEFAULT_MMAP_THRESHOLD_MAX;
    /** sizeof (heap_info): ar_ptr, prev, size, mprotect_size, pagesize and 8 bytes of pad. */
    static final long HEAP_INFO_SIZE = 0x30;

    static final int MAX_ITERS = 10000;
    /** sizeof (tcache_perthread_struct): uint16_t counts[64], tcache_entry *entries[64]. */
    static final long TCACHE_STRUCT_SIZE = 64 * 2 + 64 * 8;

    static final int MADV_HUGEPAGE = 14;
    /**
     * Where the main arena's malloc_state sits: libc's .data, here in the last page below
     * TASK_SIZE (0x7ffffffff000), which no user mapping can ever cover.
     */
    static final long MAIN_ARENA_ADDR = 0x7ffffffff000L + 0xc80;

    /** Unwinds an operation after malloc_printerr (abort) or a fault killed the process. */
    static final class Died extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Died INSTANCE = new Died();

        private Died() {
            super("process died", null, false, false);
        }
    }

    private final UserSpace space;
    final MallocPar mp = new MallocPar();
    final Arena mainArena = new Arena(MAIN_ARENA_ADDR, true);
    private final int cpus;
    /** The arena the current operation works on; load/store route its struct's addresses. */
    private Arena av = mainArena;

    private boolean initialized;
    private long tcacheKey;
    /** __curbrk; -1 until the first sbrk call asks the kernel. */
    private long curbrk = -1;

    boolean alwaysFailMorecore;

    // arena.c's globals
    private long narenas = 1;
    private long narenasLimit;
    private Arena freeList;
    private Arena nextToUse;
    private long alignedHeapArea;

    // per thread (thread 0 is the main thread): tcache, thread_arena, tcache_shutting_down
    private int thread;
    private long[] threadTcache = new long[4];
    private Arena[] threadArena = new Arena[4];
    private boolean[] threadShuttingDown = new boolean[4];
    private int threads = 1;
    private boolean singleThread = true;
    /** The current thread's tcache_perthread_struct address (0 = none yet). */
    private long tcache;

    // threads in virtual time ({@link #attach}): Steps.OFF and no locks unless a scheduler drives it
    private Steps steps = Steps.OFF;
    private Scheduler sched;
    private VLock listLock;
    private VLock freeListLock;
    private int siteMalloc;
    private int siteFree;
    private int siteArenaGet2;
    private int siteRealloc;

    private final LiveRequests live = new LiveRequests();
    private final Metric metric = new Metric();
    private long mallocs;
    private long frees;
    private long reallocs;
    private long failures;
    private long badFrees;
    private long aborts;
    private long peakHeap;
    private long peakRequested;

    GlibcMalloc(UserSpace space, int cpus) {
        this.space = space;
        this.cpus = cpus;
        mainArena.attachedThreads = 1;
        mainArena.next = mainArena;
        threadArena[0] = null;
    }

    /** A glibc malloc with 2.36's defaults. */
    public static GlibcMalloc create(UserSpace space) {
        return GlibcOptions.parse(java.util.Map.of()).build(space);
    }

    @Override
    public String name() {
        return "glibc";
    }

    // ------------------------------------------------------------------------------------------
    // Arithmetic (malloc.c's macros).

    /** request2size(). */
    static long request2size(long req) {
        long r = req + SIZE_SZ + MALLOC_ALIGN_MASK;
        // size_t arithmetic: PTRDIFF_MAX becomes 0x8000000000000010, not MINSIZE
        return ult(r, MINSIZE) ? MINSIZE : r & ~MALLOC_ALIGN_MASK;
    }

    /** checked_request2size(): 0 for a request above PTRDIFF_MAX. */
    static long checkedRequest2size(long req) {
        return req < 0 ? 0 : request2size(req);
    }

    static boolean inSmallbinRange(long sz) {
        return Long.compareUnsigned(sz, MIN_LARGE_SIZE) < 0;
    }

    static int smallbinIndex(long sz) {
        return (int) (sz >>> 4);
    }

    /** largebin_index_64(). */
    static int largebinIndex(long sz) {
        if ((sz >>> 6) <= 48) {
            return 48 + (int) (sz >>> 6);
        }
        if ((sz >>> 9) <= 20) {
            return 91 + (int) (sz >>> 9);
        }
        if ((sz >>> 12) <= 10) {
            return 110 + (int) (sz >>> 12);
        }
        if ((sz >>> 15) <= 4) {
            return 119 + (int) (sz >>> 15);
        }
        if ((sz >>> 18) <= 2) {
            return 124 + (int) (sz >>> 18);
        }
        return 126;
    }

    static int binIndex(long sz) {
        return inSmallbinRange(sz) ? smallbinIndex(sz) : largebinIndex(sz);
    }

    /** fastbin_index(), as a long so that a corrupt size cannot wrap. */
    static long fastbinIndex(long sz) {
        return (sz >>> 4) - 2;
    }

    static long csize2tidx(long x) {
        return MallocPar.csize2tidx(x);
    }

    private static boolean ult(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    private static boolean ule(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0;
    }

    private static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }

    private static long alignDown(long v, long a) {
        return v & -a;
    }

    private static boolean misaligned(long p) {
        return (p & MALLOC_ALIGN_MASK) != 0;
    }

    /** PROTECT_PTR(): safe-linking of a tcache/fastbin next pointer stored at {@code pos}. */
    static long protectPtr(long pos, long ptr) {
        return (pos >>> 12) ^ ptr;
    }

    // ------------------------------------------------------------------------------------------
    // The process's memory. An address inside the current arena's malloc_state is that struct's
    // word; anything else is the process's memory, where a fault kills the process.

    private long ld(long a) {
        long off = a - av.base;
        if (off >= 0 && off < Arena.STATE_BYTES) {
            return av.st[(int) (off >>> 3)];
        }
        long v = space.readU64(a);
        if (v == 0 && !space.alive()) {
            throw Died.INSTANCE;
        }
        return v;
    }

    private void st(long a, long v) {
        long off = a - av.base;
        if (off >= 0 && off < Arena.STATE_BYTES) {
            av.st[(int) (off >>> 3)] = v;
            return;
        }
        if (!space.writeU64(a, v)) {
            throw Died.INSTANCE;
        }
    }

    private long sizeNomask(long p) {
        return ld(p + 8);
    }

    private long chunksize(long p) {
        return ld(p + 8) & ~SIZE_BITS;
    }

    private long prevSize(long p) {
        return ld(p);
    }

    private long fd(long p) {
        return ld(p + 16);
    }

    private long bk(long p) {
        return ld(p + 24);
    }

    private long fdNextsize(long p) {
        return ld(p + 32);
    }

    private long bkNextsize(long p) {
        return ld(p + 40);
    }

    private void setFd(long p, long v) {
        st(p + 16, v);
    }

    private void setBk(long p, long v) {
        st(p + 24, v);
    }

    private void setFdNextsize(long p, long v) {
        st(p + 32, v);
    }

    private void setBkNextsize(long p, long v) {
        st(p + 40, v);
    }

    private void setHead(long p, long s) {
        st(p + 8, s);
    }

    private void setHeadSize(long p, long s) {
        st(p + 8, (ld(p + 8) & SIZE_BITS) | s);
    }

    private void setFoot(long p, long s) {
        st(p + s, s);
    }

    private void setPrevSize(long p, long s) {
        st(p, s);
    }

    private boolean prevInuse(long p) {
        return (ld(p + 8) & PREV_INUSE) != 0;
    }

    private boolean isMmapped(long p) {
        return (ld(p + 8) & IS_MMAPPED) != 0;
    }

    private boolean inuseBitAtOffset(long p, long s) {
        return (ld(p + s + 8) & PREV_INUSE) != 0;
    }

    private void setInuseBitAtOffset(long p, long s) {
        long a = p + s + 8;
        st(a, ld(a) | PREV_INUSE);
    }

    private void clearInuseBitAtOffset(long p, long s) {
        long a = p + s + 8;
        st(a, ld(a) & ~PREV_INUSE);
    }

    private void setNonMainArena(long p) {
        st(p + 8, ld(p + 8) | NON_MAIN_ARENA);
    }

    private long arenaBit(Arena a) {
        return a.main ? 0 : NON_MAIN_ARENA;
    }

    private boolean contiguous(Arena a) {
        return (a.flags & 2) == 0;
    }

    private void markBin(Arena a, int i) {
        a.binmap[i >>> 5] |= 1 << (i & 31);
    }

    /** malloc_printerr(): the message on stderr, SIGABRT. */
    private void printerr(String message) {
        aborts++;
        space.abort(message);
        throw Died.INSTANCE;
    }

    private void perturbAlloc(long mem, long n) {
        if (mem != 0) {
            // _int_malloc's result: the chunk's header (set_head, set_inuse_bit_at_offset)
            steps.write(mem - 16);
        }
        if (mp.perturbByte != 0 && mem != 0) {
            space.fill(mem, (mp.perturbByte ^ 0xff) & 0xff, n);
        }
    }

    private void perturbFree(long mem, long n) {
        if (mp.perturbByte != 0) {
            space.fill(mem, mp.perturbByte & 0xff, n);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Initialisation, sbrk, threads.

    /** ptmalloc_init(): the first call into malloc. Tunables were applied by {@link GlibcOptions}. */
    private void ptmallocInit() {
        initialized = true;
        // tcache_key_initialize(): getrandom; here a fixed function of the pid, so runs repeat.
        long z = 0x9E3779B97F4A7C15L * (space.pid() + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        tcacheKey = z ^ (z >>> 31);
        threadArena[0] = mainArena;
        mallocInitState(mainArena);
    }

    void initTunables(Runnable apply) {
        if (!initialized) {
            ptmallocInit();
        }
        apply.run();
    }

    /** malloc_init_state(). */
    private void mallocInitState(Arena a) {
        for (int i = 1; i < NBINS; i++) {
            long b = a.binAt(i);
            a.st[Arena.W_BINS + 2 * i - 2] = b;
            a.st[Arena.W_BINS + 2 * i - 1] = b;
        }
        if (!a.main) {
            a.flags |= 2;
        }
        if (a.main) {
            mp.setMaxFast(MallocPar.DEFAULT_MXFAST);
        }
        a.haveFastchunks = false;
        a.top(a.binAt(1));
    }

    /** __sbrk() through the brk system call; MORECORE_FAILURE (0) on failure. */
    private long morecore(long increment) {
        if (alwaysFailMorecore) {
            return 0;
        }
        if (curbrk == -1) {
            curbrk = space.brk(0);
        }
        if (increment == 0) {
            return curbrk;
        }
        long old = curbrk;
        long want = old + increment;
        if (increment > 0 ? want < old : want > old) {
            return 0;
        }
        steps.work(GlibcCosts.SYSCALL);
        long got = space.brk(want);
        if (Errno.isError(got)) {
            return 0;
        }
        curbrk = got;
        if (ult(got, want)) {
            return 0;
        }
        return old;
    }

    private long mmap(long addr, long size, int prot, int flags) {
        steps.work(GlibcCosts.SYSCALL);
        return space.mmap(addr, size, prot, flags | Mman.MAP_ANONYMOUS | Mman.MAP_PRIVATE);
    }

    private static boolean mapFailed(long r) {
        return r < 0 && r >= -4095;
    }

    /**
     * Makes thread {@code tid} the caller of the following operations (0 is the main thread): its
     * own tcache and arena, created on its first allocation as glibc does for a new pthread (the
     * id of a thread that exited names a new one). Once a second thread exists the process is no
     * longer SINGLE_THREAD_P. What pthread_create itself allocates (the new thread's DTV, a
     * calloc(17, 16) by the creating thread in 2.36) is the caller's to replay.
     */
    public void asThread(int tid) {
        if (tid < 0) {
            throw new IllegalArgumentException("thread " + tid);
        }
        if (tid >= threadTcache.length) {
            int n = Math.max(tid + 1, threadTcache.length * 2);
            threadTcache = java.util.Arrays.copyOf(threadTcache, n);
            threadArena = java.util.Arrays.copyOf(threadArena, n);
            threadShuttingDown = java.util.Arrays.copyOf(threadShuttingDown, n);
        }
        threadTcache[thread] = tcache;
        if (tid != 0 && threadShuttingDown[tid] && tid != thread) {
            // the id of an exited thread names a new thread: no tcache, no arena yet
            threadShuttingDown[tid] = false;
            threadTcache[tid] = 0;
            threadArena[tid] = null;
        }
        if (tid != 0 && tid >= threads) {
            threads = tid + 1;
        }
        if (tid != 0) {
            singleThread = false;
        }
        thread = tid;
        tcache = threadTcache[tid];
    }

    /**
     * The current thread exits (__malloc_arena_thread_freeres): its tcache is flushed back to the
     * arenas and freed, and its arena, if no other thread uses it, goes on the free list.
     */
    public void threadExit() {
        try {
            tcacheThreadShutdown();
            Arena a = threadArena[thread];
            threadArena[thread] = null;
            if (a != null && --a.attachedThreads == 0) {
                a.nextFree = freeList;
                freeList = a;
            }
        } catch (Died d) {
            // the process died in a check
        }
    }

    private Arena threadArena() {
        return threadArena[thread];
    }

    /**
     * Threads in virtual time: every arena's mutex, {@code list_lock} and {@code free_list_lock}
     * become glibc's futex locks ({@code lll_lock}: no spinning, barging) and each operation
     * records its path's work ({@link GlibcCosts}), locks and atomics into the scheduler's steps.
     */
    @Override
    public void attach(Scheduler s) {
        sched = s;
        steps = s.steps();
        listLock = s.newLock("list_lock", LockPolicy.FUTEX);
        freeListLock = s.newLock("free_list_lock", LockPolicy.FUTEX);
        siteMalloc = s.site("_int_malloc");
        siteFree = s.site("_int_free");
        siteArenaGet2 = s.site("arena_get2");
        siteRealloc = s.site("__libc_realloc");
        Arena a = mainArena;
        do {
            a.mutex = s.newLock("&arena->mutex", LockPolicy.FUTEX);
            a = a.next;
        } while (a != mainArena);
    }

    private void lockArena(Arena a, int site) {
        if (a != null && a.mutex != null) {
            steps.lock(a.mutex, site);
        }
    }

    private void unlockArena(Arena a) {
        if (a != null && a.mutex != null) {
            steps.unlock(a.mutex);
        }
    }

    /** The fastbin head's line: its CAS (REMOVE_FB, free's push) when the process is threaded. */
    private void fastbinAtomic(Arena a, int idx) {
        if (!singleThread) {
            steps.atomic(a.base + 8L * (Arena.W_FASTBINS + idx));
        }
    }

    /** arena_get(): the thread's arena, or one picked by arena_get2. */
    private Arena arenaGet(long size) {
        Arena a = threadArena();
        if (a != null) {
            lockArena(a, siteMalloc);
            return a;
        }
        return arenaGet2(size, null);
    }

    // ------------------------------------------------------------------------------------------
    // tcache.

    private int tcCount(long idx) {
        long a = tcache + ((idx >>> 2) << 3);
        return (int) (ld(a) >>> ((idx & 3) << 4)) & 0xffff;
    }

    private long tcEntry(long idx) {
        return ld(tcache + 128 + idx * 8);
    }

    /** tcache_put(). */
    private void tcachePut(long chunk, long idx) {
        steps.work(GlibcCosts.TCACHE_PUT);
        long e = chunk + 16;
        steps.write(e);
        st(e + 8, tcacheKey);
        long slot = tcache + 128 + idx * 8;
        st(e, protectPtr(e, ld(slot)));
        st(slot, e);
        addCount(idx, 1);
    }

    /** counts[idx] += delta, one load and one store of the word holding it. */
    private void addCount(long idx, int delta) {
        long a = tcache + ((idx >>> 2) << 3);
        int sh = (int) ((idx & 3) << 4);
        long w = ld(a);
        long c = ((w >>> sh) + delta) & 0xffff;
        st(a, (w & ~(0xffffL << sh)) | (c << sh));
    }

    /** tcache_get(). */
    private long tcacheGet(long idx) {
        steps.work(GlibcCosts.TCACHE_GET);
        long slot = tcache + 128 + idx * 8;
        long e = ld(slot);
        steps.write(e);
        if (misaligned(e)) {
            printerr("malloc(): unaligned tcache chunk detected");
        }
        st(slot, protectPtr(e, ld(e)));
        addCount(idx, -1);
        st(e + 8, 0);
        return e;
    }

    /** tcache_init(). */
    private void tcacheInit() {
        if (threadShuttingDown[thread]) {
            return;
        }
        Arena a = arenaGet(TCACHE_STRUCT_SIZE);
        long victim = intMalloc(a, TCACHE_STRUCT_SIZE);
        if (victim == 0 && a != null) {
            a = arenaGetRetry(a, TCACHE_STRUCT_SIZE);
            victim = intMalloc(a, TCACHE_STRUCT_SIZE);
        }
        unlockArena(a);
        if (victim != 0) {
            tcache = victim;
            threadTcache[thread] = victim;
            space.fill(victim, 0, TCACHE_STRUCT_SIZE);
        }
    }

    private void maybeInitTcache() {
        if (tcache == 0) {
            tcacheInit();
        }
    }

    /** tcache_thread_shutdown(). */
    private void tcacheThreadShutdown() {
        long t = tcache;
        threadShuttingDown[thread] = true;
        if (t == 0) {
            return;
        }
        tcache = 0;
        threadTcache[thread] = 0;
        for (int i = 0; i < MallocPar.TCACHE_MAX_BINS; i++) {
            long slot = t + 128 + 8L * i;
            long e;
            while ((e = ld(slot)) != 0) {
                if (misaligned(e)) {
                    printerr("tcache_thread_shutdown(): unaligned tcache chunk detected");
                }
                st(slot, protectPtr(e, ld(e)));
                libcFree(e);
            }
        }
        libcFree(t);
    }

    // ------------------------------------------------------------------------------------------
    // The public API (__libc_malloc and friends).

    @Override
    public long malloc(long size) {
        mallocs++;
        long p;
        try {
            p = libcMalloc(size);
        } catch (Died d) {
            p = 0;
        }
        return noteAlloc(p, size);
    }

    private long noteAlloc(long p, long size) {
        if (p == 0) {
            failures++;
            return 0;
        }
        live.put(p, size);
        if (live.requested() > peakRequested) {
            peakRequested = live.requested();
        }
        long h = heapBytes();
        if (h > peakHeap) {
            peakHeap = h;
        }
        return p;
    }

    @Override
    public void free(long ptr) {
        if (ptr == 0) {
            return;
        }
        frees++;
        live.remove(ptr);
        try {
            libcFree(ptr);
        } catch (Died d) {
            badFrees++;
        }
    }

    @Override
    public long realloc(long ptr, long size) {
        reallocs++;
        if (ptr == 0) {
            mallocs++;
        }
        long p;
        try {
            p = libcRealloc(ptr, size);
        } catch (Died d) {
            if (ptr != 0) {
                badFrees++;
            }
            return 0;
        }
        if (ptr != 0 && (p != 0 || size == 0)) {
            live.remove(ptr);
        }
        if (ptr != 0 && size == 0) {
            return 0;
        }
        return noteAlloc(p, size);
    }

    @Override
    public long calloc(long n, long size) {
        mallocs++;
        long p;
        try {
            p = libcCalloc(n, size);
        } catch (Died d) {
            p = 0;
        }
        return noteAlloc(p, p == 0 ? 0 : n * size);
    }

    @Override
    public long memalign(long alignment, long size) {
        mallocs++;
        long p;
        try {
            if (!initialized) {
                ptmallocInit();
            }
            p = midMemalign(alignment, size);
        } catch (Died d) {
            p = 0;
        }
        return noteAlloc(p, size);
    }

    @Override
    public long posixMemalign(long alignment, long size) {
        if (alignment % 8 != 0 || alignment == 0 || Long.bitCount(alignment / 8) != 1) {
            return -Errno.EINVAL;
        }
        long p = memalign(alignment, size);
        return p == 0 ? -Errno.ENOMEM : p;
    }

    /** malloc_usable_size() (musable). */
    @Override
    public long usableSize(long ptr) {
        if (ptr == 0) {
            return 0;
        }
        try {
            av = mainArena;
            long p = ptr - 16;
            long s = sizeNomask(p);
            if ((s & IS_MMAPPED) != 0) {
                return (s & ~SIZE_BITS) - CHUNK_HDR_SZ;
            }
            if (inuseBitAtOffset(p, s & ~SIZE_BITS)) {
                return (s & ~SIZE_BITS) - CHUNK_HDR_SZ + SIZE_SZ;
            }
            return 0;
        } catch (Died d) {
            return 0;
        }
    }

    /** True if glibc served {@code ptr} with its own mapping (IS_MMAPPED in its header). */
    public boolean isMmappedChunk(long ptr) {
        try {
            av = mainArena;
            return ptr != 0 && (ld(ptr - 8) & IS_MMAPPED) != 0;
        } catch (Died d) {
            return false;
        }
    }

    /** malloc_printerr calls so far (each aborted the process). */
    public long aborts() {
        return aborts;
    }

    /** __libc_malloc(). */
    private long libcMalloc(long bytes) {
        if (!initialized) {
            ptmallocInit();
        }
        long tbytes = checkedRequest2size(bytes);
        if (tbytes == 0) {
            return 0;
        }
        steps.work(GlibcCosts.CALL);
        long tcIdx = csize2tidx(tbytes);
        maybeInitTcache();
        if (ult(tcIdx, mp.tcacheBins) && tcache != 0) {
            av = mainArena;
            if (tcCount(tcIdx) > 0) {
                return tcacheGet(tcIdx);
            }
        }
        if (singleThread) {
            return intMalloc(mainArena, bytes);
        }
        Arena a = arenaGet(bytes);
        long victim = intMalloc(a, bytes);
        if (victim == 0 && a != null) {
            unlockArena(a);
            a = arenaGetRetry(a, bytes);
            victim = intMalloc(a, bytes);
        }
        unlockArena(a);
        return victim;
    }

    /** __libc_free(). */
    private void libcFree(long mem) {
        if (mem == 0) {
            return;
        }
        long p = mem - 16;
        av = mainArena;
        long s = sizeNomask(p);
        steps.work(GlibcCosts.CALL);
        steps.read(p);
        if ((s & IS_MMAPPED) != 0) {
            if (!mp.noDynThreshold
                    && Long.compareUnsigned(s, mp.mmapThreshold) > 0
                    && ule(s, MallocPar.DEFAULT_MMAP_THRESHOLD_MAX)) {
                mp.mmapThreshold = s & ~SIZE_BITS;
                mp.trimThreshold = 2 * mp.mmapThreshold;
            }
            munmapChunk(p);
        } else {
            maybeInitTcache();
            intFree((s & NON_MAIN_ARENA) == 0 ? mainArena : arenaForChunk(p), p, s & ~SIZE_BITS, false);
        }
    }

    /** arena_for_chunk(): main unless NON_MAIN_ARENA, else heap_info's ar_ptr. */
    private Arena arenaForChunk(long p) {
        av = mainArena;
        if ((sizeNomask(p) & NON_MAIN_ARENA) == 0) {
            return mainArena;
        }
        long heap = p & ~(HEAP_MAX_SIZE - 1);
        long ar = ld(heap);
        for (Arena a = mainArena.next; a != mainArena; a = a.next) {
            if (a.base == ar) {
                return a;
            }
        }
        // ar_ptr names no arena: glibc would follow it into whatever memory is there.
        printerr("free(): invalid pointer");
        return mainArena;
    }

    /** __libc_realloc(). */
    private long libcRealloc(long oldmem, long bytes) {
        if (!initialized) {
            ptmallocInit();
        }
        if (bytes == 0 && oldmem != 0) {
            libcFree(oldmem);
            return 0;
        }
        if (oldmem == 0) {
            return libcMalloc(bytes);
        }
        long oldp = oldmem - 16;
        av = mainArena;
        long oldsize = chunksize(oldp);
        Arena a;
        boolean mmapped = isMmapped(oldp);
        if (mmapped) {
            a = null;
        } else {
            maybeInitTcache();
            a = arenaForChunk(oldp);
        }
        if (Long.compareUnsigned(oldp, -oldsize) > 0 || misaligned(oldp)) {
            printerr("realloc(): invalid pointer");
        }
        long nb = checkedRequest2size(bytes);
        if (nb == 0) {
            return 0;
        }
        if (mmapped) {
            av = mainArena;
            long newp = mremapChunk(oldp, nb);
            if (newp != 0) {
                return newp + 16;
            }
            if (Long.compareUnsigned(oldsize - SIZE_SZ, nb) >= 0) {
                return oldmem;
            }
            long newmem = libcMalloc(bytes);
            if (newmem == 0) {
                return 0;
            }
            space.copy(newmem, oldmem, oldsize - CHUNK_HDR_SZ);
            av = mainArena;
            munmapChunk(oldp);
            return newmem;
        }
        steps.work(GlibcCosts.CALL);
        if (!singleThread) {
            lockArena(a, siteRealloc);
        }
        long newp;
        try {
            newp = intRealloc(a, oldp, oldsize, nb);
        } finally {
            if (!singleThread) {
                unlockArena(a);
            }
        }
        if (newp == 0 && !singleThread) {
            newp = libcMalloc(bytes);
            if (newp != 0) {
                av = a;
                long sz = chunksize(oldp) - CHUNK_HDR_SZ + SIZE_SZ;
                space.copy(newp, oldmem, sz);
                intFree(a, oldp, false);
            }
        }
        return newp;
    }

    /** __libc_calloc(): _int_malloc directly (no tcache), clearing only what may be dirty. */
    private long libcCalloc(long n, long elemSize) {
        long bytes;
        try {
            bytes = Math.multiplyExact(n, elemSize);
        } catch (ArithmeticException e) {
            return 0;
        }
        if (bytes < 0 || (n < 0 || elemSize < 0) && bytes != 0) {
            return 0;
        }
        if (!initialized) {
            ptmallocInit();
        }
        maybeInitTcache();
        Arena a = singleThread ? mainArena : arenaGet(bytes);
        long oldtop = 0;
        long oldtopsize = 0;
        if (a != null) {
            av = a;
            oldtop = a.top();
            oldtopsize = chunksize(oldtop);
            if (a.main && ult(oldtopsize, mp.sbrkBase + a.maxSystemMem - oldtop)) {
                oldtopsize = mp.sbrkBase + a.maxSystemMem - oldtop;
            }
            if (!a.main) {
                long heap = oldtop & ~(HEAP_MAX_SIZE - 1);
                long mprotectSize = ld(heap + 24);
                if (ult(oldtopsize, heap + mprotectSize - oldtop)) {
                    oldtopsize = heap + mprotectSize - oldtop;
                }
            }
        }
        long mem = intMalloc(a, bytes);
        if (!singleThread && mem == 0 && a != null) {
            unlockArena(a);
            a = arenaGetRetry(a, bytes);
            mem = intMalloc(a, bytes);
        }
        if (!singleThread) {
            unlockArena(a);
        }
        if (mem == 0) {
            return 0;
        }
        long p = mem - 16;
        long csz = chunksize(p);
        if (isMmapped(p)) {
            if (mp.perturbByte != 0) {
                space.fill(mem, 0, bytes);
            }
            return mem;
        }
        if (mp.perturbByte == 0 && p == oldtop && ult(oldtopsize, csz)) {
            csz = oldtopsize;
        }
        long clearsize = csz - SIZE_SZ;
        if (!space.fill(mem, 0, clearsize)) {
            throw Died.INSTANCE;
        }
        return mem;
    }

    /** _mid_memalign(). */
    private long midMemalign(long alignment, long bytes) {
        if (ule(alignment, 16)) {
            return libcMalloc(bytes);
        }
        if (ult(alignment, MINSIZE)) {
            alignment = MINSIZE;
        }
        if (Long.compareUnsigned(alignment, Long.MIN_VALUE) > 0) {
            return 0;
        }
        if (Long.bitCount(alignment) != 1) {
            long a = 32;
            while (ult(a, alignment)) {
                a <<= 1;
            }
            alignment = a;
        }
        if (singleThread) {
            return intMemalign(mainArena, alignment, bytes);
        }
        Arena a = arenaGet(bytes + alignment + MINSIZE);
        long p = intMemalign(a, alignment, bytes);
        if (p == 0 && a != null) {
            unlockArena(a);
            a = arenaGetRetry(a, bytes);
            p = intMemalign(a, alignment, bytes);
        }
        unlockArena(a);
        return p;
    }

    // ------------------------------------------------------------------------------------------
    // _int_malloc.

    private long intMalloc(Arena a, long bytes) {
        long nb = checkedRequest2size(bytes);
        if (nb == 0) {
            return 0;
        }
        if (a == null) {
            av = mainArena;
            long p = sysmalloc(nb, null);
            perturbAlloc(p, bytes);
            return p;
        }
        av = a;
        steps.work(GlibcCosts.INT_MALLOC);
        if (steps.on()) {
            // the arena's state and the top chunk's header: lines other threads of the arena write
            steps.write(a.base + 8L * Arena.W_BINS);
            steps.write(a.top());
        }
        if (ule(nb, mp.globalMaxFast)) {
            int idx = (int) fastbinIndex(nb);
            long victim = a.fastbin(idx);
            if (victim != 0) {
                fastbinAtomic(a, idx);
                if (misaligned(victim)) {
                    printerr("malloc(): unaligned fastbin chunk detected 2");
                }
                long next = protectPtr(victim + 16, fd(victim));
                if (!singleThread && next != 0 && misaligned(next)) {
                    printerr("malloc(): unaligned fastbin chunk detected");
                }
                a.fastbin(idx, next);
                if (fastbinIndex(chunksize(victim)) != idx) {
                    printerr("malloc(): memory corruption (fast)");
                }
                long tcIdx = csize2tidx(nb);
                if (tcache != 0 && ult(tcIdx, mp.tcacheBins)) {
                    long tc;
                    while (tcCount(tcIdx) < mp.tcacheCount && (tc = a.fastbin(idx)) != 0) {
                        if (misaligned(tc)) {
                            printerr("malloc(): unaligned fastbin chunk detected 3");
                        }
                        long n2 = protectPtr(tc + 16, fd(tc));
                        if (!singleThread && n2 != 0 && misaligned(n2)) {
                            printerr("malloc(): unaligned fastbin chunk detected");
                        }
                        a.fastbin(idx, n2);
                        fastbinAtomic(a, idx);
                        tcachePut(tc, tcIdx);
                    }
                }
                long p = victim + 16;
                perturbAlloc(p, bytes);
                return p;
            }
        }

        int idx;
        if (inSmallbinRange(nb)) {
            idx = smallbinIndex(nb);
            long bin = a.binAt(idx);
            long victim = bk(bin);
            if (victim != bin) {
                long bck = bk(victim);
                if (fd(bck) != victim) {
                    printerr("malloc(): smallbin double linked list corrupted");
                }
                setInuseBitAtOffset(victim, nb);
                setBk(bin, bck);
                setFd(bck, bin);
                if (!a.main) {
                    setNonMainArena(victim);
                }
                long tcIdx = csize2tidx(nb);
                if (tcache != 0 && ult(tcIdx, mp.tcacheBins)) {
                    long tc;
                    while (tcCount(tcIdx) < mp.tcacheCount && (tc = bk(bin)) != bin && tc != 0) {
                        bck = bk(tc);
                        setInuseBitAtOffset(tc, nb);
                        if (!a.main) {
                            setNonMainArena(tc);
                        }
                        setBk(bin, bck);
                        setFd(bck, bin);
                        tcachePut(tc, tcIdx);
                    }
                }
                long p = victim + 16;
                perturbAlloc(p, bytes);
                return p;
            }
        } else {
            idx = largebinIndex(nb);
            if (a.haveFastchunks) {
                mallocConsolidate(a);
            }
        }

        long tcacheNb = 0;
        long tcIdx = csize2tidx(nb);
        if (tcache != 0 && ult(tcIdx, mp.tcacheBins)) {
            tcacheNb = nb;
        }
        boolean returnCached = false;
        long tcacheUnsortedCount = 0;
        long unsorted = a.binAt(1);

        for (; ; ) {
            int iters = 0;
            long victim;
            while ((victim = bk(unsorted)) != unsorted) {
                steps.work(GlibcCosts.UNSORTED_STEP);
                long bck = bk(victim);
                long size = chunksize(victim);
                long next = victim + size;
                if (ule(size, CHUNK_HDR_SZ) || Long.compareUnsigned(size, a.systemMem) > 0) {
                    printerr("malloc(): invalid size (unsorted)");
                }
                long nextSize = sizeNomask(next);
                if (ult(nextSize, CHUNK_HDR_SZ) || Long.compareUnsigned(nextSize, a.systemMem) > 0) {
                    printerr("malloc(): invalid next size (unsorted)");
                }
                if ((prevSize(next) & ~SIZE_BITS) != size) {
                    printerr("malloc(): mismatching next->prev_size (unsorted)");
                }
                if (fd(bck) != victim || fd(victim) != unsorted) {
                    printerr("malloc(): unsorted double linked list corrupted");
                }
                if ((nextSize & PREV_INUSE) != 0) {
                    printerr("malloc(): invalid next->prev_inuse (unsorted)");
                }

                if (inSmallbinRange(nb)
                        && bck == unsorted
                        && victim == a.lastRemainder()
                        && Long.compareUnsigned(size, nb + MINSIZE) > 0) {
                    long remainderSize = size - nb;
                    long remainder = victim + nb;
                    setBk(unsorted, remainder);
                    setFd(unsorted, remainder);
                    a.lastRemainder(remainder);
                    setBk(remainder, unsorted);
                    setFd(remainder, unsorted);
                    if (!inSmallbinRange(remainderSize)) {
                        setFdNextsize(remainder, 0);
                        setBkNextsize(remainder, 0);
                    }
                    setHead(victim, nb | PREV_INUSE | arenaBit(a));
                    setHead(remainder, remainderSize | PREV_INUSE);
                    setFoot(remainder, remainderSize);
                    long p = victim + 16;
                    perturbAlloc(p, bytes);
                    return p;
                }

                if (fd(bck) != victim) {
                    printerr("malloc(): corrupted unsorted chunks 3");
                }
                setBk(unsorted, bck);
                setFd(bck, unsorted);

                if (size == nb) {
                    setInuseBitAtOffset(victim, size);
                    if (!a.main) {
                        setNonMainArena(victim);
                    }
                    if (tcacheNb != 0 && tcCount(tcIdx) < mp.tcacheCount) {
                        tcachePut(victim, tcIdx);
                        returnCached = true;
                        continue;
                    }
                    long p = victim + 16;
                    perturbAlloc(p, bytes);
                    return p;
                }

                int victimIndex;
                long fwd;
                if (inSmallbinRange(size)) {
                    victimIndex = smallbinIndex(size);
                    bck = a.binAt(victimIndex);
                    fwd = fd(bck);
                } else {
                    victimIndex = largebinIndex(size);
                    bck = a.binAt(victimIndex);
                    fwd = fd(bck);
                    if (fwd != bck) {
                        long sz = size | PREV_INUSE;
                        if (ult(sz, sizeNomask(bk(bck)))) {
                            fwd = bck;
                            bck = bk(bck);
                            long first = fd(fwd);
                            setFdNextsize(victim, first);
                            setBkNextsize(victim, bkNextsize(first));
                            setBkNextsize(first, victim);
                            setFdNextsize(bkNextsize(victim), victim);
                        } else {
                            while (ult(sz, sizeNomask(fwd))) {
                                fwd = fdNextsize(fwd);
                            }
                            if (sz == sizeNomask(fwd)) {
                                fwd = fd(fwd);
                            } else {
                                setFdNextsize(victim, fwd);
                                setBkNextsize(victim, bkNextsize(fwd));
                                if (fdNextsize(bkNextsize(fwd)) != fwd) {
                                    printerr("malloc(): largebin double linked list corrupted (nextsize)");
                                }
                                setBkNextsize(fwd, victim);
                                setFdNextsize(bkNextsize(victim), victim);
                            }
                            bck = bk(fwd);
                            if (fd(bck) != fwd) {
                                printerr("malloc(): largebin double linked list corrupted (bk)");
                            }
                        }
                    } else {
                        setFdNextsize(victim, victim);
                        setBkNextsize(victim, victim);
                    }
                }
                markBin(a, victimIndex);
                setBk(victim, bck);
                setFd(victim, fwd);
                setBk(fwd, victim);
                setFd(bck, victim);

                ++tcacheUnsortedCount;
                if (returnCached && mp.tcacheUnsortedLimit > 0 && tcacheUnsortedCount > mp.tcacheUnsortedLimit) {
                    return tcacheGet(tcIdx);
                }
                if (++iters >= MAX_ITERS) {
                    break;
                }
            }

            if (returnCached) {
                return tcacheGet(tcIdx);
            }

            if (!inSmallbinRange(nb)) {
                long bin = a.binAt(idx);
                victim = fd(bin);
                if (victim != bin && Long.compareUnsigned(sizeNomask(victim), nb) >= 0) {
                    victim = bkNextsize(victim);
                    long size;
                    while (ult(size = chunksize(victim), nb)) {
                        victim = bkNextsize(victim);
                    }
                    if (victim != bk(bin) && sizeNomask(victim) == sizeNomask(fd(victim))) {
                        victim = fd(victim);
                    }
                    long remainderSize = size - nb;
                    unlinkChunk(a, victim);
                    if (ult(remainderSize, MINSIZE)) {
                        setInuseBitAtOffset(victim, size);
                        if (!a.main) {
                            setNonMainArena(victim);
                        }
                    } else {
                        long remainder = victim + nb;
                        long bck = unsorted;
                        long fwd = fd(bck);
                        if (bk(fwd) != bck) {
                            printerr("malloc(): corrupted unsorted chunks");
                        }
                        setBk(remainder, bck);
                        setFd(remainder, fwd);
                        setFd(bck, remainder);
                        setBk(fwd, remainder);
                        if (!inSmallbinRange(remainderSize)) {
                            setFdNextsize(remainder, 0);
                            setBkNextsize(remainder, 0);
                        }
                        setHead(victim, nb | PREV_INUSE | arenaBit(a));
                        setHead(remainder, remainderSize | PREV_INUSE);
                        setFoot(remainder, remainderSize);
                    }
                    long p = victim + 16;
                    perturbAlloc(p, bytes);
                    return p;
                }
            }

            // The binmap scan: the first non-empty bin above idx holds a chunk big enough.
            int binIdx = idx + 1;
            int block = binIdx >>> 5;
            int map = a.binmap[block];
            int bit = 1 << (binIdx & 31);
            boolean toTop = false;
            for (; ; ) {
                if (Integer.compareUnsigned(bit, map) > 0 || bit == 0) {
                    do {
                        if (++block >= BINMAPSIZE) {
                            toTop = true;
                            break;
                        }
                    } while ((map = a.binmap[block]) == 0);
                    if (toTop) {
                        break;
                    }
                    binIdx = block << 5;
                    bit = 1;
                }
                while ((bit & map) == 0) {
                    binIdx++;
                    bit <<= 1;
                }
                long bin = a.binAt(binIdx);
                victim = bk(bin);
                if (victim == bin) {
                    a.binmap[block] = map &= ~bit;
                    binIdx++;
                    bit <<= 1;
                    continue;
                }
                long size = chunksize(victim);
                long remainderSize = size - nb;
                unlinkChunk(a, victim);
                if (ult(remainderSize, MINSIZE)) {
                    setInuseBitAtOffset(victim, size);
                    if (!a.main) {
                        setNonMainArena(victim);
                    }
                } else {
                    long remainder = victim + nb;
                    long bck = unsorted;
                    long fwd = fd(bck);
                    if (bk(fwd) != bck) {
                        printerr("malloc(): corrupted unsorted chunks 2");
                    }
                    setBk(remainder, bck);
                    setFd(remainder, fwd);
                    setFd(bck, remainder);
                    setBk(fwd, remainder);
                    if (inSmallbinRange(nb)) {
                        a.lastRemainder(remainder);
                    }
                    if (!inSmallbinRange(remainderSize)) {
                        setFdNextsize(remainder, 0);
                        setBkNextsize(remainder, 0);
                    }
                    setHead(victim, nb | PREV_INUSE | arenaBit(a));
                    setHead(remainder, remainderSize | PREV_INUSE);
                    setFoot(remainder, remainderSize);
                }
                long p = victim + 16;
                perturbAlloc(p, bytes);
                return p;
            }

            // use_top
            victim = a.top();
            long size = chunksize(victim);
            if (Long.compareUnsigned(size, a.systemMem) > 0) {
                printerr("malloc(): corrupted top size");
            }
            if (Long.compareUnsigned(size, nb + MINSIZE) >= 0) {
                long remainderSize = size - nb;
                long remainder = victim + nb;
                a.top(remainder);
                setHead(victim, nb | PREV_INUSE | arenaBit(a));
                setHead(remainder, remainderSize | PREV_INUSE);
                long p = victim + 16;
                perturbAlloc(p, bytes);
                return p;
            } else if (a.haveFastchunks) {
                mallocConsolidate(a);
                idx = inSmallbinRange(nb) ? smallbinIndex(nb) : largebinIndex(nb);
            } else {
                long p = sysmalloc(nb, a);
                perturbAlloc(p, bytes);
                return p;
            }
        }
    }

    /** unlink_chunk(). */
    private void unlinkChunk(Arena a, long p) {
        long size = chunksize(p);
        if (size != prevSize(p + size)) {
            printerr("corrupted size vs. prev_size");
        }
        long fd = fd(p);
        long bk = bk(p);
        if (bk(fd) != p || fd(bk) != p) {
            printerr("corrupted double-linked list");
        }
        setBk(fd, bk);
        setFd(bk, fd);
        if (!inSmallbinRange(sizeNomask(p)) && fdNextsize(p) != 0) {
            long fdn = fdNextsize(p);
            long bkn = bkNextsize(p);
            if (bkNextsize(fdn) != p || fdNextsize(bkn) != p) {
                printerr("corrupted double-linked list (not small)");
            }
            if (fdNextsize(fd) == 0) {
                if (fdn == p) {
                    setFdNextsize(fd, fd);
                    setBkNextsize(fd, fd);
                } else {
                    setFdNextsize(fd, fdn);
                    setBkNextsize(fd, bkn);
                    setBkNextsize(fdn, fd);
                    setFdNextsize(bkn, fd);
                }
            } else {
                setBkNextsize(fdn, bkn);
                setFdNextsize(bkn, fdn);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // _int_free and malloc_consolidate.

    private void intFree(Arena a, long p, boolean haveLock) {
        av = a;
        intFree(a, p, chunksize(p), haveLock);
    }

    /** _int_free() of a chunk whose size word the caller has just read. */
    private void intFree(Arena a, long p, long size, boolean haveLock) {
        av = a;
        if (Long.compareUnsigned(p, -size) > 0 || misaligned(p)) {
            printerr("free(): invalid pointer");
        }
        if (ult(size, MINSIZE) || (size & MALLOC_ALIGN_MASK) != 0) {
            printerr("free(): invalid size");
        }
        long tcIdx = csize2tidx(size);
        if (tcache != 0 && ult(tcIdx, mp.tcacheBins)) {
            long e = p + 16;
            if (ld(e + 8) == tcacheKey) {
                long cnt = 0;
                for (long tmp = tcEntry(tcIdx); tmp != 0; tmp = protectPtr(tmp, ld(tmp)), ++cnt) {
                    if (Long.compareUnsigned(cnt, mp.tcacheCount) >= 0) {
                        printerr("free(): too many chunks detected in tcache");
                    }
                    if (misaligned(tmp)) {
                        printerr("free(): unaligned chunk detected in tcache 2");
                    }
                    if (tmp == e) {
                        printerr("free(): double free detected in tcache 2");
                    }
                }
            }
            if (tcCount(tcIdx) < mp.tcacheCount) {
                tcachePut(p, tcIdx);
                return;
            }
        }

        if (ule(size, mp.globalMaxFast)) {
            long nextSize = sizeNomask(p + size);
            if (ule(nextSize, CHUNK_HDR_SZ) || Long.compareUnsigned(nextSize & ~SIZE_BITS, a.systemMem) >= 0) {
                printerr("free(): invalid next size (fast)");
            }
            perturbFree(p + 16, size - CHUNK_HDR_SZ);
            a.haveFastchunks = true;
            int idx = (int) fastbinIndex(size);
            steps.work(GlibcCosts.FASTBIN);
            fastbinAtomic(a, idx);
            long old = a.fastbin(idx);
            if (old == p) {
                printerr("double free or corruption (fasttop)");
            }
            st(p + 16, protectPtr(p + 16, old));
            a.fastbin(idx, p);
            if (haveLock && old != 0 && fastbinIndex(chunksize(old)) != idx) {
                printerr("invalid fastbin entry (free)");
            }
        } else if ((sizeNomask(p) & IS_MMAPPED) == 0) {
            boolean locks = !haveLock && !singleThread;
            if (locks) {
                lockArena(a, siteFree);
            }
            try {
                intFreeMerge(a, p, size);
            } finally {
                if (locks) {
                    unlockArena(a);
                }
            }
        } else {
            munmapChunk(p);
        }
    }

    /** _int_free_merge_chunk() and the trimming after it: the arena's lock is held. */
    private void intFreeMerge(Arena a, long p, long size) {
        steps.work(GlibcCosts.INT_FREE);
        if (steps.on()) {
            // the unsorted bin's head and the next chunk's header (its P bit)
            steps.write(a.base + 8L * Arena.W_BINS);
            steps.write(p + size);
        }
        {
            long nextchunk = p + size;
            long top = a.top();
            if (p == top) {
                printerr("double free or corruption (top)");
            }
            if (contiguous(a) && Long.compareUnsigned(nextchunk, top + chunksize(top)) >= 0) {
                printerr("double free or corruption (out)");
            }
            if (!prevInuse(nextchunk)) {
                printerr("double free or corruption (!prev)");
            }
            long nextsizeNomask = sizeNomask(nextchunk);
            long nextsize = nextsizeNomask & ~SIZE_BITS;
            if (ule(nextsizeNomask, CHUNK_HDR_SZ) || Long.compareUnsigned(nextsize, a.systemMem) >= 0) {
                printerr("free(): invalid next size (normal)");
            }
            perturbFree(p + 16, size - CHUNK_HDR_SZ);
            if (!prevInuse(p)) {
                long prevsize = prevSize(p);
                size += prevsize;
                p -= prevsize;
                if (chunksize(p) != prevsize) {
                    printerr("corrupted size vs. prev_size while consolidating");
                }
                unlinkChunk(a, p);
            }
            if (nextchunk != top) {
                boolean nextinuse = inuseBitAtOffset(nextchunk, nextsize);
                if (!nextinuse) {
                    unlinkChunk(a, nextchunk);
                    size += nextsize;
                } else {
                    clearInuseBitAtOffset(nextchunk, 0);
                }
                long bck = a.binAt(1);
                long fwd = fd(bck);
                if (bk(fwd) != bck) {
                    printerr("free(): corrupted unsorted chunks");
                }
                setFd(p, fwd);
                setBk(p, bck);
                if (!inSmallbinRange(size)) {
                    setFdNextsize(p, 0);
                    setBkNextsize(p, 0);
                }
                setFd(bck, p);
                setBk(fwd, p);
                setHead(p, size | PREV_INUSE);
                setFoot(p, size);
            } else {
                size += nextsize;
                setHead(p, size | PREV_INUSE);
                a.top(p);
            }
            if (Long.compareUnsigned(size, FASTBIN_CONSOLIDATION_THRESHOLD) >= 0) {
                if (a.haveFastchunks) {
                    mallocConsolidate(a);
                }
                if (a.main) {
                    if (Long.compareUnsigned(chunksize(a.top()), mp.trimThreshold) >= 0) {
                        systrim(mp.topPad, a);
                    }
                } else {
                    heapTrim(a.top() & ~(HEAP_MAX_SIZE - 1), mp.topPad, a);
                }
            }
        }
    }

    /** malloc_consolidate(). */
    private void mallocConsolidate(Arena a) {
        av = a;
        a.haveFastchunks = false;
        long unsorted = a.binAt(1);
        for (int i = 0; i < NFASTBINS; i++) {
            long p = a.fastbin(i);
            a.fastbin(i, 0);
            while (p != 0) {
                if (misaligned(p)) {
                    printerr("malloc_consolidate(): unaligned fastbin chunk detected");
                }
                if (fastbinIndex(chunksize(p)) != i) {
                    printerr("malloc_consolidate(): invalid chunk size");
                }
                long nextp = protectPtr(p + 16, fd(p));
                long size = chunksize(p);
                long nextchunk = p + size;
                long nextsize = chunksize(nextchunk);
                if (!prevInuse(p)) {
                    long prevsize = prevSize(p);
                    size += prevsize;
                    p -= prevsize;
                    if (chunksize(p) != prevsize) {
                        printerr("corrupted size vs. prev_size in fastbins");
                    }
                    unlinkChunk(a, p);
                }
                if (nextchunk != a.top()) {
                    boolean nextinuse = inuseBitAtOffset(nextchunk, nextsize);
                    if (!nextinuse) {
                        size += nextsize;
                        unlinkChunk(a, nextchunk);
                    } else {
                        clearInuseBitAtOffset(nextchunk, 0);
                    }
                    long firstUnsorted = fd(unsorted);
                    setFd(unsorted, p);
                    setBk(firstUnsorted, p);
                    if (!inSmallbinRange(size)) {
                        setFdNextsize(p, 0);
                        setBkNextsize(p, 0);
                    }
                    setHead(p, size | PREV_INUSE);
                    setBk(p, unsorted);
                    setFd(p, firstUnsorted);
                    setFoot(p, size);
                } else {
                    size += nextsize;
                    setHead(p, size | PREV_INUSE);
                    a.top(p);
                }
                p = nextp;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // _int_realloc and _int_memalign.

    private long intRealloc(Arena a, long oldp, long oldsize, long nb) {
        av = a;
        if (ule(sizeNomask(oldp), CHUNK_HDR_SZ) || Long.compareUnsigned(oldsize, a.systemMem) >= 0) {
            printerr("realloc(): invalid old size");
        }
        long next = oldp + oldsize;
        long nextsizeNomask = sizeNomask(next);
        long nextsize = nextsizeNomask & ~SIZE_BITS;
        if (ule(nextsizeNomask, CHUNK_HDR_SZ) || Long.compareUnsigned(nextsize, a.systemMem) >= 0) {
            printerr("realloc(): invalid next size");
        }
        long newp;
        long newsize;
        if (Long.compareUnsigned(oldsize, nb) >= 0) {
            newp = oldp;
            newsize = oldsize;
        } else if (next == a.top() && Long.compareUnsigned(oldsize + nextsize, nb + MINSIZE) >= 0) {
            newsize = oldsize + nextsize;
            setHeadSize(oldp, nb | arenaBit(a));
            a.top(oldp + nb);
            setHead(a.top(), (newsize - nb) | PREV_INUSE);
            return oldp + 16;
        } else if (next != a.top()
                && !inuseBitAtOffset(next, nextsize)
                && Long.compareUnsigned(oldsize + nextsize, nb) >= 0) {
            newsize = oldsize + nextsize;
            newp = oldp;
            unlinkChunk(a, next);
        } else {
            long newmem = intMalloc(a, nb - MALLOC_ALIGN_MASK);
            if (newmem == 0) {
                return 0;
            }
            av = a;
            newp = newmem - 16;
            newsize = chunksize(newp);
            if (newp == next) {
                newsize += oldsize;
                newp = oldp;
            } else {
                long sz = oldsize - CHUNK_HDR_SZ + SIZE_SZ;
                if (!space.copy(newmem, oldp + 16, sz)) {
                    throw Died.INSTANCE;
                }
                intFree(a, oldp, true);
                return newmem;
            }
        }
        long remainderSize = newsize - nb;
        if (ult(remainderSize, MINSIZE)) {
            setHeadSize(newp, newsize | arenaBit(a));
            setInuseBitAtOffset(newp, newsize);
        } else {
            long remainder = newp + nb;
            setHeadSize(newp, nb | arenaBit(a));
            setHead(remainder, remainderSize | PREV_INUSE | arenaBit(a));
            setInuseBitAtOffset(remainder, remainderSize);
            intFree(a, remainder, true);
        }
        return newp + 16;
    }

    private long intMemalign(Arena a, long alignment, long bytes) {
        long nb = checkedRequest2size(bytes);
        if (nb == 0 || alignment < 0) {
            return 0;
        }
        long m = intMalloc(a, nb + alignment + MINSIZE);
        if (m == 0) {
            return 0;
        }
        av = a != null ? a : mainArena;
        long p = m - 16;
        if (Long.remainderUnsigned(m, alignment) != 0) {
            long brk = ((m + alignment - 1) & -alignment) - 16;
            if (ult(brk - p, MINSIZE)) {
                brk += alignment;
            }
            long newp = brk;
            long leadsize = brk - p;
            long newsize = chunksize(p) - leadsize;
            if (isMmapped(p)) {
                setPrevSize(newp, prevSize(p) + leadsize);
                setHead(newp, newsize | IS_MMAPPED);
                return newp + 16;
            }
            setHead(newp, newsize | PREV_INUSE | arenaBit(a));
            setInuseBitAtOffset(newp, newsize);
            setHeadSize(p, leadsize | arenaBit(a));
            intFree(a, p, true);
            p = newp;
        }
        if (!isMmapped(p)) {
            long size = chunksize(p);
            if (Long.compareUnsigned(size, nb + MINSIZE) > 0) {
                long remainderSize = size - nb;
                long remainder = p + nb;
                setHead(remainder, remainderSize | PREV_INUSE | arenaBit(a));
                setHeadSize(p, nb);
                intFree(a, remainder, true);
            }
        }
        return p + 16;
    }

    // ------------------------------------------------------------------------------------------
    // sysmalloc, systrim, mmapped chunks.

    private void madviseThp(long p, long size) {
        if (mp.thpPagesize == 0 || ult(size, mp.thpPagesize)) {
            return;
        }
        if ((p & (PAGE - 1)) != 0) {
            long q = alignDown(p, PAGE);
            size += p - q;
            p = q;
        }
        space.madvise(p, size, MADV_HUGEPAGE);
    }

    /** sysmalloc_mmap(): a chunk of its own mapping; -1 (MAP_FAILED) if the mapping failed. */
    private long sysmallocMmap(long nb, long pagesize, int extraFlags) {
        long size = alignUp(nb + SIZE_SZ, pagesize);
        if (ule(size, nb)) {
            return -1;
        }
        long mm = mmap(0, size, Mman.PROT_READ | Mman.PROT_WRITE, extraFlags);
        if (mapFailed(mm)) {
            return -1;
        }
        if ((extraFlags & Mman.MAP_HUGETLB) == 0) {
            madviseThp(mm, size);
        }
        Arena saved = av;
        av = mainArena;
        setPrevSize(mm, 0);
        setHead(mm, size | IS_MMAPPED);
        av = saved;
        mp.nMmaps++;
        mp.maxNMmaps = Math.max(mp.maxNMmaps, mp.nMmaps);
        mp.mmappedMem += size;
        mp.maxMmappedMem = Math.max(mp.maxMmappedMem, mp.mmappedMem);
        return mm + 16;
    }

    /** sysmalloc_mmap_fallback(): memory for the main arena when brk failed; 0 or -1 on failure. */
    private long sysmallocMmapFallback(
            long[] s, long nb, long oldSize, long pagesize, long minsize, int extraFlags, Arena a) {
        long size = s[0];
        if (contiguous(a)) {
            size = alignUp(size + oldSize, pagesize);
        }
        if (ult(size, minsize)) {
            size = minsize;
        }
        if (ule(size, nb)) {
            return 0;
        }
        long mbrk = mmap(0, size, Mman.PROT_READ | Mman.PROT_WRITE, extraFlags);
        if (mapFailed(mbrk)) {
            return -1;
        }
        if ((extraFlags & Mman.MAP_HUGETLB) == 0) {
            madviseThp(mbrk, size);
        }
        a.flags |= 2;
        s[0] = size;
        return mbrk;
    }

    private long sysmalloc(long nb, Arena a) {
        boolean triedMmap = false;
        if (a == null || (Long.compareUnsigned(nb, mp.mmapThreshold) >= 0 && mp.nMmaps < mp.nMmapsMax)) {
            long mm;
            if (mp.hpPagesize > 0 && Long.compareUnsigned(nb, mp.hpPagesize) >= 0) {
                mm = sysmallocMmap(nb, mp.hpPagesize, mp.hpFlags);
                if (mm != -1) {
                    return mm;
                }
            }
            mm = sysmallocMmap(nb, PAGE, 0);
            if (mm != -1) {
                return mm;
            }
            triedMmap = true;
        }
        if (a == null) {
            return 0;
        }
        av = a;
        long oldTop = a.top();
        long oldSize = chunksize(oldTop);
        long oldEnd = oldTop + oldSize;
        long brk = 0;
        long sndBrk = 0;

        if (!a.main) {
            long oldHeap = oldTop & ~(HEAP_MAX_SIZE - 1);
            long oldHeapSize = ld(oldHeap + 16);
            long heap;
            if (MINSIZE + nb - oldSize > 0 && growHeap(oldHeap, MINSIZE + nb - oldSize) == 0) {
                a.systemMem += ld(oldHeap + 16) - oldHeapSize;
                setHead(oldTop, (oldHeap + ld(oldHeap + 16) - oldTop) | PREV_INUSE);
            } else if ((heap = newHeap(nb + (MINSIZE + HEAP_INFO_SIZE), mp.topPad)) != 0) {
                av = a;
                st(heap, a.base);
                st(heap + 8, oldHeap);
                long hsize = ld(heap + 16);
                a.systemMem += hsize;
                a.heap = heap;
                a.top(heap + HEAP_INFO_SIZE);
                setHead(a.top(), (hsize - HEAP_INFO_SIZE) | PREV_INUSE);
                oldSize = (oldSize - MINSIZE) & ~MALLOC_ALIGN_MASK;
                setHead(oldTop + oldSize + CHUNK_HDR_SZ, PREV_INUSE);
                if (Long.compareUnsigned(oldSize, MINSIZE) >= 0) {
                    setHead(oldTop + oldSize, CHUNK_HDR_SZ | PREV_INUSE);
                    setFoot(oldTop + oldSize, CHUNK_HDR_SZ);
                    setHead(oldTop, oldSize | PREV_INUSE | NON_MAIN_ARENA);
                    intFree(a, oldTop, true);
                } else {
                    setHead(oldTop, (oldSize + CHUNK_HDR_SZ) | PREV_INUSE);
                    setFoot(oldTop, oldSize + CHUNK_HDR_SZ);
                }
            } else if (!triedMmap) {
                long mm = sysmallocMmap(nb, PAGE, 0);
                if (mm != -1) {
                    return mm;
                }
            }
        } else {
            long size = nb + mp.topPad + MINSIZE;
            if (contiguous(a)) {
                size -= oldSize;
            }
            if (mp.thpPagesize != 0) {
                long cur = curbrk == -1 ? space.brkAddress() : curbrk;
                size = alignUp(cur + size, mp.thpPagesize) - cur;
            } else {
                size = alignUp(size, PAGE);
            }
            if (size > 0) {
                brk = morecore(size);
                if (brk != 0) {
                    madviseThp(brk, size);
                }
            }
            if (brk == 0) {
                long[] s = {size};
                long mbrk = -1;
                if (mp.hpPagesize > 0) {
                    mbrk = sysmallocMmapFallback(s, nb, oldSize, mp.hpPagesize, mp.hpPagesize, mp.hpFlags, a);
                }
                if (mbrk == -1) {
                    mbrk = sysmallocMmapFallback(s, nb, oldSize, PAGE, MMAP_AS_MORECORE_SIZE, 0, a);
                }
                if (mbrk != -1 && mbrk != 0) {
                    size = s[0];
                    brk = mbrk;
                    sndBrk = brk + size;
                }
            }
            if (brk != 0) {
                if (mp.sbrkBase == 0) {
                    mp.sbrkBase = brk;
                }
                a.systemMem += size;
                if (brk == oldEnd && sndBrk == 0) {
                    setHead(oldTop, (size + oldSize) | PREV_INUSE);
                } else if (contiguous(a) && oldSize != 0 && ult(brk, oldEnd)) {
                    printerr("break adjusted to free malloc space");
                } else {
                    long frontMisalign;
                    long correction = 0;
                    long alignedBrk = brk;
                    if (contiguous(a)) {
                        if (oldSize != 0) {
                            a.systemMem += brk - oldEnd;
                        }
                        frontMisalign = (brk + 16) & MALLOC_ALIGN_MASK;
                        if (frontMisalign > 0) {
                            correction = 16 - frontMisalign;
                            alignedBrk += correction;
                        }
                        correction += oldSize;
                        long endMisalign = brk + size + correction;
                        correction += alignUp(endMisalign, PAGE) - endMisalign;
                        sndBrk = morecore(correction);
                        if (sndBrk == 0) {
                            correction = 0;
                            sndBrk = morecore(0);
                        } else {
                            madviseThp(sndBrk, correction);
                        }
                    } else if (sndBrk == 0) {
                        sndBrk = morecore(0);
                    }
                    if (sndBrk != 0) {
                        a.top(alignedBrk);
                        setHead(alignedBrk, (sndBrk - alignedBrk + correction) | PREV_INUSE);
                        a.systemMem += correction;
                        if (oldSize != 0) {
                            oldSize = (oldSize - 2 * CHUNK_HDR_SZ) & ~MALLOC_ALIGN_MASK;
                            setHead(oldTop, oldSize | PREV_INUSE);
                            setHead(oldTop + oldSize, CHUNK_HDR_SZ | PREV_INUSE);
                            setHead(oldTop + oldSize + CHUNK_HDR_SZ, CHUNK_HDR_SZ | PREV_INUSE);
                            if (Long.compareUnsigned(oldSize, MINSIZE) >= 0) {
                                intFree(a, oldTop, true);
                            }
                        }
                    }
                }
            }
        }
        if (Long.compareUnsigned(a.systemMem, a.maxSystemMem) > 0) {
            a.maxSystemMem = a.systemMem;
        }
        av = a;
        long p = a.top();
        long size = chunksize(p);
        if (Long.compareUnsigned(size, nb + MINSIZE) >= 0) {
            long remainderSize = size - nb;
            long remainder = p + nb;
            a.top(remainder);
            setHead(p, nb | PREV_INUSE | arenaBit(a));
            setHead(remainder, remainderSize | PREV_INUSE);
            return p + 16;
        }
        return 0;
    }

    /** systrim(): gives the top's tail above {@code pad} back with a negative sbrk. */
    private int systrim(long pad, Arena a) {
        av = a;
        long topSize = chunksize(a.top());
        long topArea = topSize - MINSIZE - 1;
        if (topArea <= pad) {
            return 0;
        }
        long extra = mp.thpPagesize != 0 ? alignDown(topArea - pad, mp.thpPagesize) : alignDown(topArea - pad, PAGE);
        if (extra == 0) {
            return 0;
        }
        long currentBrk = morecore(0);
        if (currentBrk == a.top() + topSize) {
            morecore(-extra);
            long newBrk = morecore(0);
            if (newBrk != 0) {
                long released = currentBrk - newBrk;
                if (released != 0) {
                    a.systemMem -= released;
                    setHead(a.top(), (topSize - released) | PREV_INUSE);
                    return 1;
                }
            }
        }
        return 0;
    }

    /** munmap_chunk(). */
    private void munmapChunk(long p) {
        av = mainArena;
        long size = chunksize(p);
        long mem = p + 16;
        long block = p - prevSize(p);
        long totalSize = prevSize(p) + size;
        long low = mem & (PAGE - 1);
        if (((block | totalSize) & (PAGE - 1)) != 0 || Long.bitCount(low) > 1) {
            printerr("munmap_chunk(): invalid pointer");
        }
        mp.nMmaps--;
        mp.mmappedMem -= totalSize;
        steps.work(GlibcCosts.SYSCALL);
        space.munmap(block, totalSize);
    }

    /** mremap_chunk(): 0 when the kernel could not remap. */
    private long mremapChunk(long p, long newSize) {
        long offset = prevSize(p);
        long size = chunksize(p);
        long block = p - offset;
        long mem = p + 16;
        long totalSize = offset + size;
        if (((block | totalSize) & (PAGE - 1)) != 0 || Long.bitCount(mem & (PAGE - 1)) > 1) {
            printerr("mremap_chunk(): invalid pointer");
        }
        newSize = alignUp(newSize + offset + SIZE_SZ, PAGE);
        if (totalSize == newSize) {
            return p;
        }
        long cp = space.mremap(block, totalSize, newSize, Mman.MREMAP_MAYMOVE, 0);
        if (mapFailed(cp)) {
            return 0;
        }
        madviseThp(cp, newSize);
        p = cp + offset;
        setHead(p, (newSize - offset) | IS_MMAPPED);
        mp.mmappedMem += newSize - size - offset;
        mp.maxMmappedMem = Math.max(mp.maxMmappedMem, mp.mmappedMem);
        return p;
    }

    // ------------------------------------------------------------------------------------------
    // arena.c: heaps and arenas for threads.

    private long heapMaxSize() {
        return mp.hpPagesize == 0 ? HEAP_MAX_SIZE : mp.hpPagesize * 4;
    }

    /** new_heap() / alloc_new_heap(): the heap_info address, or 0. */
    private long newHeap(long size, long topPad) {
        if (mp.hpPagesize != 0) {
            long h = allocNewHeap(size, topPad, mp.hpPagesize, mp.hpFlags);
            if (h != 0) {
                return h;
            }
        }
        return allocNewHeap(size, topPad, PAGE, Mman.MAP_NORESERVE);
    }

    private long allocNewHeap(long size, long topPad, long pagesize, int flags) {
        long minSize = mp.hpPagesize == 0 ? HEAP_MIN_SIZE : mp.hpPagesize;
        long maxSize = heapMaxSize();
        if (ult(size + topPad, minSize)) {
            size = minSize;
        } else if (ule(size + topPad, maxSize)) {
            size += topPad;
        } else if (Long.compareUnsigned(size, maxSize) > 0) {
            return 0;
        } else {
            size = maxSize;
        }
        size = alignUp(size, pagesize);
        long p2 = -1;
        if (alignedHeapArea != 0) {
            p2 = mmap(alignedHeapArea, maxSize, Mman.PROT_NONE, flags);
            alignedHeapArea = 0;
            if (!mapFailed(p2) && (p2 & (maxSize - 1)) != 0) {
                space.munmap(p2, maxSize);
                p2 = -1;
            }
        }
        if (mapFailed(p2)) {
            long p1 = mmap(0, maxSize << 1, Mman.PROT_NONE, flags);
            if (!mapFailed(p1)) {
                p2 = (p1 + (maxSize - 1)) & ~(maxSize - 1);
                long ul = p2 - p1;
                if (ul != 0) {
                    space.munmap(p1, ul);
                } else {
                    alignedHeapArea = p2 + maxSize;
                }
                space.munmap(p2 + maxSize, maxSize - ul);
            } else {
                p2 = mmap(0, maxSize, Mman.PROT_NONE, flags);
                if (mapFailed(p2)) {
                    return 0;
                }
                if ((p2 & (maxSize - 1)) != 0) {
                    space.munmap(p2, maxSize);
                    return 0;
                }
            }
        }
        if (space.mprotect(p2, size, Mman.PROT_READ | Mman.PROT_WRITE) != 0) {
            space.munmap(p2, maxSize);
            return 0;
        }
        madviseThp(p2, size);
        st(p2 + 16, size);
        st(p2 + 24, size);
        st(p2 + 32, pagesize);
        return p2;
    }

    /** grow_heap(): 0 on success. */
    private int growHeap(long h, long diff) {
        long pagesize = ld(h + 32);
        diff = alignUp(diff, pagesize);
        long newSize = ld(h + 16) + diff;
        if (Long.compareUnsigned(newSize, heapMaxSize()) > 0) {
            return -1;
        }
        long mprotectSize = ld(h + 24);
        if (Long.compareUnsigned(newSize, mprotectSize) > 0) {
            if (space.mprotect(h + mprotectSize, newSize - mprotectSize, Mman.PROT_READ | Mman.PROT_WRITE) != 0) {
                return -2;
            }
            st(h + 24, newSize);
        }
        st(h + 16, newSize);
        return 0;
    }

    /** shrink_heap(): MADV_DONTNEED on the tail (overcommit is not 2, not set-uid). */
    private int shrinkHeap(long h, long diff) {
        long newSize = ld(h + 16) - diff;
        if (newSize < HEAP_INFO_SIZE) {
            return -1;
        }
        space.madvise(h + newSize, diff, Mman.MADV_DONTNEED);
        st(h + 16, newSize);
        return 0;
    }

    /** heap_trim(). */
    private int heapTrim(long heap, long pad, Arena a) {
        av = a;
        long topChunk = a.top();
        long maxSize = heapMaxSize();
        while (topChunk == heap + HEAP_INFO_SIZE) {
            long prevHeap = ld(heap + 8);
            long prevSz = ld(prevHeap + 16) - (MINSIZE - 2 * SIZE_SZ);
            long p = prevHeap + prevSz;
            long misalign = p & MALLOC_ALIGN_MASK;
            p = prevHeap + prevSz - misalign;
            p = p - prevSize(p);
            long newSize = chunksize(p) + (MINSIZE - 2 * SIZE_SZ) + misalign;
            if (!prevInuse(p)) {
                newSize += prevSize(p);
            }
            long pagesize = ld(heap + 32);
            if (newSize + (maxSize - ld(prevHeap + 16)) < pad + MINSIZE + pagesize) {
                break;
            }
            a.systemMem -= ld(heap + 16);
            if (heap + maxSize == alignedHeapArea) {
                alignedHeapArea = 0;
            }
            space.munmap(heap, maxSize);
            heap = prevHeap;
            a.heap = heap;
            if (!prevInuse(p)) {
                p = p - prevSize(p);
                unlinkChunk(a, p);
            }
            topChunk = p;
            a.top(p);
            setHead(topChunk, newSize | PREV_INUSE);
        }
        long topSize = chunksize(topChunk);
        if (ult(topSize, mp.trimThreshold)) {
            return 0;
        }
        long topArea = topSize - MINSIZE - 1;
        if (topArea < 0 || ule(topArea, pad)) {
            return 0;
        }
        long extra = alignDown(topArea - pad, ld(heap + 32));
        if (extra == 0) {
            return 0;
        }
        if (shrinkHeap(heap, extra) != 0) {
            return 0;
        }
        a.systemMem -= extra;
        setHead(topChunk, (topSize - extra) | PREV_INUSE);
        return 1;
    }

    /** _int_new_arena(). */
    private Arena intNewArena(long size) {
        av = mainArena;
        long sizeofArena = Arena.STATE_BYTES;
        long h = newHeap(size + (HEAP_INFO_SIZE + sizeofArena + 16), mp.topPad);
        if (h == 0) {
            h = newHeap(HEAP_INFO_SIZE + sizeofArena + 16, mp.topPad);
            if (h == 0) {
                return null;
            }
        }
        long hsize = ld(h + 16);
        Arena a = new Arena(h + HEAP_INFO_SIZE, false);
        if (sched != null) {
            // __libc_lock_init and lock: the new arena is returned locked; list_lock links it
            a.mutex = sched.newLock("&arena->mutex", LockPolicy.FUTEX);
            steps.work(GlibcCosts.NEW_ARENA);
            steps.lock(a.mutex, siteArenaGet2);
            steps.lock(listLock, siteArenaGet2);
            steps.unlock(listLock);
            steps.lock(freeListLock, siteArenaGet2);
            steps.unlock(freeListLock);
        }
        st(h, a.base);
        st(h + 8, 0);
        mallocInitState(a);
        a.attachedThreads = 1;
        a.systemMem = a.maxSystemMem = hsize;
        a.heap = h;
        long ptr = a.base + sizeofArena;
        long misalign = (ptr + 16) & MALLOC_ALIGN_MASK;
        if (misalign > 0) {
            ptr += 16 - misalign;
        }
        a.top(ptr);
        av = a;
        setHead(ptr, (h + hsize - ptr) | PREV_INUSE);
        Arena replaced = threadArena();
        threadArena[thread] = a;
        a.next = mainArena.next;
        mainArena.next = a;
        if (replaced != null) {
            replaced.attachedThreads--;
        }
        return a;
    }

    private Arena getFreeList() {
        Arena replaced = threadArena();
        Arena result = freeList;
        if (result != null) {
            steps.lock(freeListLock, siteArenaGet2);
            steps.unlock(freeListLock);
            lockArena(result, siteArenaGet2);
            freeList = result.nextFree;
            result.attachedThreads = 1;
            if (replaced != null) {
                replaced.attachedThreads--;
            }
            threadArena[thread] = result;
        }
        return result;
    }

    /**
     * reused_arena(): from next_to_use, the first arena whose trylock succeeds; if every one is
     * held, block on next_to_use (or its successor when that is {@code avoid}). A replay runs one
     * operation at a time, so every lock is free and the first trylock succeeds; under a scheduler
     * a lock counts as held when a thread holds it as this operation starts.
     */
    private Arena reusedArena(Arena avoid) {
        if (nextToUse == null) {
            nextToUse = mainArena;
        }
        Arena result = nextToUse;
        boolean found = false;
        do {
            if (result.mutex == null || !result.mutex.held()) {
                found = true;
                break;
            }
            steps.atomic(result.base);
            result = result.next;
        } while (result != nextToUse);
        if (!found) {
            if (result == avoid) {
                result = result.next;
            }
        }
        lockArena(result, siteArenaGet2);
        if (sched != null) {
            steps.lock(freeListLock, siteArenaGet2);
            steps.unlock(freeListLock);
        }
        Arena replaced = threadArena();
        if (replaced != null) {
            replaced.attachedThreads--;
        }
        for (Arena p = freeList, prev = null; p != null; prev = p, p = p.nextFree) {
            if (p == result) {
                if (prev == null) {
                    freeList = p.nextFree;
                } else {
                    prev.nextFree = p.nextFree;
                }
                break;
            }
        }
        result.attachedThreads++;
        threadArena[thread] = result;
        nextToUse = result.next;
        return result;
    }

    /** arena_get2(). */
    private Arena arenaGet2(long size, Arena avoid) {
        Arena a = getFreeList();
        if (a == null) {
            if (narenasLimit == 0) {
                if (mp.arenaMax != 0) {
                    narenasLimit = mp.arenaMax;
                } else if (narenas > mp.arenaTest) {
                    narenasLimit = 8L * Math.max(1, cpus);
                }
            }
            if (Long.compareUnsigned(narenas, narenasLimit - 1) <= 0) {
                steps.atomic(MAIN_ARENA_ADDR - 64);
                narenas++;
                a = intNewArena(size);
                if (a == null) {
                    narenas--;
                }
            } else {
                a = reusedArena(avoid);
            }
        }
        return a;
    }

    /** arena_get_retry(). */
    private Arena arenaGetRetry(Arena a, long bytes) {
        if (a != mainArena) {
            lockArena(mainArena, siteMalloc);
            return mainArena;
        }
        return arenaGet2(bytes, a);
    }

    // ------------------------------------------------------------------------------------------
    // mallopt, malloc_trim.

    /** mallopt(3): 1 on success, 0 if the value was refused. Consolidates the main arena first. */
    public int mallopt(int param, int value) {
        try {
            if (!initialized) {
                ptmallocInit();
            }
            mallocConsolidate(mainArena);
            long v = value;
            return switch (param) {
                case Mallopt.M_MXFAST -> mp.setMxfast(v);
                case Mallopt.M_TRIM_THRESHOLD -> mp.setTrimThreshold(v);
                case Mallopt.M_TOP_PAD -> mp.setTopPad(v);
                case Mallopt.M_MMAP_THRESHOLD -> mp.setMmapThreshold(v);
                case Mallopt.M_MMAP_MAX -> mp.setMmapsMax(value);
                case Mallopt.M_CHECK_ACTION -> 1;
                case Mallopt.M_PERTURB -> mp.setPerturbByte(value);
                case Mallopt.M_ARENA_TEST -> value > 0 ? mp.setArenaTest(v) : 1;
                case Mallopt.M_ARENA_MAX -> value > 0 ? mp.setArenaMax(v) : 1;
                default -> 1;
            };
        } catch (Died d) {
            return 0;
        }
    }

    /** malloc_trim(3): 1 if memory went back to the kernel. */
    public int mallocTrim(long pad) {
        try {
            if (!initialized) {
                ptmallocInit();
            }
            int result = 0;
            Arena a = mainArena;
            do {
                result |= mtrim(a, pad);
                a = a.next;
            } while (a != mainArena);
            return result;
        } catch (Died d) {
            return 0;
        }
    }

    private int mtrim(Arena a, long pad) {
        mallocConsolidate(a);
        av = a;
        long psm1 = PAGE - 1;
        int psindex = binIndex(PAGE);
        int result = 0;
        for (int i = 1; i < NBINS; i++) {
            if (i == 1 || i >= psindex) {
                long bin = a.binAt(i);
                for (long p = bk(bin); p != bin; p = bk(p)) {
                    long size = chunksize(p);
                    if (Long.compareUnsigned(size, psm1 + 48) > 0) {
                        long paligned = (p + 48 + psm1) & ~psm1;
                        size -= paligned - p;
                        if (Long.compareUnsigned(size, psm1) > 0) {
                            space.madvise(paligned, size & ~psm1, Mman.MADV_DONTNEED);
                            result = 1;
                        }
                    }
                }
            }
        }
        return result | (a.main ? systrim(pad, a) : 0);
    }

    // ------------------------------------------------------------------------------------------
    // Statistics: mallinfo2, malloc_stats, malloc_info.

    /** int_mallinfo() of one arena into {@code m} (the mallinfo2 fields, in struct order). */
    private void intMallinfo(Arena a, long[] m) {
        av = a;
        long avail = chunksize(a.top());
        long nblocks = 1;
        long nfastblocks = 0;
        long fastavail = 0;
        for (int i = 0; i < NFASTBINS; i++) {
            for (long p = a.fastbin(i); p != 0; p = protectPtr(p + 16, fd(p))) {
                if (misaligned(p)) {
                    printerr("int_mallinfo(): unaligned fastbin chunk detected");
                }
                nfastblocks++;
                fastavail += chunksize(p);
            }
        }
        avail += fastavail;
        for (int i = 1; i < NBINS; i++) {
            long b = a.binAt(i);
            for (long p = bk(b); p != b; p = bk(p)) {
                nblocks++;
                avail += chunksize(p);
            }
        }
        m[Mallinfo2.SMBLKS] += nfastblocks;
        m[Mallinfo2.ORDBLKS] += nblocks;
        m[Mallinfo2.FORDBLKS] += avail;
        m[Mallinfo2.UORDBLKS] += a.systemMem - avail;
        m[Mallinfo2.ARENA] += a.systemMem;
        m[Mallinfo2.FSMBLKS] += fastavail;
        if (a.main) {
            m[Mallinfo2.HBLKS] = mp.nMmaps;
            m[Mallinfo2.HBLKHD] = mp.mmappedMem;
            m[Mallinfo2.USMBLKS] = 0;
            m[Mallinfo2.KEEPCOST] = chunksize(a.top());
        }
    }

    /** mallinfo2(). */
    public Mallinfo2 mallinfo2() {
        long[] m = new long[Mallinfo2.FIELDS];
        try {
            if (!initialized) {
                ptmallocInit();
            }
            Arena a = mainArena;
            do {
                intMallinfo(a, m);
                a = a.next;
            } while (a != mainArena);
        } catch (Died d) {
            // the walk hit corruption; what was counted stands
        }
        return new Mallinfo2(m);
    }

    /** malloc_stats(): the text glibc writes to stderr. */
    @Override
    public String mallocStats() {
        StringBuilder sb = new StringBuilder();
        try {
            if (!initialized) {
                ptmallocInit();
            }
            int inUseB = (int) mp.mmappedMem;
            int systemB = inUseB;
            int i = 0;
            Arena a = mainArena;
            do {
                long[] m = new long[Mallinfo2.FIELDS];
                intMallinfo(a, m);
                sb.append("Arena ").append(i).append(":\n");
                sb.append(String.format("system bytes     = %10d%n", m[Mallinfo2.ARENA] & 0xffffffffL));
                sb.append(String.format("in use bytes     = %10d%n", m[Mallinfo2.UORDBLKS] & 0xffffffffL));
                systemB += (int) m[Mallinfo2.ARENA];
                inUseB += (int) m[Mallinfo2.UORDBLKS];
                a = a.next;
                i++;
            } while (a != mainArena);
            sb.append("Total (incl. mmap):\n");
            sb.append(String.format("system bytes     = %10d%n", systemB & 0xffffffffL));
            sb.append(String.format("in use bytes     = %10d%n", inUseB & 0xffffffffL));
            sb.append(String.format("max mmap regions = %10d%n", mp.maxNMmaps & 0xffffffffL));
            sb.append(String.format("max mmap bytes   = %10s%n", Long.toUnsignedString(mp.maxMmappedMem)));
        } catch (Died d) {
            // as far as the walk got
        }
        return sb.toString().replace("\r\n", "\n");
    }

    /** malloc_info(0, fp): the XML glibc writes. */
    public String mallocInfo() {
        StringBuilder sb = new StringBuilder();
        try {
            if (!initialized) {
                ptmallocInit();
            }
            mallocInfoTo(sb);
        } catch (Died d) {
            // as far as the walk got
        }
        return sb.toString();
    }

    private void mallocInfoTo(StringBuilder sb) {
        long totalNblocks = 0;
        long totalNfastblocks = 0;
        long totalAvail = 0;
        long totalFastavail = 0;
        long totalSystem = 0;
        long totalMaxSystem = 0;
        long totalAspace = 0;
        long totalAspaceMprotect = 0;
        int n = 0;
        sb.append("<malloc version=\"1\">\n");
        int nsizes = NFASTBINS + NBINS - 1;
        long[] from = new long[nsizes];
        long[] to = new long[nsizes];
        long[] total = new long[nsizes];
        long[] count = new long[nsizes];
        Arena a = mainArena;
        do {
            av = a;
            sb.append("<heap nr=\"").append(n++).append("\">\n<sizes>\n");
            long nblocks = 1;
            long nfastblocks = 0;
            long avail = chunksize(a.top());
            long fastavail = 0;
            for (int i = 0; i < NFASTBINS; i++) {
                long p = a.fastbin(i);
                if (p != 0) {
                    long nthissize = 0;
                    long thissize = chunksize(p);
                    while (p != 0) {
                        if (misaligned(p)) {
                            printerr("__malloc_info(): unaligned fastbin chunk detected");
                        }
                        nthissize++;
                        p = protectPtr(p + 16, fd(p));
                    }
                    fastavail += nthissize * thissize;
                    nfastblocks += nthissize;
                    from[i] = thissize - 15;
                    to[i] = thissize;
                    count[i] = nthissize;
                } else {
                    from[i] = to[i] = count[i] = 0;
                }
                total[i] = count[i] * to[i];
            }
            for (int i = 1; i < NBINS; i++) {
                int k = NFASTBINS - 1 + i;
                long bin = a.binAt(i);
                long r = fd(bin);
                from[k] = -1;
                to[k] = total[k] = count[k] = 0;
                if (r != 0) {
                    while (r != bin) {
                        long rs = sizeNomask(r);
                        count[k]++;
                        total[k] += rs;
                        if (ult(rs, from[k])) {
                            from[k] = rs;
                        }
                        if (Long.compareUnsigned(rs, to[k]) > 0) {
                            to[k] = rs;
                        }
                        r = fd(r);
                    }
                }
                if (count[k] == 0) {
                    from[k] = 0;
                }
                nblocks += count[k];
                avail += total[k];
            }
            long heapSize = 0;
            long heapMprotectSize = 0;
            long heapCount = 0;
            if (!a.main) {
                long heap = a.top() & ~(HEAP_MAX_SIZE - 1);
                do {
                    heapSize += ld(heap + 16);
                    heapMprotectSize += ld(heap + 24);
                    heap = ld(heap + 8);
                    heapCount++;
                } while (heap != 0);
            }
            totalNfastblocks += nfastblocks;
            totalFastavail += fastavail;
            totalNblocks += nblocks;
            totalAvail += avail;
            for (int i = 0; i < nsizes; i++) {
                if (count[i] != 0 && i != NFASTBINS) {
                    sb.append("  <size from=\"")
                            .append(Long.toUnsignedString(from[i]))
                            .append("\" to=\"")
                            .append(Long.toUnsignedString(to[i]))
                            .append("\" total=\"")
                            .append(Long.toUnsignedString(total[i]))
                            .append("\" count=\"")
                            .append(count[i])
                            .append("\"/>\n");
                }
            }
            if (count[NFASTBINS] != 0) {
                sb.append("  <unsorted from=\"")
                        .append(Long.toUnsignedString(from[NFASTBINS]))
                        .append("\" to=\"")
                        .append(Long.toUnsignedString(to[NFASTBINS]))
                        .append("\" total=\"")
                        .append(Long.toUnsignedString(total[NFASTBINS]))
                        .append("\" count=\"")
                        .append(count[NFASTBINS])
                        .append("\"/>\n");
            }
            totalSystem += a.systemMem;
            totalMaxSystem += a.maxSystemMem;
            sb.append("</sizes>\n<total type=\"fast\" count=\"")
                    .append(nfastblocks)
                    .append("\" size=\"")
                    .append(fastavail)
                    .append("\"/>\n<total type=\"rest\" count=\"")
                    .append(nblocks)
                    .append("\" size=\"")
                    .append(avail)
                    .append("\"/>\n<system type=\"current\" size=\"")
                    .append(a.systemMem)
                    .append("\"/>\n<system type=\"max\" size=\"")
                    .append(a.maxSystemMem)
                    .append("\"/>\n");
            if (!a.main) {
                sb.append("<aspace type=\"total\" size=\"")
                        .append(heapSize)
                        .append("\"/>\n<aspace type=\"mprotect\" size=\"")
                        .append(heapMprotectSize)
                        .append("\"/>\n<aspace type=\"subheaps\" size=\"")
                        .append(heapCount)
                        .append("\"/>\n");
                totalAspace += heapSize;
                totalAspaceMprotect += heapMprotectSize;
            } else {
                sb.append("<aspace type=\"total\" size=\"")
                        .append(a.systemMem)
                        .append("\"/>\n<aspace type=\"mprotect\" size=\"")
                        .append(a.systemMem)
                        .append("\"/>\n");
                totalAspace += a.systemMem;
                totalAspaceMprotect += a.systemMem;
            }
            sb.append("</heap>\n");
            a = a.next;
        } while (a != mainArena);
        sb.append("<total type=\"fast\" count=\"")
                .append(totalNfastblocks)
                .append("\" size=\"")
                .append(totalFastavail)
                .append("\"/>\n<total type=\"rest\" count=\"")
                .append(totalNblocks)
                .append("\" size=\"")
                .append(totalAvail)
                .append("\"/>\n<total type=\"mmap\" count=\"")
                .append(mp.nMmaps)
                .append("\" size=\"")
                .append(mp.mmappedMem)
                .append("\"/>\n<system type=\"current\" size=\"")
                .append(totalSystem)
                .append("\"/>\n<system type=\"max\" size=\"")
                .append(totalMaxSystem)
                .append("\"/>\n<aspace type=\"total\" size=\"")
                .append(totalAspace)
                .append("\"/>\n<aspace type=\"mprotect\" size=\"")
                .append(totalAspaceMprotect)
                .append("\"/>\n</malloc>\n");
    }

    /**
     * mallinfo2()'s fields by their names (usmblks left out, as replay.c does), then the current
     * thread's non-empty tcache bins as {@code tcache[USABLE]} counts; empty before the first call
     * initialised malloc. Reads only ({@code --step} prints what changed).
     */
    @Override
    public Map<String, Long> statsFigures() {
        Map<String, Long> m = new LinkedHashMap<>();
        if (!initialized) {
            return m;
        }
        Mallinfo2 mi = mallinfo2();
        m.put("arena", mi.arena());
        m.put("ordblks", mi.ordblks());
        m.put("smblks", mi.smblks());
        m.put("hblks", mi.hblks());
        m.put("hblkhd", mi.hblkhd());
        m.put("fsmblks", mi.fsmblks());
        m.put("uordblks", mi.uordblks());
        m.put("fordblks", mi.fordblks());
        m.put("keepcost", mi.keepcost());
        if (tcache != 0) {
            for (int i = 0; i < MallocPar.TCACHE_MAX_BINS; i++) {
                int n = tcCount(i);
                if (n != 0) {
                    m.put("tcache[" + MallocPar.tidx2usize(i) + "]", (long) n);
                }
            }
        }
        return m;
    }

    /** What replay.c prints after its op lines: mallinfo2, the break's offset, malloc_info. */
    @Override
    public String statsText() {
        Mallinfo2 m = mallinfo2();
        long brk = curbrk == -1 ? space.brkAddress() : curbrk;
        return m.replayLine() + "\n# brk_end_offset " + Long.toHexString(brk - space.startBrk()) + "\n" + mallocInfo();
    }

    // ------------------------------------------------------------------------------------------
    // validate() and the metric.

    /**
     * Walks every arena: the main heap chunk by chunk from sbrk_base to top (boundary tags, P bits
     * against the free lists), every bin (links both ways, sizes in the bin's range, binmap),
     * every fastbin and tcache list, and the statistics. One line per problem.
     */
    @Override
    public List<String> validate() {
        return new GlibcValidator(this).run();
    }

    /** The main arena's brk heap, chunk by chunk ({@link GlibcHeapChunks}). */
    @Override
    public Optional<HeapChunks> heapChunks() {
        return Optional.of(new GlibcHeapChunks(this));
    }

    // package-private views for GlibcValidator
    long readWord(Arena a, long addr) {
        av = a;
        return ld(addr);
    }

    /** Visits every live pointer malloc returned (for {@link GlibcHeapChunks}' mmapped chunks). */
    void forEachLive(java.util.function.LongConsumer c) {
        live.forEach(c);
    }

    long tcacheAddr(int tid) {
        return tid == thread ? tcache : (tid < threadTcache.length ? threadTcache[tid] : 0);
    }

    int threads() {
        return threads;
    }

    long tcacheKey() {
        return tcacheKey;
    }

    boolean initialized() {
        return initialized;
    }

    UserSpace space() {
        return space;
    }

    long heapBytes() {
        long s = mp.mmappedMem;
        Arena a = mainArena;
        do {
            s += a.systemMem;
            a = a.next;
        } while (a != mainArena);
        return s;
    }

    @Override
    public UserHeapMetric metric() {
        return metric;
    }

    private final class Metric implements UserHeapMetric {
        @Override
        public long heapBytes() {
            return GlibcMalloc.this.heapBytes();
        }

        @Override
        public long peakHeapBytes() {
            return Math.max(peakHeap, GlibcMalloc.this.heapBytes());
        }

        @Override
        public long liveBlocks() {
            return live.size();
        }

        @Override
        public long liveRequestedBytes() {
            return live.requested();
        }

        @Override
        public long peakLiveRequestedBytes() {
            return peakRequested;
        }

        @Override
        public long liveUsableBytes() {
            long[] sum = {0};
            live.forEach(p -> sum[0] += usableSize(p));
            return sum[0];
        }

        @Override
        public long freeBytes() {
            return mallinfo2().fordblks();
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
            return largestFree();
        }
    }

    private long largestFree() {
        long best = 0;
        try {
            Arena a = mainArena;
            do {
                av = a;
                best = Math.max(best, chunksize(a.top()));
                for (int i = 0; i < NFASTBINS; i++) {
                    for (long p = a.fastbin(i); p != 0; p = protectPtr(p + 16, fd(p))) {
                        best = Math.max(best, chunksize(p));
                    }
                }
                for (int i = 1; i < NBINS; i++) {
                    long b = a.binAt(i);
                    for (long p = bk(b); p != b; p = bk(p)) {
                        best = Math.max(best, chunksize(p));
                    }
                }
                a = a.next;
            } while (a != mainArena);
        } catch (Died d) {
            // corrupt lists: what was seen
        }
        return best;
    }

    List<Arena> arenas() {
        List<Arena> l = new ArrayList<>();
        Arena a = mainArena;
        do {
            l.add(a);
            a = a.next;
        } while (a != mainArena);
        return l;
    }
}
