package io.kmemlab.boot.lab;

import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Syscall;
import io.kmemlab.mm.user.UserSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * The process as a student's allocator sees it: every call goes to the real process, but a load
 * or store outside the heap (between the initial program break and the current one) or outside a
 * mapping the allocator made itself is stopped, as is a call that makes more than its budget of
 * memory accesses (a loop over a cyclic free list) or that runs on after the checker gave up on it
 * (the worker thread is interrupted). A stop is a {@link Violation} the checker reports; each access
 * also charges the process {@link #ACCESS_NANOS} of user time, so a score counts the allocator's
 * work in the emulator's virtual time.
 */
final class GuardedSpace implements UserSpace {
    /** Virtual cost of one load or store the allocator makes (a cached access). */
    static final long ACCESS_NANOS = 2;

    /** Why a student's call was stopped. */
    static final class Violation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message, null, false, false);
        }
    }

    private final UserSpace p;
    private final long accessBudget;
    private final List<long[]> maps = new ArrayList<>();
    private long accesses;

    GuardedSpace(UserSpace p, long accessBudget) {
        this.p = p;
        this.accessBudget = accessBudget;
    }

    /** Bytes of the mappings the allocator made itself. */
    long mappedBytes() {
        long sum = 0;
        for (long[] m : maps) {
            sum += m[1] - m[0];
        }
        return sum;
    }

    /** Starts a new call's budget. */
    void newCall() {
        accesses = 0;
    }

    /** True if {@code [addr, addr+len)} is in the heap or in one of the allocator's own mappings. */
    boolean owned(long addr, long len) {
        long end = addr + Math.max(len, 1);
        if (addr >= p.startBrk() && end <= p.brkAddress() && end > addr) {
            return true;
        }
        for (long[] m : maps) {
            if (addr >= m[0] && end <= m[1] && end > addr) {
                return true;
            }
        }
        return false;
    }

    private void access(String what, long addr, long len) {
        if (++accesses > accessBudget) {
            throw new Violation("made more than " + accessBudget + " memory accesses in one call (an endless loop?)");
        }
        if (Thread.interrupted()) {
            throw new Violation("was still running when the time limit ran out (an endless loop?)");
        }
        if (!owned(addr, len)) {
            throw new Violation(String.format(
                    "%s of %d bytes at 0x%x, outside the heap 0x%x-0x%x%s",
                    what, len, addr, p.startBrk(), p.brkAddress(), maps.isEmpty() ? "" : " and its own mappings"));
        }
        p.chargeUser(ACCESS_NANOS);
    }

    @Override
    public long brk(long addr) {
        return p.brk(addr);
    }

    @Override
    public long mmap(long addr, long len, int prot, int flags) {
        long r = p.mmap(addr, len, prot, flags);
        if (!Errno.isError(r)) {
            maps.add(new long[] {r, r + ((len + 4095) & ~4095L)});
        }
        return r;
    }

    @Override
    public int munmap(long addr, long len) {
        int r = p.munmap(addr, len);
        if (r == 0) {
            maps.removeIf(m -> m[0] >= addr && m[1] <= addr + len);
        }
        return r;
    }

    @Override
    public long mremap(long oldAddr, long oldLen, long newLen, int flags, long newAddr) {
        long r = p.mremap(oldAddr, oldLen, newLen, flags, newAddr);
        if (!Errno.isError(r)) {
            maps.removeIf(m -> m[0] == oldAddr);
            maps.add(new long[] {r, r + ((newLen + 4095) & ~4095L)});
        }
        return r;
    }

    @Override
    public int mprotect(long addr, long len, int prot) {
        return p.mprotect(addr, len, prot);
    }

    @Override
    public int madvise(long addr, long len, int advice) {
        return p.madvise(addr, len, advice);
    }

    @Override
    public long startBrk() {
        return p.startBrk();
    }

    @Override
    public long brkAddress() {
        return p.brkAddress();
    }

    @Override
    public long readU64(long uaddr) {
        access("a read", uaddr, 8);
        return p.readU64(uaddr);
    }

    @Override
    public boolean writeU64(long uaddr, long value) {
        access("a write", uaddr, 8);
        return p.writeU64(uaddr, value);
    }

    @Override
    public int readU8(long uaddr) {
        access("a read", uaddr, 1);
        return p.readU8(uaddr);
    }

    @Override
    public boolean writeU8(long uaddr, int value) {
        access("a write", uaddr, 1);
        return p.writeU8(uaddr, value);
    }

    @Override
    public boolean read(long uaddr, byte[] dst, int off, int len) {
        access("a read", uaddr, len);
        return p.read(uaddr, dst, off, len);
    }

    @Override
    public boolean write(long uaddr, byte[] src, int off, int len) {
        access("a write", uaddr, len);
        return p.write(uaddr, src, off, len);
    }

    @Override
    public boolean fill(long uaddr, int value, long len) {
        access("a memset", uaddr, len);
        return p.fill(uaddr, value, len);
    }

    @Override
    public boolean copy(long dst, long src, long len) {
        access("a copy's read", src, len);
        access("a copy's write", dst, len);
        return p.copy(dst, src, len);
    }

    @Override
    public void chargeUser(long nanos) {
        p.chargeUser(nanos);
    }

    @Override
    public void abort(String message) {
        throw new Violation("called abort(): " + message);
    }

    @Override
    public void warn(String message) {
        p.warn(message);
    }

    @Override
    public boolean alive() {
        return p.alive();
    }

    @Override
    public int pid() {
        return p.pid();
    }

    @Override
    public long minflt() {
        return p.minflt();
    }

    @Override
    public long rssPages() {
        return p.rssPages();
    }

    @Override
    public long syscalls(Syscall s) {
        return p.syscalls(s);
    }

    @Override
    public long syscallBytes(Syscall s) {
        return p.syscallBytes(s);
    }

    @Override
    public long nowNanos() {
        return p.nowNanos();
    }
}
