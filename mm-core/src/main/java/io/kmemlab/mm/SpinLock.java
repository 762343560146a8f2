package io.kmemlab.mm;

/**
 * An emulated kernel spinlock (zone->lock, pcp->lock, n->list_lock, …), with lock_stat's counts of
 * acquisitions and contended acquisitions. A machine is confined to one Java thread at a time (the
 * replayer hands a machine to its engine thread through Thread.start, a queue and join, which order
 * every access), and concurrency in the model is the deterministic scheduler's, in virtual time: so
 * the lock word is a plain field, not an atomic (a compare-and-swap here was a locked instruction
 * on every page allocation and free through the per-CPU lists, see docs/benchmarks.md). Taking a lock its holder already holds can never succeed on one thread: it is a kmemlab bug
 * and throws, where a spinning CAS would hang.
 */
public final class SpinLock {
    private final String name;

    private boolean held;

    private long acquisitions;
    private long contentions;

    public SpinLock(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void lock() {
        if (held) {
            contentions++;
            throw new IllegalStateException("deadlock: " + name + " is already held");
        }
        held = true;
        acquisitions++;
    }

    /** spin_trylock: true if taken. */
    public boolean tryLock() {
        if (held) {
            return false;
        }
        held = true;
        acquisitions++;
        return true;
    }

    public void unlock() {
        held = false;
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
