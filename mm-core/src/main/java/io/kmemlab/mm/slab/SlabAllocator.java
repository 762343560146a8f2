package io.kmemlab.mm.slab;

import io.kmemlab.mm.Machine;
import java.util.List;

/**
 * An object allocator strategy (SLUB, SLAB, SLOB): only its algorithm. The common slab layer
 * ({@link SlabLayer}, our {@code mm/slab_common.c}) owns names, merging, kmalloc dispatch,
 * tracepoints, /proc/slabinfo and the public API, and calls these hooks (our {@code mm/slab.h}).
 */
public interface SlabAllocator {

    /** {@code slab=} name: "slub", "slab", "slob". */
    String name();

    /** The kmalloc constants of the kernel version this allocator follows. */
    KmallocLimits kmallocLimits();

    /**
     * {@code kmem_cache_init}: bootstrap as the kernel does (boot caches, slab_state steps, kmalloc
     * caches through {@link SlabLayer#createKmallocCaches()}), printing the allocator's boot lines.
     */
    void kmemCacheInit(Machine machine, SlabLayer layer);

    /**
     * {@code kmem_cache_init_late}: the allocator's late bootstrap step, called by
     * {@link SlabLayer#init()} after {@link #kmemCacheInit} and the /proc/slabinfo registration
     * (SLAB: final per-CPU tunables for the boot caches, slab_state FULL, reap timers; SLOB:
     * slab_state FULL).
     */
    default void kmemCacheInitLate(Machine machine, SlabLayer layer) {}

    /**
     * {@code do_kmem_cache_create}: computes the geometry and sets up per-CPU and per-node state.
     *
     * @return the cache state, or null if the cache cannot be created (reported to dmesg)
     */
    SlabCache createCache(KmemCache descriptor);

    /**
     * {@code virt_to_cache(obj)}: the cache owning the slab {@code obj} lies on (virt_to_slab, then
     * slab->slab_cache), or null if it lies on none of this allocator's slabs — an address outside
     * memory or in a hole, a page that is no slab, a slab waiting for its grace period, or any
     * address under an allocator whose pages belong to no cache (SLOB). kfree and ksize look the
     * object up once here; an allocator may remember the slab it found for the
     * {@link SlabCache#free} that follows.
     */
    SlabCache ownerOf(long obj);

    /**
     * The cache {@link #ownerOf} found last (null if none, or if the allocator keeps no such
     * answer): kfree asks it {@link SlabCache#remembers} before looking the object up.
     */
    default SlabCache lastOwner() {
        return null;
    }

    /**
     * The allocator's part of cache merging, or null if it never merges (SLOB, {@code slab_nomerge}).
     */
    default AliasFinder aliasFinder() {
        return AliasFinder.COMMON;
    }

    /**
     * Where kmalloc is served: the common layer's kmalloc caches ({@code common}, the default), or
     * the allocator's own backend (SLOB's heap). Asked once, when the layer is built.
     */
    default KmallocBackend kmallocBackend(KmallocCaches common) {
        return common;
    }

    /**
     * What /proc/slabinfo is under this allocator, or null if the file does not exist (SLOB).
     * Asked once, at {@link SlabLayer#init()}.
     */
    default SlabinfoWriter slabinfo() {
        return SlabinfoWriter.READ_ONLY;
    }

    /**
     * {@code kmem_cache_flags()}: the creator's flags after boot-time debug options (SLUB's
     * {@code slab_debug=}) are applied; merging tests these flags against SLAB_NEVER_MERGE.
     */
    default int kmemCacheFlags(int flags, String name) {
        return flags;
    }

    /**
     * {@code flush_all_rcu_sheaves}, the first step of {@code kvfree_rcu_barrier}: every batch of
     * kfree_rcu objects {@link SlabCache#kfreeRcuSheaf} took is handed to RCU and waited for.
     */
    default void flushAllRcuSheaves() {}

    /** Periodic work on the virtual clock (SLAB's cache_reap); the machine's RCU runs first. */
    default void tick(long nowNanos) {}

    /** Allocator-wide invariant check; one string per violation. */
    List<String> validate();

    /**
     * A picture of the slab {@code obj} lies on (any address inside it), read from the allocator's
     * state without changing it; null if {@code obj} is on none of this allocator's slabs, or the
     * allocator keeps no per-cache slabs with object slots (SLOB: see {@link #heapMetric()}).
     */
    default SlabSlots slabSlots(long obj) {
        return null;
    }

    /** The numbers of the allocator's block heap, or null if it has none (SLOB has one). */
    default HeapMetric heapMetric() {
        return null;
    }
}
