package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.sched.CostModel;
import io.kmemlab.mm.sched.LockPolicy;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.VLock;
import org.junit.jupiter.api.Test;

class KernelLocksTest {
    @Test
    void attachedSpinLock_recordsItsSectionsForTheScheduler_detachedRecordsNothing() {
        KernelLocks locks = new KernelLocks();
        SpinLock zone = locks.register(new SpinLock("zone->lock:Normal", "&zone->lock"), "rmqueue_bulk");
        long[] pages = {0};
        SpinLock list = locks.register(
                new SpinLock("kmalloc-64:list_lock", "&n->list_lock"), "get_partial_node", () -> pages[0]);
        Scheduler s = new Scheduler(2, CostModel.DEFAULT, 1);
        locks.attach(
                s,
                cls -> cls.equals("&n->list_lock")
                        ? new KernelLocks.HoldCost(10, 100)
                        : new KernelLocks.HoldCost(7, 0));
        assertThat(locks.steps()).isSameAs(s.steps());
        for (int t = 0; t < 2; t++) {
            int[] n = {0};
            s.spawn("t" + t, (th, st) -> {
                if (n[0]++ == 50) {
                    return false;
                }
                zone.lock("free_one_page");
                zone.unlock();
                list.lock();
                pages[0] += 3;
                list.unlock();
                return true;
            });
        }
        assertThat(s.run()).isEqualTo(Scheduler.Outcome.FINISHED);
        VLock vz = locks.vlocks().get(0);
        VLock vl = locks.vlocks().get(1);
        assertThat(vz.name()).isEqualTo("&zone->lock");
        assertThat(vz.policy()).isEqualTo(LockPolicy.QUEUED);
        assertThat(vz.acquisitions()).isEqualTo(100);
        assertThat(vl.acquisitions()).isEqualTo(100);
        // the hold is the fixed part plus the progress counter's change × the per-unit cost
        assertThat(vz.holdMax()).isEqualTo(7);
        assertThat(vl.holdMin()).isEqualTo(10 + 3 * 100);
        // a named call site, or the registered one
        assertThat(vz.contentions()).isPositive();
        assertThat(s.siteName(vz.contentionSite(0))).isEqualTo("free_one_page");
        assertThat(s.siteName(vl.contendingSite(0))).isEqualTo("get_partial_node");

        locks.detach();
        assertThat(locks.steps().on()).isFalse();
        zone.lock();
        zone.unlock();
        assertThat(vz.acquisitions()).isEqualTo(100);
        assertThat(zone.acquisitions()).isEqualTo(101);
        assertThat(locks.vlocks()).hasSize(2);
    }

    @Test
    void aLockRegisteredWhileAttached_isLinkedAtOnce_andUnregisterForgetsIt() {
        KernelLocks locks = new KernelLocks();
        Scheduler s = new Scheduler(1, CostModel.DEFAULT, 1);
        locks.attach(s, cls -> new KernelLocks.HoldCost(1, 0));
        SpinLock late = locks.register(new SpinLock("slob_lock"), "slob_alloc");
        assertThat(late.lockClass()).isEqualTo("slob_lock");
        assertThat(locks.vlocks()).extracting(VLock::name).containsExactly("slob_lock");
        locks.unregister(late);
        assertThat(locks.locks()).isEmpty();
    }
}
