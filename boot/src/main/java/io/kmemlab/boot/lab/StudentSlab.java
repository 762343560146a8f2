package io.kmemlab.boot.lab;

import java.util.List;

/**
 * The slab level's student interface: the kernel's kmem_cache API ({@code include/linux/slab.h}:
 * kmem_cache_create, kmem_cache_alloc, kmem_cache_free, kmem_cache_destroy) over the page
 * allocator {@link #init} hands in. A cache is named by the handle {@link #create} returns. A
 * student class implements it with a public no-argument constructor; kmemlab's SLUB satisfies it
 * through an adapter ({@link ReferenceSlab}).
 */
public interface StudentSlab {

    /** Called once, before anything else; false if the allocator cannot start. */
    boolean init(SlabPages pages);

    /**
     * kmem_cache_create: a cache of objects of {@code size} bytes (1 to 2^22), each aligned to
     * {@code align} (0, or a power of two up to 4096; every object is at least 8-aligned); a handle
     * of 0 or more, or -1 if it cannot be made.
     */
    int create(String name, int size, int align);

    /** kmem_cache_alloc: the address of a free object of the cache, or 0 if no page can be had. */
    long alloc(int cache);

    /**
     * kmem_cache_free: gives back an object {@link #alloc} returned. Anything else — an object
     * already freed, an address inside an object — is refused: return false and change nothing.
     */
    boolean free(int cache, long obj);

    /** kmem_cache_destroy: every object has been freed; give every page of the cache back. */
    void destroy(int cache);

    /** The allocator's own consistency problems, one line each (none by default). */
    default List<String> check() {
        return List.of();
    }
}
