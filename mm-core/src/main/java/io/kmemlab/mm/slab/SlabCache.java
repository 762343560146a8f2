package io.kmemlab.mm.slab;

import io.kmemlab.mm.VirtualFs;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
     * {@code cache_from_obj(s, obj)}: the cache {@code obj} must be freed to. This cache if
     * {@code obj} lies on one of its slabs; the owner of the slab it lies on if that is another
     * cache (the common layer WARNs and frees it there); null if it is on no slab or outside
     * memory (the common layer reports). A cache whose allocator keeps no per-cache slabs (SLOB)
     * answers itself for any address in memory, as the kernel's cache_from_obj does without
     * consistency checks. The allocator may remember the slab it found, so that the
     * {@link #free} that follows does not look it up again: one lookup per kmem_cache_free.
     */
    SlabCache ownerOf(long obj);

    /**
     * True if what this cache remembered of its last {@link #ownerOf} (or the allocator's) shows
     * that {@code obj} lies on one of its slabs — on the page found, or (SLUB) an object start of
     * the slab found — so that {@code ownerOf(obj)} would answer this cache: compares, nothing
     * looked up or changed. False means nothing: ask {@link #ownerOf}. kmem_cache_free takes the
     * remembered case apart from the lookup so that the JIT compiles it with no call before
     * {@link #free}, which makes the same test again and can reuse it.
     */
    default boolean remembers(long obj) {
        return false;
    }

    /**
     * {@code slab_free}: frees {@code obj}, an address the common layer found to belong to this
     * cache ({@link #ownerOf}, or {@link SlabAllocator#ownerOf} for kfree). The allocator checks
     * what only it can (an object start, not already free) and reports kernel-style.
     *
     * @return false if the free was rejected (not an object, already free, …) and reported
     */
    boolean free(int cpu, long obj, long callSite);

    /**
     * {@code kfree_rcu_sheaf(obj)}: kfree_rcu of an object of this cache, taken into a per-CPU
     * batch of the allocator's (SLUB's {@code rcu_free} sheaf) that it hands to RCU itself.
     *
     * @return false if the cache keeps no such batch (the common layer queues the object alone)
     */
    default boolean kfreeRcuSheaf(int cpu, long obj) {
        return false;
    }

    /**
     * {@code kmem_cache_prefill_sheaf(s, gfp, count)}: a sheaf of at least {@code count} objects
     * reserved for the caller (the maple tree's preallocation), named by the address of its
     * structure.
     *
     * @return the sheaf's address, or 0 (NULL: no memory, count 0, or no sheaves in this
     *     allocator, which predates them)
     */
    default long prefillSheaf(int cpu, int gfp, int count) {
        return 0;
    }

    /**
     * {@code kmem_cache_alloc_from_sheaf}: the next object of a prefilled sheaf ({@code __GFP_ZERO}
     * zeroes it).
     *
     * @return the object, or 0 if the sheaf is empty or not one of this cache's prefilled sheaves
     */
    default long allocFromSheaf(int cpu, int gfp, long sheaf) {
        return 0;
    }

    /**
     * {@code kmem_cache_refill_sheaf}: makes a prefilled sheaf hold at least {@code count} objects.
     *
     * @return the sheaf to use from now on (a bigger one replaces it past its capacity), or 0 if
     *     memory ran out (the old one is still the caller's)
     */
    default long refillSheaf(int cpu, int gfp, long sheaf, int count) {
        return 0;
    }

    /** {@code kmem_cache_return_sheaf}: gives a prefilled sheaf back; false if it is not one. */
    default boolean returnSheaf(int cpu, int gfp, long sheaf) {
        return false;
    }

    /** {@code kmem_cache_sheaf_size}: objects left in a prefilled sheaf, or -1 if it is not one. */
    default int sheafSize(long sheaf) {
        return -1;
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

    /** The cache's numbers: slabinfo fields, path counters, per-CPU and partial counts. */
    SlabCacheMetric metric();

    /** The cache's row in /proc/slabinfo, a snapshot of {@link #metric()}. */
    default SlabInfoRow slabinfo() {
        return SlabInfoRow.of(metric());
    }

    /**
     * {@code slabinfo_show_stats}: text appended to this cache's /proc/slabinfo row before the
     * newline when {@link SlabinfoWriter#statistics()} is on (SLAB's globalstat and cpustat
     * columns).
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

    /**
     * The slot and slab {@link #explainLayout} draws, as figures (for the HTML report's drawings);
     * an allocator without fixed slots (SLOB) leaves it out.
     */
    default Optional<SlabLayout> slabLayout() {
        return Optional.empty();
    }

    /** Human explanation for {@code kmemlab layout}: drawings and why the order was chosen. */
    default List<String> explainLayout() {
        return List.of();
    }
}
