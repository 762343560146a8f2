package io.kmemlab.mm.testing;

import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.Syscall;
import io.kmemlab.mm.user.UserSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A process for allocator unit tests, without a kernel: a brk heap from {@link #START_BRK} and
 * top-down anonymous mappings below {@link #MMAP_BASE}, over lazily created zeroed pages. It counts
 * calls, bytes, "faults" (first touch of a page) and resident pages as the process model does, but
 * has no page tables, overcommit or OOM; allocators are tested against the real process model in
 * boot's integration tests. Not for hot paths: it allocates freely.
 */
public final class FlatUserSpace implements UserSpace {
    public static final long START_BRK = 0x5555_5555_9000L;
    public static final long MMAP_BASE = 0x7fff_f7ff_f000L;
    private static final int PAGE = 4096;

    private final Map<Long, byte[]> pages = new HashMap<>();
    /** Mapped regions: start → end (exclusive), the brk heap not included. */
    private final TreeMap<Long, Long> maps = new TreeMap<>();

    private final long[] calls = new long[Syscall.COUNT];
    private final long[] bytes = new long[Syscall.COUNT];
    private final List<String> stderr = new ArrayList<>();
    private long brk = START_BRK;
    private long brkLimit = Long.MAX_VALUE;
    private long mmapLimit = Long.MAX_VALUE;
    private long mapped;
    private long minflt;
    private long nanos;
    private boolean alive = true;

    /** The heap may not grow past {@code limit} bytes above the start (brk then fails). */
    public FlatUserSpace brkLimit(long limit) {
        this.brkLimit = limit;
        return this;
    }

    /** At most {@code limit} bytes of mappings at once (mmap then fails with ENOMEM). */
    public FlatUserSpace mmapLimit(long limit) {
        this.mmapLimit = limit;
        return this;
    }

    public List<String> stderr() {
        return stderr;
    }

    /** Bytes of live mappings (not counting the brk heap). */
    public long mappedBytes() {
        return mapped;
    }

    public boolean isMapped(long addr) {
        if (addr >= START_BRK && addr < brk) {
            return true;
        }
        Map.Entry<Long, Long> e = maps.floorEntry(addr);
        return e != null && addr < e.getValue();
    }

    private static long pageUp(long v) {
        return (v + PAGE - 1) & -PAGE;
    }

    @Override
    public long brk(long addr) {
        calls[Syscall.BRK.ordinal()]++;
        if (!alive) {
            return -Errno.ESRCH;
        }
        if (addr == 0 || addr < START_BRK || addr - START_BRK > brkLimit) {
            return brk;
        }
        bytes[Syscall.BRK.ordinal()] += Math.abs(addr - brk);
        if (addr < brk) {
            for (long p = pageUp(addr); p < pageUp(brk); p += PAGE) {
                pages.remove(p);
            }
        }
        brk = addr;
        return brk;
    }

    @Override
    public long mmap(long addr, long len, int prot, int flags) {
        calls[Syscall.MMAP.ordinal()]++;
        bytes[Syscall.MMAP.ordinal()] += len;
        if (!alive) {
            return -Errno.ESRCH;
        }
        if (len <= 0 || (flags & Mman.MAP_ANONYMOUS) == 0) {
            return -Errno.EINVAL;
        }
        long size = pageUp(len);
        if (mapped + size > mmapLimit) {
            return -Errno.ENOMEM;
        }
        long top = maps.isEmpty() ? MMAP_BASE : maps.firstKey();
        long start;
        if ((flags & Mman.MAP_FIXED) != 0) {
            start = addr;
            munmapQuiet(start, size);
        } else {
            start = findGap(size, top);
        }
        maps.put(start, start + size);
        mapped += size;
        if ((flags & Mman.MAP_POPULATE) != 0) {
            for (long p = start; p < start + size; p += PAGE) {
                page(p);
            }
        }
        return start;
    }

    private long findGap(long size, long top) {
        // Top-down: the highest gap below MMAP_BASE that fits, as the kernel's default layout finds.
        long end = MMAP_BASE;
        for (Map.Entry<Long, Long> e : maps.descendingMap().entrySet()) {
            if (end - e.getValue() >= size) {
                return end - size;
            }
            end = e.getKey();
        }
        return end - size;
    }

    @Override
    public int munmap(long addr, long len) {
        calls[Syscall.MUNMAP.ordinal()]++;
        bytes[Syscall.MUNMAP.ordinal()] += len;
        if (!alive) {
            return -Errno.ESRCH;
        }
        if ((addr & (PAGE - 1)) != 0 || len <= 0) {
            return -Errno.EINVAL;
        }
        munmapQuiet(addr, pageUp(len));
        return 0;
    }

    private void munmapQuiet(long addr, long size) {
        long end = addr + size;
        Map.Entry<Long, Long> e = maps.lowerEntry(end);
        while (e != null && e.getValue() > addr) {
            long s = e.getKey();
            long t = e.getValue();
            maps.remove(s);
            mapped -= t - s;
            if (s < addr) {
                maps.put(s, addr);
                mapped += addr - s;
            }
            if (t > end) {
                maps.put(end, t);
                mapped += t - end;
            }
            e = maps.lowerEntry(Math.min(s, addr));
        }
        for (long p = addr; p < end; p += PAGE) {
            pages.remove(p);
        }
    }

    @Override
    public long mremap(long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        calls[Syscall.MREMAP.ordinal()]++;
        bytes[Syscall.MREMAP.ordinal()] += newLen;
        if (!alive) {
            return -Errno.ESRCH;
        }
        Long end = maps.get(oldAddr);
        if (end == null || newLen <= 0) {
            return -Errno.EFAULT;
        }
        long oldSize = pageUp(oldLen);
        long newSize = pageUp(newLen);
        if (newSize <= oldSize) {
            munmapQuiet(oldAddr + newSize, oldSize - newSize);
            return oldAddr;
        }
        Map.Entry<Long, Long> next = maps.higherEntry(oldAddr);
        if (next == null ? oldAddr + newSize <= MMAP_BASE : next.getKey() >= oldAddr + newSize) {
            maps.put(oldAddr, oldAddr + newSize);
            mapped += newSize - oldSize;
            return oldAddr;
        }
        if ((flags & Mman.MREMAP_MAYMOVE) == 0) {
            return -Errno.ENOMEM;
        }
        long to = findGap(newSize, MMAP_BASE);
        maps.put(to, to + newSize);
        mapped += newSize;
        for (long p = 0; p < oldSize; p += PAGE) {
            byte[] b = pages.remove(oldAddr + p);
            if (b != null) {
                pages.put(to + p, b);
            }
        }
        munmapQuiet(oldAddr, oldSize);
        return to;
    }

    @Override
    public int mprotect(long addr, long len, int prot) {
        calls[Syscall.MPROTECT.ordinal()]++;
        bytes[Syscall.MPROTECT.ordinal()] += len;
        return alive ? 0 : -Errno.ESRCH;
    }

    @Override
    public int madvise(long addr, long len, int advice) {
        calls[Syscall.MADVISE.ordinal()]++;
        bytes[Syscall.MADVISE.ordinal()] += len;
        if (!alive) {
            return -Errno.ESRCH;
        }
        if (advice == Mman.MADV_DONTNEED || advice == Mman.MADV_FREE) {
            for (long p = pageUp(addr); p + PAGE <= addr + len; p += PAGE) {
                pages.remove(p);
            }
        }
        return 0;
    }

    @Override
    public long startBrk() {
        return START_BRK;
    }

    @Override
    public long brkAddress() {
        return brk;
    }

    /** The page holding {@code a}; a first touch counts a minor fault. Unmapped memory kills. */
    private byte[] page(long a) {
        long p = a & -PAGE;
        byte[] b = pages.get(p);
        if (b == null) {
            if (!isMapped(a)) {
                if (alive) {
                    stderr.add(String.format("segfault at %x", a));
                    alive = false;
                }
                return null;
            }
            b = new byte[PAGE];
            pages.put(p, b);
            minflt++;
        }
        return b;
    }

    @Override
    public long readU64(long uaddr) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | readU8(uaddr + i);
        }
        return v;
    }

    @Override
    public boolean writeU64(long uaddr, long value) {
        for (int i = 0; i < 8; i++) {
            if (!writeU8(uaddr + i, (int) (value >>> (8 * i)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int readU8(long uaddr) {
        byte[] b = alive ? page(uaddr) : null;
        return b == null ? 0 : b[(int) (uaddr & (PAGE - 1))] & 0xff;
    }

    @Override
    public boolean writeU8(long uaddr, int value) {
        byte[] b = alive ? page(uaddr) : null;
        if (b == null) {
            return false;
        }
        b[(int) (uaddr & (PAGE - 1))] = (byte) value;
        return true;
    }

    @Override
    public boolean read(long uaddr, byte[] dst, int off, int len) {
        for (int i = 0; i < len; i++) {
            byte[] b = alive ? page(uaddr + i) : null;
            if (b == null) {
                return false;
            }
            dst[off + i] = b[(int) ((uaddr + i) & (PAGE - 1))];
        }
        return true;
    }

    @Override
    public boolean write(long uaddr, byte[] src, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (!writeU8(uaddr + i, src[off + i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean fill(long uaddr, int value, long len) {
        for (long i = 0; i < len; i++) {
            if (!writeU8(uaddr + i, value)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean copy(long dst, long src, long len) {
        byte[] tmp = new byte[(int) len];
        return read(src, tmp, 0, (int) len) && write(dst, tmp, 0, (int) len);
    }

    @Override
    public void chargeUser(long ns) {
        nanos += ns;
    }

    @Override
    public void abort(String message) {
        stderr.add(message);
        alive = false;
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
        return pages.size();
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
        return nanos;
    }
}
