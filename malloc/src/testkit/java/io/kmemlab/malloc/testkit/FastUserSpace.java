package io.kmemlab.malloc.testkit;

import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.Syscall;
import io.kmemlab.mm.user.UserSpace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A kernel-less process for allocator tests and benchmarks that replay whole traces: the layout of
 * mm-core's FlatUserSpace (a brk heap from {@link #START_BRK}, anonymous mappings top down below
 * {@link #MMAP_BASE}), but memory in 4 KiB pages of {@code long[512]} in two dense page tables (one
 * growing up from the break's start, one down from the mmap base), so an aligned 8-byte access is a
 * few array reads. Pages freed by munmap, a shrinking brk or {@link #reset()} are zeroed and
 * pooled, so a replay in steady state allocates nothing.
 */
public final class FastUserSpace implements UserSpace {
    public static final long START_BRK = 0x5555_5555_9000L;
    public static final long MMAP_BASE = 0x7fff_f7ff_f000L;
    private static final int PAGE = 4096;

    /** Pages elsewhere (mappings placed by hint or MAP_FIXED away from both tables). */
    private final Map<Long, long[]> pages = new HashMap<>();

    private final ArrayDeque<long[]> pool = new ArrayDeque<>();
    /** Page pn at low[pn - lowBase]: the brk side. */
    private long[][] low = new long[1024][];

    private final long lowBase;
    /** Page pn at high[highBase - pn]: the mmap side, top down. */
    private long[][] high = new long[1024][];

    private final long highBase = (MMAP_BASE >>> 12) - 1;
    private long resident;
    /** A table entry for a mapped page not touched yet (the page is allocated on first touch). */
    private static final long[] UNTOUCHED = new long[0];

    private final TreeMap<Long, Long> maps = new TreeMap<>();
    private final long[] calls = new long[Syscall.COUNT];
    private final long[] bytes = new long[Syscall.COUNT];
    private final List<String> stderr = new ArrayList<>();
    private final long startBrk;
    private long brk;
    private long brkLimit = Long.MAX_VALUE;
    private boolean alive = true;
    private long minflt;

    public FastUserSpace() {
        this(START_BRK);
    }

    /** A process whose break starts at {@code startBrk} (page aligned). */
    public FastUserSpace(long startBrk) {
        this.startBrk = startBrk;
        this.brk = startBrk;
        this.lowBase = startBrk >>> 12;
    }

    /** The heap may not grow past {@code limit} bytes above the start (brk then fails). */
    public FastUserSpace brkLimit(long limit) {
        this.brkLimit = limit;
        return this;
    }

    /** A fresh process again, keeping the page arrays for reuse. */
    public void reset() {
        for (long[] p : pages.values()) {
            java.util.Arrays.fill(p, 0);
            pool.push(p);
        }
        pages.clear();
        for (long[][] t : new long[][][] {low, high}) {
            for (int i = 0; i < t.length; i++) {
                if (t[i] == UNTOUCHED) {
                    t[i] = null;
                } else if (t[i] != null) {
                    java.util.Arrays.fill(t[i], 0);
                    pool.push(t[i]);
                    t[i] = null;
                }
            }
        }
        resident = 0;
        maps.clear();
        java.util.Arrays.fill(calls, 0);
        java.util.Arrays.fill(bytes, 0);
        stderr.clear();
        brk = startBrk;
        alive = true;
        minflt = 0;
    }

    public List<String> stderr() {
        return stderr;
    }

    private boolean isMapped(long addr) {
        if (addr >= startBrk && addr < brk) {
            return true;
        }
        Map.Entry<Long, Long> e = maps.floorEntry(addr);
        return e != null && addr < e.getValue();
    }

    private static long pageUp(long v) {
        return (v + PAGE - 1) & -PAGE;
    }

    private void drop(long start, long end) {
        for (long p = start; p < end; p += PAGE) {
            long[] a = take(p >>> 12);
            if (a != null && a != UNTOUCHED) {
                java.util.Arrays.fill(a, 0);
                pool.push(a);
                resident--;
            }
        }
    }

    /** Removes and returns page pn's array (null if never touched). */
    private long[] take(long pn) {
        long li = pn - lowBase;
        if (li >= 0 && li < low.length) {
            long[] a = low[(int) li];
            low[(int) li] = null;
            return a;
        }
        long hi = highBase - pn;
        if (hi >= 0 && hi < high.length) {
            long[] a = high[(int) hi];
            high[(int) hi] = null;
            return a;
        }
        return pages.remove(pn);
    }

    private long[] entry(long pn) {
        long li = pn - lowBase;
        if (li >= 0 && li < low.length) {
            return low[(int) li];
        }
        long hi = highBase - pn;
        return hi >= 0 && hi < high.length ? high[(int) hi] : null;
    }

    /** Marks [start, end) mapped in the tables, so a first touch needs no lookup. */
    private void mark(long start, long end) {
        for (long p = start; p < end; p += PAGE) {
            long pn = p >>> 12;
            long li = pn - lowBase;
            long hi = highBase - pn;
            if ((li >= 0 && li < (1 << 22)) || (hi >= 0 && hi < (1 << 22))) {
                if (entry(pn) == null) {
                    install(pn, UNTOUCHED);
                }
            }
        }
    }

    private void install(long pn, long[] a) {
        long li = pn - lowBase;
        long hi = highBase - pn;
        if (li >= 0 && li < (1 << 22)) {
            if (li >= low.length) {
                low = java.util.Arrays.copyOf(low, (int) Math.max(li + 1, 2L * low.length));
            }
            low[(int) li] = a;
        } else if (hi >= 0 && hi < (1 << 22)) {
            if (hi >= high.length) {
                high = java.util.Arrays.copyOf(high, (int) Math.max(hi + 1, 2L * high.length));
            }
            high[(int) hi] = a;
        } else {
            pages.put(pn, a);
        }
    }

    /** The page holding {@code a}, faulted in; null (and the process killed) if unmapped. */
    private long[] page(long a) {
        long pn = a >>> 12;
        long li = pn - lowBase;
        if (li >= 0 && li < low.length) {
            long[] p = low[(int) li];
            if (p != null && p != UNTOUCHED) {
                return p;
            }
        } else {
            long hi = highBase - pn;
            if (hi >= 0 && hi < high.length) {
                long[] p = high[(int) hi];
                if (p != null && p != UNTOUCHED) {
                    return p;
                }
            }
        }
        return slowPage(pn, a);
    }

    private long[] slowPage(long pn, long a) {
        if (!alive) {
            return null;
        }
        long li = pn - lowBase;
        long hi = highBase - pn;
        boolean inTables = (li >= 0 && li < (1 << 22)) || (hi >= 0 && hi < (1 << 22));
        long[] p = inTables ? entry(pn) : pages.get(pn);
        if (p != null && p != UNTOUCHED) {
            return p;
        }
        if (p == null && !isMapped(a)) {
            stderr.add(String.format("segfault at %x", a));
            alive = false;
            return null;
        }
        p = pool.isEmpty() ? new long[PAGE / 8] : pool.pop();
        install(pn, p);
        resident++;
        minflt++;
        return p;
    }

    @Override
    public long brk(long addr) {
        calls[Syscall.BRK.ordinal()]++;
        if (addr == 0 || addr < startBrk || addr - startBrk > brkLimit) {
            return brk;
        }
        bytes[Syscall.BRK.ordinal()] += Math.abs(addr - brk);
        if (addr < brk) {
            drop(pageUp(addr), pageUp(brk));
        } else {
            mark(pageUp(brk), pageUp(addr));
        }
        brk = addr;
        return brk;
    }

    @Override
    public long mmap(long addr, long len, int prot, int flags) {
        calls[Syscall.MMAP.ordinal()]++;
        bytes[Syscall.MMAP.ordinal()] += len;
        if (len <= 0 || (flags & Mman.MAP_ANONYMOUS) == 0 || (flags & Mman.MAP_HUGETLB) != 0) {
            return (flags & Mman.MAP_HUGETLB) != 0 ? -Errno.ENOMEM : -Errno.EINVAL;
        }
        long size = pageUp(len);
        long start;
        if ((flags & Mman.MAP_FIXED) != 0) {
            start = addr;
            unmap(start, size);
        } else {
            start = gap(size);
        }
        maps.put(start, start + size);
        mark(start, start + size);
        return start;
    }

    private long gap(long size) {
        long end = MMAP_BASE;
        for (Map.Entry<Long, Long> e : maps.descendingMap().entrySet()) {
            if (end - e.getValue() >= size) {
                return end - size;
            }
            end = e.getKey();
        }
        return end - size;
    }

    private void unmap(long addr, long size) {
        long end = addr + size;
        Map.Entry<Long, Long> e = maps.lowerEntry(end);
        while (e != null && e.getValue() > addr) {
            long s = e.getKey();
            long t = e.getValue();
            maps.remove(s);
            if (s < addr) {
                maps.put(s, addr);
            }
            if (t > end) {
                maps.put(end, t);
            }
            e = maps.lowerEntry(Math.min(s, addr));
        }
        drop(addr, end);
    }

    @Override
    public int munmap(long addr, long len) {
        calls[Syscall.MUNMAP.ordinal()]++;
        bytes[Syscall.MUNMAP.ordinal()] += len;
        if ((addr & (PAGE - 1)) != 0 || len <= 0) {
            return -Errno.EINVAL;
        }
        unmap(addr, pageUp(len));
        return 0;
    }

    @Override
    public long mremap(long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        calls[Syscall.MREMAP.ordinal()]++;
        bytes[Syscall.MREMAP.ordinal()] += newLen;
        Long end = maps.get(oldAddr);
        if (end == null || newLen <= 0) {
            return -Errno.EFAULT;
        }
        long oldSize = pageUp(oldLen);
        long newSize = pageUp(newLen);
        if (newSize <= oldSize) {
            unmap(oldAddr + newSize, oldSize - newSize);
            return oldAddr;
        }
        Map.Entry<Long, Long> next = maps.higherEntry(oldAddr);
        if (next == null ? oldAddr + newSize <= MMAP_BASE : next.getKey() >= oldAddr + newSize) {
            maps.put(oldAddr, oldAddr + newSize);
            mark(oldAddr + oldSize, oldAddr + newSize);
            return oldAddr;
        }
        if ((flags & Mman.MREMAP_MAYMOVE) == 0) {
            return -Errno.ENOMEM;
        }
        long to = gap(newSize);
        maps.put(to, to + newSize);
        mark(to, to + newSize);
        for (long p = 0; p < oldSize; p += PAGE) {
            long[] b = take((oldAddr + p) >>> 12);
            if (b != null && b != UNTOUCHED) {
                install((to + p) >>> 12, b);
            }
        }
        unmap(oldAddr, oldSize);
        return to;
    }

    @Override
    public int mprotect(long addr, long len, int prot) {
        calls[Syscall.MPROTECT.ordinal()]++;
        bytes[Syscall.MPROTECT.ordinal()] += len;
        return 0;
    }

    @Override
    public int madvise(long addr, long len, int advice) {
        calls[Syscall.MADVISE.ordinal()]++;
        bytes[Syscall.MADVISE.ordinal()] += len;
        if (advice == Mman.MADV_DONTNEED) {
            drop(pageUp(addr), (addr + len) & -PAGE);
        }
        return 0;
    }

    @Override
    public long startBrk() {
        return startBrk;
    }

    @Override
    public long brkAddress() {
        return brk;
    }

    @Override
    public long readU64(long a) {
        if ((a & 7) == 0) {
            long[] p = page(a);
            return p == null ? 0 : p[(int) ((a & (PAGE - 1)) >>> 3)];
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | readU8(a + i);
        }
        return v;
    }

    @Override
    public boolean writeU64(long a, long value) {
        if ((a & 7) == 0) {
            long[] p = page(a);
            if (p == null) {
                return false;
            }
            p[(int) ((a & (PAGE - 1)) >>> 3)] = value;
            return true;
        }
        for (int i = 0; i < 8; i++) {
            if (!writeU8(a + i, (int) (value >>> (8 * i)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int readU8(long a) {
        long[] p = page(a);
        return p == null ? 0 : (int) (p[(int) ((a & (PAGE - 1)) >>> 3)] >>> ((a & 7) * 8)) & 0xff;
    }

    @Override
    public boolean writeU8(long a, int value) {
        long[] p = page(a);
        if (p == null) {
            return false;
        }
        int i = (int) ((a & (PAGE - 1)) >>> 3);
        int sh = (int) ((a & 7) * 8);
        p[i] = (p[i] & ~(0xffL << sh)) | ((long) (value & 0xff) << sh);
        return true;
    }

    @Override
    public boolean read(long a, byte[] dst, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (!alive) {
                return false;
            }
            dst[off + i] = (byte) readU8(a + i);
        }
        return alive;
    }

    @Override
    public boolean write(long a, byte[] src, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (!writeU8(a + i, src[off + i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean fill(long a, int value, long len) {
        long end = a + len;
        long v = (value & 0xffL) * 0x0101010101010101L;
        while (a < end && (a & 7) != 0) {
            if (!writeU8(a++, value)) {
                return false;
            }
        }
        while (a + 8 <= end) {
            if (!writeU64(a, v)) {
                return false;
            }
            a += 8;
        }
        while (a < end) {
            if (!writeU8(a++, value)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean copy(long dst, long src, long len) {
        if (dst == src || len <= 0) {
            return true;
        }
        if (((dst | src | len) & 7) == 0) {
            if (dst < src) {
                for (long i = 0; i < len; i += 8) {
                    if (!writeU64(dst + i, readU64(src + i)) || !alive) {
                        return false;
                    }
                }
            } else {
                for (long i = len - 8; i >= 0; i -= 8) {
                    if (!writeU64(dst + i, readU64(src + i)) || !alive) {
                        return false;
                    }
                }
            }
            return true;
        }
        if (dst < src) {
            for (long i = 0; i < len; i++) {
                if (!writeU8(dst + i, readU8(src + i))) {
                    return false;
                }
            }
        } else {
            for (long i = len - 1; i >= 0; i--) {
                if (!writeU8(dst + i, readU8(src + i))) {
                    return false;
                }
            }
        }
        return alive;
    }

    @Override
    public void chargeUser(long nanos) {}

    @Override
    public void abort(String message) {
        if (alive) {
            stderr.add(message);
            alive = false;
        }
    }

    @Override
    public void warn(String message) {
        stderr.add(message);
    }

    @Override
    public boolean alive() {
        return alive;
    }

    @Override
    public int pid() {
        return 1000;
    }

    @Override
    public long minflt() {
        return minflt;
    }

    @Override
    public long rssPages() {
        return resident;
    }

    @Override
    public long syscalls(Syscall s) {
        return calls[s.ordinal()];
    }

    @Override
    public long syscallBytes(Syscall s) {
        return bytes[s.ordinal()];
    }

    @Override
    public long nowNanos() {
        return 0;
    }
}
