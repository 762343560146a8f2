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
     * The cache owning the slab whose head page is {@code headPfn} (a page with PG_slab that this
     * allocator set up), or null if it is not one of this allocator's slabs.
     */
    SlabCache cacheOfSlab(int headPfn);

    /**
     * True if every object lives on a slab page whose owner {@link #cacheOfSlab} reports, so the
     * common layer can check kmem_cache_free's cache argument. SLOB returns false.
     */
    default boolean tracksSlabOwnership() {
        return true;
    }

    /** False if this allocator never merges caches (SLOB). */
    default boolean mergeable() {
        return true;
    }

    /**
     * True if find_mergeable also requires the alias's alignment to divide the cache's (SLAB:
     * {@code align' <= s->align && s->align % align' == 0}); SLUB does not.
     */
    default boolean mergeRequiresAlignment() {
        return false;
    }

    /** kmalloc not served by kmalloc caches (SLOB), or null. */
    default KmallocBackend kmallocBackend() {
        return null;
    }

    /** True if /proc/slabinfo exists under this allocator (not under SLOB). */
    default boolean hasSlabinfo() {
        return true;
    }

    /**
     * {@code kmem_cache_flags()}: the creator's flags after boot-time debug options (SLUB's
     * {@code slab_debug=}) are applied; merging tests these flags against SLAB_NEVER_MERGE.
     */
    default int kmemCacheFlags(int flags, String name) {
        return flags;
    }

    /**
     * True if the sysfs name of a mergeable cache must still be its own name (SLUB: the {@code O}
     * debug option with global Z/P/U). Only meaningful for allocators with /sys/kernel/slab.
     */
    default boolean forceOwnSysfsNames() {
        return false;
    }

    /** Periodic work on the virtual clock (SLAB's cache_reap, RCU grace periods). */
    default void tick(long nowNanos) {}

    /** Mode of /proc/slabinfo: 0400, or 0600 where tunables can be written (SLAB). */
    default int slabinfoMode() {
        return 0400;
    }

    /**
     * {@code slabinfo_write}: a write to /proc/slabinfo, used only when {@link #slabinfoMode()}
     * has the owner write bit.
     *
     * @return null on success, else an errno name ("EINVAL")
     */
    default String slabinfoWrite(String text) {
        return "EIO";
    }

    /**
     * True if /proc/slabinfo carries SLAB's statistics (CONFIG_DEBUG_SLAB): " (statistics)" after
     * the version, the globalstat/cpustat header columns, and {@link SlabCache#slabinfoStats()} on
     * every row.
     */
    default boolean slabinfoStatistics() {
        return false;
    }

    /** Allocator-wide invariant check; one string per violation. */
    List<String> validate();

    /** The numbers of the allocator's block heap, or null if it has none (SLOB has one). */
    default HeapMetric heapMetric() {
        return null;
    }
}
