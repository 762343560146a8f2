package io.kmemlab.malloc;

import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.Syscall;
import io.kmemlab.mm.user.UserSpace;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fast kernel-less process for the allocator tests that run millions of operations: the same
 * layout as mm-core's {@code FlatUserSpace} (a brk heap from {@link #START_BRK}, top-down anonymous
 * mappings below {@link #MMAP_BASE}, zeroed pages created on first touch and counted as minor
 * faults), but its pages are found by array index and its loads and stores are VarHandle accesses,
 * so a hot path over it allocates no Java objects once its pages exist. A stray access outside
 * the heap and the mappings kills the process (SIGSEGV on its stderr), as on the kernel.
 */
public final class ArrayUserSpace implements UserSpace {
    public static final long START_BRK = 0x5555_5555_9000L;
    public static final long MMAP_BASE = 0x7fff_f7ff_f000L;
    private static final int PAGE = 4096;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A mapping: [start, end) with its pages. */
    private static final class Region {
        long start;
        long end;
        byte[][] pages;

        Region(long start, long end) {
            this.start = start;
            this.end = end;
            this.pages = new byte[(int) ((end - start) / PAGE)][];
        }
    }

    private byte[][] brkPages = new byte[16][];
    /** Mappings sorted by start. */
    private final List<Region> regions = new ArrayList<>();

    private Region last;
    private final long[] calls = new long[Syscall.COUNT];
    private final long[] bytes = new long[Syscall.COUNT];
    private final List<String> stderr = new ArrayList<>();
    private long brk = START_BRK;
    private long brkLimit = 1L << 32;
    private long mmapLimit = 1L << 32;
    private long mapped;
    private long minflt;
    private long rss;
    private long nanos;
    private boolean alive = true;

    /** The heap may not grow past {@code limit} bytes above the start (brk then fails). */
    public ArrayUserSpace brkLimit(long limit) {
        this.brkLimit = limit;
        return this;
    }

    /** At most {@code limit} bytes of mappings at once (mmap then fails with ENOMEM). */
    public ArrayUserSpace mmapLimit(long limit) {
        this.mmapLimit = limit;
        return this;
    }

    public List<String> stderr() {
        return stderr;
    }

    public long mappedBytes() {
        return mapped;
    }

    /** Revives the process after a test killed it on purpose. */
    public void clearDeath() {
        alive = true;
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
        long newPages = pageUp(addr - START_BRK) / PAGE;
        if (addr < brk) {
            for (long p = newPages; p < pageUp(brk - START_BRK) / PAGE; p++) {
                if (brkPages[(int) p] != null) {
                    brkPages[(int) p] = null;
                    rss--;
                }
            }
        } else if (newPages > brkPages.length) {
            brkPages = Arrays.copyOf(brkPages, (int) Math.max(newPages, brkPages.length * 2L));
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
        if (len <= 0 || (flags & Mman.MAP_ANONYMOUS) == 0 || (flags & Mman.MAP_FIXED) != 0) {
            return -Errno.EINVAL;
        }
        long size = pageUp(len);
        if (size > mmapLimit - mapped || size / PAGE > Integer.MAX_VALUE) {
            return -Errno.ENOMEM;
        }
        long end = MMAP_BASE;
        int at = regions.size();
        for (int i = regions.size() - 1; i >= 0; i--) {
            Region r = regions.get(i);
            if (end - r.end >= size) {
                break;
            }
            end = r.start;
            at = i;
        }
        Region r = new Region(end - size, end);
        regions.add(at, r);
        mapped += size;
        if ((flags & Mman.MAP_POPULATE) != 0) {
            for (int i = 0; i < r.pages.length; i++) {
                r.pages[i] = new byte[PAGE];
                minflt++;
                rss++;
            }
        }
        return r.start;
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
        long end = addr + pageUp(len);
        for (int i = regions.size() - 1; i >= 0; i--) {
            Region r = regions.get(i);
            if (r.start >= addr && r.end <= end) {
                for (byte[] p : r.pages) {
                    rss -= p == null ? 0 : 1;
                }
                regions.remove(i);
                mapped -= r.end - r.start;
                if (last == r) {
                    last = null;
                }
            } else if (r.start < end && r.end > addr) {
                throw new UnsupportedOperationException("ArrayUserSpace unmaps whole mappings only");
            }
        }
        return 0;
    }

    @Override
    public long mremap(long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        calls[Syscall.MREMAP.ordinal()]++;
        bytes[Syscall.MREMAP.ordinal()] += newLen;
        if (!alive) {
            return -Errno.ESRCH;
        }
        Region r = region(oldAddr);
        if (r == null || r.start != oldAddr || newLen <= 0) {
            return -Errno.EFAULT;
        }
        if ((flags & Mman.MREMAP_MAYMOVE) == 0) {
            return pageUp(newLen) == r.end - r.start ? oldAddr : -Errno.ENOMEM;
        }
        long to = mmap(0, newLen, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
        calls[Syscall.MMAP.ordinal()]--;
        bytes[Syscall.MMAP.ordinal()] -= newLen;
        if (Errno.isError(to)) {
            return to;
        }
        Region n = region(to);
        int keep = Math.min(r.pages.length, n.pages.length);
        System.arraycopy(r.pages, 0, n.pages, 0, keep);
        Arrays.fill(r.pages, 0, keep, null);
        munmap(oldAddr, oldLen);
        calls[Syscall.MUNMAP.ordinal()]--;
        bytes[Syscall.MUNMAP.ordinal()] -= oldLen;
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
                drop(p);
            }
        }
        return 0;
    }

