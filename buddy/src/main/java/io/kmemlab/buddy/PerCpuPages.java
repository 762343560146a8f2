package io.kmemlab.buddy;

import io.kmemlab.mm.PageFrames;
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
 * kernel keeps, and {@link #listLength} walks. The lock word sits here too (as in the kernel,
 * where pcp->lock is the struct's first member), with {@link io.kmemlab.mm.SpinLock}'s semantics.
 */
final class PerCpuPages implements PcpMetric {
    /** PCPF_PREV_FREE_HIGH_ORDER. */
    static final int PCPF_PREV_FREE_HIGH_ORDER = 1;
    /** PCPF_FREE_HIGH_BATCH. */
    static final int PCPF_FREE_HIGH_BATCH = 1 << 1;

    /** pcp->lock's name, as a {@link io.kmemlab.mm.SpinLock} would carry it. */
    private final String lockName;
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
        this.lockName = lockName;
        this.frames = frames;
        this.heads = new int[2 * nrLists];
        Arrays.fill(heads, PageFrames.NIL);
    }

    // pcp->lock: the word and lock_stat's counts inline, with SpinLock's semantics (a plain word,
    // a machine runs on one Java thread at a time; re-taking a held lock is a kmemlab bug and
    // throws), so the per-CPU fast path reaches it in no more loads than the lists.
    private boolean held;

    private long acquisitions;
    private long contentions;

    String lockName() {
        return lockName;
    }

    void lock() {
        if (held) {
            contentions++;
            throw new IllegalStateException("deadlock: " + lockName + " is already held");
        }
        held = true;
        acquisitions++;
    }

    boolean tryLock() {
        if (held) {
            return false;
        }
        held = true;
        acquisitions++;
        return true;
    }

    void unlock() {
        held = false;
    }

    boolean isLocked() {
        return held;
    }

    long lockAcquisitions() {
        return acquisitions;
    }

    long lockContentions() {
        return contentions;
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
