/**
 * xv6's kalloc (kernel/kalloc.c) as a starter for the lock lab: one free list of 4096-byte pages
 * behind one lock. Your task: NCPU free lists, each behind its own lock named "kmem-N"; kfree()
 * pushes onto the current CPU's list, kalloc() pops from it and steals from another CPU's list
 * when it is empty.
 *
 * The interfaces this file is written against (a lock and a CPU id from kmemlab's threads model)
 * arrive with `./kmemlab contention`; until then this is the design to fill in, not yet checked.
 */
public class Kalloc {
    /** CPUs of the emulated machine (xv6's NCPU). */
    static final int NCPU = 8;

    /** A free page: the list link lives in the page itself, as xv6's struct run. */
    static final class Run {
        Run next;
        final long page;

        Run(long page) {
            this.page = page;
        }
    }

    // xv6's struct kmem: one lock, one list. Replace with one of each per CPU.
    private final Object lock = new Object(); // "kmem"
    private Run freelist;

    /** kfree: the page goes back on the free list. */
    public void kfree(int cpu, long page) {
        synchronized (lock) {
            Run r = new Run(page);
            r.next = freelist;
            freelist = r;
        }
    }

    /** kalloc: a free page, or 0. With per-CPU lists: steal from another CPU when yours is empty. */
    public long kalloc(int cpu) {
        synchronized (lock) {
            Run r = freelist;
            if (r == null) {
                return 0;
            }
            freelist = r.next;
            return r.page;
        }
    }
}
