/**
 * jemalloc 5.3.0 as Debian 12's libjemalloc2 builds it (x86-64, 4 KiB pages, {@code
 * --enable-prof} but profiling off, statistics on, no HPA), emulated so faithfully that replaying a
 * real program's trace gives the same {@code malloc_usable_size} for every request, the same
 * {@code stats.*} figures and the same bin counters as the real library (see the answer-file
 * tests). Implemented from reading 5.3.0's sources; nothing is transcribed.
 *
 * <h2>How it works</h2>
 *
 * <pre>
 *   malloc(n) ──► size class ──► tcache bin (a stack of pointers) ──hit──► pointer
 *                  (sz table)        │ miss: fill nfill = ncached_max &gt;&gt; lg_fill_div
 *                                    ▼
 *                    arena 0 ── bin[ind]: slabcur, nonfull heap (sn, address), full slabs
 *                                    │ no slab: a fresh slab
 *                                    ▼
 *                    pac: ecache dirty ──► ecache muzzy ──► ecache retained ──► mmap (exp_grow)
 *   free(p) ──► page map (rtree) ──► tcache bin; when full, flush the older half to the slabs;
 *               a slab that empties goes back to dirty; decay moves dirty pages to retained
 * </pre>
 *
 * <ul>
 *   <li><b>Size classes</b> ({@link io.kmemlab.malloc.jemalloc.SizeClasses}): 8, then 16-byte steps to
 *       128, then four classes per doubling. Classes up to 14 KiB are small: served from slabs of
 *       {@code nregs} regions, a slab being the fewest pages the regions fill exactly. Larger ones
 *       are extents of their own with one page of padding (cache-oblivious placement: the pointer is
 *       a random cache line within the first page).
 *   <li><b>Thread cache</b> ({@link io.kmemlab.malloc.jemalloc.Tcache}): one stack per class up to
 *       {@code tcache_max} (41 bins). A small bin holds {@code 2 × nregs} clamped to 20…200; an empty
 *       bin is filled with half of that (then a quarter, an eighth … as the GC learns the bin is
 *       over-filled); a full bin flushes its older half. Every 64 KiB allocated, and every 64 KiB
 *       freed (the thread-event counters), the incremental GC visits the next bin round robin and
 *       flushes ¾ of what stayed unused since its last visit (its low-water mark). Flushes return
 *       regions in stack order, and slabs that empty are freed after the batch.
 *   <li><b>Arenas</b> ({@link io.kmemlab.malloc.jemalloc.Arena}): {@code narenas} = 4 × CPUs (8 on
 *       the 2-CPU machine the answers come from) plus the huge arena for requests of
 *       {@code oversize_threshold} (8 MiB) and more, which purges at once. A thread takes the least
 *       loaded arena, so a single-threaded process always has arena 0. Bins prefer the oldest,
 *       lowest slab; within a slab the lowest free region.
 *   <li><b>Extents</b> ({@link io.kmemlab.malloc.jemalloc.Pac}, {@link io.kmemlab.malloc.jemalloc.Ecache},
 *       {@link io.kmemlab.malloc.jemalloc.Extents}): free page runs sit in three caches by page size
 *       class. Allocation takes the lowest (serial number, address) extent among the classes from
 *       the request's up to 2^{@code lg_extent_max_active_fit} (64) times it — first fit by address
 *       — and splits the rest back. Address space grows geometrically through retained: 2 MiB, then
 *       one page class larger each time. Large dirty extents coalesce at once, slab-sized ones when
 *       evicted; nothing merges across the start of a mapping.
 *   <li><b>Decay</b> ({@link io.kmemlab.malloc.jemalloc.Decay}): dirty pages may stay as a smoothstep
 *       of their age over {@code dirty_decay_ms} (10 s) of the machine's virtual time, checked every
 *       1000 arena operations; with {@code muzzy_decay_ms} 0 (5.3's default) they are purged with
 *       MADV_DONTNEED straight back to retained. A short replay never reaches an epoch, as in the
 *       real runs.
 *   <li><b>Metadata</b> ({@link io.kmemlab.malloc.jemalloc.Base}): base blocks mapped from the
 *       process (2 MiB, then larger), carrying the bootstrap structures, one edata_t per extent ever
 *       live at once, and a 2 MiB rtree leaf per GiB of address space used.
 * </ul>
 *
 * <p>All memory comes from the process through {@link io.kmemlab.mm.user.UserSpace}: extents and
 * base blocks are mmapped, purges are madvised, so RSS and faults are the process's own. Before the
 * first user allocation the process holds what every Debian process with this library holds: the
 * tcache stacks (an internal 28 KiB allocation from arena 0) and libstdc++'s emergency exception
 * pool (72704 bytes, allocated by libstdc++'s constructor since libjemalloc.so.2 links libstdc++).
 *
 * <h2>Invariants (checked by {@code validate()})</h2>
 *
 * <ul>
 *   <li>Every slab's {@code nfree} equals its bitmap's free bits; no full slab is on a nonfull heap;
 *       {@code nonfull_slabs} counts the heap; a bin's {@code curregs} and {@code curslabs} cover its
 *       slabs.
 *   <li>Every base block still starts with its size (its {@code base_block_t} header).
 *   <li>Live usable bytes are at least the live requested bytes.
 * </ul>
 *
 * <h2>Statistics</h2>
 *
 * {@code stats.allocated, active, metadata, resident, mapped, retained} as {@code ctl_refresh}
 * computes them, and {@code malloc_stats_print} in its JSON ({@code "J"}) and text forms through
 * {@link io.kmemlab.mm.user.UserAllocatorStats}. Printing allocates its 64 KiB buffer from arena 0
 * as the real printer does, so the printed counters include it.
 *
 * <h2>Simplifications</h2>
 *
 * <ul>
 *   <li>Metadata lives in Java arrays, not in the base blocks; the blocks are mapped and their sizes
 *       are jemalloc's (the bootstrap bytes are measured on the real library, and depend on narenas).
 *       So a stray write into a base block is caught only at its header.
 *   <li>Threads ({@link io.kmemlab.malloc.jemalloc.Jemalloc#asThread(int)}) run one operation at a
 *       time: each new thread is bound by arena_choose_hard's least-loaded rule and gets its own
 *       tcache and thread-event counters; no per-CPU arenas, no background threads, one shard per
 *       bin. Under a scheduler ({@link io.kmemlab.malloc.jemalloc.Jemalloc#attach}) every bin's
 *       lock and each arena's extents_dirty and decay_dirty are spin-then-sleep mutexes whose
 *       counters fill malloc_stats_print's mutex columns (wait times in 4 ms ticks); every other
 *       mutex, and every mutex of a replay, prints 0 (docs/contention.md).
 *   <li>The decay ticker fires every 1000 arena operations (jemalloc draws it geometrically), and
 *       the deadline jitter comes from a PRNG seeded per arena, so runs repeat exactly.
 *   <li>Addresses follow the process's mmap layout; the real library's extents land where the
 *       kernel's randomized layout puts them. Only the order of addresses affects decisions, and
 *       it is the same (top-down), except that the real library occasionally needs a second rtree
 *       leaf when its mappings straddle a GiB boundary.
 *   <li>Without {@code retain}, growing a large allocation in place asks the kernel for the pages
 *       just past it (an mmap hint); the real library's answer then depends on where its mappings
 *       landed, and two real runs of one trace can differ in an edata_t or a dirty extent. kmemlab
 *       does not try the hint: the expansion fails and the allocation moves, as it mostly does.
 *   <li>A bad or double free is reported on stderr and counted; the real library trusts the pointer.
 * </ul>
 */
package io.kmemlab.malloc.jemalloc;
