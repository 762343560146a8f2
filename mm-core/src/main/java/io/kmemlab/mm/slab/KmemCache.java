package io.kmemlab.mm.slab;

/**
 * The allocator-independent part of {@code struct kmem_cache}, owned by the common slab layer:
 * what the creator asked for (name, object size, alignment, flags, constructor, usercopy region,
 * free-pointer offset) and the aliases. The allocator's algorithm state lives in the
 * {@link SlabCache} it returns from {@link SlabAllocator#createCache}.
 *
 * <p>{@code align} is already the result of {@code calculate_alignment()} (common code);
 * {@code objectSize} is {@code s->object_size}.
 */
public final class KmemCache {
    /** No explicit free pointer offset (kmem_cache_args.use_freeptr_offset false). */
    public static final int NO_FREEPTR_OFFSET = -1;

    private final String name;
    private int objectSize;
    private final int align;
    private final int flags;
    private final Ctor ctor;
    private final int useroffset;
    private final int usersize;
    private final int freeptrOffset;
    private int refcount = 1;
    private int sheafCapacity;
    private SlabCache impl;

    public KmemCache(
            String name,
            int objectSize,
            int align,
            int flags,
            Ctor ctor,
            int useroffset,
            int usersize,
            int freeptrOffset) {
        this.name = name;
        this.objectSize = objectSize;
        this.align = align;
        this.flags = flags;
        this.ctor = ctor;
        this.useroffset = useroffset;
        this.usersize = usersize;
        this.freeptrOffset = freeptrOffset;
    }

    public String name() {
        return name;
    }

    public int objectSize() {
        return objectSize;
    }

    /** Merging may raise object_size ("may grow through aliasing"). */
    public void setObjectSize(int objectSize) {
        this.objectSize = objectSize;
    }

    public int align() {
        return align;
    }

    public int flags() {
        return flags;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    public Ctor ctor() {
        return ctor;
    }

    public int useroffset() {
        return useroffset;
    }

    public int usersize() {
        return usersize;
    }

    public int freeptrOffset() {
        return freeptrOffset;
    }

    /** {@code kmem_cache_args.sheaf_capacity} the creator asked for (0: none). */
    public int sheafCapacity() {
        return sheafCapacity;
    }

    /** Set by the common layer from the creation arguments, before the allocator creates the cache. */
    public void setSheafCapacity(int sheafCapacity) {
        this.sheafCapacity = sheafCapacity;
    }

    /** Number of users (1 + aliases); -1 for a boot cache not yet registered. */
    public int refcount() {
        return refcount;
    }

    public void setRefcount(int refcount) {
        this.refcount = refcount;
    }

    /** The allocator's state for this cache. */
    public SlabCache impl() {
        return impl;
    }

    public void setImpl(SlabCache impl) {
        this.impl = impl;
    }

    @Override
    public String toString() {
        return name;
    }
}
