package io.kmemlab.buddy;

import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.SpinLock;
import io.kmemlab.mm.page.PcpMetric;
import java.util.Arrays;

/**
 * {@code struct per_cpu_pages}: one CPU's cache of free pages for one zone. Lists are indexed by
 * {@code order_to_pindex}: 3 × order + migratetype for orders 0…3, then the two THP lists
 * (12 unmovable/reclaimable, 13 movable) when transparent hugepages are configured.
 *
 * <p>The lists are threaded through {@link PageFrames}' next/prev links like every page list; their
 * heads are one int array ({@link #heads}: list i's first PFN at 2i, its last at 2i + 1), so the
 * per-CPU fast path reaches a list head in one load from this object, as the kernel's lists sit
 * inline in {@code struct per_cpu_pages}. A list's length is not kept: {@link #count} is what the
 * kernel keeps, and {@link #listLength} walks. pcp->lock is a {@link SpinLock} (class
 * {@code &pcp->lock}), which a contention run links to a virtual-time lock.
 */
final class PerCpuPages implements PcpMetric {
    /** PCPF_PREV_FREE_HIGH_ORDER. */
    static final int PCPF_PREV_FREE_HIGH_ORDER = 1;
    /** PCPF_FREE_HIGH_BATCH. */
    static final int PCPF_FREE_HIGH_BATCH = 1 << 1;

    /** pcp->lock's name. */
    private final String lockName;

    final SpinLock lock;
    /** The lists' first and last PFNs, two per list ({@link PageFrames#listAddHead}). */
    final int[] heads;

    private final PageFrames frames;
    int count;
    int high;
    int highMin;
    int highMax;
    int batch;
    int flags;
    int allocFactor;
    int freeCount;

    PerCpuPages(PageFrames frames, int nrLists, String lockName) {
        this.lock = new SpinLock(lockName, "&pcp->lock");
        this.lockName = lockName;
        this.frames = frames;
        this.heads = new int[2 * nrLists];
        Arrays.fill(heads, PageFrames.NIL);
    }

    // pcp->lock is a SpinLock, so that a contention run can link it to a VLock (KernelLocks);
    // these delegate to it.
    String lockName() {
        return lockName;
    }

    void lock() {
        lock.lock();
    }

    boolean tryLock() {
        return lock.tryLock();
    }

    void unlock() {
        lock.unlock();
    }

    boolean isLocked() {
        return lock.isLocked();
    }

    long lockAcquisitions() {
        return lock.acquisitions();
    }

    long lockContentions() {
        return lock.contentions();
    }

    int nrLists() {
        return heads.length / 2;
    }

    /** The first PFN of list {@code pindex} (the hot end: frees go on here, allocations come off). */
    int first(int pindex) {
        return heads[2 * pindex];
    }

    int last(int pindex) {
        return heads[2 * pindex + 1];
    }

    boolean isEmpty(int pindex) {
        return heads[2 * pindex] == PageFrames.NIL;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int high() {
        return high;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public int highMin() {
        return highMin;
    }

    @Override
    public int highMax() {
        return highMax;
    }

    @Override
    public int allocFactor() {
        return allocFactor;
    }

    @Override
    public int freeCount() {
        return freeCount;
    }

    @Override
    public long listLength(int pindex) {
        if (pindex < 0 || pindex >= nrLists()) {
            return 0;
        }
        long n = 0;
        for (int p = first(pindex); p != PageFrames.NIL; p = frames.next(p)) {
            n++;
        }
        return n;
    }
}
