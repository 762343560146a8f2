package io.kmemlab.boot.replay;

import io.kmemlab.mm.slab.Ctor;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;

/**
 * How the replay creates a cache it first sees in a {@code kmem_cache_alloc} line: object size =
 * {@code bytes_req}, and the creation flags, alignment and constructor chosen so that SLUB's slot
 * size ({@code s->size}) equals the trace's {@code bytes_alloc} where some choice gives it.
 *
 * <p>SLUB without debugging lays a slot out as (slub.md §1, {@code calculate_sizes}):
 * {@code size = ALIGN(object_size, 8)}, plus 8 when the free pointer is stored outside the object
 * (a constructor or SLAB_TYPESAFE_BY_RCU), then {@code ALIGN(size, align)} with {@code align} from
 * {@code calculate_alignment}. So {@code anon_vma} (96 → 104) needs a constructor, {@code mm_struct}
 * (1568 → 1600) SLAB_HWCACHE_ALIGN, {@code sock_inode_cache} (768 → 832) both. The same shape is
 * used under SLAB and SLOB, so all three allocators get the same cache definitions.
 *
 * @param flags SLAB_* creation flags
 * @param align the {@code align} argument of kmem_cache_create
 * @param ctor whether the cache gets a (no-op) constructor, which moves SLUB's free pointer out
 * @param slubSize the slot size SLUB will give the cache
 */
public record CacheShape(int flags, int align, boolean ctor, int slubSize) {

    /** The constructor replayed caches get: it leaves the object's bytes as they are. */
    public static final Ctor NOOP_CTOR = new Ctor() {
        @Override
        public void construct(io.kmemlab.mm.PhysMem mem, long obj, int objectSize) {
            // A constructor that initialises nothing: the replay only needs its effect on layout.
        }

        @Override
        public String symbol() {
            return "replay_ctor+0x0/0x10";
        }
    };

    /** The first of the simple shapes whose SLUB slot equals {@code bytesAlloc}, else the plain one. */
    public static CacheShape forTrace(int objectSize, long bytesAlloc) {
        CacheShape plain = shape(objectSize, 0, 8, false);
        if (plain.slubSize == bytesAlloc) {
            return plain;
        }
        for (boolean ctor : new boolean[] {false, true}) {
            CacheShape hw = shape(objectSize, SlabFlags.HWCACHE_ALIGN, 8, ctor);
            if (hw.slubSize == bytesAlloc) {
                return hw;
            }
            CacheShape noHw = shape(objectSize, 0, 8, ctor);
            if (noHw.slubSize == bytesAlloc) {
                return noHw;
            }
            for (int align = 16; align <= 4096; align <<= 1) {
                CacheShape a = shape(objectSize, 0, align, ctor);
                if (a.slubSize == bytesAlloc) {
                    return a;
                }
            }
        }
        return plain;
    }

    /** True if this shape reproduces the trace's slot size under SLUB. */
    public boolean matches(long bytesAlloc) {
        return slubSize == bytesAlloc;
    }

    static CacheShape shape(int objectSize, int flags, int align, boolean ctor) {
        int a = SlabLayer.calculateAlignment(flags, align, objectSize);
        long size = ((long) objectSize + 7) & ~7L;
        if (ctor) {
            size += 8;
        }
        size = (size + a - 1) & -(long) a;
        return new CacheShape(flags, align, ctor, (int) Math.min(size, Integer.MAX_VALUE));
    }
}
