package io.kmemlab.mm;

/**
 * An emulated kernel spinlock (zone->lock, pcp->lock, n->list_lock, …), with lock_stat's counts of
 * acquisitions and contended acquisitions. A machine is confined to one Java thread at a time (the
 * replayer hands a machine to its engine thread through Thread.start, a queue and join, which order
 * every access), and concurrency in the model is the deterministic scheduler's, in virtual time: so
 * the lock word is a plain field, not an atomic (a compare-and-swap here was a locked instruction
 * on every page allocation and free through the per-CPU lists, see docs/benchmarks.md). Taking a lock its holder already holds can never succeed on one thread: it is a kmemlab bug
 * and throws, where a spinning CAS would hang.
 *
 * <p>Contention is played out in virtual time, not here: a machine that a {@link
 * io.kmemlab.mm.sched.Scheduler} drives links each of its locks to a {@link
 * io.kmemlab.mm.sched.VLock} ({@link KernelLocks#attach}), and every acquisition and release then
 * records a step for the scheduler; {@link #lock(String)} names the call site that lock_stat's
 * contention points print. Unlinked, the hook is one null test.
 */
public final class SpinLock {
    private final String name;
    private final String lockClass;
    /** Null unless a scheduler drives this machine. */
    private LockLink link;

    private boolean held;

    private long acquisitions;
    private long contentions;

    public SpinLock(String name) {
        this(name, name);
    }

    /**
     * @param name this lock, for messages ({@code zone->lock:Normal})
     * @param lockClass its lockdep class as {@code /proc/lock_stat} prints it ({@code &zone->lock}):
     *     every lock initialised at one place shares it
     */
    public SpinLock(String name, String lockClass) {
        this.name = name;
        this.lockClass = lockClass;
    }

    public String name() {
        return name;
    }

    /** The lockdep class name ({@code &zone->lock}, {@code slob_lock}). */
    public String lockClass() {
        return lockClass;
    }

    public void lock() {
        take();
        if (link != null) {
            link.lock(null);
        }
    }

    /** spin_lock() called from {@code site} (a kernel function name, lock_stat's contention point). */
    public void lock(String site) {
        take();
        if (link != null) {
            link.lock(site);
        }
    }

    private void take() {
        if (held) {
            contentions++;
            throw new IllegalStateException("deadlock: " + name + " is already held");
        }
        held = true;
        acquisitions++;
    }

    /** spin_trylock: true if taken. Small enough to inline into any fast path (35 bytecodes). */
    public boolean tryLock() {
        if (held) {
            return false;
        }
        held = true;
        acquisitions++;
        if (link != null) {
            linkLock();
        }
        return true;
    }

    private void linkLock() {
        link.lock(null);
    }

    public void unlock() {
        held = false;
        if (link != null) {
            linkUnlock();
        }
    }

    private void linkUnlock() {
        link.unlock();
    }

    void link(LockLink l) {
        this.link = l;
    }

    LockLink link() {
        return link;
    }

    public boolean isLocked() {
        return held;
    }

    public long acquisitions() {
        return acquisitions;
    }

    public long contentions() {
        return contentions;
    }
}
