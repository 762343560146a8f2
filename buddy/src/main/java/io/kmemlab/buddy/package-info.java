/**
 * The zoned buddy page allocator of Linux 6.18 ({@code mm/page_alloc.c}, with the pieces of
 * {@code mm/mm_init.c}, {@code mm/vmstat.c} and {@code mm/khugepaged.c} it needs), for one NUMA
 * node on x86-64: MAX_PAGE_ORDER 10, pageblock order 9, zones DMA, DMA32, Normal, Movable and
 * Device. {@link io.kmemlab.buddy.BuddyAllocator} implements
 * {@link io.kmemlab.mm.page.ZonedPageAllocator}; {@link io.kmemlab.buddy.BuddyViews} prints its
 * {@code /proc} files from the read-only metrics.
 *
 * <h2>Free areas</h2>
 *
 * Each zone has {@code free_area[0..10]}; each free area has one list per migrate type and one
 * {@code nr_free} that counts <em>blocks</em> of all types. A free block is known by its head
 * page only: {@code PG_BUDDY} set and the order in {@link io.kmemlab.mm.PageFrames}; tail pages
 * carry nothing. The lists are {@link io.kmemlab.mm.PfnList}s threaded through the frames, so no
 * Java object exists per page.
 *
 * <pre>
 *  zone DMA32                 Unmovable   Movable       Reclaimable  HighAtomic  Isolate   nr_free
 *  free_area[10]              -           [4096]-[5120]  -            -           -         2
 *  free_area[9]               [9728]      -              -            -           -         1
 *  free_area[0]               [9217]      -              -            -           -         1
 *
 *  split (expand), order-0 request from an order-3 block at P:
 *      P ........ P+7          keep P, give back the upper halves, each at the list HEAD:
 *      [P|P+1|P+2 P+3|P+4 ... P+7]     P+4 -> free_area[2], P+2 -> free_area[1], P+1 -> free_area[0]
 *
 *  merge (__free_one_page), freeing B at order k:
 *      buddy = B ^ (1 << k); while it is a free head of order k in the same zone (and, at
 *      order >= 9, of a mergeable pageblock type): unlink it, B &= buddy, k++.
 *      Queue at the TAIL if FPI_TO_TAIL (boot) or buddy_merge_likely (the enclosing order k+1
 *      block's own buddy is free), else at the HEAD.
 * </pre>
 *
 * <h2>Pageblocks and fallback</h2>
 *
 * Every 512-page pageblock has a migrate type (one byte per pageblock, bits 0-2 the type, bit 3
 * the isolate bit). Boot marks every pageblock that starts inside a zone MOVABLE. A request of
 * type {@code gfp_migratetype(gfp)} tries its own lists ({@code __rmqueue_smallest}), then
 * claims ({@code __rmqueue_claim}: largest block first, whole free pageblocks are retyped, a
 * smaller block retypes its pageblock only if at least half of it is free or compatible), then,
 * unless {@code ALLOC_NOFRAGMENT}, steals ({@code __rmqueue_steal}: smallest block, the leftovers
 * stay on the fallback type's lists). Fallback order: Unmovable → Reclaimable, Movable; Movable →
 * Reclaimable, Unmovable; Reclaimable → Unmovable, Movable. {@code mm_page_alloc_extfrag} fires
 * for every claim and steal. "Movable pages in use" for the claim rule are the allocated blocks
 * whose allocation carried {@code __GFP_MOVABLE} (the model's PageLRU).
 *
 * <h2>Watermarks and the allocation path</h2>
 *
 * {@code init_per_zone_wmark_min}: min_free_kbytes = int_sqrt(16 × lowmem kB) clamped to
 * [128, 262144], raised for THP to 512 × zones × 11 pages (at most 5 % of lowmem); per-zone
 * min/low/high/promo by managed share with delta = max(min/4, managed × scale / 10000);
 * lowmem_reserve from the ratios; totalreserve; pcp batch and high_min/high_max. An allocation
 * first walks the zonelist at the low watermark (with ALLOC_NOFRAGMENT when Normal is preferred,
 * retried without it), then once at the min watermark with the reserves {@code gfp_to_alloc_flags}
 * grants, then with no watermarks for {@code __GFP_MEMALLOC}, with direct compaction where the
 * kernel compacts (see "Compaction"). There is <b>no reclaim, no OOM killer and no kswapd
 * reclaim</b>: when those attempts fail the allocation fails with the kernel's
 * {@code page allocation failure} report (unless {@code __GFP_NOWARN}), which here also says what
 * compaction did. A watermark
 * boost set by a fallback is dropped again when the allocation that set it "wakes kswapd", as
 * balance_pgdat() would after its boost reclaim. {@code __GFP_NOFAIL} is not looped on. A
 * high-order {@code GFP_ATOMIC} success in the slow path reserves its pageblock as HIGHATOMIC
 * (up to about 1 % of the zone, {@code reserve_highatomic_pageblock}); since reclaim never makes
 * progress here, a request that may reclaim and retry ends as the kernel's retry loop does, by
 * handing reserved blocks back ({@code unreserve_highatomic_pageblock(force)}) and retrying.
 * {@code decay_pcp_high} runs only when the caller drives the vmstat worker
 * ({@code vmstatRefresh(cpu)}, about once per emulated second in the kernel).
 *
 * <h2>Per-CPU page lists</h2>
 *
 * Orders 0…3 (and 9 with THP) go through {@code struct per_cpu_pages}: 3 lists per order plus two
 * THP lists. A refill ({@code rmqueue_bulk}) takes {@code nr_pcp_alloc()} blocks under one zone
 * lock and appends them at the tail; an allocation takes the head; a free adds at the head, and
 * once {@code count >= nr_pcp_high()} {@code free_pcppages_bulk} returns the coldest (tail) pages
 * round-robin across lists. Pages on pcp lists are marked {@code PG_PCP} and are <em>not</em> free
 * in NR_FREE_PAGES, buddyinfo or MemFree. There is no batched-folio free path, so
 * {@code mm_page_free_batched} is never emitted.
 *
 * <h2>Invariants (checked by {@code validate()})</h2>
 * <ul>
 *   <li>every block on {@code free_list[mt]} of order k is a naturally aligned head with PG_BUDDY
 *       and order k, inside its zone, and every pageblock it covers has type mt;
 *   <li>{@code nr_free[k]} = Σ list lengths at order k; NR_FREE_PAGES = pages on non-isolate lists;
 *       NR_FREE_PAGES_BLOCKS = pages of non-isolate blocks of order ≥ 9;
 *   <li>pcp {@code count} = pages on that pcp's lists, every pcp page has PG_PCP, each list's back
 *       links and tail agree with its forward walk;
 *   <li>no page is covered by two free or pcp blocks, and no PG_BUDDY/PG_PCP page is on no list;
 *   <li>managed ≥ free + pcp pages in every zone.
 * </ul>
 *
 * <h2>Lock order</h2>
 *
 * {@code pcp->lock} (trylock, per zone and CPU) before {@code zone->lock}: the refill and the bulk
 * free take the zone lock while holding the pcp lock; the buddy path takes only the zone lock.
 * zone->lock is a machine-owned {@link io.kmemlab.mm.SpinLock}; pcp->lock is the same plain lock
 * word and lock_stat counts kept inline in {@code PerCpuPages}, beside the heads of its lists (one
 * object to reach on the per-CPU fast path, as the kernel's struct per_cpu_pages holds both).
 *
 * <h2>Bad input</h2>
 *
 * A free of something that is not an allocated block head of that order (double free, tail page,
 * reserved page, wrong order, a page on a pcp list, a pfn outside memory) prints
 * {@code BUG: Bad page state in process <comm>  pfn:<hex>}, the first lines of the page dump and
 * {@code page dumped because: <reason>}, is counted as {@code BAD_PAGE}, and changes nothing.
 *
 * <h2>Compaction</h2>
 *
 * {@link io.kmemlab.buddy.Compaction} follows {@code mm/compaction.c} of 6.18. {@code compact_zone}
 * runs two scanners over one zone, pageblock by pageblock:
 *
 * <pre>
 *  zone_start                                                               zone_end
 *  |[M  u  M  .  M][M  .  M  M  .][ .  .  M  .  .][ .  .  .  .  .][ .  .  .  .  .]|
 *   migrate_pfn →  isolates movable (M) pages, 32 at a time      ← free_pfn isolates free (.) pages
 *  each isolated page: target = compaction_alloc() (a free page the free scanner took), bytes
 *  copied through PhysMem, head state moved, owners told, old page freed. The scanners meet when
 *  free_pfn's pageblock ≤ migrate_pfn's pageblock: COMPLETE (whole zone) or PARTIAL_SKIPPED.
 * </pre>
 *
 * <b>Movable pages and their owners.</b> A page is movable when its allocation carried
 * {@code __GFP_MOVABLE} (the head remembers it, the model's PageLRU) and it has one reference.
 * The kernel finds and rewrites the PTEs that map it (rmap); kmemlab has no page tables for most
 * pages, so whoever keeps a page's address registers a {@link io.kmemlab.mm.page.MovableOwner}
 * ({@code ZonedPageAllocator.addMovableOwner}): a page is isolated only if some owner claims it
 * ({@code owns}) and none of the owners that claim it refuses ({@code mayMigrate}: pinned), and
 * those owners are told the new pfn. Boot registers the processes' reverse map (user pages follow
 * their PTEs); the shell registers one for the movable blocks it allocated and rebinds the
 * {@code $var}s that
 * point into a moved block (printing the move); a replay registers none, so replayed pages never
 * move under the replay's pfn map. Unmovable, slab, reserved, pcp and pinned pages are never
 * isolated; free pages are skipped by their order; blocks of order ≥ 9 or ≥ the target order are
 * skipped whole.
 *
 * <b>Scanners.</b> The migrate scanner ({@code isolate_migratepages}) starts at the zone's start
 * (or the cached position), skips pageblocks with PB_compact_skip (bit 4 of the pageblock byte)
 * unless the run ignores skip hints, for async direct compaction takes only blocks of the
 * request's mobility, and isolates from the first suitable block only; async direct compaction
 * works in order-aligned chunks and gives a chunk up at its first unmovable page. A block scanned
 * to the end without isolating anything, or the first isolation in a block, sets its skip bit.
 * The free scanner first tries {@code fast_isolate_freepages} (one block from the MOVABLE free
 * lists' tail near free_pfn, the scanned part rotated to the front, then the rest of that
 * pageblock unless async direct), then walks down from free_pfn with a stride (32 async, 1 sync,
 * reset to 1 after a block that gave pages), only in MOVABLE blocks (any block at SYNC_FULL),
 * never below min watermark + the block ({@code __isolate_free_page}).
 *
 * <b>When.</b> {@code compaction_suitable}: the order-0 watermark plus {@code 2 << order} (plus
 * low − min above order 3) must pass, and above order 3 the fragmentation index must exceed
 * {@code extfrag_threshold} (500) — an index at or below it means lack of memory, not
 * fragmentation. {@code __compact_finished} ends a run when a free block of the order exists for
 * the request's type (or a fallback could claim one). Direct compaction in the slow path: costly
 * orders (> 3) and non-movable orders > 0 compact first at COMPACT_PRIO_ASYNC; then, after the
 * (empty) direct reclaim, every order > 0 compacts at COMPACT_PRIO_SYNC_LIGHT; only with
 * {@code __GFP_DIRECT_RECLAIM} and {@code __GFP_IO}. Each run that is not SKIPPED counts
 * compact_stall, then compact_success or compact_fail. While a direct compactor runs, a page
 * freed that merges up to exactly its order is captured ({@code compaction_capture}). Deferral:
 * a sync run that ends COMPLETE or PARTIAL_SKIPPED defers the zone (at most 64 skipped attempts,
 * shift capped at 6), a success resets it. Between the two direct attempts the model lets kswapd
 * — woken at the start of the slow path, with nothing to reclaim — go back to sleep, which resets
 * the skip bits of a zone whose direct compactor's scanners met and wakes kcompactd.
 *
 * <b>Background.</b> {@code /proc/sys/vm/compact_memory} (write 1) compacts every zone at order
 * −1, MIGRATE_SYNC, ignoring skip hints. kcompactd runs when the virtual clock advances
 * ({@code timerTick}, the shell's {@code tick} and {@code sleep}): work it was woken for
 * (kcompactd_do_work at SYNC_LIGHT, counted in compact_daemon_*), and every 500 ms proactive
 * compaction when {@code compaction_proactiveness} (20) is non-zero and the node's fragmentation
 * score (extfrag of order 9, weighted by zone size) exceeds 90; a zone is compacted until its
 * score is ≤ 80, and a pass that does not lower the score backs the timer off to 32 s.
 *
 * <b>Simplifications.</b> No LRU lists, so no lru_add_drain and no NR_ISOLATED throttling; no
 * writeback, dirty or file-backed pages (every movable page is clean anonymous memory), no
 * hugetlb, CMA or THP folios; no {@code fast_find_migrateblock}; contention and signals never
 * happen; {@code __reset_isolation_suitable} clears every skip bit of the zone (the kernel
 * samples blocks for restart points); {@code should_compact_retry} is never reached because
 * reclaim never makes progress; kswapd is the instant no-op described above, so there is no
 * kswapd-running check in proactive compaction; kcompactd's events are printed with the
 * current CPU's task, not {@code kcompactd0}; the per-node {@code compact} sysfs file and
 * {@code compact_unevictable_allowed} are absent.
 */
package io.kmemlab.buddy;