    private void drop(long page) {
        if (page >= START_BRK && page < brk) {
            int i = (int) ((page - START_BRK) / PAGE);
            if (brkPages[i] != null) {
                brkPages[i] = null;
                rss--;
            }
            return;
        }
        Region r = region(page);
        if (r != null) {
            int i = (int) ((page - r.start) / PAGE);
            if (r.pages[i] != null) {
                r.pages[i] = null;
                rss--;
            }
        }
    }

    private Region region(long a) {
        Region l = last;
        if (l != null && a >= l.start && a < l.end) {
            return l;
        }
        int lo = 0;
        int hi = regions.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Region r = regions.get(mid);
            if (r.start > a) {
                hi = mid - 1;
            } else if (r.end <= a) {
                lo = mid + 1;
            } else {
                last = r;
                return r;
            }
        }
        return null;
    }

    /** The page holding {@code a}, created on first touch; null (and the process dies) if unmapped. */
    private byte[] page(long a) {
        if (!alive) {
            return null;
        }
        byte[][] table;
        int i;
        if (a >= START_BRK && a < brk) {
            table = brkPages;
            i = (int) ((a - START_BRK) / PAGE);
        } else {
            Region r = region(a);
            if (r == null) {
                stderr.add(String.format("segfault at %x", a));
                alive = false;
                return null;
            }
            table = r.pages;
            i = (int) ((a - r.start) / PAGE);
        }
        byte[] b = table[i];
        if (b == null) {
            b = new byte[PAGE];
            table[i] = b;
            minflt++;
            rss++;
        }
        return b;
    }

    @Override
    public long startBrk() {
        return START_BRK;
    }

    @Override
    public long brkAddress() {
        return brk;
    }

    @Override
    public long readU64(long uaddr) {
        int off = (int) (uaddr & (PAGE - 1));
        if (off <= PAGE - 8) {
            byte[] b = page(uaddr);
            return b == null ? 0 : (long) LONGS.get(b, off);
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | readU8(uaddr + i);
        }
        return v;
    }

    @Override
    public boolean writeU64(long uaddr, long value) {
        int off = (int) (uaddr & (PAGE - 1));
        if (off <= PAGE - 8) {
            byte[] b = page(uaddr);
            if (b == null) {
                return false;
            }
            LONGS.set(b, off, value);
            return true;
        }
        for (int i = 0; i < 8; i++) {
            if (!writeU8(uaddr + i, (int) (value >>> (8 * i)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int readU8(long uaddr) {
        byte[] b = page(uaddr);
        return b == null ? 0 : b[(int) (uaddr & (PAGE - 1))] & 0xff;
    }

    @Override
    public boolean writeU8(long uaddr, int value) {
        byte[] b = page(uaddr);
        if (b == null) {
            return false;
        }
        b[(int) (uaddr & (PAGE - 1))] = (byte) value;
        return true;
    }

    @Override
    public boolean read(long uaddr, byte[] dst, int off, int len) {
        int done = 0;
        while (done < len) {
            long a = uaddr + done;
            int in = (int) (a & (PAGE - 1));
            int n = Math.min(len - done, PAGE - in);
            byte[] b = page(a);
            if (b == null) {
                return false;
            }
            System.arraycopy(b, in, dst, off + done, n);
            done += n;
        }
        return true;
    }

    @Override
    public boolean write(long uaddr, byte[] src, int off, int len) {
        int done = 0;
        while (done < len) {
            long a = uaddr + done;
            int in = (int) (a & (PAGE - 1));
            int n = Math.min(len - done, PAGE - in);
            byte[] b = page(a);
            if (b == null) {
                return false;
            }
            System.arraycopy(src, off + done, b, in, n);
            done += n;
        }
        return true;
    }

    @Override
    public boolean fill(long uaddr, int value, long len) {
        long done = 0;
        while (done < len) {
            long a = uaddr + done;
            int in = (int) (a & (PAGE - 1));
            int n = (int) Math.min(len - done, PAGE - in);
            byte[] b = page(a);
            if (b == null) {
                return false;
            }
            Arrays.fill(b, in, in + n, (byte) value);
            done += n;
        }
        return true;
    }

    private final byte[] bounce = new byte[PAGE];

    @Override
    public boolean copy(long dst, long src, long len) {
        if (len <= 0 || dst == src) {
            return alive;
        }
        boolean backwards = dst > src && dst < src + len;
        long done = 0;
        while (done < len) {
            int n = (int) Math.min(len - done, PAGE);
            long off = backwards ? len - done - n : done;
            if (!read(src + off, bounce, 0, n) || !write(dst + off, bounce, 0, n)) {
                return false;
            }
            done += n;
        }
        return true;
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
        return rss;
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
