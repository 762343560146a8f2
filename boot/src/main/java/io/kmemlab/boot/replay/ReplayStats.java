package io.kmemlab.boot.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one replay through one allocator did: the accounting (every event line is applied, skipped
 * with a reason, or malformed), the allocation outcome, and the memory picture at the peak and at
 * the end. Filled by {@link ReplayEngine}; read by reports and tests.
 *
 * <p>Identity: {@code applied + skipped + malformed == eventsRead}.
 */
public final class ReplayStats {
    final String allocator;
    long eventsRead;
    long applied;
    final long[] skipped = new long[SkipReason.COUNT];
    long malformed;
    final List<String> malformedSamples = new ArrayList<>();
    final Map<String, Long> otherEvents = new LinkedHashMap<>();
    long failures;
    long allocations;
    long frees;
    long nullFrees;
    long implicitFrees;
    long foldedCpuEvents;
    long cachesCreated;
    long cachesSlotMismatch;
    long cacheComments;
    long cachesDefined;
    long cachesDefinedFailed;
    long bytesReq;
    /** ksize() of the objects the replay freed (perf kmem's "bytes freed"). */
    long bytesFreed;
    /** Frees on another CPU than the allocation's (perf kmem's ping-pong). */
    long crossCpuFrees;

    long bytesAlloc;
    long pageEventPages;
    long peakSlabBytes;
    long peakLine;
    long peakNanos;
    long finalSlabBytes;
    long activeObjs;
    long totalObjs;
    long slotBytes;
    long unusedSlotBytes;
    long metadataBytes;
    long liveObjects;
    long liveBytesReq;
    long liveBytesReqAtPeak;
    List<CacheUsage> topCaches = List.of();
    long replayCaches;
    long replayInUseObjs;
    long replayTotalObjs;
    long replayFreeSlotBytes;
    long replayMetadataBytes;
    long replayCacheSlabBytes;
    List<CacheUsage> replayTopCaches = List.of();
    PathCounts paths = PathCounts.NONE;
    final Map<String, Long> reports = new LinkedHashMap<>();
    long wrongCacheFrees;
    List<String> dmesg = List.of();
    BuddyFragmentation fragPeak;
    BuddyFragmentation fragEnd;
    List<BuddyFragmentation.Zone> fragPeakZones = List.of();
    List<BuddyFragmentation.Zone> fragEndZones = List.of();
    long wallNanos;
    long firstNanos = -1;
    long lastNanos;
    final MemorySeries series;

    ReplayStats(String allocator, int maxSamples) {
        this.allocator = allocator;
        this.series = new MemorySeries(maxSamples);
    }

    public String allocator() {
        return allocator;
    }

    /** Event lines read (every line that is not a header, comment or blank). */
    public long eventsRead() {
        return eventsRead;
    }

    public long applied() {
        return applied;
    }

    public long skipped() {
        long s = 0;
        for (long v : skipped) {
            s += v;
        }
        return s;
    }

    public long skipped(SkipReason r) {
        return skipped[r.ordinal()];
    }

    /** Non-zero skip counts by reason, in enum order. */
    public Map<SkipReason, Long> skipReasons() {
        Map<SkipReason, Long> m = new LinkedHashMap<>();
        for (SkipReason r : SkipReason.values()) {
            if (skipped[r.ordinal()] != 0) {
                m.put(r, skipped[r.ordinal()]);
            }
        }
        return m;
    }

    public long malformed() {
        return malformed;
    }

    /** The first malformed lines, as {@code line N: reason}. */
    public List<String> malformedSamples() {
        return Collections.unmodifiableList(malformedSamples);
    }

    /** Events of other tracepoints, by name (skipped as {@link SkipReason#OTHER_EVENT}). */
    public Map<String, Long> otherEvents() {
        return Collections.unmodifiableMap(otherEvents);
    }

    /** Frees of pointers never allocated in the trace (skipped). */
    public long unmatchedFrees() {
        return skipped[SkipReason.UNMATCHED_FREE.ordinal()] + skipped[SkipReason.UNMATCHED_PAGE_FREE.ordinal()];
    }

    public long doubleFrees() {
        return skipped[SkipReason.DOUBLE_FREE.ordinal()];
    }

    /** Allocations the emulated kernel could not satisfy (NULL returned). */
    public long failures() {
        return failures;
    }

    /** Successful object allocations applied. */
    public long allocations() {
        return allocations;
    }

    /** Object frees applied (kfree(NULL) included). */
    public long frees() {
        return frees;
    }

    public long nullFrees() {
        return nullFrees;
    }

    /** Allocations at a pointer still live in the replay: the trace lost that pointer's free. */
    public long implicitFrees() {
        return implicitFrees;
    }

