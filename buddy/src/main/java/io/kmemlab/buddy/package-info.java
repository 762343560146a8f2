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
 * grants, then with no watermarks for {@code __GFP_MEMALLOC}. There is <b>no reclaim, no
 * compaction, no OOM killer and no kswapd</b>: when those attempts fail the allocation fails with
 * the kernel's {@code page allocation failure} report (unless {@code __GFP_NOWARN}). A watermark
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
 *   <li>pcp {@code count} = pages on that pcp's lists, every pcp page has PG_PCP;
 *   <li>no page is covered by two free or pcp blocks, and no PG_BUDDY/PG_PCP page is on no list;
 *   <li>managed ≥ free + pcp pages in every zone.
 * </ul>
 *
 * <h2>Lock order</h2>
 *
 * {@code pcp->lock} (trylock, per zone and CPU) before {@code zone->lock}: the refill and the bulk
 * free take the zone lock while holding the pcp lock; the buddy path takes only the zone lock.
 * Both are machine-owned {@link io.kmemlab.mm.SpinLock}s.
 *
 * <h2>Bad input</h2>
 *
 * A free of something that is not an allocated block head of that order (double free, tail page,
 * reserved page, wrong order, a page on a pcp list, a pfn outside memory) prints
 * {@code BUG: Bad page state in process <comm>  pfn:<hex>}, the first lines of the page dump and
 * {@code page dumped because: <reason>}, is counted as {@code BAD_PAGE}, and changes nothing.
 * Compaction (isolation scanners) is left to a later issue; the pageblock byte keeps a bit free for
 * PB_compact_skip and {@code moveFreepagesBlock} is the primitive it will need.
 */
package io.kmemlab.buddy;
