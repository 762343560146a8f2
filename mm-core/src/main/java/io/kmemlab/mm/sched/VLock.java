package io.kmemlab.mm.sched;

/**
 * A lock in virtual time: its policy, the state the scheduler keeps while threads hold and wait
 * for it, and the counters the real tools print — lock_stat's (contentions, bounces, wait and hold
 * times), jemalloc's mutex profile (lock ops, waits, spin acquisitions, owner switches, wait time,
 * most waiters) and xv6's ({@code #test-and-set}, {@code #acquire()}).
 *
 * <p>Definitions, as the reference's §3.2: an acquisition is <em>contended</em> when its first
 * attempt found the lock held; a <em>bounce</em> is an acquisition on another CPU than the
 * previous one ({@code acq-bounces}), and a con-bounce a contended one ({@code con-bounces}); an
 * <em>owner switch</em> is an acquisition by another thread than the previous owner; a
 * <em>wait</em> ({@code n_wait_times}) is each time a waiter went to sleep. Wait time runs from
 * the first failed attempt to the acquisition, hold time from the acquisition to the release.
 * Only the scheduler changes a lock; everything public here is read-only.
 */
public final class VLock {
    static final int NO_ONE = -1;
    static final int POINTS = 4;

    private final String name;
    private final LockPolicy policy;
    private final int spinLimit;
    final int id;

    // state, kept by the Scheduler
    int owner = NO_ONE;
    int ownerCpu = NO_ONE;
    long acquiredAt;
    int ownerSite;
    int lastOwner = NO_ONE;
    int lastCpu = NO_ONE;
    int lineCpu = NO_ONE;
    /** A queued lock handed to its head waiter, not yet taken: the new owner's arrival time. */
    boolean handedOff;
    /** The futex word says "waiters" (2): set by every waiter's exchange, cleared by the unlock's. */
    boolean waitersWord;
    /** Releases so far (a futex waiter entering the kernel compares it: the word changed). */
    long releases;

    int waiters;

    // counters
    long acquisitions;
    long contentions;
    long acqBounces;
    long conBounces;
    long ownerSwitches;
    long sleeps;
    long spinAcquired;
    long failedPolls;
    long waitMin = Long.MAX_VALUE;
    long waitMax;
    long waitTotal;
    long sleepWaitTotal;
    long sleepWaitMax;
    long holdMin = Long.MAX_VALUE;
    long holdMax;
    long holdTotal;
    int maxWaiters;
    final int[] contentionSite = new int[POINTS];
    final long[] contentionCount = new long[POINTS];
    final int[] contendingSite = new int[POINTS];
    final long[] contendingCount = new long[POINTS];

    VLock(int id, String name, LockPolicy policy, int spinLimit) {
        this.id = id;
        this.name = name;
        this.policy = policy;
        this.spinLimit = spinLimit;
        resetCounters();
    }

    public String name() {
        return name;
    }

    public LockPolicy policy() {
        return policy;
    }

    /** PAUSE polls before a {@link LockPolicy#SPIN_THEN_BLOCK} waiter sleeps (-1: spins for ever). */
    public int spinLimit() {
        return spinLimit;
    }

    public long acquisitions() {
        return acquisitions;
    }

    public long contentions() {
        return contentions;
    }

    public long acqBounces() {
        return acqBounces;
    }

    public long conBounces() {
        return conBounces;
    }

    public long ownerSwitches() {
        return ownerSwitches;
    }

    /** Contended acquisitions that went to sleep at least once (jemalloc's n_wait_times). */
    public long sleeps() {
        return sleeps;
    }

    /** Contended acquisitions won by spinning, before any sleep (jemalloc's n_spin_acquired). */
    public long spinAcquired() {
        return spinAcquired;
    }

    /**
     * Failed attempts of spinning waiters: for {@link LockPolicy#SPIN_TAS} xv6's {@code
     * #test-and-set}, the polls of every other spinning policy.
     */
    public long failedPolls() {
        return failedPolls;
    }

    public long waitMin() {
        return contentions == 0 ? 0 : waitMin;
    }

    public long waitMax() {
        return waitMax;
    }

    public long waitTotal() {
        return waitTotal;
    }

    /** Wait time of acquisitions that slept (jemalloc measures only those). */
    public long sleepWaitTotal() {
        return sleepWaitTotal;
    }

    public long sleepWaitMax() {
        return sleepWaitMax;
    }

    public long holdMin() {
        return acquisitions == 0 ? 0 : holdMin;
    }

    public long holdMax() {
        return holdMax;
    }

    public long holdTotal() {
        return holdTotal;
    }

    /** The most threads seen waiting at once (jemalloc's max_n_thds). */
    public int maxWaiters() {
        return maxWaiters;
    }

    /** Whether a thread holds the lock now. */
    public boolean held() {
        return owner != NO_ONE;
    }

    /**
     * lock_stat's contention points: the sites whose attempts found the lock held, with their
     * counts, in the order first seen (site ids of {@link Scheduler#site}); {@code i} in 0..3, count 0 when unused.
     */
    public int contentionSite(int i) {
        return contentionSite[i];
    }

    public long contentionCount(int i) {
        return contentionCount[i];
    }

    /** lock_stat's contending points: the holders' sites at those moments. */
    public int contendingSite(int i) {
        return contendingSite[i];
    }

    public long contendingCount(int i) {
        return contendingCount[i];
    }

    /** {@code echo 0 > /proc/lock_stat}: counters to zero, the state kept. */
    public void resetCounters() {
        acquisitions = contentions = acqBounces = conBounces = ownerSwitches = 0;
        sleeps = spinAcquired = failedPolls = 0;
        waitMin = holdMin = Long.MAX_VALUE;
        waitMax = waitTotal = sleepWaitTotal = sleepWaitMax = holdMax = holdTotal = 0;
        maxWaiters = 0;
        for (int i = 0; i < POINTS; i++) {
            contentionSite[i] = contendingSite[i] = 0;
            contentionCount[i] = contendingCount[i] = 0;
        }
    }

    static void countPoint(int[] sites, long[] counts, int site) {
        // lock_stat keeps the first four distinct call sites (lock_point); later ones are not counted
        for (int i = 0; i < POINTS; i++) {
            if (counts[i] == 0) {
                sites[i] = site;
                counts[i] = 1;
                return;
            }
            if (sites[i] == site) {
                counts[i]++;
                return;
            }
        }
    }

    @Override
    public String toString() {
        return name + "(" + policy + ")";
    }
}
