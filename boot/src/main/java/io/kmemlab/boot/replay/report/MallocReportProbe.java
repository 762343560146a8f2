package io.kmemlab.boot.replay.report;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.malloc.MallocRun;
import io.kmemlab.mm.FrameMap;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.user.HeapChunks;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserHeapMetric;
import io.kmemlab.proc.Process;
import java.util.Arrays;
import java.util.Optional;

/**
 * What {@code kmemlab report malloc} watches while one allocator runs a trace ({@link
 * MallocRun.Probe}): heap bytes, live requested bytes, live usable bytes and external
 * fragmentation over the trace (at most {@link #MAX_POINTS} points: every {@code stride}-th
 * operation, the stride doubling as the arrays fill; the metrics are read only at the operations
 * kept), the operation at which the heap first reached its peak, and — at the operation it is told
 * to capture and at the end — the heap map and the physical memory map of the machine, with the
 * frames the processes hold.
 *
 * <p>The peak is known only when the trace is done, so the command runs a trace twice on machines
 * booted alike: the first run finds the peak's operation, the second captures there (the runs are
 * deterministic, and {@link #capturedHeapBytes} lets the caller check the second met the peak).
 */
public final class MallocReportProbe implements MallocRun.Probe {
    public static final int MAX_POINTS = 1024;

    private final Kernel kernel;
    private final int captureAt;

    private final long[] op = new long[MAX_POINTS];
    private final long[] heap = new long[MAX_POINTS];
    private final long[] live = new long[MAX_POINTS];
    private final long[] usable = new long[MAX_POINTS];
    private final double[] frag = new double[MAX_POINTS];
    private int n;
    private long stride = 1;
    private long lastAt;

    private long peakHeap = -1;
    private int peakIndex = -1;
    private long capturedHeapBytes = -1;
    private HeapMap heapPeak;
    private HeapMap heapEnd;
    private MemoryMap physPeak;
    private MemoryMap physEnd;

    /**
     * @param kernel the machine the process runs on
     * @param captureAt the operation (from 0) after which to take the peak maps, or -1 for none
     */
    public MallocReportProbe(Kernel kernel, int captureAt) {
        this.kernel = kernel;
        this.captureAt = captureAt;
    }

    @Override
    public void after(int index, UserAllocator allocator, Process process) {
        UserHeapMetric m = allocator.metric();
        long h = m.heapBytes();
        if (h > peakHeap) {
            peakHeap = h;
            peakIndex = index;
        }
        if (index == captureAt) {
            capturedHeapBytes = h;
            heapPeak = heapMap(allocator);
            physPeak = physical();
        }
        long at = index + 1L;
        lastAt = at;
        if (at % stride == 0) {
            if (n == MAX_POINTS) {
                halve();
            }
            if (at % stride == 0) {
                put(n++, at, m);
            }
        }
    }

    @Override
    public void end(UserAllocator allocator, Process process) {
        // The last operation is always a point: a series ends where the trace does.
        if (lastAt > 0 && (n == 0 || op[n - 1] != lastAt)) {
            if (n == MAX_POINTS) {
                n--;
            }
            put(n++, lastAt, allocator.metric());
        }
        heapEnd = heapMap(allocator);
        physEnd = physical();
    }

    private void halve() {
        for (int i = 0; i < MAX_POINTS / 2; i++) {
            op[i] = op[2 * i];
            heap[i] = heap[2 * i];
            live[i] = live[2 * i];
            usable[i] = usable[2 * i];
            frag[i] = frag[2 * i];
        }
        n = MAX_POINTS / 2;
        stride *= 2;
    }

    private void put(int i, long at, UserHeapMetric m) {
        op[i] = at;
        heap[i] = m.heapBytes();
        live[i] = m.liveRequestedBytes();
        usable[i] = m.liveUsableBytes();
        frag[i] = m.externalFragmentation();
    }

    private static HeapMap heapMap(UserAllocator a) {
        Optional<HeapChunks> c = a.heapChunks();
        return c.map(HeapMap::of).orElse(null);
    }

    private MemoryMap physical() {
        SlabAllocator slab = kernel.slab() == null ? null : kernel.slab().allocator();
        return MemoryMap.of(
                FrameMap.capture(kernel.machine().frames(), null),
                h -> slab == null ? "" : MemoryMap.ownerName(slab, h),
                UserFrames.capture(kernel.processes(), kernel.machine().nrFrames()));
    }

    /** The first operation (from 0) after which the heap held its peak, or -1 if none ran. */
    public int peakIndex() {
        return peakIndex;
    }

    /** The most heap bytes seen after an operation (-1 if none ran). */
    public long peakHeapBytes() {
        return peakHeap;
    }

    /** Heap bytes after the captured operation, or -1 if it was never reached. */
    public long capturedHeapBytes() {
        return capturedHeapBytes;
    }

    public int points() {
        return n;
    }

    public long[] ops() {
        return Arrays.copyOf(op, n);
    }

    public long[] heapBytes() {
        return Arrays.copyOf(heap, n);
    }

    public long[] liveRequestedBytes() {
        return Arrays.copyOf(live, n);
    }

    public long[] liveUsableBytes() {
        return Arrays.copyOf(usable, n);
    }

    public double[] externalFragmentation() {
        return Arrays.copyOf(frag, n);
    }

    /** The heap map at the captured operation (null: none taken, or no chunks to show). */
    public HeapMap heapPeak() {
        return heapPeak;
    }

    public HeapMap heapEnd() {
        return heapEnd;
    }

    public MemoryMap physicalPeak() {
        return physPeak;
    }

    public MemoryMap physicalEnd() {
        return physEnd;
    }
}
