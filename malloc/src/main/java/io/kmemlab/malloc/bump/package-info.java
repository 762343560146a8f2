/**
 * The bump (arena) allocator: the first rung of the ladder, as region and scratch-buffer
 * allocators do it.
 *
 * <h2>How it works</h2>
 *
 * <p>Memory comes in arenas, each one anonymous private mapping of {@code arena} bytes (1 MiB by
 * default), mapped with MAP_POPULATE when {@code populate} is set, so that every page is faulted
 * in during the mmap call instead of at first touch (the founding question: what MAP_POPULATE does
 * for a large arena pre-allocation). malloc rounds the request up to 8 bytes, places an 8-byte
 * header below an aligned payload at the arena's {@code top} and moves {@code top} past it: one
 * pointer increment. When the arena is full a new one is mapped and chained to the old; the tail
 * of the old one is never used again. A request above {@code large} bytes (a quarter of the arena
 * by default), or aligned above a page, gets a mapping of its own, chained too, and the current
 * arena stays current. free is a no-op that is counted: it marks the header freed (so a second
 * free is reported) and gives nothing back. {@link io.kmemlab.malloc.bump.BumpAllocator#reset}
 * forgets every block at once: the oldest arena is kept, with its pages (so a populated arena stays
 * populated), every other mapping is unmapped.
 *
 * <pre>
 *  arena (mmap)                                                         arena end
 *  +-------------------+-----+---------+-----+-----+--------+--------------------+
 *  | magic size prev top| hdr | payload | pad | hdr | payload|   free tail        |
 *  +-------------------+-----+---------+-----+-----+--------+--------------------+
 *   32-byte arena header  ^ 0xB10C|F|usable   ^ 0xBAD0|len      ^ top
 * </pre>
 *
 * <p>The arena header holds a magic word, the mapping's length, the previous (older) mapping and,
 * once the arena is no longer current, its final top. A block header is the tag {@code 0xB10C},
 * the freed bit and the usable size; padding before a more aligned block starts with a word tagged
 * {@code 0xBAD0} that gives its length. So an arena can be walked from its header to its top, in
 * the process's memory, by anyone.
 *
 * <h2>Invariants (checked by {@code validate()})</h2>
 *
 * <ul>
 *   <li>the chain from the newest mapping through the {@code prev} words visits exactly the mappings
 *       made, each with its magic and its length;
 *   <li>every arena walks from its header to its top through block and padding words only, no
 *       block running past top;
 *   <li>a block is marked freed exactly when it is not live, and the live blocks and their usable
 *       bytes are those counted in the metric.
 * </ul>
 *
 * <p>calloc zeroes only bytes the current arena handed out before (after a shrinking realloc of its
 * newest block or a reset): the rest is the kernel's zeroed memory. realloc of the newest block of
 * the current arena moves top; any other growing realloc copies to a new block.
 *
 * <h2>Simplifications</h2>
 *
 * <p>No thread safety and no per-thread arenas; freed blocks are not reused, even the newest (a
 * real region allocator would often pop it); large mappings stay until reset.
 */
package io.kmemlab.malloc.bump;
