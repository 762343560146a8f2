package io.kmemlab.malloc;

import io.kmemlab.mm.LongLongMap;
import io.kmemlab.mm.user.UserHeapMetric;

/**
 * The figures every allocator of this module keeps, in one place (as mm/slab_common.c keeps what
 * every slab allocator shares): calls, failures, bad frees, heap bytes and their peak, and the
 * requested and usable bytes of each live block. The requested size is kept beside the heap, in a
 * primitive map keyed by the payload address, because no allocator stores it in its headers; the
 * free-space figures come from the allocator, which alone knows its free blocks.
 *
 * <p>Invariant: {@code liveBlocks() == } the number of payloads recorded, and {@code
 * liveRequestedBytes() ≤ liveUsableBytes()}.
 */
public final class HeapAccounting implements UserHeapMetric {

    /** The allocator's free space, asked only when a metric is read. */
    public interface FreeSpace {
        long freeBytes();

        long largestFreeBlock();
    }

    private final FreeSpace freeSpace;
    private final LongLongMap requested = new LongLongMap(-1, 64);
    private long heapBytes;
    private long peakHeapBytes;
    private long liveRequested;
    private long peakLiveRequested;
    private long liveUsable;
    private long mallocs;
    private long frees;
    private long reallocs;
    private long failures;
    private long badFrees;

    public HeapAccounting(FreeSpace freeSpace) {
        this.freeSpace = freeSpace;
    }

    /** A block handed out: {@code payload} for {@code bytesReq}, {@code usable} bytes usable. */
    public void allocated(long payload, long bytesReq, long usable) {
        requested.put(payload, bytesReq);
        liveRequested += bytesReq;
        liveUsable += usable;
        if (liveRequested > peakLiveRequested) {
            peakLiveRequested = liveRequested;
        }
    }

    /** A live block given back; {@code usable} as recorded when it was handed out. */
    public void released(long payload, long usable) {
        long req = requested.remove(payload);
        assert req >= 0 : "released a block never recorded";
        liveRequested -= Math.max(req, 0);
        liveUsable -= usable;
    }

    /** The requested size of a live block, or -1. */
    public long requestedSize(long payload) {
        return requested.get(payload);
    }

    public boolean isLive(long payload) {
        return requested.containsKey(payload);
    }

    public void heapChanged(long delta) {
        heapBytes += delta;
        if (heapBytes > peakHeapBytes) {
            peakHeapBytes = heapBytes;
        }
    }

    public void countMalloc() {
        mallocs++;
    }

    public void countFree() {
        frees++;
    }

    public void countRealloc() {
        reallocs++;
    }

    public void countFailure() {
        failures++;
    }

    public void countBadFree() {
        badFrees++;
    }

    /** Forgets every live block (a bump arena's reset); the counters of calls stay. */
    public void forgetLive() {
        requested.clear();
        liveRequested = 0;
        liveUsable = 0;
    }

    @Override
    public long heapBytes() {
        return heapBytes;
    }

    @Override
    public long peakHeapBytes() {
        return peakHeapBytes;
    }

    @Override
    public long liveBlocks() {
        return requested.size();
    }

    @Override
    public long liveRequestedBytes() {
        return liveRequested;
    }

    @Override
    public long peakLiveRequestedBytes() {
        return peakLiveRequested;
    }

    @Override
    public long liveUsableBytes() {
        return liveUsable;
    }

    @Override
    public long freeBytes() {
        return freeSpace.freeBytes();
    }

    @Override
    public long largestFreeBlock() {
        return freeSpace.largestFreeBlock();
    }

    @Override
    public long mallocs() {
        return mallocs;
    }

    @Override
    public long frees() {
        return frees;
    }

    @Override
    public long reallocs() {
        return reallocs;
    }

    @Override
    public long failures() {
        return failures;
    }

    @Override
    public long badFrees() {
        return badFrees;
    }
}
