package io.kmemlab.malloc;

/** Size arithmetic every allocator of this module shares. */
public final class Sizes {
    /**
     * The largest request any allocator here tries to serve (2^46 bytes, beyond the user address
     * space): a bigger {@code size_t}, or a "negative" one, fails at once with ENOMEM, as glibc's
     * {@code checked_request2size} fails requests above PTRDIFF_MAX.
     */
    public static final long MAX_REQUEST = 1L << 46;

    public static final int PAGE_SIZE = 4096;

    private Sizes() {}

    /** {@code v} rounded up to {@code align}, a power of two. */
    public static long alignUp(long v, long align) {
        return (v + align - 1) & -align;
    }

    public static boolean isAligned(long v, long align) {
        return (v & (align - 1)) == 0;
    }

    /** True for a request this module refuses outright (negative as {@code size_t}, or too big). */
    public static boolean tooBig(long size) {
        return size < 0 || size > MAX_REQUEST;
    }

    /** {@code n * size} for calloc, or -1 if it overflows {@code size_t}. */
    public static long callocBytes(long n, long size) {
        if (n < 0 || size < 0 || Math.multiplyHigh(n, size) != 0) {
            return -1;
        }
        long bytes = n * size;
        return bytes < 0 ? -1 : bytes;
    }
}
