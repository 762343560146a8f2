package io.kmemlab.mm.slab;

/** Limits kmem_cache_create enforces in common code. */
public final class SlabLimits {
    /** Smallest object size accepted. */
    public static final int MIN_OBJECT_SIZE = 1;
    /** Largest object size: INT_MAX - alignment slack, as the kernel's unsigned int sizes allow. */
    public static final int MAX_OBJECT_SIZE = Integer.MAX_VALUE - 4096;

    private SlabLimits() {}
}
