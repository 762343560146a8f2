/**
 * memblock, the boot-time memory manager ({@code mm/memblock.c}, Linux 6.18).
 *
 * <h2>How it works</h2>
 * Two sorted arrays of physical ranges: {@code memory} (what RAM exists, from the e820 map) and
 * {@code reserved} (what is taken: the kernel image, the first megabyte, every early allocation).
 * The free memory is implicit: memory minus reserved. An allocation walks those free ranges from
 * the top down (or bottom up on request), takes the highest (lowest) aligned fit inside
 * [min, max] and current_limit, and records it in {@code reserved} with the RSRV_KERN flag.
 * At the end of early boot {@code memblock_free_all} hands every free range to the buddy
 * allocator in naturally aligned chunks of up to order 10 (the boot sequence in
 * {@code io.kmemlab.boot.Kernel} does that walk).
 *
 * <pre>
 *  memory    [==== 0x1000-0x9fbff ====]      [=============== 1M - 1G ================]
 *  reserved  [======== 0 - 1M ==========]    [image]        [pcpu][pcpu][mem_map][pgdat]
 *  free                                        ^^^^ ^^^^^^^^^^^^^^^^^    ^^
 *                                              chunks of order ≤ 10 → buddy, bottom to top
 * </pre>
 *
 * <h2>Rules kept exactly</h2>
 * <ul>
 *   <li>add: only the uncovered parts of a range are inserted (with the new nid and flags);
 *       neighbours merge only if exactly adjacent with equal nid and flags. So an allocation
 *       (RSRV_KERN) next to a plain reservation (flags 0) does not merge with it.
 *   <li>remove/free: isolate (split regions crossing the boundaries), then delete the regions
 *       inside, walking backwards; an emptied array has cnt 0 and a zeroed regions[0].
 *   <li>sizes are capped so that base + size never passes PHYS_ADDR_MAX; addresses compare
 *       unsigned.
 *   <li>the arrays start with 128 entries and double (new space found in memblock itself,
 *       avoiding the range being added, then reserved RSRV_KERN) once resizing is allowed.
 *   <li>allocation never returns physical page 0; alignment 0 means SMP_CACHE_BYTES;
 *       memblock_alloc_internal drops the lower bound (never the upper) when nothing fits;
 *       exact-nid allocations never fall back to another node.
 * </ul>
 *
 * <h2>Invariants ({@link io.kmemlab.boot.memblock.Memblock#validate()})</h2>
 * Each array is sorted by base with no overlaps, and total_size is the sum of the region sizes
 * (kmemlab keeps it right after memblock_trim_memory too, where the kernel lets it go stale).
 *
 * <h2>Deviations</h2>
 * Allocation functions return physical addresses (the kernel returns {@code __va()} for the
 * memblock_alloc family); memblock=debug prints the caller as the name of the boot step, not a
 * %pS symbol; there is no kmemleak, KHO or memory hotplug; double_array panics as an exception
 * (a kmemlab bug, since no user input reaches it).
 *
 * <p>No locks: memblock runs single-threaded before SMP, as in the kernel.
 */
package io.kmemlab.boot.memblock;
