package io.kmemlab.boot.memblock;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boot-time memory manager ({@code mm/memblock.c}, Linux 6.18): the "memory" and "reserved"
 * region arrays, add/reserve/remove/free with the kernel's merging and splitting, and the early
 * allocator that carves blocks out of memory minus reserved, top-down by default.
 *
 * <p>Addresses are physical and unsigned; where the kernel returns a virtual address
 * ({@code memblock_alloc*}), kmemlab returns the physical one (0 is NULL) and the caller converts
 * with {@code Addr.physToVirt} if it needs to. Zeroing of non-raw allocations goes through a
 * {@link Backing}, so the boot sequence can zero emulated memory and tests can check untouched
 * bytes.
 */
public final class Memblock {
    private static final Logger LOG = LoggerFactory.getLogger(Memblock.class);
    /** PHYS_ADDR_MAX: all ones. */
    public static final long PHYS_ADDR_MAX = -1L;
    /** MEMBLOCK_ALLOC_ANYWHERE. */
    public static final long ALLOC_ANYWHERE = -1L;
    /** MEMBLOCK_ALLOC_ACCESSIBLE: "up to current_limit". */
    public static final long ALLOC_ACCESSIBLE = 0;
    /** MEMBLOCK_ALLOC_NOLEAKTRACE. */
    public static final long ALLOC_NOLEAKTRACE = 1;
    /** MEMBLOCK_LOW_LIMIT. */
    public static final long LOW_LIMIT = 0;
    /** ARCH_LOW_ADDRESS_LIMIT on x86-64. */
    public static final long ARCH_LOW_ADDRESS_LIMIT = 0xffffffffL;
    /** NUMA_NO_NODE. */
    public static final int NUMA_NO_NODE = -1;
    /** MAX_NUMNODES (x86-64 NODES_SHIFT 6). */
    public static final int MAX_NUMNODES = 64;
    /** INIT_MEMBLOCK_REGIONS. */
    public static final int INIT_MEMBLOCK_REGIONS = 128;

    public static final long PAGE_SIZE = 4096;

    public static final int FLAG_NONE = 0;
    public static final int FLAG_HOTPLUG = 0x1;
    public static final int FLAG_MIRROR = 0x2;
    public static final int FLAG_NOMAP = 0x4;
    public static final int FLAG_DRIVER_MANAGED = 0x8;
    public static final int FLAG_RSRV_NOINIT = 0x10;
    public static final int FLAG_RSRV_KERN = 0x20;
    public static final int FLAG_KHO_SCRATCH = 0x40;
    private static final String[] FLAG_NAMES = {
        "HOTPLUG", "MIRROR", "NOMAP", "DRV_MNG", "RSV_NIT", "RSV_KERN", "KHO_SCRATCH",
    };

    /** Where non-raw allocations are zeroed. */
    @FunctionalInterface
    public interface Backing {
        void zero(long phys, long size);
    }

    private final MemblockType memory = new MemblockType("memory", INIT_MEMBLOCK_REGIONS);
    private final MemblockType reserved = new MemblockType("reserved", INIT_MEMBLOCK_REGIONS);
    private final int smpCacheBytes;
    private boolean bottomUp;
    private long currentLimit = ALLOC_ANYWHERE;
    private boolean canResize;
    private boolean movableNode;
    private Backing backing = (phys, size) -> {};
    private Consumer<String> debugOut;
    private String caller = "memblock";

    /**
     * @param smpCacheBytes SMP_CACHE_BYTES, the alignment used when a caller passes 0: 64 in the
     *     x86-64 kernel, 32 in the kernel's memblock test harness
     */
    public Memblock(int smpCacheBytes) {
        this.smpCacheBytes = smpCacheBytes;
    }

    /** A memblock as the x86-64 kernel has it (SMP_CACHE_BYTES 64). */
    public static Memblock x86() {
        return new Memblock(64);
    }

    public MemblockType memory() {
        return memory;
    }

    public MemblockType reserved() {
        return reserved;
    }

    public void setBacking(Backing backing) {
        this.backing = backing;
    }

