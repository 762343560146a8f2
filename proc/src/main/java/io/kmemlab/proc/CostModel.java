package io.kmemlab.proc;

/**
 * The virtual time the memory system calls and page faults cost, in nanoseconds. The defaults are
 * calibrated against the measurements of a 64 MiB anonymous private mapping on Linux 6.18.44 in
 * userspace-malloc-contention-labs.md §4.4 (per 4 KiB page, "zeroing dominates"):
 *
 * <pre>
 *  variant                          measured (16,384 pages)   model
 *  MAP_POPULATE, read-write         23.3–28.6 ms in mmap       fault + alloc + clear = 1.55 µs/page → 25.4 ms
 *  MAP_POPULATE, read-only          7.4–7.7 ms in mmap         fault (zero page)     = 0.45 µs/page →  7.4 ms
 *  demand faults, first touches     26.1–35.0 ms               trap + 1.55 + touch   = 1.87 µs/page → 30.6 ms
 *  touches of populated pages       0.33–0.38 ms               touch                 = 0.02 µs/page →  0.33 ms
 *  mmap without population          0.004–0.005 ms             syscall + vma         = 4.5 µs
 * </pre>
 *
 * The zap (unmap) and page-table figures are estimates, not measured here: freeing a page costs
 * about what allocating one does, a page-table page costs an allocation and a clear.
 *
 * @param syscallNanos system call entry and exit (with the speculation mitigations)
 * @param vmaNanos the VMA work of one mmap/munmap/mremap/mprotect/brk/madvise call
 *     (get_unmapped_area, vm_area_struct allocation, split, merge, accounting)
 * @param trapNanos a page-fault exception's entry and exit; populate (GUP) faults skip it
 * @param faultNanos handle_mm_fault(): page-table walk, the PTE, rmap, LRU, memcg charge
 * @param pageAllocNanos one order-0 allocation from the page allocator
 * @param clearPageNanos clear_page() of 4 KiB
 * @param copyPageNanos copy_page() of 4 KiB (COW of a file page)
 * @param zapPageNanos unmapping one present page: PTE clear, rmap, the batched free
 * @param touchNanos one user access of a page already mapped (TLB miss and walk)
 */
public record CostModel(
        long syscallNanos,
        long vmaNanos,
        long trapNanos,
        long faultNanos,
        long pageAllocNanos,
        long clearPageNanos,
        long copyPageNanos,
        long zapPageNanos,
        long touchNanos) {

    /** The calibrated costs (see the class comment). */
    public static final CostModel DEFAULT = new CostModel(500, 4_000, 300, 450, 100, 1_000, 1_000, 150, 20);

    /** Everything free: virtual time does not move (for tests that count only). */
    public static final CostModel ZERO = new CostModel(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
