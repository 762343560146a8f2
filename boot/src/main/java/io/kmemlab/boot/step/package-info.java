/**
 * Step by step: the state after each operation, as text a student can check by hand and
 * {@code diff} with another run, as OSTEP's homework answers ({@code -c}) are printed. Used by
 * {@code replay --step} ({@code io.kmemlab.boot.replay.ReplayStepper}), the shell's
 * {@code step on|off} and {@code malloc replay --step} ({@link io.kmemlab.boot.step.MallocStepPrinter}).
 *
 * <pre>
 *  line 33 cpu 0: kmalloc bytes_req=32 bytes_alloc=32 ptr=0x55207bda -> 0xffff888001008560
 *    slab kmalloc-32 pfn 0x1008 order 0 (cpu slab of CPU 0): inuse 128/128, allocated 17, free 111; object 11 …
 *      slots    0 [c c c A A c …]                    A allocated, . slab freelist, c cpu freelist,
 *      freelist: empty                                s in a sheaf, a in a SLAB array cache
 *      cpu freelist: 32 68 81 … 103 more              (the order the next allocations take them)
 *    buddy: zone DMA32, 3456 free pages; pcp: cpu0 [o0 Unmovable]=15
 *      free_area[3]  Unmovable   1: 0x1018-0x101f      every non-empty list, head first
 *    split tree of pfn 0x1014 order 0:
 *      order  1  0x1014-0x1015  split (free 1, used 1)      buddy 0x1016-0x1017  free
 * </pre>
 *
 * <p>Everything printed is a pure function of read-only metrics: the zones' free lists
 * ({@code ZoneMetric.freeListPfns}) and pcp counts ({@code PcpMetric}), the split tree from the
 * page frames ({@code io.kmemlab.mm.page.BuddyTree}), a slab's slots from its allocator
 * ({@code SlabAllocator.slabSlots}, which SLUB and SLAB supply and SLOB leaves out), a user
 * allocator's {@code HeapView} or its figures ({@code UserHeapMetric},
 * {@code UserAllocatorStats.statsFigures}). Stepping reads the machine between operations and
 * changes nothing, so a replay reports the same with and without it. Every list is cut at a limit
 * and says how many entries it left out; a run prints at most {@code --step-limit} steps.
 */
package io.kmemlab.boot.step;
