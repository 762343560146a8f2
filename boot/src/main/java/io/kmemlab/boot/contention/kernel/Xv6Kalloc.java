package io.kmemlab.boot.contention.kernel;

import io.kmemlab.boot.lab.Kmem;
import io.kmemlab.boot.lab.StudentKalloc;
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
 * first), so the per-CPU lists start with everything on {@code kmem0}. The locks are {@link Kmem}'s;
 * the junk fills (memset) are charged by the workload around the calls. Pages are numbered 0 … n-1
 * and the lists are arrays ({@code next[page]}); nothing is allocated per operation.
 * Invariant ({@link #validate}): every page is on exactly one list or allocated.
 */
public final class Xv6Kalloc implements StudentKalloc {
    static final int NIL = StudentKalloc.NO_PAGE;

    private final boolean perCpu;
    private int[] next;
    private int[] head;
    private int[] count;
    private Kmem.Lock[] locks;
    private boolean[] allocated;
    private long steals;

    /** The stock kalloc ({@code perCpu} false) or the lab's solution. */
    public Xv6Kalloc(boolean perCpu) {
        this.perCpu = perCpu;
    }

    @Override
    public void kinit(Kmem kmem) {
        int lists = perCpu ? kmem.ncpu() : 1;
        int nrPages = kmem.npages();
        this.next = new int[nrPages];
        this.head = new int[lists];
        this.count = new int[lists];
        this.locks = new Kmem.Lock[lists];
        // every page counts as allocated until freerange frees it
        this.allocated = new boolean[nrPages];
        java.util.Arrays.fill(allocated, true);
        java.util.Arrays.fill(head, NIL);
        for (int i = 0; i < lists; i++) {
            // initlock(&kmem.lock, "kmem") — the lab's per-CPU locks all start with "kmem"
            locks[i] = kmem.newLock(perCpu ? "kmem" + i : "kmem");
        }
    }

    /** Pages taken from another CPU's list. */
    long steals() {
        return steals;
    }

    /** kalloc() on {@code cpu}: a page, or {@link #NIL} when memory is exhausted. */
    @Override
    public int kalloc(int cpu) {
        int mine = perCpu ? cpu : 0;
        locks[mine].acquire();
        int p = pop(mine);
        locks[mine].release();
        if (p == NIL && perCpu) {
            for (int i = 1; i < locks.length && p == NIL; i++) {
                int other = (mine + i) % locks.length;
                locks[other].acquire();
                p = pop(other);
                locks[other].release();
            }
            if (p != NIL) {
                steals++;
            }
        }
        if (p != NIL) {
            allocated[p] = true;
        }
        return p;
    }

    /** kfree() on {@code cpu}: push on that CPU's list. */
    @Override
    public void kfree(int cpu, int page) {
        if (page < 0 || page >= next.length || !allocated[page]) {
            throw new IllegalStateException("kfree: page " + page + " is not allocated");
        }
        allocated[page] = false;
        int mine = perCpu ? cpu : 0;
        locks[mine].acquire();
        next[page] = head[mine];
        head[mine] = page;
        count[mine]++;
        locks[mine].release();
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
