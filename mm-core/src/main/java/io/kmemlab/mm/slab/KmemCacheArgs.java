package io.kmemlab.mm.slab;

/**
 * The optional arguments of 6.18's {@code kmem_cache_create(name, size, args, flags)}
 * ({@code struct kmem_cache_args}): alignment, the usercopy region, an explicit free-pointer offset
 * for TYPESAFE_BY_RCU caches, and the constructor. Build with {@link #builder()}.
 *
 * @param align requested alignment (0: none)
 * @param useroffset start of the region copy_to/from_user may touch (HARDENED_USERCOPY)
 * @param usersize size of that region; a non-zero usersize makes the cache unmergeable
 * @param useFreeptrOffset true if {@code freeptrOffset} is given
 * @param freeptrOffset where the free pointer lives inside the object (TYPESAFE_BY_RCU only)
 * @param ctor the constructor, or null
 */
public record KmemCacheArgs(
        long align, int useroffset, int usersize, boolean useFreeptrOffset, int freeptrOffset, Ctor ctor) {

    /** No alignment, no usercopy region, no free-pointer offset, no constructor. */
    public static final KmemCacheArgs NONE = new KmemCacheArgs(0, 0, 0, false, 0, null);

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

        public KmemCacheArgs build() {
            return new KmemCacheArgs(align, useroffset, usersize, useFreeptrOffset, freeptrOffset, ctor);
        }
    }
}