    /** memblock=debug: where memblock_dbg() lines go (null: off). */
    public void setDebug(Consumer<String> out) {
        this.debugOut = out;
    }

    public boolean debug() {
        return debugOut != null;
    }

    /** The symbol memblock_dbg prints as the caller (%pS of _RET_IP_). */
    public void setCaller(String caller) {
        this.caller = caller;
    }

    public boolean bottomUp() {
        return bottomUp;
    }

    public void setBottomUp(boolean enable) {
        this.bottomUp = enable;
    }

    public long currentLimit() {
        return currentLimit;
    }

    public void setCurrentLimit(long limit) {
        this.currentLimit = limit;
    }

    /** memblock_allow_resize. */
    public void allowResize() {
        this.canResize = true;
    }

    public void setMovableNode(boolean on) {
        this.movableNode = on;
    }

    /** reset_memblock_regions + reset_memblock_attributes of the test harness. */
    public void reset() {
        resetType(memory);
        resetType(reserved);
        bottomUp = false;
        currentLimit = ALLOC_ANYWHERE;
        canResize = false;
    }

    private static void resetType(MemblockType t) {
        if (t.max != INIT_MEMBLOCK_REGIONS) {
            t.grow(INIT_MEMBLOCK_REGIONS);
        }
        t.isStatic = true;
        t.clearEmpty();
    }

    // --- helpers --------------------------------------------------------------------------

