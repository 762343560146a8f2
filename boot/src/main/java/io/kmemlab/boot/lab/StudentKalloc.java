package io.kmemlab.boot.lab;

/**
 * The lock lab's student interface, xv6's kernel/kalloc.c: kinit, kalloc and kfree of 4096-byte
 * pages named by number (0 … npages-1). A student class implements it with a public
 * no-argument constructor; the stock xv6 kalloc (one list, one lock) and the lab's per-CPU
 * solution satisfy it too ({@code io.kmemlab.boot.contention.kernel.Xv6Kalloc}).
 *
 * <p>The check calls kinit once, then frees every page by kfree on CPU 0 (freerange, highest page
 * first), then runs kalloctest's children: each calls kalloc and kfree on the CPU it runs on,
 * and the locks taken through {@link Kmem} are the ones counted.
 */
public interface StudentKalloc {
    /** Returned by {@link #kalloc} when no page is free (xv6 returns 0). */
    int NO_PAGE = -1;

    /** kinit: make the lists and the locks ({@link Kmem#newLock}, names starting "kmem"); free nothing yet. */
    void kinit(Kmem kmem);

    /** kalloc on CPU {@code cpu}: a free page, or {@link #NO_PAGE}. */
    int kalloc(int cpu);

    /** kfree on CPU {@code cpu}: {@code page} is free from now on. */
    void kfree(int cpu, int page);
}
