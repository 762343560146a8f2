package io.kmemlab.malloc;

/**
 * The virtual time an allocator's own code costs, charged to the process's user time through
 * {@code UserSpace.chargeUser} (the kernel's part — brk, mmap, faults — the process model charges
 * itself). Per the contention model's default costs (the reference's §3.2, {@code c_hit} = 1 ns for
 * a cache line that hits): a call is a few tens of instructions, a free-list element examined is
 * two lines (its header and its link), a copied or zeroed byte costs a line per 64. Estimates,
 * not calibrated: they make a long search cost more than a short one, which is what {@code malloc
 * compare} shows.
 */
public final class UserCost {
    /** One malloc, free or realloc call's own instructions. */
    public static final long CALL_NANOS = 10;

    /** One free-list element examined: its header and its link. */
    public static final long ELEMENT_NANOS = 2;

    private UserCost() {}

    /** The cost of copying or zeroing {@code bytes}: a cache line per 64 bytes. */
    public static long bytesNanos(long bytes) {
        return (bytes + 63) >>> 6;
    }
}
