package io.kmemlab.boot.lab;

import io.kmemlab.mm.sched.LockPolicy;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.Steps;
import io.kmemlab.mm.sched.VLock;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link StudentKalloc} is handed at kinit: the machine's CPU and page counts and xv6's
 * {@code initlock}, which makes one of the scheduler's spinlocks (a test-and-set loop, {@link
 * LockPolicy#SPIN_TAS}, as xv6's {@code acquire}). Every lock's name must start with {@code
 * kmem}: the lab's statistics count the test-and-sets of exactly those.
 *
 * <p>A lock's acquire and release are recorded on the calling operation's {@link Steps}; the
 * acquire also charges the critical section's work (pop or push a list head). Outside the
 * children's run — kinit's freerange and the countfree after it — there are no steps: the calls
 * are counted as acquisitions but take no virtual time and cannot contend, as on xv6's first hart
 * before the others start.
 */
public final class Kmem {
    /** The critical section of a kalloc or kfree under its lock (xv6 under QEMU), ns. */
    public static final long CRITICAL_NS = 220;

    private final Scheduler scheduler;
    private final int npages;
    private final List<Lock> locks = new ArrayList<>();
    private Steps steps = Steps.OFF;
    private long acquires;

    /** One kmem lock: xv6's {@code struct spinlock} with {@code acquire} and {@code release}. */
    public final class Lock {
        private final VLock vlock;
        private long bootAcquires;
        private int held;

        private Lock(VLock vlock) {
            this.vlock = vlock;
        }

        /** acquire(): spins until the lock is free, then holds it. */
        public void acquire() {
            acquires++;
            if (steps.on()) {
                steps.lock(vlock);
                steps.work(CRITICAL_NS);
            } else {
                if (held > 0) {
                    throw new IllegalStateException(
                            "acquire(" + vlock.name() + "): already held (it would spin forever)");
                }
                held++;
                bootAcquires++;
            }
        }

        /** release(): lets the next CPU in. */
        public void release() {
            if (steps.on()) {
                steps.unlock(vlock);
            } else {
                if (held == 0) {
                    throw new IllegalStateException("release(" + vlock.name() + "): not held");
                }
                held--;
            }
        }

        public String name() {
            return vlock.name();
        }

        /** The scheduler's lock behind it. */
        public VLock vlock() {
            return vlock;
        }

        /** Acquisitions outside the scheduler's run (kinit, countfree). */
        public long bootAcquires() {
            return bootAcquires;
        }

        /** Held now outside the scheduler's run (an acquire without its release). */
        boolean heldOutside() {
            return held > 0;
        }
    }

    /** The facade of {@code scheduler}'s machine with {@code npages} pages of memory. */
    public Kmem(Scheduler scheduler, int npages) {
        this.scheduler = scheduler;
        this.npages = npages;
    }

    /** NCPU: the CPUs, numbered 0 … ncpu()-1. */
    public int ncpu() {
        return scheduler.nrCpus();
    }

    /** The pages, numbered 0 … npages()-1; kinit does not free them (freerange does, after it). */
    public int npages() {
        return npages;
    }

    /** initlock(lk, name): a new lock; its name must start with "kmem". */
    public Lock newLock(String name) {
        if (name == null || !name.startsWith("kmem")) {
            throw new IllegalArgumentException("lock name '" + name + "' does not start with \"kmem\"");
        }
        Lock l = new Lock(scheduler.newLock(name, LockPolicy.SPIN_TAS));
        locks.add(l);
        return l;
    }

    /** The locks made, in the order made (xv6's locks[] table). */
    public List<Lock> locks() {
        return List.copyOf(locks);
    }

    /** The steps the next calls record on: an operation's, or {@link Steps#OFF} outside the run. */
    public void use(Steps steps) {
        this.steps = steps;
    }

    /** Every acquire so far, through any lock (a call that took none raced on xv6). */
    public long acquires() {
        return acquires;
    }

    /** The names of locks an outside call left held, empty if none. */
    public List<String> heldOutside() {
        return locks.stream().filter(Lock::heldOutside).map(Lock::name).toList();
    }
}
