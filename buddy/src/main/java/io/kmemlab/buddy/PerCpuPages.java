package io.kmemlab.buddy;

import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PfnList;
import io.kmemlab.mm.SpinLock;
import io.kmemlab.mm.page.PcpMetric;

/**
 * {@code struct per_cpu_pages}: one CPU's cache of free pages for one zone. Lists are indexed by
 * {@code order_to_pindex}: 3 × order + migratetype for orders 0…3, then the two THP lists
 * (12 unmovable/reclaimable, 13 movable) when transparent hugepages are configured.
 */
final class PerCpuPages implements PcpMetric {
    /** PCPF_PREV_FREE_HIGH_ORDER. */
    static final int PCPF_PREV_FREE_HIGH_ORDER = 1;
    /** PCPF_FREE_HIGH_BATCH. */
    static final int PCPF_FREE_HIGH_BATCH = 1 << 1;

    final SpinLock lock;
    final PfnList[] lists;
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
        this.lists = new PfnList[nrLists];
        for (int i = 0; i < nrLists; i++) {
            lists[i] = new PfnList(frames);
        }
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
        return pindex >= 0 && pindex < lists.length ? lists[pindex].size() : 0;
    }
}
