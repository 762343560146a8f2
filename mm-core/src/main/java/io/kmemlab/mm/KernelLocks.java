package io.kmemlab.mm;

import io.kmemlab.mm.sched.LockPolicy;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.Steps;
import io.kmemlab.mm.sched.VLock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The machine's kernel spinlocks, as lockdep knows them: every {@link SpinLock} an allocator
 * creates is registered here with its lockdep class, the kernel function that usually takes it
 * (lock_stat's contention point when a call does not name one) and, optionally, a progress
 * counter (pages or objects moved) that sizes its critical sections.
 *
 * <p>A run of the contention scheduler {@link #attach attaches} the machine: each lock gets a
 * queued {@link VLock} (Linux's qspinlock) named by its class, so {@code /proc/lock_stat} can sum
 * instances by class as the kernel does. Locks registered later (a cache created during the run)
 * are linked at once. {@link #detach} puts the machine back to plain single-threaded locks.
 */
public final class KernelLocks {
    /** The virtual work of one critical section: {@code base + perUnit × units moved}, in ns. */
    public record HoldCost(long base, long perUnit) {}

    private record Entry(SpinLock lock, String site, LongSupplier progress) {}

    private final List<Entry> entries = new ArrayList<>();
    private final List<VLock> vlocks = new ArrayList<>();
    private Scheduler scheduler;
    private Function<String, HoldCost> costs;
    private Steps steps = Steps.OFF;
    /** steps.on(), kept beside it: a lockless hot path tests it with one load fewer. */
    private boolean stepping;

    private Scheduler lastScheduler;

    /** Registers {@code lock}, taken by default from kernel function {@code site}. */
    public SpinLock register(SpinLock lock, String site) {
        return register(lock, site, null);
    }

    /** The same, with a counter whose change while the lock is held sizes the section's work. */
    public SpinLock register(SpinLock lock, String site, LongSupplier progress) {
        Entry e = new Entry(lock, site, progress);
        entries.add(e);
        if (scheduler != null) {
            link(e);
        }
        return lock;
    }

    /**
     * Forgets {@code lock} (its cache was destroyed); its virtual-time lock, if any, keeps its
     * counts for /proc/lock_stat, whose classes outlive their instances.
     */
    public void unregister(SpinLock lock) {
        entries.removeIf(e -> e.lock == lock);
        lock.link(null);
    }

    /** The registered locks, in registration order. */
    public List<SpinLock> locks() {
        List<SpinLock> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(e.lock);
        }
        return out;
    }

    /**
     * Links every lock to a new {@link LockPolicy#QUEUED} lock of {@code s}, whose critical
     * sections cost what {@code costs} says for the lock's class.
     */
    public void attach(Scheduler s, Function<String, HoldCost> costs) {
        detach();
        vlocks.clear();
        this.scheduler = s;
        this.lastScheduler = s;
        this.costs = costs;
        this.steps = s.steps();
        this.stepping = steps.on();
        for (Entry e : entries) {
            link(e);
        }
    }

    /** Unlinks every lock (their counts stay in the scheduler's locks). */
    public void detach() {
        for (Entry e : entries) {
            e.lock.link(null);
        }
        scheduler = null;
        costs = null;
        steps = Steps.OFF;
        stepping = false;
    }

    /**
     * Where a lockless path records its atomics and shared lines ({@link Steps#OFF} when no
     * scheduler drives the machine): SLUB's cmpxchg on a slab's freelist, for one.
     */
    public Steps steps() {
        return steps;
    }

    /** {@code steps().on()}: whether a scheduler drives the machine and lockless paths record. */
    public boolean stepping() {
        return stepping;
    }

    /** The scheduler of the last attached run (its call-site names), or null. */
    public Scheduler scheduler() {
        return lastScheduler;
    }

    /** Whether a scheduler drives this machine's locks. */
    public boolean attached() {
        return scheduler != null;
    }

    /** The virtual-time locks of the last attached run, in registration order (kept after detach). */
    public List<VLock> vlocks() {
        return Collections.unmodifiableList(vlocks);
    }

    private void link(Entry e) {
        VLock v = scheduler.newLock(e.lock.lockClass(), LockPolicy.QUEUED);
        vlocks.add(v);
        e.lock.link(new LockLink(v, scheduler, e.site, e.progress, costs.apply(e.lock.lockClass())));
    }
}