    static boolean lt(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    static boolean le(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0;
    }

    static long umin(long a, long b) {
        return lt(a, b) ? a : b;
    }

    static long umax(long a, long b) {
        return lt(a, b) ? b : a;
    }

    /** memblock_cap_size: base + size must not pass PHYS_ADDR_MAX. */
    static long capSize(long base, long size) {
        return umin(size, PHYS_ADDR_MAX - base);
    }

    static boolean numaValidNode(int nid) {
        return nid >= 0 && nid < MAX_NUMNODES;
    }

    private static long roundDown(long x, long align) {
        return x - Long.remainderUnsigned(x, align);
    }

    private static long roundUp(long x, long align) {
        long r = Long.remainderUnsigned(x, align);
        return r == 0 ? x : x + (align - r);
    }

    private static String pa(long a) {
        return String.format(Locale.ROOT, "0x%016x", a);
    }

    private void dbg(String fn, long base, long size) {
        if (debugOut != null) {
            debugOut.accept(String.format(Locale.ROOT, "%s: [%s-%s] %s", fn, pa(base), pa(base + size - 1), caller));
        }
    }

    // --- add / reserve / remove / free ---------------------------------------------------

    /**
     * memblock_add_range: inserts the parts of [base, base+size) not yet covered, then merges.
     *
     * @return 0, or -12 (ENOMEM) if the array could not grow
     */
    int addRange(MemblockType type, long base, long size, int nid, int flags) {
        if (size == 0) {
            return 0;
        }
        size = capSize(base, size);
        long end = base + size;
        if (type.size[0] == 0) {
            assert type.cnt == 0;
            type.base[0] = base;
            type.size[0] = size;
            type.flags[0] = flags;
            type.nid[0] = nid;
            type.totalSize = size;
            type.cnt = 1;
            return 0;
        }
        // Surely room: skip the counting pass.
        boolean insert = type.cnt * 2 + 1 <= type.max;
        while (true) {
            long b = base;
            int nrNew = 0;
            int startRgn = -1;
            int endRgn = -1;
            int idx = 0;
            for (; idx < type.cnt; idx++) {
                long rbase = type.base[idx];
                long rend = rbase + type.size[idx];
                if (le(end, rbase)) {
                    break;
                }
                if (le(rend, b)) {
                    continue;
                }
                // The part of the new range below this region is new.
                if (lt(b, rbase)) {
                    nrNew++;
                    if (insert) {
                        if (startRgn == -1) {
                            startRgn = idx;
                        }
                        endRgn = idx + 1;
                        type.insert(idx++, b, rbase - b, nid, flags);
                    }
                }
                b = umin(rend, end);
            }
            if (lt(b, end)) {
                nrNew++;
                if (insert) {
                    if (startRgn == -1) {
                        startRgn = idx;
                    }
                    endRgn = idx + 1;
                    type.insert(idx, b, end - b, nid, flags);
                }
            }
            if (nrNew == 0) {
                return 0;
            }
            if (insert) {
                type.mergeRegions(startRgn > 0 ? startRgn - 1 : 0, endRgn);
                return 0;
            }
            while (type.cnt + nrNew > type.max) {
                if (doubleArray(type, base, size) < 0) {
                    return -12;
                }
            }
            insert = true;
        }
    }

    /** memblock_add: memory with nid MAX_NUMNODES and no flags. */
    public int add(long base, long size) {
        dbg("memblock_add", base, size);
        return addRange(memory, base, size, MAX_NUMNODES, FLAG_NONE);
    }

    /** memblock_add_node. */
    public int addNode(long base, long size, int nid, int flags) {
        dbg("memblock_add_node", base, size);
        return addRange(memory, base, size, nid, flags);
    }

    /** memblock_reserve: flags 0, NUMA_NO_NODE (an inline wrapper of __memblock_reserve in 6.18). */
    public int reserve(long base, long size) {
        return reserveNid(base, size, NUMA_NO_NODE, FLAG_NONE);
    }

    /** memblock_reserve_kern: RSRV_KERN, NUMA_NO_NODE (an inline wrapper of __memblock_reserve). */
    public int reserveKern(long base, long size) {
        return reserveNid(base, size, NUMA_NO_NODE, FLAG_RSRV_KERN);
    }

    /** __memblock_reserve(base, size, nid, flags). */
    private int reserveNid(long base, long size, int nid, int flags) {
        if (debugOut != null) {
            debugOut.accept(String.format(
                    Locale.ROOT,
                    "__memblock_reserve: [%s-%s] nid=%d flags=%x %s",
                    pa(base),
                    pa(base + size - 1),
                    nid,
                    flags,
                    caller));
        }
        return addRange(reserved, base, size, nid, flags);
    }

    /**
     * memblock_isolate_range: splits regions crossing base or base+size.
     *
     * @return {start_rgn, end_rgn}, or null on ENOMEM
     */
    int[] isolateRange(MemblockType type, long base, long size) {
        int[] out = {0, 0};
        if (size == 0) {
            return out;
        }
        size = capSize(base, size);
        long end = base + size;
        while (type.cnt + 2 > type.max) {
            if (doubleArray(type, base, size) < 0) {
                return null;
            }
        }
        for (int idx = 0; idx < type.cnt; idx++) {
            long rbase = type.base[idx];
            long rend = rbase + type.size[idx];
            if (le(end, rbase)) {
                break;
            }
            if (le(rend, base)) {
                continue;
            }
            if (lt(rbase, base)) {
                // The region crosses the lower boundary: split off the part below.
                type.base[idx] = base;
                type.size[idx] -= base - rbase;
                type.totalSize -= base - rbase;
                type.insert(idx, rbase, base - rbase, type.nid[idx], type.flags[idx]);
            } else if (lt(end, rend)) {
                // Crosses the upper boundary: split, and revisit the lower piece.
                type.base[idx] = end;
                type.size[idx] -= end - rbase;
                type.totalSize -= end - rbase;
                type.insert(idx, rbase, end - rbase, type.nid[idx], type.flags[idx]);
                idx--;
            } else {
                if (out[1] == 0) {
                    out[0] = idx;
                }
                out[1] = idx + 1;
            }
        }
        return out;
    }

    private int removeRange(MemblockType type, long base, long size) {
        int[] r = isolateRange(type, base, size);
        if (r == null) {
            return -12;
        }
        for (int i = r[1] - 1; i >= r[0]; i--) {
            type.removeRegion(i);
        }
        return 0;
    }

    /** memblock_remove: takes a range out of memory. */
    public int remove(long base, long size) {
        dbg("memblock_remove", base, size);
        return removeRange(memory, base, size);
    }

    /** memblock_phys_free: takes a range out of reserved (not given to the buddy allocator). */
    public int physFree(long base, long size) {
        dbg("memblock_phys_free", base, size);
        return removeRange(reserved, base, size);
    }

    /** memblock_set_node: sets the nid of every region of {@code type} inside the range. */
    public int setNode(long base, long size, MemblockType type, int nid) {
        int[] r = isolateRange(type, base, size);
        if (r == null) {
            return -12;
        }
        for (int i = r[0]; i < r[1]; i++) {
            type.nid[i] = nid;
        }
        type.mergeRegions(0, type.cnt);
        return 0;
    }

    /** Sets or clears a flag on memory regions in a range (memblock_setclr_flag). */
    public int setFlag(long base, long size, int flag, boolean set) {
        int[] r = isolateRange(memory, base, size);
        if (r == null) {
            return -12;
        }
        for (int i = r[0]; i < r[1]; i++) {
            memory.flags[i] = set ? memory.flags[i] | flag : memory.flags[i] & ~flag;
        }
        memory.mergeRegions(0, memory.cnt);
        return 0;
    }

    /**
     * memblock_double_array: doubles a region array. Before slab exists the new array's space is
     * found in memblock itself (avoiding the range being added) and reserved with RSRV_KERN.
     */
    private int doubleArray(MemblockType type, long newAreaStart, long newAreaSize) {
        if (!canResize) {
            throw new IllegalStateException("memblock: cannot resize " + type.name() + " array");
        }
        long oldSize = (long) type.max * MemblockType.REGION_BYTES;
        long newSize = oldSize << 1;
        long newAllocSize = roundUp(newSize, PAGE_SIZE);
        if (type != reserved) {
            newAreaStart = 0;
            newAreaSize = 0;
        }
        long addr = findInRange(newAreaStart + newAreaSize, currentLimit, newAllocSize, PAGE_SIZE);
        if (addr == 0 && newAreaSize != 0) {
            addr = findInRange(0, umin(newAreaStart, currentLimit), newAllocSize, PAGE_SIZE);
        }
        if (addr == 0) {
            if (debugOut != null) {
                debugOut.accept(String.format(
                        Locale.ROOT,
                        "memblock: Failed to double %s array from %d to %d entries !",
                        type.name(),
                        type.max,
                        type.max * 2));
            }
            return -1;
        }
        if (debugOut != null) {
            debugOut.accept(String.format(
                    Locale.ROOT,
                    "memblock: %s is doubled to %d at [%s-%s]",
                    type.name(),
                    type.max * 2,
                    pa(addr),
                    pa(addr + newSize - 1)));
        }
        type.grow(type.max * 2);
        type.isStatic = false;
        // The old static array is not freed; the new one is reserved (memblock_reserve_kern).
        if (addRange(reserved, addr, newAllocSize, NUMA_NO_NODE, FLAG_RSRV_KERN) != 0) {
            throw new IllegalStateException("memblock: could not reserve the doubled array");
        }
        return 0;
    }

    /**
     * memblock_trim_memory: rounds each memory region inwards to {@code align}. Unlike the kernel,
     * which leaves memory.total_size stale here, kmemlab keeps it equal to the sum of the regions.
     */
    public void trimMemory(long align) {
        for (int i = 0; i < memory.cnt; i++) {
            long orig = memory.base[i];
            long end = orig + memory.size[i];
            long start = roundUp(orig, align);
            end = roundDown(end, align);
            if (start == orig && end == orig + memory.size[i]) {
                continue;
            }
            if (lt(start, end)) {
                memory.totalSize -= memory.size[i] - (end - start);
                memory.base[i] = start;
                memory.size[i] = end - start;
            } else {
                memory.removeRegion(i);
                i--;
            }
        }
    }

    // --- queries --------------------------------------------------------------------------

    public long startOfDram() {
        return memory.base[0];
    }

    public long endOfDram() {
        int i = memory.cnt - 1;
        return i < 0 ? 0 : memory.base[i] + memory.size[i];
    }

    public long physMemSize() {
        return memory.totalSize;
    }

    public long reservedSize() {
        return reserved.totalSize;
    }

    /** memblock_overlaps_region: half-open overlap with any region of {@code type}. */
    public boolean overlapsRegion(MemblockType type, long base, long size) {
        size = capSize(base, size);
        for (int i = 0; i < type.cnt; i++) {
            if (lt(base, type.base[i] + type.size[i]) && lt(type.base[i], base + size)) {
                return true;
            }
        }
        return false;
    }

    public boolean isMemory(long addr) {
        return search(memory, addr) >= 0;
    }

    /** memblock_is_region_memory: [base, base + size) lies inside one memory region. */
    public boolean isRegionMemory(long base, long size) {
        int idx = search(memory, base);
        return idx >= 0 && base + size <= memory.base[idx] + memory.size[idx];
    }

    public boolean isReserved(long addr) {
        return search(reserved, addr) >= 0;
    }

    /** memblock_search: bisects the sorted array. */
    private static int search(MemblockType type, long addr) {
        int lo = 0;
        int hi = type.cnt;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lt(addr, type.base[mid])) {
                hi = mid;
            } else if (le(type.base[mid] + type.size[mid], addr)) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    // --- free ranges ----------------------------------------------------------------------

    /** One free range (memory minus reserved) with the memory region's nid. */
    public record Range(long start, long end, int nid) {}

    private boolean shouldSkipRegion(int i, int nid, int flags) {
        int mNid = memory.nid[i];
        int mFlags = memory.flags[i];
        if (numaValidNode(nid) && nid != mNid) {
            return true;
        }
        if (movableNode && (mFlags & FLAG_HOTPLUG) != 0 && (flags & FLAG_HOTPLUG) == 0) {
            return true;
        }
        if ((flags & FLAG_MIRROR) != 0 && (mFlags & FLAG_MIRROR) == 0) {
            return true;
        }
        if ((flags & FLAG_NOMAP) == 0 && (mFlags & FLAG_NOMAP) != 0) {
            return true;
        }
        if ((flags & FLAG_DRIVER_MANAGED) == 0 && (mFlags & FLAG_DRIVER_MANAGED) != 0) {
            return true;
        }
        return (flags & FLAG_KHO_SCRATCH) != 0 && (mFlags & FLAG_KHO_SCRATCH) == 0;
    }

    /**
     * for_each_free_mem_range: memory minus reserved in ascending order, skipping memory regions
     * as should_skip_region() does.
     */
    public List<Range> freeRanges(int nid, int flags) {
        List<Range> out = new ArrayList<>();
        for (int m = 0; m < memory.cnt; m++) {
            if (shouldSkipRegion(m, nid, flags)) {
                continue;
            }
            long mStart = memory.base[m];
            long mEnd = mStart + memory.size[m];
            for (int r = 0; r <= reserved.cnt; r++) {
                long rStart = r == 0 ? 0 : reserved.base[r - 1] + reserved.size[r - 1];
                long rEnd = r < reserved.cnt ? reserved.base[r] : PHYS_ADDR_MAX;
                if (le(mEnd, rStart)) {
                    break;
                }
                if (lt(mStart, rEnd)) {
                    long s = umax(mStart, rStart);
                    long e = umin(mEnd, rEnd);
                    if (lt(s, e)) {
                        out.add(new Range(s, e, memory.nid[m]));
                    }
                }
            }
        }
        return out;
    }

    // --- allocation -----------------------------------------------------------------------

    /** memblock_find_in_range: any node, no flags. */
    long findInRange(long start, long end, long size, long align) {
        return findInRangeNode(size, align, start, end, NUMA_NO_NODE, FLAG_NONE);
    }

    /** memblock_find_in_range_node: top-down unless bottom_up. Returns 0 if nothing fits. */
    public long findInRangeNode(long size, long align, long start, long end, int nid, int flags) {
        if (end == ALLOC_ACCESSIBLE || end == ALLOC_NOLEAKTRACE) {
            end = currentLimit;
        }
        // Physical page 0 is never handed out.
        start = umax(start, PAGE_SIZE);
        end = umax(start, end);
        List<Range> ranges = freeRanges(nid, flags);
        if (bottomUp) {
            for (Range r : ranges) {
                long thisStart = clamp(r.start(), start, end);
                long thisEnd = clamp(r.end(), start, end);
                long cand = roundUp(thisStart, align);
                if (lt(cand, thisEnd) && le(size, thisEnd - cand)) {
                    return cand;
                }
            }
            return 0;
        }
        for (int i = ranges.size() - 1; i >= 0; i--) {
            Range r = ranges.get(i);
            long thisStart = clamp(r.start(), start, end);
            long thisEnd = clamp(r.end(), start, end);
            if (lt(thisEnd, size)) {
                continue;
            }
            long cand = roundDown(thisEnd - size, align);
            if (le(thisStart, cand)) {
                return cand;
            }
        }
        return 0;
    }

    private static long clamp(long v, long lo, long hi) {
        return umin(umax(v, lo), hi);
    }

    /** memblock_alloc_range_nid: find and reserve with RSRV_KERN; falls back to any node. */
    public long allocRangeNid(long size, long align, long start, long end, int nid, boolean exactNid) {
        if (align == 0) {
            // The kernel dump_stack()s here: a caller forgot the alignment.
            align = smpCacheBytes;
        }
        long found = findInRangeNode(size, align, start, end, nid, FLAG_NONE);
        if (found != 0 && reserveNid(found, size, nid, FLAG_RSRV_KERN) == 0) {
            return found;
        }
        if (numaValidNode(nid) && !exactNid) {
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "no {} bytes (align {}) free on node {} in [{}, {}]: trying every node",
                        size,
                        align,
                        nid,
                        pa(start),
                        pa(end));
            }
            found = findInRangeNode(size, align, start, end, NUMA_NO_NODE, FLAG_NONE);
            if (found != 0 && reserveKern(found, size) == 0) {
                return found;
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "no {} bytes (align {}) free in [{}, {}] (nid {}, {}): allocation fails",
                    size,
                    align,
                    pa(start),
                    pa(end),
                    nid,
                    bottomUp ? "bottom-up" : "top-down");
        }
        return 0;
    }

    /** memblock_phys_alloc_range. */
    public long physAllocRange(long size, long align, long start, long end) {
        return allocRangeNid(size, align, start, end, NUMA_NO_NODE, false);
    }

    /** memblock_phys_alloc. */
    public long physAlloc(long size, long align) {
        return physAllocRange(size, align, 0, ALLOC_ACCESSIBLE);
    }

    /** memblock_phys_alloc_try_nid. */
    public long physAllocTryNid(long size, long align, int nid) {
        return allocRangeNid(size, align, 0, ALLOC_ACCESSIBLE, nid, false);
    }

    /** memblock_alloc_internal: caps max at current_limit; drops min if nothing fits above it. */
    private long allocInternal(long size, long align, long min, long max, int nid, boolean exactNid) {
        if (lt(currentLimit, max)) {
            max = currentLimit;
        }
        long alloc = allocRangeNid(size, align, min, max, nid, exactNid);
        if (alloc == 0 && min != 0) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("nothing fits above {}: dropping the lower bound", pa(min));
            }
            alloc = allocRangeNid(size, align, 0, max, nid, exactNid);
        }
        return alloc;
    }

    private void dbgAlloc(String fn, long size, long align, int nid, long min, long max) {
        if (debugOut != null) {
            debugOut.accept(String.format(
                    Locale.ROOT,
                    "%s: %s bytes align=0x%x nid=%d from=%s max_addr=%s %s",
                    fn,
                    Long.toUnsignedString(size),
                    align,
                    nid,
                    pa(min),
                    pa(max),
                    caller));
        }
    }

    /** memblock_alloc_try_nid: zeroed. */
    public long allocTryNid(long size, long align, long min, long max, int nid) {
        dbgAlloc("memblock_alloc_try_nid", size, align, nid, min, max);
        long p = allocInternal(size, align, min, max, nid, false);
        if (p != 0) {
            backing.zero(p, size);
        }
        return p;
    }

    /** memblock_alloc_try_nid_raw: not zeroed. */
    public long allocTryNidRaw(long size, long align, long min, long max, int nid) {
        dbgAlloc("memblock_alloc_try_nid_raw", size, align, nid, min, max);
        return allocInternal(size, align, min, max, nid, false);
    }

    /** memblock_alloc_exact_nid_raw: not zeroed, never falls back to another node. */
    public long allocExactNidRaw(long size, long align, long min, long max, int nid) {
        dbgAlloc("memblock_alloc_exact_nid_raw", size, align, nid, min, max);
        return allocInternal(size, align, min, max, nid, true);
    }

    /** memblock_alloc. */
    public long alloc(long size, long align) {
        return allocTryNid(size, align, LOW_LIMIT, ALLOC_ACCESSIBLE, NUMA_NO_NODE);
    }

    /** memblock_alloc_raw. */
    public long allocRaw(long size, long align) {
        return allocTryNidRaw(size, align, LOW_LIMIT, ALLOC_ACCESSIBLE, NUMA_NO_NODE);
    }

    /** memblock_alloc_from. */
    public long allocFrom(long size, long align, long min) {
        return allocTryNid(size, align, min, ALLOC_ACCESSIBLE, NUMA_NO_NODE);
    }

    /** memblock_alloc_low. */
    public long allocLow(long size, long align) {
        return allocTryNid(size, align, LOW_LIMIT, ARCH_LOW_ADDRESS_LIMIT, NUMA_NO_NODE);
    }

    /** memblock_alloc_node. */
    public long allocNode(long size, long align, int nid) {
        return allocTryNid(size, align, LOW_LIMIT, ALLOC_ACCESSIBLE, nid);
    }

    // --- output ---------------------------------------------------------------------------

    /** memblock_dump_all: the MEMBLOCK configuration lines. */
    public List<String> dumpAll() {
        List<String> out = new ArrayList<>();
        out.add("MEMBLOCK configuration:");
        out.add(" memory size = " + pa(memory.totalSize) + " reserved size = " + pa(reserved.totalSize));
        dump(memory, out);
        dump(reserved, out);
        return out;
    }

    private static void dump(MemblockType type, List<String> out) {
        out.add(String.format(Locale.ROOT, " %s.cnt  = 0x%x", type.name(), type.cnt));
        for (int i = 0; i < type.cnt; i++) {
            long base = type.base[i];
            long size = type.size[i];
            String node = numaValidNode(type.nid[i]) ? " on node " + type.nid[i] : "";
            out.add(String.format(
                    Locale.ROOT,
                    " %s[0x%x]\t[%s-%s], %s bytes%s flags: 0x%x",
                    type.name(),
                    i,
                    pa(base),
                    pa(base + size - 1),
                    pa(size),
                    node,
                    type.flags[i]));
        }
    }

    /** /sys/kernel/debug/memblock/{memory,reserved} (memblock_debug_show). */
    public static String debugfs(MemblockType type) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < type.cnt; i++) {
            long base = type.base[i];
            long end = base + type.size[i] - 1;
            sb.append(String.format(Locale.ROOT, "%4d: %s..%s ", i, pa(base), pa(end)));
            int nid = type.nid[i];
            sb.append(numaValidNode(nid) ? String.format(Locale.ROOT, "%4d ", nid) : "   x ");
            sb.append(flagLabel(type.flags[i])).append('\n');
        }
        return sb.toString();
    }

    /** The debugfs label of the first set flag, NONE, or UNKNOWN. */
    static String flagLabel(int flags) {
        if (flags == 0) {
            return "NONE";
        }
        for (int j = 0; j < FLAG_NAMES.length; j++) {
            if ((flags & (1 << j)) != 0) {
                return FLAG_NAMES[j];
            }
        }
        return "UNKNOWN";
    }

    /** Invariants of both arrays. */
    public List<String> validate() {
        List<String> out = new ArrayList<>(memory.validate());
        out.addAll(reserved.validate());
        return out;
    }
}
