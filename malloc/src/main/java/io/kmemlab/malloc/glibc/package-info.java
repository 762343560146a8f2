/**
 * glibc 2.36's malloc, ptmalloc2, decision for decision ({@code --allocator glibc}): replaying a
 * real program's allocation trace gives the address and usable size the real library gives, for
 * every request, and the same mallinfo2(), malloc_stats() and malloc_info() text. It follows
 * {@code malloc/malloc.c} and {@code malloc/arena.c} at the {@code glibc-2.36} tag (Debian 12's
 * 2.36-9+deb12u14 changes neither, apart from the memalign alignment-overflow check, which is
 * here too), on x86-64: SIZE_SZ 8, MALLOC_ALIGNMENT 16, MINSIZE 32, 4 KiB pages.
 *
 * <h2>How it works</h2>
 *
 * Memory is chunks; a chunk's header words live in the process's memory, so a stray store
 * ({@code poke}) corrupts the heap exactly as in a real process and glibc's own checks find it:
 *
 * <pre>
 *  chunk → ┌──────────────────────────────┐
 *          │ prev_size (if previous free) │  the previous chunk's boundary tag
 *          │ size | A | M | P             │  A NON_MAIN_ARENA (4), M IS_MMAPPED (2), P PREV_INUSE (1)
 *  mem   → ├──────────────────────────────┤  (what malloc returns: chunk + 16)
 *          │ fd        (free: next)       │  tcache/fastbin: safe-linked, (&fd &gt;&gt; 12) ^ next
 *          │ bk        (free: previous)   │  tcache: the key, marking "in the tcache"
 *          │ fd_nextsize, bk_nextsize     │  large free chunks: skip list over sizes
 *          ├ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─┤
 *          │ user data … (usable: size-8) │
 *  next  → │ prev_size = size (free only) │
 * </pre>
 *
 * The main arena is the brk heap: its first chunk is the tcache_perthread_struct (counts[64],
 * entries[64]: 0x290 bytes), then the program's chunks, then the top chunk, which sbrk grows by
 * {@code nb + top_pad + MINSIZE} rounded to a page (top_pad 128 KiB). A thread's arena lives in
 * 64 MiB-aligned heaps it mmaps (PROT_NONE reserved, mprotected as it grows).
 *
 * <p>malloc(n), in 2.36's order: the request becomes a chunk size {@code nb} (n + 8 rounded up to
 * 16, at least 32); (1) the thread's tcache bin {@code (nb - 32) / 16} (64 bins of at most
 * {@code tcache_count} = 7 chunks, LIFO, no lock); (2) {@code _int_malloc}: the fastbin for nb ≤
 * {@code global_max_fast} (128), refilling the tcache from the same bin; the small bin (nb &lt; 1024),
 * also refilling the tcache; for a large request, malloc_consolidate first if fastbins hold
 * anything; (3) the unsorted bin, oldest first: the last-remainder rule for small requests, an
 * exact fit goes to the tcache while it has room (one is returned at the end), every other chunk
 * is filed into its small bin or its sorted large bin (binmap bit set); (4) best fit in the large
 * bin; (5) the binmap scan for the next non-empty bin, splitting with the remainder to the unsorted
 * bin; (6) the top chunk; failing that, consolidate and retry once, then sysmalloc: a mapping of
 * its own at or above {@code mmap_threshold} (128 KiB, raised to a freed mmapped chunk's size up to
 * 32 MiB unless a threshold was set), else grow top (brk; on failure an mmap'd, non-contiguous
 * piece of at least 1 MiB with fenceposts closing the old top).
 *
 * <p>free(p): the tcache if its bin has room (key check: a second free of a cached chunk aborts
 * "free(): double free detected in tcache 2"); a fastbin for size ≤ global_max_fast (top-of-bin
 * check "double free or corruption (fasttop)"); otherwise coalesce with free neighbours and put on
 * the unsorted bin (2.36 files nothing directly into small bins), or merge into top; a merged
 * chunk of 64 KiB or more consolidates the fastbins and, in the main arena, trims top above
 * {@code trim_threshold} with a negative sbrk keeping top_pad. realloc grows in place into top or a
 * free successor, shrinks by splitting (the tail freed, so it may land in the tcache), mremaps
 * mmapped chunks; calloc goes to _int_malloc directly (2.36's calloc never takes from the tcache)
 * and clears only what sbrk did not hand out fresh; memalign over-allocates and frees the lead
 * and tail.
 *
 * <h2>Invariants ({@link io.kmemlab.malloc.glibc.GlibcMalloc#validate()})</h2>
 *
 * <ul>
 *   <li>Every chunk in a regular bin is free: its successor's P bit is clear, its footer equals
 *       its size, its predecessor is in use (free neighbours are always merged), and it sits in
 *       the bin of its size; a non-empty bin's binmap bit is set (a set bit may be stale).
 *   <li>Chunks in the tcache and fastbins look allocated (successor's P set), have the size of
 *       their bin; a tcache bin's count equals its list length, each entry carries the key.
 *   <li>Walking the brk heap from sbrk_base by sizes lands exactly on top; top's end minus
 *       sbrk_base is system_mem (contiguous main arena).
 * </ul>
 *
 * <h2>Parameters</h2>
 *
 * Every mallopt M_* parameter and {@code glibc.malloc.*} tunable of 2.36 with its default,
 * settable per run ({@link io.kmemlab.malloc.glibc.GlibcOptions}): top_pad (131072),
 * mmap_threshold (131072, dynamic), trim_threshold (131072, dynamic), mmap_max (65536),
 * arena_max (0: 8 × CPUs once arena_test (8) arenas exist), arena_test, tcache_max (1032),
 * tcache_count (7, ≤ 65535), tcache_unsorted_limit (0), mxfast (128; ≤ 160), perturb (0),
 * hugetlb (0; 1 = THP by madvise, 2 = MAP_HUGETLB with sbrk disabled), check (needs
 * libc_malloc_debug.so: no effect).
 *
 * <h2>Simplifications</h2>
 *
 * <ul>
 *   <li>The malloc_state structs are kept in {@link io.kmemlab.malloc.glibc.Arena}'s word array
 *       at the address the struct has (the main arena in the never-mapped page below TASK_SIZE);
 *       chunk links into them work as in glibc, but a poke cannot reach them.
 *   <li>tcache_key is a fixed function of the pid (glibc draws it from getrandom), so runs repeat.
 *   <li>Threads ({@link io.kmemlab.malloc.glibc.GlibcMalloc#asThread(int)}) run one operation at a
 *       time. In a replay every arena lock is free, so arena_get2 and reused_arena decide as glibc
 *       does when nothing contends. Under a scheduler ({@link
 *       io.kmemlab.malloc.glibc.GlibcMalloc#attach}) each operation records the locks its path takes
 *       (the arena mutexes, list_lock and free_list_lock as futex locks; none on a tcache hit or in
 *       a single-threaded process; a CAS on the fastbin head), its work ({@code GlibcCosts}) and the
 *       lines it writes, and reused_arena's trylock sees a lock held by a thread as the operation
 *       starts; the operation's effect on the heap still happens when it starts
 *       (docs/contention.md).
 *   <li>MALLOC_DEBUG's check_* assertions are not run per operation; validate() does their work.
 * </ul>
 */
package io.kmemlab.malloc.glibc;
