/**
 * Segregated fits, the reference design of the CS:APP malloc lab (Bryant and O'Hallaron,
 * Computer Systems: A Programmer's Perspective, 3rd ed., §9.9.14): {@code --allocator segregated}.
 *
 * <h2>How it works</h2>
 *
 * <p>The heap is the same brk region of boundary-tagged blocks as the free-list allocators' ({@link
 * io.kmemlab.malloc.BoundaryTagHeap}: header word below the payload, footer and two links in free
 * blocks, a previous-allocated bit), but the free blocks are kept in 20 explicit lists, one per
 * size class: blocks of up to 32 bytes, 33–64, 65–128, …, 4 MiB + 1 … 8 MiB, and everything
 * larger in the last.
 *
 * <pre>
 *  class 0 (≤ 32)     → [32] → [32]
 *  class 1 (33–64)    → [48]
 *  class 2 (65–128)   → (empty)
 *  class 3 (129–256)  → [256] → [144] → [160]
 *  …
 *  class 19 (> 8 MiB) → (empty)
 * </pre>
 *
 * <p>malloc computes the block size (request plus header, 16-aligned, at least 32), searches its
 * class first-fit, then each larger class, and takes the first block that fits: within a class
 * the blocks differ by less than a factor of two, so first fit approximates best fit at the price
 * of a short search. The block is split when the remainder makes a block, and the remainder goes
 * to the list of its own class. With nothing that fits, the heap grows through brk by at least
 * 4 KiB (CHUNKSIZE), less a free block already at the end. free coalesces with both neighbours at
 * once and pushes the result on the head of its class (LIFO), where the next request of that size
 * looks first.
 *
 * <h2>Invariants (checked by {@code validate()})</h2>
 *
 * <ul>
 *   <li>those of the block heap: blocks tile the heap, true previous-allocated bits, footers equal
 *       to sizes, no two free blocks adjacent, allocated blocks exactly the live payloads;
 *   <li>every free block is on exactly one list, the list of its size class, and every list's
 *       back links mirror its forward links and its count is its length.
 * </ul>
 *
 * <h2>Simplifications</h2>
 *
 * <p>The list heads are the allocator's fields rather than words at the heap's start (where lab
 * solutions often put them); no mmap for large requests; the heap never shrinks.
 */
package io.kmemlab.malloc.segregated;
