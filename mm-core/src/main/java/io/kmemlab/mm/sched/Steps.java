package io.kmemlab.mm.sched;

import java.util.Arrays;

/**
 * What one operation of an allocator did, as far as time and locks are concerned: work, locks
 * taken and released, atomic operations and cache lines touched — recorded while the operation
 * runs and then played out by the {@link Scheduler} in virtual time against the other threads.
 *
 * <p>An allocator keeps a {@code Steps} field, {@link #OFF} unless a scheduler hands it one, and
 * calls it on its paths: {@code steps.work(12); steps.lock(arena.mutex, SITE); … steps.unlock(…)}.
 * {@link #OFF} records nothing (one field read per call), so a single-threaded run costs what it
 * did before. The record is two {@code long}s per step in a reused array: no object per operation.
 */
public final class Steps {
    /** Records nothing: what an allocator holds when no scheduler drives it. */
    public static final Steps OFF = new Steps(false);

    static final int WORK = 1;
    static final int LOCK = 2;
    static final int UNLOCK = 3;
    static final int ATOMIC = 4;
    static final int READ = 5;
    static final int WRITE = 6;

    private final boolean on;
    long[] op = new long[64];
    int n;

    private Steps(boolean on) {
        this.on = on;
    }

    static Steps recording() {
        return new Steps(true);
    }

    /** Whether anything is recorded (false for {@link #OFF}): lets a caller skip computing an argument. */
    public boolean on() {
        return on;
    }

    /** {@code ns} of the CPU's own work (instructions and cache hits of this path). */
    public void work(long ns) {
        if (on && ns > 0) {
            if (n > 0 && op[n - 2] == WORK) {
                op[n - 1] += ns;
            } else {
                add(WORK, ns);
            }
        }
    }

    /** Acquire {@code lock}; {@code site} names the call site for lock_stat ({@link Scheduler#site}). */
    public void lock(VLock lock, int site) {
        if (on) {
            add(LOCK, ((long) site << 32) | lock.id);
        }
    }

    public void lock(VLock lock) {
        lock(lock, 0);
    }

    public void unlock(VLock lock) {
        if (on) {
            add(UNLOCK, lock.id);
        }
    }

    /** A locked read-modify-write (CAS, exchange) of the 64-byte line holding {@code address}. */
    public void atomic(long address) {
        if (on) {
            add(ATOMIC, address >>> 6);
        }
    }

    /** A load from the line holding {@code address}: a transfer if another CPU wrote it last. */
    public void read(long address) {
        if (on) {
            add(READ, address >>> 6);
        }
    }

    /** A store to the line holding {@code address}: a transfer unless this CPU owns it alone. */
    public void write(long address) {
        if (on) {
            add(WRITE, address >>> 6);
        }
    }

    /** Steps recorded so far in this operation. */
    public int size() {
        return n / 2;
    }

    void clear() {
        n = 0;
    }

    private void add(long kind, long arg) {
        if (n + 2 > op.length) {
            op = Arrays.copyOf(op, op.length * 2);
        }
        op[n++] = kind;
        op[n++] = arg;
    }
}
