package io.kmemlab.mm.user;

import java.util.List;
import java.util.Optional;

/**
 * A user-space memory allocator over one process: the C library's allocation API. Addresses are
 * the process's virtual addresses; 0 is NULL. A call that cannot be satisfied returns 0 (errno
 * ENOMEM); a call on a pointer the allocator does not own is the allocator's to detect and report
 * (through {@link UserSpace#warn} or {@link UserSpace#abort}, as the real allocator does).
 *
 * <p>Sizes are unsigned {@code size_t} values carried in a {@code long}: a "negative" size is a
 * huge request and fails with 0.
 */
public interface UserAllocator {

    /** The {@code --allocator} name. */
    String name();

    long malloc(long size);

    /** free(NULL) does nothing. */
    void free(long ptr);

    /** realloc: NULL behaves as malloc; size 0 of a non-NULL pointer frees it and returns 0. */
    long realloc(long ptr, long size);

    /** calloc: zeroed memory; an overflowing {@code n * size} fails. */
    long calloc(long n, long size);

    /** memalign / aligned_alloc: {@code alignment} a power of two. */
    long memalign(long alignment, long size);

    /**
     * posix_memalign: the block's address, or {@code -EINVAL} for an alignment that is not a power
     * of two multiple of {@code sizeof(void *)}, or {@code -ENOMEM}.
     */
    default long posixMemalign(long alignment, long size) {
        if (alignment < Long.BYTES || Long.bitCount(alignment) != 1) {
            return -Errno.EINVAL;
        }
        long p = memalign(alignment, size);
        return p == 0 ? -Errno.ENOMEM : p;
    }

    /** malloc_usable_size: 0 for NULL. */
    long usableSize(long ptr);

    /** Checks the allocator's invariants against the process's memory; each problem is one line. */
    List<String> validate();

    /** Read-only figures of the heap. */
    UserHeapMetric metric();

    /** The allocator's heap for the shell's {@code heap} command, if it has one to show. */
    default Optional<HeapView> heapView() {
        return Optional.empty();
    }

    /**
     * The heap's chunks for {@code kmemlab report malloc}'s heap map: by default those of {@link
     * #heapView()}; an allocator without a view may still supply its chunks.
     */
    default Optional<HeapChunks> heapChunks() {
        return heapView().map(HeapChunks::of);
    }
}
