/**
 * The seam between user-space allocators and the emulated kernel.
 *
 * <p>A user-space allocator (module {@code malloc}: bump arena, free lists, segregated fits,
 * glibc's ptmalloc2, jemalloc) runs inside one emulated process and sees the kernel only as a C
 * library sees it: {@link io.kmemlab.mm.user.UserSpace} offers brk, mmap, munmap, mremap,
 * mprotect and madvise with the x86-64 ABI values of {@link io.kmemlab.mm.user.Mman} and
 * {@link io.kmemlab.mm.user.Errno}, loads and stores to the process's memory (which fault pages
 * in), and abort(3). The process model (module {@code proc}) implements it; the allocators
 * implement {@link io.kmemlab.mm.user.UserAllocator} and are found through
 * {@link io.kmemlab.mm.user.UserAllocatorProvider}, so neither module compiles against the
 * other. An allocator with a heap to show supplies a {@link io.kmemlab.mm.user.HeapView} (its
 * blocks, its free lists, the last search's element count; the texts in {@link
 * io.kmemlab.mm.user.HeapViewText}) for the shell's {@code heap} command and OSTEP's output mode;
 * lab tools with a command line of their own (OSTEP's malloc.py) are {@link
 * io.kmemlab.mm.user.UserHeapLab}s, found by ServiceLoader too.
 */
package io.kmemlab.mm.user;