    /** Events of a CPU the machine does not have, run on {@code cpu % nr_cpus}. */
    public long foldedCpuEvents() {
        return foldedCpuEvents;
    }

    /**
     * Caches created on first sight of a kmem_cache_alloc name with a shape guessed from the line
     * ({@link CacheShape}): those no kmemlab cache comment defined.
     */
    public long cachesCreated() {
        return cachesCreated;
    }

    /** Of those, caches whose SLUB slot size could not be made equal to the trace's bytes_alloc. */
    public long cachesSlotMismatch() {
        return cachesSlotMismatch;
    }

    /** kmemlab {@code # kmemlab cache:} comments read (0 for a real kernel's trace). */
    public long cacheComments() {
        return cacheComments;
    }

    /** Caches created (or merged) with the arguments a kmemlab trace recorded for them. */
    public long cachesDefined() {
        return cachesDefined;
    }

    /** Recorded cache definitions whose kmem_cache_create failed here (reported to dmesg). */
    public long cachesDefinedFailed() {
        return cachesDefinedFailed;
    }

    /** Sum of bytes_req of the applied allocations. */
    /** Bytes the replay's allocator had given the objects the trace freed (their ksize). */
    public long bytesFreed() {
        return bytesFreed;
    }

    /** Frees that ran on another CPU than the allocation of the object (ping-pong). */
    public long crossCpuFrees() {
        return crossCpuFrees;
    }

    public long bytesReq() {
        return bytesReq;
    }

    /** Sum of the bytes the emulated allocator handed out for them (its bytes_alloc). */
    public long bytesAlloc() {
        return bytesAlloc;
    }

    /** perf kmem stat's internal fragmentation: 1 - bytes_req / bytes_alloc, in percent. */
    public double internalFragmentationPercent() {
        return bytesAlloc == 0 ? 0 : 100.0 * (bytesAlloc - bytesReq) / bytesAlloc;
    }

    /** Largest slab memory (pages the object allocator held, in bytes) during the replay. */
    public long peakSlabBytes() {
        return peakSlabBytes;
    }

    /** Input line number of the event at which the peak was first reached. */
    public long peakLine() {
        return peakLine;
    }

    /** Virtual time of the peak, nanoseconds. */
    public long peakNanos() {
        return peakNanos;
    }

    public long finalSlabBytes() {
        return finalSlabBytes;
    }

    /** slabinfo's active_objs of every cache of the machine at the end (boot caches included). */
    public long activeObjs() {
        return activeObjs;
    }

    /** slabinfo's num_objs of every cache of the machine at the end. */
    public long totalObjs() {
        return totalObjs;
    }

    /** Bytes of all slots (num_objs × objsize) of every cache of the machine at the end. */
    public long slotBytes() {
        return slotBytes;
    }

    /**
     * (num_objs − active_objs) × objsize over every cache of the machine at the end, with
     * slabinfo's active_objs: SLUB's per-CPU slabs count as full. {@link #replayFreeSlotBytes}
     * counts the free slots of the replay's caches.
     */
    public long unusedSlotBytes() {
        return unusedSlotBytes;
    }

    /** Slab bytes not in any slot (slab leftover, management, SLOB headers), whole machine, at the end. */
    public long metadataBytes() {
        return metadataBytes;
    }

    /** Caches the replay used ({@link CacheUsage#inUseObjs} says which). */
    public long replayCaches() {
        return replayCaches;
    }

    /** Objects in use in the replay's caches at the end ({@link CacheUsage#inUseObjs}). */
    public long replayInUseObjs() {
        return replayInUseObjs;
    }

    /** Slots (num_objs) of the replay's caches at the end. */
    public long replayTotalObjs() {
        return replayTotalObjs;
    }

    /** Bytes of the free slots of the replay's caches at the end: (slots − in use) × objsize. */
    public long replayFreeSlotBytes() {
        return replayFreeSlotBytes;
    }

    /** Slab bytes of the replay's caches not in any slot at the end. */
    public long replayMetadataBytes() {
        return replayMetadataBytes;
    }

    /** Pages held by the slabs of the replay's caches at the end, in bytes. */
    public long replayCacheSlabBytes() {
        return replayCacheSlabBytes;
    }

    /** The replay's caches holding the most memory at the end, largest first. */
    public List<CacheUsage> replayTopCaches() {
        return replayTopCaches;
    }

    /** Objects the replay holds at the end (allocated in the trace and never freed). */
    public long liveObjects() {
        return liveObjects;
    }

    /** Bytes requested by the objects live at the end (their trace bytes_req). */
    public long liveBytesReq() {
        return liveBytesReq;
    }

