/**
 * SLOB, the "simple list of blocks" allocator of Linux 6.3 {@code mm/slob.c} (2.6.16 to 6.3,
 * removed in 6.4), selected with {@code slab=slob}.
 *
 * <h2>How SLOB works</h2>
 *
 * SLOB has no slabs. Every small object of every cache, and every kmalloc block, lives on one
 * shared heap of order-0 pages, a K&amp;R-style free-list allocator inside each page. Memory is
 * counted in units of {@code slob_t}: {@link io.kmemlab.slob.SlobBlock#SLOB_UNIT} = 2 bytes with
 * 4 KiB pages, 2048 units per page. Only free blocks carry a header, written into the page's own
 * bytes; allocated kmem_cache objects have none, and kmalloc puts its own 8-byte size header in
 * front of the payload:
 *
 * <pre>
 *  one SLOB page after kmalloc(64) on a fresh page (offsets in units):
 *
 *  0            28  32                 64                                     2048
 *  +------------+---+------------------+----------------------------------------+
 *  | free  (28) |hdr| kmalloc(64) data |              free (1984)               |
 *  |+28 | 64    |64 |  64-aligned      |+1984 | 2048 (= page end: last block)   |
 *  +------------+---+------------------+----------------------------------------+
 *   ^ sp->freelist     ^ returned pointer (page offset 64)
 *
 *  sp->units = 28 + 1984 = 2012 free units; the 28-unit alignment fragment stays a free block.
 *  A free block of one unit keeps only "-next" in its single word (SlobBlock).
 * </pre>
 *
 * <p>Per page kmemlab keeps the kernel's {@code struct slab} fields in a table indexed from the
 * page's {@code PageFrames.priv} (only heap pages pay for it): {@code units} (free units),
 * {@code freelist} (unit offset of the first free block) and the list the page is on
 * ({@code PG_slob_free}). Heap pages carry PG_slab. The table also keeps each page's bytes once
 * PhysMem has backed them (a backed frame is never replaced), so that a walk reads every header
 * in the page's own array instead of going through PhysMem's directory each time.
 *
 * <h2>Allocation: {@code slob_alloc(size, gfp, align, align_offset)}</h2>
 *
 * <ol>
 *   <li>Pick one of three global lists of partially free pages by the byte size: small
 *       (&lt; 256), medium (&lt; 1024), large. kmalloc passes the request plus its header.
 *   <li>Walk the list from its head; skip pages whose {@code units} are below the request (the
 *       pre-check ignores alignment); in the others walk the free blocks in address order and take
 *       the first that holds the request after aligning it ({@code aligned = ALIGN(cur +
 *       align_offset, align) − align_offset}); the units in front become a block of their own.
 *   <li>On success, if the page still has free units, rotate the list so that it starts at this
 *       page ({@code list_rotate_to_front}): the next search begins where this one succeeded,
 *       next fit over pages, first fit within them. A page whose units reach 0 leaves its list.
 *   <li>If nothing fits, take a fresh page from the page allocator (without __GFP_ZERO and
 *       without the lock), make it one 2048-unit block, put it at the head of the list and
 *       allocate from it.
 * </ol>
 *
 * <h2>Free: {@code slob_free(block, size)}</h2>
 *
 * If the block makes the page wholly free, the page leaves its list and goes straight back to the
 * page allocator. If the page was full, the block becomes its only free block and the page joins
 * the head of the list chosen by the freed size. Otherwise the block is linked in address order,
 * merging with the following block when adjacent (unless the previous block is the last one) and
 * with the previous block when adjacent; a block before the head becomes the new head (merging
 * with the old head when adjacent).
 *
 * <h2>kmalloc and kmem_cache on SLOB</h2>
 *
 * kmalloc below {@code PAGE_SIZE − 8} bytes allocates {@code size + 8} with alignment 8 (or the
 * size itself for powers of two, aligning the payload) and {@code align_offset} 8, stores the size
 * as an unsigned int at the block and returns block + 8; {@code ksize} is the stored size rounded
 * up to a unit; {@code kfree} reads the header back. Bigger requests take pages straight from the
 * page allocator (with __GFP_COMP above order 0). kmem_cache objects are headerless blocks of
 * {@code c->size} = object size (not rounded), plus a 24-byte {@code slob_rcu} footer for
 * TYPESAFE_BY_RCU caches, whose frees wait for a grace period of the machine's RCU
 * ({@link io.kmemlab.mm.Rcu}, shared with the other allocators: a second free of an object still
 * waiting is found in a {@code LongLongMap} of its footers, SLOB's O(1) shadow of its own
 * callbacks on the RCU ring, which {@code validate()} checks against the ring itself); caches
 * of a page or more use whole pages without __GFP_COMP. The constructor runs on every allocation.
 * The gfp flags matter only when a fresh page is needed: a GFP_DMA request is served from any heap
 * page with room, whatever its zone, as in the kernel.
 * Each cache's {@code struct kmem_cache} (64 bytes) is itself an object of the static
 * {@code kmem_cache_boot}. All SLOB pages count in NR_SLAB_UNRECLAIMABLE_B. There is no merging,
 * no /proc/slabinfo and no per-cache statistic; kmemlab adds its own view at
 * {@value io.kmemlab.slob.SlobAllocator#VIEW_PATH}.
 *
 * <h2>Invariants ({@link io.kmemlab.slob.SlobAllocator#validate()})</h2>
 *
 * <ul>
 *   <li>Every heap page has PG_slab and its table slot names it back.
 *   <li>Its free blocks are in strictly increasing address order, lie inside the page, do not
 *       overlap, and the last links to the page end; their units sum to {@code units}.
 *   <li>{@code 0 ≤ units < 2048} (a wholly free page is never kept).
 *   <li>A page is on a list exactly when it has free units, and on the list it records; every
 *       page on a list is a heap page.
 * </ul>
 *
 * <h2>List movement</h2>
 *
 * fresh page → head of the request's list; successful allocation → list rotated to the page;
 * units reach 0 → off its list (full); free into a full page → head of the freed size's list;
 * wholly free → off its list and back to the page allocator.
 *
 * <h2>Lock</h2>
 *
 * One global spinlock, {@code slob_lock}, protects the three lists, every page's {@code units}
 * and {@code freelist} and the free-block headers. The page allocator is called without it (a
 * fresh page is prepared under it again). There are no per-CPU caches: every allocation and free
 * on every CPU takes this one lock, which with the scanning of free space is why SLOB was slow
 * under load and was removed in 6.4.
 *
 * <h2>Fit policies (kmemlab extension)</h2>
 *
 * {@code slob_fit=first} is the kernel. {@code next}, {@code best} and {@code worst} change only
 * which free block is taken (see {@link io.kmemlab.slob.SlobFit}); lists, pre-check, alignment,
 * rotation and fresh pages stay as above. {@code kmemlab slob-fit} replays one kmalloc/kfree
 * sequence under each and reports pages used and external fragmentation side by side, from the
 * heap's {@link io.kmemlab.mm.slab.HeapMetric}.
 *
 * <h2>Bad input</h2>
 *
 * Real SLOB checks nothing and silently corrupts its heap on misuse: a double kfree reads a free
 * block's header as the size and links an overlapping block into the free list; kfree of memory
 * from kmem_cache_alloc takes whatever precedes the object as a size; kfree of a page SLOB did not
 * hand out frees that page (of its folio order) to the page allocator; kfree of a big
 * kmem_cache object frees only its first page; kmem_cache_free to the wrong cache frees that
 * cache's size; a corrupted free-block header sends the next search or free anywhere. kmemlab
 * detects what it can, reports it kernel-style through dmesg (counted: SLAB_BAD_FREE for foreign
 * or misaligned addresses, SLAB_CORRUPTION for double frees, corrupted size headers, RCU footers
 * and free lists), refuses the call and carries on: a free must lie on a heap page, inside it,
 * aligned, clear of every free block; a kmalloc header must hold a size that fits the page; a
 * page whose free list is found corrupted is taken off the lists and never used again. What stays
 * undetectable: a double free after the block was reallocated, and kmem_cache_free of another
 * cache's object of a size that happens to fit. The overlap check costs no extra walk: it stops at
 * the first free block past the freed one, which is where slob_free's address-ordered insert
 * goes, so the insert reuses the neighbours (and headers) that check walk just read.
 */
package io.kmemlab.slob;
