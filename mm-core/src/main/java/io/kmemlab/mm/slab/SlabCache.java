package io.kmemlab.mm.slab;

import io.kmemlab.mm.VirtualFs;
import java.util.List;
import java.util.Map;

/**
 * One cache as an allocator implements it (our {@code mm/slab.h} hooks for a cache). The common
 * layer calls it with arguments it has already validated where validation is common (the cache
 * exists, the size is in range); the allocator validates what only it can know (is this address an
 * object of mine, is it already free) and reports kernel-style to dmesg.
 *
 * <p>Addresses are direct-map virtual addresses; 0 is NULL.
 */
public interface SlabCache {

    /** The common descriptor this state belongs to. */
    KmemCache descriptor();

    /** {@code s->object_size}. */
    int objectSize();

    /** {@code s->size}: the slot size, what slabinfo's objsize column and bytes_alloc show. */
    int size();

    /** {@code s->align}. */
    int align();

    /** Slab order (0 for SLOB, which has no per-cache slabs). */
    int order();

    /** Objects per slab (0 for SLOB). */
    int objsPerSlab();

    /**
     * Allocates one object on {@code cpu}. {@code origSize} is the kmalloc request (or the
     * object size for kmem_cache_alloc), used by kmalloc red-zoning under debugging.
     * {@code __GFP_ZERO} zeroing is done here because only the allocator knows how much to zero.
     *
     * @return the object address, or 0 if no memory (the page allocator has reported)
     */
    long alloc(int cpu, int gfpFlags, int origSize, long callSite);

    /**
     * Frees an object that the common layer found on a slab page of this cache (or, for
     * kmem_cache_free, was told belongs here).
     *
     * @return false if the free was rejected (not an object, already free, …) and reported
     */
    boolean free(int cpu, long obj, long callSite);

    /**
     * {@link #free} for an object whose slab the common layer has already found: {@code headPfn}
     * is the head frame of the slab page (PG_slab set, owned by this cache). The kernel's
     * kmem_cache_free/kfree look the slab up once (virt_to_slab) and hand it to slab_free; an
     * allocator overrides this to skip its own lookup. The default looks it up again.
     */
    default boolean freeOnSlab(int cpu, int headPfn, long obj, long callSite) {
        return free(cpu, obj, callSite);
    }

    /** {@link #freeOwned}: the object was freed. */
    int FREED = 1;
    /** {@link #freeOwned}: the object is on a slab of this cache but the free was refused (reported). */
    int REJECTED = 0;
    /** {@link #freeOwned}: nothing was done; the common layer takes its general path (and reports). */
    int NOT_OWNED = -1;

    /**
     * kmem_cache_free's fast path: if {@code obj} lies on a slab page of this cache, free it as
     * {@link #freeOnSlab} would (the allocator's object checks and reports included) and say
     * {@link #FREED} or {@link #REJECTED}; otherwise do nothing and answer {@link #NOT_OWNED}, so the
     * common layer's {@code cache_from_obj} path finds the real owner or reports the bad free. Lets
     * an allocator find the slab once instead of in {@code virt_to_slab}, {@code cacheOfSlab} and
     * again in {@code freeOnSlab}. The default always answers NOT_OWNED. Not used while the
     * kmem_cache_free tracepoint is on (it is emitted between the lookup and the free).
     */
    default int freeOwned(int cpu, long obj, long callSite) {
        return NOT_OWNED;
    }

    /** {@code kmem_cache_shrink}: release empty slabs (flush per-CPU state first). */
    void shrink();

    /**
     * {@code __kmem_cache_shutdown}: flushes and releases everything.
     *
     * @return the number of objects still allocated (the common layer reports a leak if non-zero
     *     and then keeps the cache, as the kernel does); 0 if the cache was released
     */
    long shutdown();

    /** The cache's row in /proc/slabinfo. */
    SlabInfoRow slabinfo();

    /**
     * {@code slabinfo_show_stats}: text appended to this cache's /proc/slabinfo row before the
     * newline when {@link SlabAllocator#slabinfoStatistics()} is on (SLAB's globalstat and
     * cpustat columns).
     */
    default String slabinfoStats() {
        return "";
    }

    /** Usable size of an allocated object ({@code __ksize}), or -1 if the allocator cannot tell. */
    int ksize(long obj);

    /** {@code EINVAL}: {@link #validate()} returns its negative when the cache refuses to validate. */
    int EINVAL = 22;

    /**
     * Checks this cache's invariants and (under debugging) every object, reporting each problem to
     * dmesg as the kernel does. A cache whose allocator can only validate under debugging refuses
     * as the kernel's {@code validate} attribute does: SLUB's {@code validate_store} returns
     * {@code -EINVAL} unless {@code kmem_cache_debug(s)}.
     *
     * @return the number of errors, counted as the kernel's slab error counter counts them, or
     *     {@code -EINVAL} if the cache refuses
     */
    int validate();

    /** {@code s->flags}: the creator's flags after debug options ({@code kmem_cache_flags}). */
    default int effectiveFlags() {
        return descriptor().flags();
    }

    /**
     * {@code __kmem_cache_alias}: another creator of {@code size} bytes now shares this cache under
     * {@code aliasName} (the common layer has raised object_size and the refcount). SLUB raises
     * {@code inuse} and adds the sysfs alias entry.
     */
    default void addAlias(String aliasName, int size, VirtualFs vfs) {}

    /**
     * The request size stored for a kmalloc object (orig_size tracking: SLUB with U on a kmalloc
     * cache), else the object size. Used by krealloc.
     */
    default int origSize(long obj) {
        return objectSize();
    }

    /**
     * krealloc in place: remember {@code newSize} as the request size and re-arm the kmalloc red
     * zone {@code [newSize, object_size)} where the allocator keeps one.
     */
    default void setOrigSize(long obj, int newSize) {}

    /** {@code kmalloc_size_roundup}/ksize side effect: stop checking the kmalloc red zone. */
    default void skipOrigSizeCheck(long obj) {}

    /** Registers the cache's allocator-specific files (e.g. /sys/kernel/slab/NAME/…). */
    default void registerFiles(VirtualFs vfs) {}

    /** Removes what {@link #registerFiles} added. */
    default void unregisterFiles(VirtualFs vfs) {}

    /**
     * Geometry for {@code kmemlab layout}: ordered {@code key: value} pairs using sysfs names
     * where they exist (object_size, slab_size, align, order, objs_per_slab, …).
     */
    Map<String, String> geometry();

    /** Human explanation for {@code kmemlab layout}: drawings and why the order was chosen. */
    default List<String> explainLayout() {
        return List.of();
    }
}
