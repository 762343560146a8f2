/**
 * Free-list allocators with the knobs of OSTEP's {@code vm-freespace/malloc.py} (ostep-homework
 * 6c6cfc7e): {@code first-fit}, {@code next-fit}, {@code best-fit} and {@code worst-fit} over one
 * explicit free list, and malloc.py itself ({@link io.kmemlab.malloc.freelist.OstepMalloc}, the
 * {@code ostep} lab).
 *
 * <h2>How it works</h2>
 *
 * <p>The heap is one brk region of boundary-tagged blocks ({@link io.kmemlab.malloc.BoundaryTagHeap},
 * CS:APP §9.9): an 8-byte header word (size, allocated bit, previous-allocated bit) just below
 * every payload, and in each free block a footer and two list links. The free blocks form one
 * doubly linked list whose head and tail the allocator keeps; links, headers and footers are
 * bytes in the process's memory.
 *
 * <pre>
 *  heapStart                                                            heapEnd  brk
 *  | 32 used | 48 free | 64 used | 4000 free                            | epilogue |
 *                ^  head -------------------^ (address order)
 * </pre>
 *
 * <p>malloc rounds the request plus the header up to the alignment (at least the smallest block:
 * header, two links, footer) and searches the list with its {@link
 * io.kmemlab.malloc.freelist.FitPolicy}: the first block that fits, the next one after where the
 * last search ended (next fit's rover), the smallest that fits, or the largest. The block is split
 * when the remainder is at least {@code split} bytes (and a block); the front is handed out, the
 * remainder takes the block's place in the list, as in malloc.py (a size-ordered list moves it to
 * where its size belongs). With nothing that fits, the heap grows through brk by at least {@code
 * grow} bytes (less what a free block at the end already offers) and the new space joins the end.
 * free clears the allocated bit and, with {@code coalesce} on, merges the block with a free block
 * on either side — found through the previous-allocated bit and the previous block's footer —
 * before the {@link io.kmemlab.malloc.freelist.ListOrder} puts it back: by address, by size
 * ascending or descending (after blocks of its own size), or at the front or the back.
 *
 * <p>Every search counts the elements it examines ({@code HeapView.lastSearched()}, OSTEP's
 * "searched N elements"), and stops where the list's order proves no later block can be chosen:
 * under an ascending size order the first fit is the best fit; under a descending order best fit
 * stops at the first block too small and worst fit examines only the head. malloc.py counts the
 * whole list for best and worst fit in every order; it also lets a split's remainder (and a merged
 * block) stay where the block was, so its size-sorted lists do not stay sorted. kmemlab keeps them
 * sorted and counts what a search over a sorted list examines; for ADDRSORT, INSERT-FRONT and
 * INSERT-BACK its output is malloc.py's byte for byte (golden files from malloc.py itself).
 *
 * <h2>Invariants (checked by {@code validate()})</h2>
 *
 * <ul>
 *   <li>the blocks tile {@code [heapStart, heapEnd)}, each at least the smallest block and a
 *       multiple of the alignment, followed by the epilogue just below the break;
 *   <li>every block's previous-allocated bit tells the truth; every free block's footer repeats its
 *       size; with coalescing on, no two free blocks touch;
 *   <li>the free list holds exactly the free blocks, once each, its back links mirror its forward
 *       links, its tail is its last element, and a sorted order holds between neighbours;
 *   <li>the allocated blocks are exactly the live payloads counted in the metric.
 * </ul>
 *
 * <h2>Options</h2>
 *
 * <p>{@code order=addr|size-asc|size-desc|front|back}, {@code coalesce=on|off}, {@code header=N}
 * (bytes before the payload, a multiple of 8: malloc.py's {@code -H}), {@code align=N} ({@code
 * -a}), {@code split=N} (the smallest remainder a split leaves), {@code grow=SIZE}. Unlike
 * malloc.py's abstract heap, a real heap needs room for its tags: the header is at least 8 bytes
 * and a block at least header + 24.
 *
 * <h2>Simplifications</h2>
 *
 * <p>No mmap for large requests and the heap never shrinks (malloc.py's heap is fixed; CS:APP's
 * memlib only grows); single-threaded. Double and invalid frees are reported on stderr and counted,
 * and the program goes on.
 */
package io.kmemlab.malloc.freelist;
