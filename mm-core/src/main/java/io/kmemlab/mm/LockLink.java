package io.kmemlab.mm;

import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.Steps;
import io.kmemlab.mm.sched.VLock;
import java.util.function.LongSupplier;

/**
 * What a {@link SpinLock} records while a scheduler drives its machine: the acquisition and
 * release steps of its {@link VLock}, with the call site, and between them the work of the
 * critical section — a fixed cost plus a cost per unit of the lock's progress counter (pages moved
 * under zone->lock, objects moved under a list_lock), so that a batch holds the lock longer than
 * one page does. Nothing here allocates: sites are looked up by identity among the few string
 * constants each lock is taken from.
 */
final class LockLink {
    private final VLock vlock;
    private final Steps steps;
    private final Scheduler scheduler;
    private final int defaultSite;
    private final LongSupplier progress;
    private final long holdBase;
    private final long perUnit;
    private long mark;

    private final String[] siteNames = new String[8];
    private final int[] siteIds = new int[8];
    private int nSites;

    LockLink(VLock vlock, Scheduler scheduler, String defaultSite, LongSupplier progress, KernelLocks.HoldCost cost) {
        this.vlock = vlock;
        this.steps = scheduler.steps();
        this.scheduler = scheduler;
        this.defaultSite = scheduler.site(defaultSite);
        this.progress = progress;
        this.holdBase = cost.base();
        this.perUnit = cost.perUnit();
    }

    VLock vlock() {
        return vlock;
    }

    void lock(String site) {
        mark = progress == null ? 0 : progress.getAsLong();
        steps.lock(vlock, site == null ? defaultSite : siteId(site));
    }

    void unlock() {
        long moved = progress == null ? 0 : Math.abs(progress.getAsLong() - mark);
        steps.work(holdBase + perUnit * moved);
        steps.unlock(vlock);
    }

    private int siteId(String site) {
        for (int i = 0; i < nSites; i++) {
            if (siteNames[i] == site) {
                return siteIds[i];
            }
        }
        int id = scheduler.site(site);
        if (nSites < siteNames.length) {
            siteNames[nSites] = site;
            siteIds[nSites++] = id;
        }
        return id;
    }
}
