package io.kmemlab.mm.sched;

/**
 * How a lock makes a waiter wait, after the real locks of the reference's §3.1.
 *
 * <ul>
 *   <li>{@link #FUTEX}: glibc's {@code lll_lock} and a default pthread mutex. CAS 0→1; on failure
 *       {@code exchange(2)} and {@code futex_wait}; no spinning, no FIFO: a running thread that
 *       arrives while a woken waiter is still being scheduled takes the lock (barging), and the
 *       woken one sleeps again.
 *   <li>{@link #SPIN_THEN_BLOCK}: jemalloc's {@code malloc_mutex}: trylock, then up to the lock's
 *       spin limit of PAUSE polls, then a futex sleep. No spinning on one CPU.
 *   <li>{@link #SPIN_TAS}: xv6's test-and-set spinlock: polls with an atomic swap until it wins,
 *       interrupts off; every failed swap is counted ({@code #test-and-set}).
 *   <li>{@link #QUEUED}: Linux's qspinlock: waiters queue in arrival order and the lock is handed
 *       to the head when released.
 * </ul>
 */
public enum LockPolicy {
    FUTEX,
    SPIN_THEN_BLOCK,
    SPIN_TAS,
    QUEUED;

    /** Whether a waiter keeps its CPU busy while it waits (the policy spins before, or instead of, sleeping). */
    public boolean spins() {
        return this != FUTEX;
    }
}
