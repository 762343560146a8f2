package io.kmemlab.mm.slab;

/**
 * The kmalloc constants an allocator and kernel version define (reference table
 * "kmalloc constants by allocator and version").
 *
 * @param shiftLow KMALLOC_SHIFT_LOW (3 for SLUB/SLOB, 5 for SLAB)
 * @param shiftHigh KMALLOC_SHIFT_HIGH, the largest kmalloc cache (13 SLUB, 22 SLAB ≤ 6.0)
 * @param minSize KMALLOC_MIN_SIZE
 * @param maxCacheSize KMALLOC_MAX_CACHE_SIZE; larger requests go to the page allocator (or fail)
 * @param maxSize KMALLOC_MAX_SIZE: larger requests fail with a warning
 * @param cacheFlags flags every kmalloc cache is created with besides SLAB_KMALLOC
 *     (SLAB: HWCACHE_ALIGN, the ARCH_KMALLOC_FLAGS)
 * @param naturalAlignPowerOfTwo older boot-cache alignment rule (align = size for powers of two)
 *     instead of 6.18's largest power of two dividing the size
 * @param largeToPageAllocator true if requests above maxCacheSize go to the page allocator;
 *     false if they fail (SLAB ≤ 6.0 serves up to 4 MiB from caches)
 */
public record KmallocLimits(
        int shiftLow,
        int shiftHigh,
        int minSize,
        int maxCacheSize,
        long maxSize,
        int cacheFlags,
        boolean naturalAlignPowerOfTwo,
        boolean largeToPageAllocator) {

    /** SLUB, Linux 6.18. */
    public static final KmallocLimits SLUB_6_18 = new KmallocLimits(3, 13, 8, 8192, 4L << 20, 0, false, true);
}
