package io.kmemlab.mm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An emulated kernel spinlock (zone->lock, pcp->lock, n->list_lock, …). Today kmemlab runs the
 * emulated CPUs on one Java thread, so the lock is never contended; it is real (a CAS on a
 * VarHandle) so that a multi-threaded mode can run each emulated CPU on its own thread, and it
 * counts acquisitions and contended acquisitions as lock_stat would.
 */
public final class SpinLock {
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SpinLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;

    @SuppressWarnings("unused")
    private volatile int state;

    private long acquisitions;
    private long contentions;

    public SpinLock(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void lock() {
        if (!STATE.compareAndSet(this, 0, 1)) {
            contentions++;
            while (!STATE.compareAndSet(this, 0, 1)) {
                Thread.onSpinWait();
            }
        }
        acquisitions++;
    }

    /** spin_trylock: true if taken. */
    public boolean tryLock() {
        if (STATE.compareAndSet(this, 0, 1)) {
            acquisitions++;
            return true;
        }
        return false;
    }

    public void unlock() {
        STATE.setRelease(this, 0);
    }

    public boolean isLocked() {
        return state != 0;
    }

    public long acquisitions() {
        return acquisitions;
    }

    public long contentions() {
        return contentions;
    }
}
