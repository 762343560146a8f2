/**
 * SLAB, the classic object allocator of Linux ({@code mm/slab.c}), selected with
 * {@code slab=slab}.
 *
 * <h2>Version</h2>
 *
 * kmemlab follows {@code mm/slab.c} as of <b>Linux 6.0</b>: the geometry and tunables are those
 * of every kernel from 4.6 to 6.7 (unchanged apart from a detail of the off-slab test in 6.1), and
 * the kmalloc range is the pre-6.1 one, kmalloc-32 … kmalloc-4M with no large kmalloc, so that
 * {@code /proc/slabinfo} matches the real SLAB rows of the reference (a Linux 5.4.54 machine).
 * The kmalloc caches are created in the 5.4 order (INDEX_NODE cache first; NORMAL then RECLAIM
 * over 32 … 4M with 96 after 64 and 192 after 128; then a DMA cache for every NORMAL one). There
 * are no {@code kmalloc-cg-*} caches (5.14+): accounted kmalloc uses the NORMAL caches.
 *
 * <h2>Bonwick's design, as Linux kept it</h2>
 *
 * Bonwick's slab allocator (1994) caches objects of one type in <i>slabs</i>: one or more
 * contiguous pages cut into equal slots plus a count of objects in use; slabs are the unit of
 * reclaim; spare tail space <i>colours</i> successive slabs (shifts object 0 by a multiple of the
 * cache line) so that objects at equal offsets in different slabs do not compete for the same
 * cache lines; the internal fragmentation bound is 1/8. Linux kept all of that (the 1/8 rule is
 * {@code left_over × 8 <= slab bytes}), kept only constructors (no destructors), and replaced the
 * later magazine and depot layer (Bonwick &amp; Adams, 2001) by fixed-size per-CPU arrays and one
 * shared array per node, with sizes from a fixed table instead of Bonwick's adaptive magazines.
 *
 * <h2>A slab</h2>
 *
 * <pre>
 *  slab_addr                     s_mem = slab_addr + colour offset
 *  |                             |
 *  v                             v
 *  +-------- colour ------------+-------+-------+-----+---------+-----------+------------+
 *  | 0 … (colour−1) × colour_off | obj 0 | obj 1 | ... | obj n−1 | left over | [freelist] |
 *  +-----------------------------+-------+-------+-----+---------+-----------+------------+
 *                                 \___ num × size ___/                        ON_SLAB only:
 *                                                                             num index bytes
 *  freelist[active … num)  indices of the slab's free objects; slab_get_obj takes
 *                          freelist[active++], slab_put_obj writes freelist[--active]
 * </pre>
 *
 * The index array ({@code freelist_idx_t}, one byte with 4 KiB pages, so at most 255 objects per
 * slab) lives in emulated memory where the kernel puts it: OBJFREELIST caches (no constructor,
 * {@code num <= object_size}) keep it inside the free object handed out last, and a full slab has
 * a NULL freelist until a free makes the freed object its new home; OFF_SLAB caches kmalloc it
 * (only if the leftover cannot hold it, else the cache moves back on-slab at the expense of
 * colouring); ON_SLAB caches keep it in the last {@code num} bytes of the slab. The order is the
 * smallest with an object that stops at more than 255 objects, at the first fit for
 * RECLAIM_ACCOUNT caches, at {@code slab_max_order} (1 on machines with more than 32 MiB, else
 * 0) or when at most 1/8 is wasted. Each new slab of a node takes the next colour: the node's
 * {@code colour_next} is incremented <i>before</i> use, so the first slab gets offset
 * {@code colour_off}.
 *
 * <h2>Arrays and lists</h2>
 *
 * <pre>
 *   CPU 0 array_cache          CPU 1 array_cache        per CPU: limit, batchcount, touched
 *   [o o o o o . . .]          [o o . . . . . .]        entry[avail−1] is the hottest
 *          |  refill / flush (batchcount)  |
 *          v                               v
 *   node 0: shared array [o o o o o o o o . . . . .]    shared × batchcount entries
 *           alien[1]     [o o . .]                      objects of node 1 freed here (12)
 *           slabs_partial ⇄ slabs_full ⇄ slabs_free     free_objects, free_limit, colour_next
 * </pre>
 *
 * <ul>
 *   <li><b>Allocation</b> pops the CPU array (a hit, {@code touched = 1}). When empty,
 *       {@code cache_alloc_refill} moves up to {@code batchcount} objects (16 if the array was not
 *       touched since the last reap) from the shared array (its hottest), else from partial then
 *       free slabs; only if that yields nothing does it grow one slab.
 *   <li><b>Free</b> pushes onto the CPU array; a full array first flushes its {@code batchcount}
 *       oldest objects to the shared array (as many as fit) or back to their slabs
 *       ({@code free_block}). On a NUMA machine an object of another node goes to this node's
 *       alien array for that node (drained into the remote shared array and slabs when full), or,
 *       with {@code noaliencache}, straight to the remote node's slabs. Before it,
 *       {@code cache_from_obj}/{@code virt_to_cache} finds the slab from the page (compound head,
 *       PG_slab, the slab id in page_private, checked against the slab table) once: the cache
 *       remembers the last page found and its slab, so the free and the next allocation of an
 *       object on that page skip the page-struct lookup (an allocation that has to look a slab up
 *       remembers it too, once the page checks out as a slab of this cache). A page keeps its slab
 *       until {@code slab_destroy}, which forgets it.
 *   <li><b>List movement</b>: taking objects moves a slab to the head of {@code slabs_full} or
 *       {@code slabs_partial}; freeing moves it to the head of {@code slabs_free} (now empty) or the
 *       tail of {@code slabs_partial}; a new slab joins the tail of {@code slabs_free}. While
 *       {@code free_objects > free_limit} (= (1 + CPUs of the node) × batchcount + num) free slabs
 *       are destroyed from the tail of {@code slabs_free}.
 *   <li><b>Reaping</b> ({@code cache_reap}, every ≈ 2 s per CPU on the virtual clock, HZ 250,
 *       rounded to whole seconds with a 3-jiffy skew per CPU): drain one alien array
 *       (round-robin node), then the CPU array: a touched array is only untouched, otherwise
 *       {@code (limit + 4) / 5} of its oldest objects go back. Every 4 s per node the shared array
 *       gets the same treatment and, unless a slab was taken from {@code slabs_free} meanwhile,
 *       {@code ceil(free_limit / (5 × num))} free slabs are destroyed.
 *   <li><b>Tunables</b> ({@code enable_cpucache}): limit 120/54/24/8/1 by slot size, batchcount
 *       (limit + 1) / 2, shared 8 with more than one CPU and slots up to a page; a write of
 *       {@code NAME LIMIT BATCHCOUNT SHARED} to {@code /proc/slabinfo} (mode 0600) re-tunes.
 *   <li><b>Bootstrap</b>: DOWN → (kmem_cache) PARTIAL → (kmalloc-128 for the node structures)
 *       PARTIAL_NODE → (kmalloc caches) UP, every cache with 1-entry arrays; then
 *       {@code kmem_cache_init_late} gives every cache its final tunables, FULL, and starts the
 *       reap timers. mm/slab.c prints no boot summary line, and neither does kmemlab.
 * </ul>
 *
 * <h2>Invariants ({@link io.kmemlab.slab.ClassicSlabCache#validate()})</h2>
 *
 * <ul>
 *   <li>slabs_full holds slabs with active == num, slabs_partial 0 &lt; active &lt; num,
 *       slabs_free active == 0; every listed slab belongs to this cache and node;
 *       total_slabs and free_slabs count the lists;
 *   <li>free_objects == Σ (num − active) over the node's slabs (objects in arrays are "active");
 *   <li>every array holds only objects of this cache, of the right node, each at most once;
 *   <li>for every slab, each object is exactly one of: on the slab's free list, in an array, or
 *       held by a caller; active == held + in arrays;
 *   <li>the slab table holds exactly total_slabs + the destroyed slabs waiting for RCU (ON_RCU).
 * </ul>
 *
 * <h2>TYPESAFE_BY_RCU slabs</h2>
 *
 * As {@code slab_destroy}: its callers have already taken the slab off {@code slabs_free} and out
 * of total_slabs/free_objects (slabinfo moves at once); a TYPESAFE_BY_RCU cache's slab is then
 * marked ON_RCU and {@code kmem_rcu_free} is queued with the machine's RCU
 * ({@code machine.rcu().callRcu}, {@link io.kmemlab.mm.Rcu}), while an off-slab index array goes
 * back to its cache at once. When its grace period ends (at the timer tick on the virtual clock's
 * jiffies, or at an rcu_barrier) {@code kmem_freepages} clears PG_slab, takes the pages out of
 * NR_SLAB_*_B (meminfo "Slab:") and frees them. {@code kmem_cache_destroy} runs
 * {@code rcu_barrier} after shutting an RCU cache down, so destroy returns every page.
 *
 * <h2>Debugging</h2>
 *
 * Per cache (RED_ZONE, POISON, STORE_USER at {@code kmem_cache_create}) or for every cache with
 * the {@code slab_debug} boot word, which emulates a kernel built with CONFIG_DEBUG_SLAB (forced
 * debugging, statistics columns in /proc/slabinfo, limit capped at 32). Red-zone words and the
 * last-user word are dropped for caches aligned above 8 bytes, as in the kernel. Reports use the
 * kernel's texts ({@code Slab corruption}, {@code slab error in …()}, {@code double free …}).
 * Beyond the kernel, kmemlab keeps a live-object bitmap per slab, so double frees and interior
 * pointers are reported (and ignored) even without debugging instead of corrupting the cache,
 * and an index array overwritten by a stray write is reported rather than followed outside the
 * slab or to a live object.
 *
 * <h2>Locking</h2>
 *
 * The kernel's order is {@code slab_mutex} → (interrupts off) per-CPU array → {@code n->list_lock}
 * → alien lock of the remote node, never two list_locks at once; slabs are destroyed after the
 * list_lock is dropped. kmemlab runs one operation at a time on an explicit CPU, so there are no
 * locks; the code keeps the kernel's order of effects (queue slabs under the "lock", destroy
 * after).
 *
 * <h2>Simplifications</h2>
 *
 * The page allocator has no node argument: a slab belongs to the node of the CPU that grew it,
 * and when the quiet exact-node grow fails, {@code fallback_alloc} only retries on the local node
 * with the caller's flags (other nodes' pages would be no more available).
 * CPUs are spread over nodes in contiguous blocks. Free-list randomisation (SLAB_FREELIST_RANDOM)
 * is opt-in ({@link io.kmemlab.slab.SlabSettings#freelistRandom()}, from the machine's seeded
 * randomness, not the kernel's prandom stream); no pfmemalloc slabs, no memcg child caches; an RCU grace
 * period is a tick of the virtual clock. The per-node structures and the shared and alien arrays are Java objects
 * (the kernel kmallocs them); the {@code struct kmem_cache} of every cache is allocated from the
 * {@code kmem_cache} cache, so its slabinfo row counts caches.
 */
package io.kmemlab.slab;
