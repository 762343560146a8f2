package io.kmemlab.mm.slab;

/**
 * A kmalloc implementation that does not use kmalloc caches (SLOB: size-headed blocks on the SLOB
 * heap). The common layer still owns the public API, ZERO_SIZE_PTR, kfree(NULL) and the
 * {@code kfree} tracepoint; the backend emits the {@code kmalloc} tracepoint itself because only
 * it knows bytes_alloc.
 */
public interface KmallocBackend {
    /** @return the object, or 0 on failure (reported) */
    long kmalloc(int cpu, long size, int gfpFlags, long callSite);

    /** @return false if rejected and reported (not a kmalloc object, corrupted header, …) */
    boolean kfree(int cpu, long obj, long callSite);

    /** ksize of a kmalloc object, or -1 if the address is not one. */
    long ksize(long obj);
}
