/**
 * SLUB as in Linux 6.18 {@code mm/slub.c}: one per-CPU slab with a lockless freelist, a per-CPU
 * partial list and per-node partial lists, the opt-in per-CPU sheaves and per-node barns of
 * caches created with {@code kmem_cache_args.sheaf_capacity}, and {@code slab_debug}; and, with
 * kmemlab's boot word {@code slub_version=7.1}, the SLUB of Linux 7.1.5, where sheaves replaced the
 * per-CPU slabs. Reference: slub.md, sheaves-compaction.md §1–§2, debugging.md Part A,
 * kmalloc-and-slab-common.md.
 *
 * <h2>A slab</h2>
 *
 * <pre>
 *  head page (PG_slab, page_private = slab id → SlabTable: freelist, inuse, objects, state, links)
 *  ┌──────────┬──────────┬──────────┬── … ──┬──────────┬─────────┐
 *  │ slot 0   │ slot 1   │ slot 2   │       │ slot n-1 │ leftover│  PAGE_SIZE &lt;&lt; order
 *  └──────────┴──────────┴──────────┴── … ──┴──────────┴─────────┘
 *     slot = [left RZ][object (fp inside at s->offset)][right RZ][fp outside][tracks][orig_size][pad]
 *
 *  free pointers live in the object bytes (PhysMem), encoded under SLAB_FREELIST_HARDENED as
 *  ptr ^ s->random ^ swab64(&amp;fp); slab->freelist and c->freelist hold plain addresses.
 * </pre>
 *
 * Geometry is {@link io.kmemlab.slub.SlubGeometry} ({@code calculate_sizes},
 * {@code calculate_order} of 6.8+ with fractions 16, 8, 4, 2, {@code min_partial},
 * {@code cpu_partial}). A new slab's freelist follows a per-cache random permutation walked from a
 * random start (SLAB_FREELIST_RANDOM, on in the reference configuration; seeded from the machine's
 * random stream, so runs are reproducible), or address order with {@code slab_freelist_random=off}.
 *
 * <h2>Slab states and list movement</h2>
 *
 * <pre>
 *   new_slab ──freeze──▶ CPU_SLAB (frozen; c-&gt;freelist owns its free objects)
 *   CPU_SLAB ──slab freelist empty at refill──▶ NONE (full, on no list; DEACTIVATE_BYPASS)
 *   CPU_SLAB ──deactivate (flush, shrink, validate, destroy)──▶ NODE_PARTIAL head/tail | NONE | discarded
 *   NONE (full) ──first remote free──▶ CPU_PARTIAL of the freeing CPU (put_cpu_partial, drain when
 *                                         the list holds cpu_partial_slabs)
 *   CPU_PARTIAL ──drain / flush──▶ NODE_PARTIAL tail, or discarded if empty and nr_partial ≥ min_partial
 *   NODE_PARTIAL ──get_partial──▶ CPU_SLAB (+ up to cpu_partial_slabs/2 + 1 more to CPU_PARTIAL)
 *   NODE_PARTIAL ──last object freed, nr_partial ≥ min_partial──▶ discarded (pages to the buddy)
 *   discarded, TYPESAFE_BY_RCU cache ──▶ RCU_FREE (on no list, out of nr_slabs) ──grace period──▶ pages freed
 *   debug caches: no CPU_SLAB/CPU_PARTIAL; one object per call under the list lock; full slabs on
 *   NODE_FULL with U; a failed consistency check freezes the slab as DEAD ("Marking all objects used")
 * </pre>
 *
 * <h2>Sheaves and barns ({@link io.kmemlab.slub.SlubSheaves})</h2>
 *
 * <pre>
 *  per CPU:  main ──(empty)──▶ swap with a non-empty spare │ trade for a full barn sheaf (BARN_GET)
 *                              │ else BARN_GET_FAIL: refill the spare / an empty barn sheaf / a new
 *                              │ one from slabs (SHEAF_REFILL), install it, old main → spare
 *            main ──(full, free)──▶ no spare: take an empty barn sheaf (main → spare)
 *                              │ spare not full: swap │ both full: full main → barn (BARN_PUT),
 *                              │ barn at 10 full: flush the spare to slabs (BARN_PUT_FAIL) and use it
 *                              │ no empty sheaf anywhere: allocate one (GFP_NOWAIT), else flush main
 *                              │ to slabs in batches of 32 (SHEAF_FLUSH)
 *            rcu_free ──(kfree_rcu, full)──▶ call_rcu ──▶ barn as a full sheaf (&lt; 10) or flushed
 *  per node: barn { full (≤ 10), empty (≤ 10) }, LIFO
 *  a sheaf:  kmalloc(32 + 8 × capacity) holding object pointers; its objects are inuse on their slabs
 * </pre>
 *
 * 6.18 gives sheaves only to caches that ask (maple_node and vm_area_struct, capacity 32) and have
 * no debug flag; it refills a sheaf only for requests that may block, through the per-CPU slab
 * ({@code __kmem_cache_alloc_bulk}), and flushes through {@code do_slab_free}; such caches never
 * merge. 7.1 ({@link io.kmemlab.slub.SlubVersion}) gives every cache sheaves except the two boot
 * caches, debug caches and SLAB_NOLEAKTRACE caches (kmalloc caches in a second boot step), with a
 * capacity by stride (60 / 26 / 12 / 4, rounded up to fill the sheaf's kmalloc bucket: 60 / 28 / 12
 * / 4, a requested capacity as a floor); there is no {@code kmem_cache_cpu}: an allocation the
 * sheaves cannot serve takes one object from the first node partial slab or a new slab (which then
 * heads the partial list), a free that cannot go to a sheaf goes straight to its slab (no frozen
 * slabs), and a refill ({@code refill_objects}) takes whole partial slabs off the list head. Caches
 * merge in 7.1 unless they ask for a capacity. The 17 counters 7.0 removed have no sysfs files;
 * {@code cpu_partial} reads 0 and takes only 0, {@code slabs_cpu_partial} reads {@code 0(0)}.
 *
 * <h2>Invariants ({@code validate()})</h2>
 *
 * <ul>
 *   <li>for every slab not frozen: inuse + length(slab freelist) == objects, 0 ≤ inuse ≤ objects;</li>
 *   <li>nr_slabs and total_objects equal the sums over the cache's slabs; nr_partial equals the
 *       slabs marked NODE_PARTIAL and the length of the partial list;</li>
 *   <li>a CPU's cpu slab is frozen and belongs to the cache; the head of a cpu partial list holds
 *       the list length; debug caches have neither;</li>
 *   <li>every slab head is PG_slab with page_private naming its table entry;</li>
 *   <li>RCU_FREE slabs are empty, still PG_slab, and counted by the cache's pending RCU count,
 *       not by nr_slabs; the slab table holds exactly nr_slabs + pending RCU slabs per cache.</li>
 *   <li>every CPU has a main sheaf; a spare is empty or full; barn sheaves on the empty list are
 *       empty and those on the full list are not; every object a sheaf holds is an object start on
 *       a slab of the cache; 7.1 caches hold no cpu slab and no cpu partial slab.</li>
 * </ul>
 *
 * <h2>TYPESAFE_BY_RCU slabs</h2>
 *
 * As {@code discard_slab} → {@code free_slab}: the node counters (nr_slabs, total_objects, and so
 * slabinfo and sysfs) drop at discard time; a TYPESAFE_BY_RCU cache's slab then waits as RCU_FREE
 * for {@code rcu_free_slab}, queued with the machine's RCU ({@code machine.rcu().callRcu},
 * {@link io.kmemlab.mm.Rcu}). Its grace period ends at a timer tick on the virtual clock's jiffies,
 * or at an rcu_barrier; only then does {@code __free_slab} clear PG_slab, take the pages
 * out of NR_SLAB_*_B (meminfo "Slab:") and give them back. {@code kmem_cache_destroy} runs
 * {@code rcu_barrier} after shutting an RCU cache down, so a destroyed cache has returned every
 * page. A free of an address in an RCU_FREE slab finds no owning cache and is reported as a bad
 * free.
 * Every chain walk is bounded by the slab's object count and every pointer read from object
 * memory is checked to be an object start of that slab before it is followed, so user corruption
 * is reported ("Freechain corrupt", FIX "Isolate corrupted freechain") instead of sending the
 * emulator through a wild pointer.
 *
 * <h2>Hot paths and what they cost</h2>
 *
 * The fast paths do what the kernel's do, in the same order, with every check kept: the alloc
 * fast path pops the cpu freelist, reads the next free pointer from object memory, decodes it
 * (hardened) and checks it is an object start of the cpu slab before it becomes the new head;
 * the free path checks the address is an object start of its slab and pushes it on the cpu
 * freelist or on the slab freelist ({@code __slab_free} with its list movements). Two emulation
 * shortcuts keep them short, neither visible in any output:
 *
 * <ul>
 *   <li>free pointers are read and written through the slab's own handle on PhysMem: an order-0
 *       slab keeps its page bytes ({@code SlabTable.Slab.frame}), a larger one its directory block
 *       ({@code SlabTable.block}); the bytes are the ones every other PhysMem accessor sees, so
 *       corruption by {@code poke} or a use-after-free behaves exactly as before. The fields
 *       every free touches (freelist, inuse, state, those bytes) are one {@code SlabTable.Slab}
 *       object per slab id, the rest parallel arrays;</li>
 *   <li>kmem_cache_free and kfree find the slab once: {@code SlabCache.ownerOf} (cache_from_obj)
 *       answers from the page last found on one of the cache's slabs, else
 *       {@code SlubAllocator.ownerOf} (range, hole, compound head, PG_slab, page_private, the
 *       slab table) finds it and the owning cache remembers it; {@code SlabCache.free} then frees
 *       on the remembered slab with its bounds kept beside it. {@code discard_slab} forgets the
 *       page, so a page given back and reused by another cache is looked up again (and a
 *       wrong-cache free reported by the common layer). The remembered page is matched by its
 *       page number taken as a long, which only an address on that page of the direct map has.
 *       kmem_cache_free goes straight to the free when {@code remembers(obj)}: an object start of
 *       the remembered slab (one sign test of an OR of the four bounds of check_valid_pointer),
 *       which implies the page.</li>
 * </ul>
 *
 * The counters of the fast paths (alloc_fastpath, free_fastpath, free_slowpath, free_frozen)
 * are fields of the CPU's {@code CpuSlab}, the kernel's {@code kmem_cache_cpu}, where the kernel
 * keeps all of them ({@code c->stat[]}); the others are an array per cache. A new slab whose object
 * count is random_seq's length, the usual one, is shuffled by a walk of consecutive entries of the
 * sequence kept as byte offsets twice over (the kernel keeps offsets too): the same start, the
 * same order, nothing to skip or wrap.
 *
 * A cache without debugging, sheaves or 7.1's slab paths is "plain": the fast paths test that one
 * flag. Their slow sides (put_cpu_partial, discard_slab, remove_partial, virt_to_slab past the
 * remembered page) are separate methods that the benchmark harnesses keep out of line, as the
 * kernel keeps its functions ({@code bench-jit.args}): compiled into the fast path they bloated it.
 *
 * <h2>Double free</h2>
 *
 * Without debugging the kernel checks only the hardened {@code set_freepointer} BUG_ON: freeing
 * the object that is the head of the freelist it is pushed onto is a {@code kernel BUG} (kmemlab
 * reports it and refuses the free). Any other double free is accepted, as in the kernel: the
 * object appears twice on a freelist and will be handed out twice. kmemlab's bounded walks then
 * see a chain longer than the slab's free count and report "Freelist cycle detected"; a free into a
 * slab whose inuse is already 0 is refused with the kernel's "Slab has 0 allocated objects but 1
 * are to be freed". With {@code F} the kernel's own check catches it: "Object already free" and FIX
 * "Object at 0x… not freed" (the object is leaked). An address inside a slab that is not an object
 * start is refused with "Invalid object pointer".
 *
 * <h2>slab_debug</h2>
 *
 * {@link io.kmemlab.slub.SlubDebug}: poison 0x6b/0xa5, padding 0x5a, red zones 0xbb (free) /
 * 0xcc (allocated, and the kmalloc red zone past orig_size), tracks of 32 bytes (call site from
 * {@code machine.symbols()}, CPU, pid, the machine's jiffies at HZ=250), the kernel's check
 * order, and reports in the 6.12+ format ({@code [What overwritten] …}, BUG header with the taint
 * string, trailer, hex dumps, FIX). Errors are counted as the KUnit slab error counter counts
 * them; {@code SlabCache.validate()} returns the count of one {@code validate_slab_cache} run.
 *
 * <h2>Lock order (kernel)</h2>
 *
 * {@code slab_mutex} → {@code n->list_lock} → slab lock; the per-CPU fast paths use
 * {@code this_cpu_cmpxchg} on (freelist, tid) and take no lock. kmemlab is single-threaded per
 * machine with an explicit CPU argument, so the same per-CPU state transitions happen in the same
 * order without locks; stats are kept per CPU as CONFIG_SLUB_STATS does.
 *
 * <h2>Simplifications</h2>
 *
 * One NUMA node (node 0) whatever the machine's node count, so 7.1's per-node barns and its
 * remote-node free rule ({@code can_free_to_pcs}) are there but every CPU and slab is on node 0; an
 * RCU grace period is a tick of the virtual clock, not a count of quiescent states; no
 * kmalloc_nolock, no pfmemalloc slabs, no KASAN/KFENCE; sheaf structures are kmalloc objects of the
 * kernel's size, but their object pointers live in Java arrays, not in their emulated bytes, and
 * their kmalloc/kfree are not traced (so that an emitted trace replays to the same run); 7.1's
 * other changes (free pointer inside ctor caches, 8-byte orig_size) are not modelled; stack traces
 * are not recorded (the tracks print "stack trace missing"); a report carries no dump_stack.
 */
package io.kmemlab.slub;