    /** Bytes requested by the objects live when slab memory peaked. */
    public long liveBytesReqAtPeak() {
        return liveBytesReqAtPeak;
    }

    /**
     * Share of slab memory at the end not holding requested bytes: 1 - live bytes_req / slab
     * memory, in percent. Comparable across allocators (SLOB included): it counts rounding, unused
     * slots, per-slab leftovers, headers and cache descriptors alike.
     */
    public double overheadPercent() {
        return finalSlabBytes <= 0 ? 0 : 100.0 * (finalSlabBytes - liveBytesReq) / finalSlabBytes;
    }

    /** The same at the peak. */
    public double overheadAtPeakPercent() {
        return peakSlabBytes <= 0 ? 0 : 100.0 * (peakSlabBytes - liveBytesReqAtPeak) / peakSlabBytes;
    }

    /** The caches of the whole machine holding the most memory at the end, largest first. */
    public List<CacheUsage> topCaches() {
        return topCaches;
    }

    /**
     * kmem_cache_free events naming another cache than the one the object was allocated from in
     * the trace: applied as the kernel's kmem_cache_free does (a "Wrong slab cache" WARN, and the
     * object freed to the cache it is from).
     */
    public long wrongCacheFrees() {
        return wrongCacheFrees;
    }

    /** The lines the replay printed to the machine's dmesg, oldest first (as many as the ring kept). */
    public List<String> dmesg() {
        return dmesg;
    }

    /** Kernel-style reports the replay caused (dmesg), by kind (lower case), non-zero only. */
    public Map<String, Long> reports() {
        return Collections.unmodifiableMap(reports);
    }

    /** Fast/slow path counts over the whole run (boot included), or {@link PathCounts#NONE}. */
    public PathCounts paths() {
        return paths;
    }

    /** Buddy fragmentation when slab memory peaked, or null if the page allocator exposes none. */
    public BuddyFragmentation fragPeak() {
        return fragPeak;
    }

    public BuddyFragmentation fragEnd() {
        return fragEnd;
    }

    /** Buddy fragmentation per populated zone when slab memory peaked (empty if no zones or no peak). */
    public List<BuddyFragmentation.Zone> fragPeakZones() {
        return fragPeakZones;
    }

    /** Buddy fragmentation per populated zone at the end (empty if the page allocator has no zones). */
    public List<BuddyFragmentation.Zone> fragEndZones() {
        return fragEndZones;
    }

    /**
     * Wall time this allocator spent replaying the events (the shared reading and parsing of the
     * input is not in it); 0 when timing is off.
     */
    public long wallNanos() {
        return wallNanos;
    }

    public double eventsPerSecond() {
        return wallNanos == 0 ? 0 : eventsRead * 1e9 / wallNanos;
    }

    /** Virtual time span of the trace, nanoseconds. */
    public long traceSpanNanos() {
        return firstNanos < 0 ? 0 : lastNanos - firstNanos;
    }

    public MemorySeries series() {
        return series;
    }

    /**
     * Slab memory over virtual time, for charts: bounded, decimated by halving when full; with
     * each point the buddy allocator's unusable-free index (thousandths) for
     * {@link BuddyFragmentation#SERIES_ORDER} then.
     */
    public static final class MemorySeries {
        private final int max;
        private long[] nanos;
        private long[] bytes;
        private int[] frag;
        private int n;
        private int every = 1;
        private int countdown = 1;

        MemorySeries(int max) {
            this.max = Math.max(2, max);
            this.nanos = new long[this.max];
            this.bytes = new long[this.max];
            this.frag = new int[this.max];
        }

        /** Keeps the point or drops it; true if kept. */
        boolean offer(long t, long b) {
            if (--countdown > 0) {
                return false;
            }
            countdown = every;
            if (n == max) {
                for (int i = 0; i < max / 2; i++) {
                    nanos[i] = nanos[2 * i];
                    bytes[i] = bytes[2 * i];
                    frag[i] = frag[2 * i];
                }
                n = max / 2;
                every *= 2;
                countdown = every;
            }
            nanos[n] = t;
            bytes[n] = b;
            frag[n] = 0;
            n++;
            return true;
        }

        /** Sets the fragmentation index of the last point kept. */
        void fragAtLast(int unusableThousandths) {
            frag[n - 1] = unusableThousandths;
        }

        /** The unusable-free index (0…1000) for {@link BuddyFragmentation#SERIES_ORDER} at point i. */
        public int unusableAt(int i) {
            return frag[i];
        }

        public int size() {
            return n;
        }

        public long nanosAt(int i) {
            return nanos[i];
        }

        public long bytesAt(int i) {
            return bytes[i];
        }
    }
}
