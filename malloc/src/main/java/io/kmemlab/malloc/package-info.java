/**
 * User-space allocators: the ladder from a bump arena through free lists and segregated fits to
 * glibc 2.36's ptmalloc2 and jemalloc 5.3, one package each.
 *
 * <p>Each allocator implements {@link io.kmemlab.mm.user.UserAllocator} over one emulated process,
 * which it sees only as {@link io.kmemlab.mm.user.UserSpace}: brk, mmap and the process's memory.
 * Block headers, free-list links and boundary tags live in that memory, so a program's stray write
 * ({@code poke}) corrupts the heap as it would a real one, and the allocator's own checks find it.
 * Boot finds the allocators through {@link io.kmemlab.mm.user.UserAllocatorProvider}; this module
 * depends on mm-core only.
 */
package io.kmemlab.malloc;
