package io.kmemlab.boot.contention.kernel;

import io.kmemlab.mm.KernelLocks.HoldCost;

/**
 * The virtual work, in nanoseconds, of the kernel paths the contention workloads drive: the part
 * of an operation outside any lock (recorded by the workload), and each lock class's critical
 * section, a fixed part plus a part per page or object moved under it (recorded by the lock, see
 * {@link io.kmemlab.mm.KernelLocks}). Where each figure comes from is in docs/contention.md
 * (section "Kernel"); they are orders of magnitude for a ~3 GHz x86-64 core, not measurements of
 * this machine. Locks, atomics and cache-line transfers cost what the run's {@link
 * io.kmemlab.mm.sched.CostModel} says.
 */
final class KernelCosts {
    private KernelCosts() {}

    /** alloc_pages(order 0) outside the locks: get_page_from_freelist, watermark check, prep_new_page. */
    static final long ALLOC_PAGE = 60;
    /** __free_pages(order 0) outside the locks: free_pages_prepare, the pcp commit's bookkeeping. */
    static final long FREE_PAGE = 45;
    /** kmalloc/kfree under SLUB outside the locks: size class lookup, the freelist pointer. */
    static final long SLUB_OP = 12;
    /** kmalloc/kfree under SLAB outside the locks: the per-CPU array cache with irqs off. */
    static final long SLAB_OP = 18;
    /** kmalloc/kfree under SLOB outside slob_lock (the size header; the list walk is under the lock). */
    static final long SLOB_OP = 10;

    /** A NAPI poll that finds its queue empty (netrx's consumer ahead of its producer). */
    static final long EMPTY_POLL = 100;

    /** The critical section of each lock class. */
    static HoldCost hold(String lockClass) {
        return switch (lockClass) {
            // __rmqueue_smallest / __free_one_page per page moved between the buddy and the pcp lists
            case "&zone->lock" -> new HoldCost(25, 18);
            // the pcp list push or pop, per page counted in or out
            case "&pcp->lock" -> new HoldCost(8, 1);
            // partial-list link changes; SLAB's free_block/refill per object moved
            case "&n->list_lock" -> new HoldCost(30, 6);
            // slob_alloc's walk of the free pages and the block split (or slob_free's merge)
            case "slob_lock" -> new HoldCost(140, 0);
            default -> new HoldCost(20, 0);
        };
    }

    // ---- xv6 under QEMU (kalloctest): a slower machine, an emulated RISC-V core

    /** A system call's trap in and out (usertrap, syscall dispatch, usertrapret). */
    static final long XV6_TRAP = 900;
    /** growproc/uvmalloc or uvmdealloc/uvmunmap around the kalloc or kfree: page-table walk, PTE update. */
    static final long XV6_VM = 700;
    /** memset of a 4 KiB page: kalloc fills with 5 after its lock, kfree with 1 before it. */
    static final long XV6_MEMSET = 1_100;
    /** kalloc's or kfree's critical section: pop or push the free list's head. */
    static final long XV6_CRITICAL = 220;
    /** The child's store of one word into the new page (it is mapped: no fault). */
    static final long XV6_TOUCH = 20;
}
