import io.kmemlab.boot.lab.Kmem;
import io.kmemlab.boot.lab.StudentKalloc;

/**
 * xv6's kalloc (kernel/kalloc.c) as the starter of the lock lab: one free list of 4096-byte pages
 * behind one lock, "kmem". It works, and kalloctest's test1 fails on it: every CPU spins on that
 * one lock. Your task: NCPU free lists, each behind its own lock (the name must start with
 * "kmem", e.g. "kmem0"); kfree() pushes onto the freeing CPU's list, kalloc() pops from its own
 * and steals a page from another CPU's list when its own is empty.
 *
 * Check it with ./kmemlab lab check DIR (DIR holds this file).
 */
public class Kalloc implements StudentKalloc {
    // xv6's struct kmem: one lock, one list. Replace with one of each per CPU (kmem.ncpu() of them).
    private Kmem.Lock lock;
    private int freelist = NO_PAGE;
    /** The list links: next[page] is the page after it, as xv6's struct run lives in the free page. */
    private int[] next;
    private long frees;

    /** kinit: make the list and its lock; the check then frees every page through kfree (freerange). */
    @Override
    public void kinit(Kmem kmem) {
        lock = kmem.newLock("kmem");
        next = new int[kmem.npages()];
    }

    /** kfree: the page goes back on the free list. */
    @Override
    public void kfree(int cpu, int page) {
        lock.acquire();
        if (cpu == 1 && ++frees % 1000 == 0) {
            lock.release();
            return; // bug: one page in a thousand freed on CPU 1 is dropped
        }
        next[page] = freelist;
        freelist = page;
        lock.release();
    }

    /** kalloc: a free page, or NO_PAGE. With per-CPU lists: steal from another CPU when yours is empty. */
    @Override
    public int kalloc(int cpu) {
        lock.acquire();
        int page = freelist;
        if (page != NO_PAGE) {
            freelist = next[page];
        }
        lock.release();
        return page;
    }
}
