/**
 * The common slab layer: our {@code mm/slab_common.c} behind our {@code mm/slab.h}, following
 * Linux 6.18 (SLUB) with the SLAB (≤ 6.7) and SLOB (≤ 6.3) differences expressed through
 * {@link io.kmemlab.mm.slab.KmallocLimits} and the hooks an allocator supplies or leaves out, as
 * {@code mm/slab.h} does with hooks that may return nothing: an
 * {@link io.kmemlab.mm.slab.AliasFinder} (none: never merges), a
 * {@link io.kmemlab.mm.slab.SlabinfoWriter} (none: no /proc/slabinfo), a
 * {@link io.kmemlab.mm.slab.KmallocBackend} (the common {@link io.kmemlab.mm.slab.KmallocCaches}
 * unless the allocator has its own, SLOB's heap) and {@code ownerOf} (virt_to_cache; SLOB's pages
 * belong to no cache). The common layer never asks which allocator it runs on.
 *
 * <h2>Layering</h2>
 *
 * <pre>
 *   shell / replay / workloads
 *        │  kmem_cache_create/alloc/free/shrink/destroy, kmalloc/kzalloc/kcalloc/krealloc/kfree/ksize
 *        ▼
 *   SlabLayer (this package)   names, merging, alignment, kmalloc classes + types, large kmalloc,
 *        │                     kfree ownership lookup, tracepoints, /proc/slabinfo, slab_state
 *        │  SlabAllocator (per machine) / SlabCache (per cache)        ← our mm/slab.h hooks
 *        ▼
 *   slub | slab | slob          only their algorithm; pages from PageAllocator
 * </pre>
 *
 * <h2>What the common layer decides</h2>
 *
 * <ul>
 *   <li><b>Creation</b> ({@code __kmem_cache_create_args}): name and size checks (size from 1 to
 *       KMALLOC_MAX_SIZE), permitted flags, usercopy region, and a free-pointer offset only for
 *       TYPESAFE_BY_RCU caches, word aligned and inside the object; failures print
 *       {@code __kmem_cache_create_args(NAME) failed with error -22} (a panic text with
 *       SLAB_PANIC). Then {@code find_mergeable}: off with {@code slab_nomerge}, a ctor, a
 *       usercopy region or any SLAB_NEVER_MERGE flag after {@code kmem_cache_flags()}; otherwise
 *       the oldest cache whose slot holds {@code ALIGN(size, 8)} with less than 8 bytes to spare,
 *       the same SLAB_MERGE_SAME bits and a slot that is a multiple of the alignment (SLAB also
 *       wants its alignment to divide the cache's). A merge raises {@code refcount} and
 *       {@code object_size} and tells the allocator ({@link io.kmemlab.mm.slab.SlabCache#addAlias}).
 *       {@code calculate_alignment} and {@code create_boot_cache}'s kmalloc alignment (largest power
 *       of two dividing the size in 6.18, natural alignment of powers of two before) are here.</li>
 *   <li><b>kmalloc</b>: size 0 → ZERO_SIZE_PTR (16) without a tracepoint; ≤ KMALLOC_MAX_CACHE_SIZE →
 *       {@code kmalloc_caches[kmalloc_type(gfp)][kmalloc_slab index]} (size_index table for ≤ 192,
 *       {@code fls(size - 1)} above; types NORMAL, RECLAIM, DMA, CGROUP in the 6.18 priority DMA,
 *       then RECLAIMABLE, then ACCOUNT); larger → an order-{@code get_order(size)} compound block
 *       from the page allocator marked large_kmalloc and accounted to NR_SLAB_UNRECLAIMABLE_B. A
 *       runtime-size large kmalloc emits the {@code kmalloc} event twice (6.18 quirk), a
 *       constant-size one once. {@code kmalloc_array}/{@code kcalloc} return NULL silently when the
 *       product overflows 64 bits. {@code krealloc} follows {@code __do_krealloc}: in place while the
 *       request fits {@code s->object_size}, zeroing and kmalloc red-zone bookkeeping through
 *       {@link io.kmemlab.mm.slab.SlabCache#origSize} / {@code setOrigSize}.</li>
 *   <li><b>kfree</b>: the {@code kfree} event first (NULL included); NULL and ZERO_SIZE_PTR return;
 *       else one lookup, {@code SlabAllocator.ownerOf} (virt_to_slab, slab->slab_cache), and the
 *       owner's {@code free} (the allocator checks the object boundary, on the slab it remembered);
 *       a large_kmalloc folio is freed whole; anything else prints the kernel's
 *       {@code Not a kmalloc allocation} page dump. {@code kmem_cache_free} asks the cache's
 *       {@code ownerOf} ({@code cache_from_obj}, one lookup that the following {@code free} reuses):
 *       {@code kmem_cache_free: Wrong slab cache. X but object is from Y}.</li>
 *   <li><b>RCU</b>: the machine's ({@link io.kmemlab.mm.Rcu}, one grace-period model for the
 *       layer and every allocator): {@code kfreeRcu} objects and the allocators' callbacks
 *       (SLUB's {@code rcu_free_slab}, SLAB's and SLOB's {@code kmem_rcu_free}) run when their
 *       grace period has ended by the virtual clock's jiffies, at {@code timerTick}, or at an
 *       {@code rcu_barrier} (until nothing is pending). The layer drives the RCU from the timer
 *       tick; no allocator calls the layer for it.</li>
 *   <li><b>Destroy</b>: {@code kvfree_rcu_barrier} (pending {@code kfreeRcu}), refcount drop for
 *       aliases, shutdown, then {@code rcu_barrier} for a TYPESAFE_BY_RCU cache (its discarded
 *       slabs' pages are back when destroy returns); if objects remain the allocator reports them and the common layer WARNs
 *       {@code kmem_cache_destroy X: Slab cache still has objects when called from SYM} and keeps
 *       (leaks) the cache, as the kernel does.</li>
 *   <li><b>Views</b>: {@code /proc/slabinfo} 2.1 ({@code %-17s %6lu %6lu %6u %4u %4d} + tunables +
 *       slabdata), one row per real cache, newest first, printed from each cache's
 *       {@link io.kmemlab.mm.slab.SlabCacheMetric} (which reports read too: nothing parses the text); SLUB sysfs unique ids
 *       ({@code :[dDaFA-]%07u} of the slot size) via {@link io.kmemlab.mm.slab.SlabLayer#sysfsName}.</li>
 *   <li><b>Tracepoints</b> {@code kmalloc}, {@code kmem_cache_alloc} (bytes_req = object_size,
 *       bytes_alloc = s->size), {@code kfree}, {@code kmem_cache_free}: built only when
 *       {@code tracer.on(type)}.</li>
 * </ul>
 *
 * <h2>Bootstrap</h2>
 *
 * The allocator's {@code kmemCacheInit} drives {@code slab_state}: it creates its boot caches with
 * {@link io.kmemlab.mm.slab.SlabLayer#createBootCache} (refcount −1), adds them to
 * {@code slab_caches} in its kernel's order, calls {@link io.kmemlab.mm.slab.SlabLayer#createKmallocCaches}
 * (per type 96, 192, then 8 … 8k; slab_state UP) and finally sets FULL.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Every name (and alias name) maps to exactly one live {@link io.kmemlab.mm.slab.KmemCache};
 *       {@code slab_caches} holds each real cache once, newest first.</li>
 *   <li>A cache with refcount −1 is a boot cache and is never destroyed or merged into.</li>
 *   <li>Hot paths (kmalloc, kmem_cache_alloc/free, kfree of a slab object) do array lookups only:
 *       no map lookup, no allocation, no formatting unless a tracepoint is on.</li>
 * </ul>
 *
 * <h2>Lock order</h2>
 *
 * The kernel's {@code slab_mutex} serialises creation, merging and destruction; kmemlab runs each
 * machine single-threaded with an explicit CPU argument, so there is nothing to lock here.
 *
 * <h2>Contract suite</h2>
 *
 * {@code mm-core/src/test/java/io/kmemlab/mm/slab/contract}: {@code SlabAllocatorContractTest}
 * (JUnit, validate after every test) and {@code SlabAllocatorPropertiesBase} (jqwik, random
 * operations against a live-object model); each allocator module subclasses both.
 */
package io.kmemlab.mm.slab;
