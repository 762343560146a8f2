package io.kmemlab.boot.contention.kernel;

import io.kmemlab.mm.sched.LockPolicy;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.Steps;
import io.kmemlab.mm.sched.VLock;
import java.util.ArrayList;
import java.util.List;

/**
 * xv6's physical page allocator (kernel/kalloc.c) in virtual time, before and after the lock
 * lab: free 4 KiB pages on singly linked free lists ({@code struct run}), kalloc popping the head
 * and kfree pushing it, each under an xv6 spinlock — a test-and-set loop with interrupts off that
 * counts its failed swaps ({@code #test-and-set}) and its acquisitions ({@code #acquire()}).
 *
 * <ul>
 *   <li>One list ({@link #perCpu} false): the stock kalloc, one lock named {@code kmem}.
 *   <li>Per-CPU lists: the lab's solution, a list and a lock {@code kmem0} … {@code kmemN-1} per
 *       CPU; kfree pushes on the freeing CPU's list, kalloc pops its own and, when it is empty,
 *       steals one page from the next CPU that has one (taking that CPU's lock).
 * </ul>
 *
 * <p>kinit's freerange() frees every page on CPU 0 at boot (uncontended, as xv6 boots one hart
 * first), so the per-CPU lists start with everything on {@code kmem0}. Pages are numbered 0 … n-1
 * and the lists are arrays ({@code next[page]}); nothing is allocated per operation.
 * Invariant ({@link #validate}): every page is on exactly one list or allocated.
 */
final class Xv6Kalloc {
    static final int NIL = -1;

    private final boolean perCpu;
    private final int[] next;
    private final int[] head;
    private final int[] count;
    private final VLock[] locks;
    private final boolean[] allocated;
    private final long[] bootAcquires;
    private long steals;

    Xv6Kalloc(Scheduler s, int nrPages, boolean perCpu) {
        this.perCpu = perCpu;
        int lists = perCpu ? s.nrCpus() : 1;
        this.next = new int[nrPages];
        this.head = new int[lists];
        this.count = new int[lists];
        this.locks = new VLock[lists];
        this.allocated = new boolean[nrPages];
        this.bootAcquires = new long[lists];
        java.util.Arrays.fill(head, NIL);
        for (int i = 0; i < lists; i++) {
            // initlock(&kmem.lock, "kmem") — the lab's per-CPU locks all start with "kmem"
            locks[i] = s.newLock(perCpu ? "kmem" + i : "kmem", LockPolicy.SPIN_TAS);
        }
    }

    /** The locks in registration order (xv6's locks[] table), for {@link Xv6Stats}. */
    List<VLock> locks() {
        return List.of(locks);
    }

    /** Pages taken from another CPU's list. */
    long steals() {
        return steals;
    }

    /**
     * kinit(): freerange() of every page by kfree on CPU 0, before the other harts start: its
     * acquisitions are counted (they are in the lab's {@code #acquire()}) but cannot contend, so
     * they take no virtual time.
     */
    void freerange() {
        for (int p = next.length - 1; p >= 0; p--) {
            next[p] = head[0];
            head[0] = p;
            count[0]++;
            bootAcquires[0]++;
        }
    }

    /** Acquisitions of lock {@code i} at boot (kinit), before the scheduler ran. */
    long bootAcquires(int i) {
        return bootAcquires[i];
    }

    /** kalloc() on {@code cpu}: a page, or {@link #NIL} when memory is exhausted. */
    int kalloc(int cpu, Steps steps) {
        int mine = perCpu ? cpu : 0;
        steps.lock(locks[mine]);
        steps.work(KernelCosts.XV6_CRITICAL);
        int p = pop(mine);
        steps.unlock(locks[mine]);
        if (p == NIL && perCpu) {
            for (int i = 1; i < locks.length && p == NIL; i++) {
                int other = (mine + i) % locks.length;
                steps.lock(locks[other]);
                steps.work(KernelCosts.XV6_CRITICAL);
                p = pop(other);
                steps.unlock(locks[other]);
            }
            if (p != NIL) {
                steals++;
            }
        }
        if (p != NIL) {
            allocated[p] = true;
            // memset((char*)r, 5, PGSIZE): fill with junk, outside the lock
            steps.work(KernelCosts.XV6_MEMSET);
        }
        return p;
    }

    /** kfree() on {@code cpu}: junk-fill then push on that CPU's list. */
    void kfree(int cpu, int page, Steps steps) {
        if (page < 0 || page >= next.length || !allocated[page]) {
            throw new IllegalStateException("kfree: page " + page + " is not allocated");
        }
        allocated[page] = false;
        steps.work(KernelCosts.XV6_MEMSET);
        int mine = perCpu ? cpu : 0;
        steps.lock(locks[mine]);
        steps.work(KernelCosts.XV6_CRITICAL);
        next[page] = head[mine];
        head[mine] = page;
        count[mine]++;
        steps.unlock(locks[mine]);
    }

    private int pop(int list) {
        int p = head[list];
        if (p != NIL) {
            head[list] = next[p];
            count[list]--;
        }
        return p;
    }

    /** Every page on exactly one list or allocated; the list lengths as counted. */
    List<String> validate() {
        List<String> errors = new ArrayList<>();
        boolean[] seen = new boolean[next.length];
        for (int l = 0; l < head.length; l++) {
            int n = 0;
            for (int p = head[l]; p != NIL; p = next[p]) {
                if (seen[p] || allocated[p]) {
                    errors.add("page " + p + " is on list " + l + " twice or while allocated");
                    break;
                }
                seen[p] = true;
                n++;
            }
            if (n != count[l]) {
                errors.add("list " + l + " has " + n + " pages, counted " + count[l]);
            }
        }
        for (int p = 0; p < next.length; p++) {
            if (!seen[p] && !allocated[p]) {
                errors.add("page " + p + " is lost: neither free nor allocated");
            }
        }
        return errors;
    }
}
