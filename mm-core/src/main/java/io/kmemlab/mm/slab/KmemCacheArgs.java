package io.kmemlab.mm.slab;

/**
 * The optional arguments of 6.18's {@code kmem_cache_create(name, size, args, flags)}
 * ({@code struct kmem_cache_args}): alignment, the usercopy region, an explicit free-pointer offset
 * for TYPESAFE_BY_RCU caches, the constructor and the per-CPU sheaf capacity. Build with
 * {@link #builder()}.
 *
 * @param align requested alignment (0: none)
 * @param useroffset start of the region copy_to/from_user may touch (HARDENED_USERCOPY)
 * @param usersize size of that region; a non-zero usersize makes the cache unmergeable
 * @param useFreeptrOffset true if {@code freeptrOffset} is given
 * @param freeptrOffset where the free pointer lives inside the object (TYPESAFE_BY_RCU only)
 * @param ctor the constructor, or null
 * @param sheafCapacity {@code sheaf_capacity}: objects per per-CPU sheaf the creator asks for (0:
 *     none). 6.18 gives sheaves only to caches that ask; 7.x takes it as a floor. A cache that asks
 *     is never merged ({@code __kmem_cache_create_args} does not look for an alias).
 */
public record KmemCacheArgs(
        long align,
        int useroffset,
        int usersize,
        boolean useFreeptrOffset,
        int freeptrOffset,
        Ctor ctor,
        int sheafCapacity) {

    /** No alignment, no usercopy region, no free-pointer offset, no constructor, no sheaves. */
    public static final KmemCacheArgs NONE = new KmemCacheArgs(0, 0, 0, false, 0, null, 0);

    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link KmemCacheArgs}. */
    public static final class Builder {
        private long align;
        private int useroffset;
        private int usersize;
        private boolean useFreeptrOffset;
        private int freeptrOffset;
        private Ctor ctor;
        private int sheafCapacity;

        public Builder align(long align) {
            this.align = align;
            return this;
        }

        public Builder usercopy(int useroffset, int usersize) {
            this.useroffset = useroffset;
            this.usersize = usersize;
            return this;
        }

        public Builder freeptrOffset(int offset) {
            this.useFreeptrOffset = true;
            this.freeptrOffset = offset;
            return this;
        }

        public Builder ctor(Ctor ctor) {
            this.ctor = ctor;
            return this;
        }

        public Builder sheafCapacity(int capacity) {
            this.sheafCapacity = capacity;
            return this;
        }

        public KmemCacheArgs build() {
            return new KmemCacheArgs(align, useroffset, usersize, useFreeptrOffset, freeptrOffset, ctor, sheafCapacity);
        }
    }
}
