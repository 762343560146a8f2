package io.kmemlab.boot.malloc;

import java.util.Arrays;

/**
 * Heap and RSS over a trace, at most {@link #MAX_POINTS} samples whatever its length: every
 * {@code stride}-th operation is kept, and when the arrays fill, every other sample is dropped and
 * the stride doubles. Primitive arrays, nothing allocated per operation.
 */
public final class HeapSeries {
    public static final int MAX_POINTS = 2048;
    private final long[] op = new long[MAX_POINTS];
    private final long[] heap = new long[MAX_POINTS];
    private final long[] rss = new long[MAX_POINTS];
    private int n;
    private long stride = 1;

    /** After operation {@code index}: the allocator's heap bytes and the process's RSS pages. */
    void sample(long index, long heapBytes, long rssPages) {
        if (index % stride != 0) {
            return;
        }
        if (n == MAX_POINTS) {
            for (int i = 0; i < MAX_POINTS / 2; i++) {
                op[i] = op[2 * i];
                heap[i] = heap[2 * i];
                rss[i] = rss[2 * i];
            }
            n = MAX_POINTS / 2;
            stride *= 2;
            if (index % stride != 0) {
                return;
            }
        }
        op[n] = index;
        heap[n] = heapBytes;
        rss[n] = rssPages;
        n++;
    }

    /** The last operation, always kept (a series ends where the trace does). */
    void last(long index, long heapBytes, long rssPages) {
        if (n > 0 && op[n - 1] == index) {
            heap[n - 1] = heapBytes;
            rss[n - 1] = rssPages;
            return;
        }
        if (n == MAX_POINTS) {
            n--;
        }
        op[n] = index;
        heap[n] = heapBytes;
        rss[n] = rssPages;
        n++;
    }

    public int size() {
        return n;
    }

    /** Operation indexes (from 1: after the first operation). */
    public long[] ops() {
        return Arrays.copyOf(op, n);
    }

    public long[] heapBytes() {
        return Arrays.copyOf(heap, n);
    }

    public long[] rssPages() {
        return Arrays.copyOf(rss, n);
    }
}
