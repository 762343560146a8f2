package io.kmemlab.mm.slab;

/**
 * Where kmalloc, kfree, ksize and krealloc are served: the common layer's kmalloc caches
 * ({@link KmallocCaches}, the default) or an allocator's own scheme (SLOB: size-headed blocks on
 * the SLOB heap), as {@link SlabAllocator#kmallocBackend} chooses. The common layer keeps the
 * public API, ZERO_SIZE_PTR, kfree(NULL), kfree's one slab lookup, the address range check and
 * the {@code kfree} tracepoint; the backend emits the {@code kmalloc} tracepoint because only it knows bytes_alloc.
 */
public interface KmallocBackend {
    /**
     * {@code __do_kmalloc_node} for a size other than 0. {@code constant}: the size is a
     * compile-time constant (6.18 traces a large request once instead of twice).
     *
     * @return the object, or 0 on failure (reported)
     */
    long kmalloc(int cpu, long size, int gfpFlags, long callSite, boolean constant);

    /**
     * The same request through {@code kmalloc_node_track_caller()} ({@code
     * __kmalloc_node_track_caller_noprof}, as krealloc and __alloc_skb take it): a backend that
     * traces a large request twice names that function as the first event's call site.
     */
    default long kmallocTrackCaller(int cpu, long size, int gfpFlags, long callSite) {
        return kmalloc(cpu, size, gfpFlags, callSite, false);
    }

    /**
     * The bytes_alloc of the latest {@link #kmalloc}: the bytes it took (slot, block or pages),
     * kept as a field so that asking costs nothing per operation.
     */
    long bytesAlloc();

    /**
     * kfree of an address inside memory, other than NULL and ZERO_SIZE_PTR.
     *
     * @return false if rejected and reported (not a kmalloc object, corrupted header, …)
     */
    boolean kfree(int cpu, long obj, long callSite);

    /**
     * kfree of an address inside memory that {@link SlabAllocator#ownerOf} gives no cache for:
     * the layer has made that one lookup (and freed to the owner when there was one), so a backend
     * that would start with the same lookup skips it here.
     */
    default boolean kfreeNotOnCache(int cpu, long obj, long callSite) {
        return kfree(cpu, obj, callSite);
    }

    /** ksize of an address inside memory, or -1 if it is not an object. */
    long ksize(long obj);

    /**
     * krealloc's in-place step ({@code __do_krealloc}) for an address inside memory, other than
     * NULL and ZERO_SIZE_PTR, and a new size other than 0: if {@code p}'s bucket holds
     * {@code newSize}, keeps it there (with __GFP_ZERO zeroing and red-zone bookkeeping).
     *
     * @return 0 if {@code p} now holds {@code newSize}; -1 if {@code p} is not a kmalloc object
     *     (reported); else the bytes to copy into a new object before {@code p} is freed
     */
    long kreallocInPlace(int cpu, long p, long newSize, int gfpFlags, long callSite);

    /** {@code kmalloc_size_roundup(n)} for {@code n != 0}. */
    long sizeRoundup(long n);
}
