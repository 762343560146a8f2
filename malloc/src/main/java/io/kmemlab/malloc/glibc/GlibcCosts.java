package io.kmemlab.malloc.glibc;

/**
 * Virtual nanoseconds of glibc's own paths when a scheduler drives the allocator ({@link
 * GlibcMalloc#attach}): the instructions and cache hits of each path, apart from what the
 * scheduler's cost model charges itself (locks, atomics, cache lines moving between CPUs).
 * Calibrated against glibc 2.36 on this machine's 2-CPU EPYC with the bench-malloc-thread loop
 * ({@code scripts/contention-native.sh}); the sitting and each value's reason are in
 * docs/contention.md.
 */
final class GlibcCosts {
    private GlibcCosts() {}

    /** __libc_malloc / __libc_free entry: checked_request2size, csize2tidx, the header load. */
    static final long CALL = 2;

    /** tcache_get: pop the bin's entry (the protect_ptr decode), the count's store. */
    static final long TCACHE_GET = 3;

    /** tcache_put: the key check's load, push the entry, the count's store. */
    static final long TCACHE_PUT = 3;

    /** A free into a fastbin: the next-size check and the push (the CAS is the model's atomic). */
    static final long FASTBIN = 3;

    /** _int_malloc up to a bin hit: the fastbin, small bin and top checks, set_inuse. */
    static final long INT_MALLOC = 8;

    /** One chunk of the unsorted bin examined and filed into its bin. */
    static final long UNSORTED_STEP = 4;

    /** _int_free_merge_chunk: the checks, coalescing with neighbours, the unsorted insert. */
    static final long INT_FREE = 8;

    /** brk, mmap, munmap, mprotect: the kernel's entry and the VMA's change (not the faults). */
    static final long SYSCALL = 600;

    /** _int_new_arena's own work apart from its mmap calls: malloc_init_state over 127 bins. */
    static final long NEW_ARENA = 300;
}
