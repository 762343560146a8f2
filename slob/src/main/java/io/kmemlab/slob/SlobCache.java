package io.kmemlab.slob;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabCache;
import io.kmemlab.mm.slab.SlabCacheMetric;
import io.kmemlab.mm.slab.SlabFlags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kmem_cache under SLOB: no slabs and no state of its own beyond its size, because every
 * object lives on the shared SLOB heap. {@code c->size} is the object size (not rounded to the
 * alignment) plus the slob_rcu footer for TYPESAFE_BY_RCU caches.
 */
final class SlobCache implements SlabCache {
    private final SlobAllocator allocator;
    private final KmemCache descriptor;
    private final int size;
    private long struct;
    /** Frames of memory: the direct map's extent for {@link #ownerOf}, kept here (one load, not three). */
    private final int nrMemFrames;

    /** @param struct address of the cache's struct kmem_cache on the heap, 0 for the static boot cache */
    SlobCache(SlobAllocator allocator, KmemCache descriptor, long struct) {
        this.allocator = allocator;
        this.descriptor = descriptor;
        int s = descriptor.objectSize();
        if (descriptor.hasFlag(SlabFlags.TYPESAFE_BY_RCU)) {
            s += SlobAllocator.SLOB_RCU_SIZE;
        }
        this.size = s;
        this.struct = struct;
        this.nrMemFrames = allocator.memFrames();
    }

    @Override
    public KmemCache descriptor() {
        return descriptor;
    }

    @Override
    public int objectSize() {
        return descriptor.objectSize();
    }

    /** What kmem_cache_alloc's bytes_alloc shows: SLOB_UNITS(c->size) × SLOB_UNIT. */
    @Override
    public int size() {
        return SlobBlock.units(size) * SlobBlock.SLOB_UNIT;
    }

    /** {@code c->size} itself: object size plus the RCU footer. */
    int cSize() {
        return size;
    }

    /** Address of this cache's struct kmem_cache on the heap (0 for kmem_cache_boot). */
    long struct() {
        return struct;
    }

    @Override
    public int align() {
        return descriptor.align();
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public int objsPerSlab() {
        return 0;
    }

    @Override
    public long alloc(int cpu, int gfpFlags, int origSize, long callSite) {
        return allocator.cacheAlloc(cpu, descriptor, size, gfpFlags);
    }

    /**
     * cache_from_obj without a check: SLOB pages belong to no cache, so any address in memory is
     * freed to this cache (its heap checks report what is no object of the heap).
     */
    @Override
    public SlabCache ownerOf(long obj) {
        return Addr.isDirectMap(obj, nrMemFrames) ? this : null;
    }

    /** Exactly when {@link #ownerOf} answers this cache: kmem_cache_free then skips the lookup. */
    @Override
    public boolean remembers(long obj) {
        return Addr.isDirectMap(obj, nrMemFrames);
    }

    @Override
    public boolean free(int cpu, long obj, long callSite) {
        return allocator.cacheFree(cpu, descriptor, size, obj);
    }

    /** __kmem_cache_shrink returns 0: there is nothing per cache to shrink. */
    @Override
    public void shrink() {}

    /**
     * __kmem_cache_shutdown returns 0: SLOB cannot tell whether objects remain. The common code's
     * rcu_barrier for TYPESAFE_BY_RCU caches runs first, and the descriptor goes back to
     * kmem_cache_boot as slab_kmem_cache_release does.
     */
    @Override
    public long shutdown() {
        if (descriptor.hasFlag(SlabFlags.TYPESAFE_BY_RCU)) {
            allocator.machine().rcu().barrier();
        }
        long s = struct;
        struct = 0;
        allocator.releaseStruct(s);
        return 0;
    }

    /**
     * Never printed: /proc/slabinfo does not exist under SLOB. A cache counts neither objects nor
     * slabs (they are the heap's) and has no fast/slow path split.
     */
    @Override
    public SlabCacheMetric metric() {
        return metric;
    }

    private final SlabCacheMetric metric = new SlabCacheMetric() {
        @Override
        public String name() {
            return descriptor.name();
        }

        @Override
        public long activeObjs() {
            return 0;
        }

        @Override
        public long numObjs() {
            return 0;
        }

        @Override
        public int objSize() {
            return size();
        }

        @Override
        public int objPerSlab() {
            return 0;
        }

        @Override
        public int pagesPerSlab() {
            return 0;
        }

        @Override
        public long activeSlabs() {
            return 0;
        }

        @Override
        public long numSlabs() {
            return 0;
        }
    };

    /** "can't use ksize for kmem_cache_alloc memory". */
    @Override
    public int ksize(long obj) {
        return -1;
    }

    /** SLOB keeps no per-cache state to check; the heap is validated by the allocator. */
    @Override
    public int validate() {
        return 0;
    }

    @Override
    public Map<String, String> geometry() {
        Map<String, String> g = new LinkedHashMap<>();
        g.put("object_size", Integer.toString(descriptor.objectSize()));
        // c->size under its sysfs name, as kmemlab layout reports it for every allocator
        g.put("slab_size", Integer.toString(size));
        g.put("align", Integer.toString(descriptor.align()));
        g.put("slob_units", Integer.toString(SlobBlock.units(size)));
        g.put("bytes_alloc", Integer.toString(size()));
        g.put("rcu_footer", Integer.toString(size - descriptor.objectSize()));
        g.put("source", size < Addr.PAGE_SIZE ? "slob heap" : "page allocator, order " + Addr.getOrder(size));
        return g;
    }

    @Override
    public List<String> explainLayout() {
        if (size >= Addr.PAGE_SIZE) {
            return List.of("SLOB: objects of a page or more come straight from the page allocator " + "(order "
                    + Addr.getOrder(size) + ", no __GFP_COMP).");
        }
        return List.of(
                "SLOB: no slabs; each object is a headerless block of " + SlobBlock.units(size) + " units (" + size()
                        + " bytes) on the shared SLOB heap,",
                "taken first-fit from the " + SlobList.forSize(size).label() + " list with alignment "
                        + descriptor.align() + "; the alignment fragment in front stays a free block.");
    }
}
