import io.kmemlab.boot.lab.SlabPages;
import io.kmemlab.boot.lab.StudentSlab;
import java.util.ArrayList;
import java.util.List;

/**
 * Your slab allocator: the kernel's kmem_cache API (kmem_cache_create, kmem_cache_alloc,
 * kmem_cache_free, kmem_cache_destroy) over the page allocator `pages` hands you. The starter
 * remembers each cache's size and alignment; alloc and free are yours to write.
 *
 * A slab is a block of 2^order pages from pages.allocPages(order), cut into objects of one cache.
 * Keep your freelists and any metadata inside your slabs, through pages.readU64 / writeU64
 * (addresses are longs; 0 is NULL). Loads and stores outside your pages, or into an object you
 * handed out and that is still allocated, are stopped and reported, as is a call that never
 * returns. Every access costs virtual time, which `lab score` reports.
 */
public class Slab implements StudentSlab {
    private SlabPages pages;
    private final List<int[]> caches = new ArrayList<>();

    /** Called once, first; return false if you cannot start. */
    @Override
    public boolean init(SlabPages pages) {
        this.pages = pages;
        return true;
    }

    /**
     * kmem_cache_create: a cache of objects of size bytes, each aligned to align (0 means 8; every
     * object is at least 8-aligned). Return a handle (0, 1, ...) or -1.
     */
    @Override
    public int create(String name, int size, int align) {
        caches.add(new int[] {size, Math.max(align, 8)});
        return caches.size() - 1;
    }

    /**
     * kmem_cache_alloc: a free object of the cache — aligned, inside a slab of this cache (a slab
     * holds objects of one cache only), sharing no byte with a live object. Get a new slab from
     * pages.allocPages when every slab of the cache is full; return 0 if none can be had.
     */
    @Override
    public long alloc(int cache) {
        throw new UnsupportedOperationException("kmem_cache_alloc is not implemented yet");
    }

    /**
     * kmem_cache_free: give back an object alloc returned. Refuse anything else — an object already
     * freed (a double free), an address inside an object: return false and change nothing.
     */
    @Override
    public boolean free(int cache, long obj) {
        throw new UnsupportedOperationException("kmem_cache_free is not implemented yet");
    }

    /** kmem_cache_destroy: every object is free; give every page of the cache back. */
    @Override
    public void destroy(int cache) {}

    /** Your own consistency checker; one line per problem (lab check prints them). */
    @Override
    public List<String> check() {
        return List.of();
    }
}
