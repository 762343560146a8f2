package io.kmemlab.mm.testing;

import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserHeapMetric;
import io.kmemlab.mm.user.UserSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately tiny allocator for tests of the trace and replay machinery (not a model of
 * anything): blocks of {@code align16(n + 8)} bytes bumped up the brk heap with the requested size
 * in an 8-byte header, one free list per exact block size for reuse, and requests of
 * {@link #MMAP_THRESHOLD} or more in their own mapping. It allocates Java objects freely.
 */
public final class TinyBrkAllocator implements UserAllocator, UserHeapMetric {
    public static final long MMAP_THRESHOLD = 128 * 1024;
    private static final long HDR = 8;

    private final UserSpace space;
    private final String name;
    private long top;
    private long end;
    private final Map<Long, List<Long>> freeBySize = new HashMap<>();
    /** Live pointer → requested bytes. */
    private final Map<Long, Long> live = new HashMap<>();

    private final Map<Long, Long> mapped = new HashMap<>();
    private long mappedBytes;
    private long peakHeap;
    private long liveRequested;
    private long peakLiveRequested;
    private long liveUsable;
    private long freeListBytes;
    private long mallocs;
    private long frees;
    private long reallocs;
    private long failures;
    private long badFrees;

    private final boolean reuse;

    /** With {@code reuse} false, freed blocks are never reused (a pure bump heap). */
    public TinyBrkAllocator(UserSpace space, String name, boolean reuse) {
        this.space = space;
        this.name = name;
        this.reuse = reuse;
        this.top = space.brkAddress();
        this.end = top;
    }

    @Override
    public String name() {
        return name;
    }

    private static long blockSize(long n) {
        return (n + HDR + 15) & -16L;
    }

    @Override
    public long malloc(long size) {
        mallocs++;
        if (size < 0 || size > (1L << 46)) {
            failures++;
            return 0;
        }
        long p;
        long usable;
        if (size >= MMAP_THRESHOLD) {
            long len = (size + HDR + 4095) & -4096L;
            long m = space.mmap(0, len, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
            if (Errno.isError(m)) {
                failures++;
                return 0;
            }
            mapped.put(m + HDR, len);
            mappedBytes += len;
            p = m + HDR;
            usable = len - HDR;
        } else {
            long bs = blockSize(size);
            List<Long> fl = reuse ? freeBySize.get(bs) : null;
            if (fl != null && !fl.isEmpty()) {
                p = fl.remove(fl.size() - 1);
                freeListBytes -= bs;
            } else {
                if (top + bs > end) {
                    long want = (top + bs + 4095) & -4096L;
                    if (space.brk(want) != want) {
                        failures++;
                        return 0;
                    }
                    end = want;
                }
                p = top + HDR;
                top += bs;
            }
            usable = bs - HDR;
        }
        space.writeU64(p - HDR, size);
        live.put(p, size);
        liveRequested += size;
        liveUsable += usable;
        peakLiveRequested = Math.max(peakLiveRequested, liveRequested);
        peakHeap = Math.max(peakHeap, heapBytes());
        return p;
    }

    @Override
    public void free(long ptr) {
        if (ptr == 0) {
            return;
        }
        Long req = live.remove(ptr);
        if (req == null) {
            badFrees++;
            space.warn("tiny: free(): invalid pointer");
            return;
        }
        frees++;
        liveRequested -= req;
        Long len = mapped.remove(ptr);
        if (len != null) {
            liveUsable -= len - HDR;
            mappedBytes -= len;
            space.munmap(ptr - HDR, len);
            return;
        }
        long bs = blockSize(req);
        liveUsable -= bs - HDR;
        freeBySize.computeIfAbsent(bs, k -> new ArrayList<>()).add(ptr);
        freeListBytes += bs;
    }

    @Override
    public long realloc(long ptr, long size) {
        if (ptr == 0) {
            return malloc(size);
        }
        if (size == 0) {
            free(ptr);
            return 0;
        }
        Long old = live.get(ptr);
        if (old == null) {
            badFrees++;
            space.warn("tiny: realloc(): invalid pointer");
            return 0;
        }
        reallocs++;
        mallocs--;
        long q = malloc(size);
        if (q == 0) {
            return 0;
        }
        space.copy(q, ptr, Math.min(old, size));
        frees--;
        free(ptr);
        return q;
    }

    @Override
    public long calloc(long n, long size) {
        if (size != 0 && n > Long.MAX_VALUE / size) {
            failures++;
            return 0;
        }
        long p = malloc(n * size);
        if (p != 0) {
            space.fill(p, 0, n * size);
        }
        return p;
    }

    @Override
    public long memalign(long alignment, long size) {
        long p = malloc(size + alignment);
        if (p == 0 || (p & (alignment - 1)) == 0) {
            return p;
        }
        // Not supported beyond the natural 16: a test allocator does not need it.
        free(p);
        failures++;
        return 0;
    }

    @Override
    public long usableSize(long ptr) {
        if (ptr == 0) {
            return 0;
        }
        Long len = mapped.get(ptr);
        if (len != null) {
            return len - HDR;
        }
        Long req = live.get(ptr);
        return req == null ? 0 : blockSize(req) - HDR;
    }

    @Override
    public List<String> validate() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : live.entrySet()) {
            if (space.readU64(e.getKey() - HDR) != e.getValue()) {
                out.add("tiny: header of 0x" + Long.toHexString(e.getKey()) + " overwritten");
            }
        }
        return out;
    }

    @Override
    public UserHeapMetric metric() {
        return this;
    }

    @Override
    public long heapBytes() {
        return (end - space.startBrk()) + mappedBytes;
    }

    @Override
    public long peakHeapBytes() {
        return peakHeap;
    }

    @Override
    public long liveBlocks() {
        return live.size();
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
        return freeListBytes + (end - top);
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

    @Override
    public long largestFreeBlock() {
        long best = end - top;
        for (Map.Entry<Long, List<Long>> e : freeBySize.entrySet()) {
            if (!e.getValue().isEmpty()) {
                best = Math.max(best, e.getKey());
            }
        }
        return best;
    }
}
