/**
 * User-space allocators: the ladder from a bump arena through free lists and segregated fits to
 * glibc 2.36's ptmalloc2 and jemalloc 5.3, one package each, and what they share.
 *
 * <p>Each allocator implements {@link io.kmemlab.mm.user.UserAllocator} over one emulated process,
 * which it sees only as {@link io.kmemlab.mm.user.UserSpace}: brk, mmap and the process's memory.
 * Block headers, free-list links and boundary tags live in that memory, so a program's stray write
 * ({@code poke}) corrupts the heap as it would a real one, and the allocator's own checks find it.
 * Boot finds the allocators through {@link io.kmemlab.mm.user.UserAllocatorProvider} (and the
 * OSTEP exercise through {@link io.kmemlab.mm.user.UserHeapLab}); this module depends on mm-core
 * only.
 *
 * <p>Shared here, as mm/slab_common.c holds what every slab allocator shares: {@link
 * io.kmemlab.malloc.HeapAccounting} (the metric every allocator keeps: calls, failures, bad frees,
 * heap and live bytes, each live block's requested size in a primitive map), {@link
 * io.kmemlab.malloc.BoundaryTagHeap} (the brk heap of boundary-tagged blocks under the free-list
 * and segregated allocators, which supply only their free-block index), {@link
 * io.kmemlab.malloc.Options} (the {@code --allocator NAME opt=value} words) and {@link
 * io.kmemlab.malloc.Sizes}.
 *
 * <p>Every allocator: malloc(0) returns a unique pointer; a request above 2^46 bytes (or negative
 * as a {@code size_t}) and an overflowing calloc fail with NULL; realloc(NULL, n) is malloc(n),
 * realloc(p, 0) frees p and returns NULL, a failed realloc leaves the block as it was; a double or
 * invalid free is reported on the process's stderr ({@code free(): double free detected 0x…},
 * {@code free(): invalid pointer 0x…}), counted in {@code badFrees()}, and the program goes on.
 * A free whose neighbour's boundary tag was overwritten aborts the process as glibc does ({@code
 * free(): corrupted size vs. prev_size}, {@code free(): invalid next size (normal)}): merging with
 * a block that is not there would corrupt the heap further. No walk of a list or an arena goes on
 * for longer than the allocator's own count of its elements, so overwritten links end a walk
 * instead of hanging it.
 */
package io.kmemlab.malloc;
