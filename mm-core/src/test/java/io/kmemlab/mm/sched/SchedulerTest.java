package io.kmemlab.mm.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchedulerTest {
    private static final CostModel COST = CostModel.DEFAULT;

    /** Each op: outside work, lock, critical work, unlock; {@code n} ops. */
    private static ThreadBody loop(VLock l, int n, long outside, long critical) {
        int[] done = {0};
        return (t, s) -> {
            if (done[0]++ == n) {
                return false;
            }
            s.work(outside);
            s.lock(l);
            s.work(critical);
            s.unlock(l);
            return true;
        };
    }

    @ParameterizedTest
    @EnumSource(LockPolicy.class)
    void oneThreadNeverContends(LockPolicy policy) {
        Scheduler s = new Scheduler(2, COST, 1);
        VLock l = s.newLock("l", policy);
        s.spawn("t0", loop(l, 1000, 20, 30));
        assertThat(s.run()).isEqualTo(Scheduler.Outcome.FINISHED);
        assertThat(l.acquisitions()).isEqualTo(1000);
        assertThat(l.contentions()).isZero();
        assertThat(l.sleeps()).isZero();
        assertThat(l.ownerSwitches()).isEqualTo(1);
        VThread t = s.threads().get(0);
        assertThat(t.ops()).isEqualTo(1000);
        // every op: 20 outside, an uncontended acquire (atomic), 30 inside, a release (atomic)
        assertThat(t.finishedAt()).isEqualTo(1000 * (20 + COST.atomic() + 30 + COST.atomic()));
        assertThat(l.holdTotal()).isEqualTo(1000 * 30);
    }

    @Test
    void futexCollapsesWhereSpinningDoesNot() {
        Map<LockPolicy, ContentionRow> rows = new HashMap<>();
        for (LockPolicy p : LockPolicy.values()) {
            Scheduler s = new Scheduler(2, COST, 7);
            VLock l = s.newLock("l", p);
            s.spawn("a", loop(l, 20_000, 40, 40));
            s.spawn("b", loop(l, 20_000, 40, 40));
            assertThat(s.run()).isEqualTo(Scheduler.Outcome.FINISHED);
            rows.put(p, ContentionRow.of(p.name(), s));
            assertThat(l.acquisitions()).isEqualTo(40_000);
            assertThat(l.contentions()).isPositive();
        }
        // law (2): one critical section at a time, plus a hand-off per acquisition that changes owner
        for (Map.Entry<LockPolicy, ContentionRow> e : rows.entrySet()) {
            ContentionRow r = e.getValue();
            double handoffs = (double) r.ownerSwitches() / r.acquisitions();
            double bound = 1e9 / (40 + COST.atomic() + handoffs * COST.xfer());
            assertThat(r.opsPerSecond()).as(e.getKey().name()).isLessThanOrEqualTo(bound);
        }
        // spinning policies hand the lock over on nearly every acquisition (the waiter is polling)
        for (LockPolicy p : List.of(LockPolicy.SPIN_THEN_BLOCK, LockPolicy.SPIN_TAS, LockPolicy.QUEUED)) {
            assertThat(rows.get(p).ownerSwitches()).as(p.name()).isGreaterThan(19_000);
            assertThat(rows.get(p).sleeps()).isZero();
        }
        // glibc's futex lock under short sections: the waiter's futex_wait finds the word changed
        // (EAGAIN) and tries again, the holder pays a futex_wake on each unlock: every acquisition
        // contended, through syscalls, slower than any spinning lock
        ContentionRow futex = rows.get(LockPolicy.FUTEX);
        assertThat(futex.sleeps()).isEqualTo(futex.contentions());
        assertThat(futex.nsPerOp())
                .isGreaterThan(2 * rows.get(LockPolicy.SPIN_THEN_BLOCK).nsPerOp());
    }

    @Test
    void aFutexWaiterBehindALongSectionSleepsAndIsWoken() {
        Scheduler s = new Scheduler(2, COST, 1);
        VLock l = s.newLock("arena", LockPolicy.FUTEX);
        s.spawn("holder", loop(l, 1, 0, 50_000));
        s.spawn("waiter", loop(l, 1, 100, 10));
        s.run();
        assertThat(l.contentions()).isEqualTo(1);
        assertThat(l.sleeps()).isEqualTo(1);
        // released at 50,010 (the unlock pulls back the line the waiter's failed CAS took); the
        // wake costs the holder a syscall, the waiter the wake-up latency
        long released = COST.atomic() + 50_000;
        long wokenAt = released + COST.atomic() + COST.xfer() + COST.syscall() + COST.wakeup();
        assertThat(l.waitTotal()).isEqualTo(wokenAt + COST.atomic() + COST.xfer() - 100);
    }

    @Test
    void testAndSetCountsEveryFailedPoll() {
        Scheduler s = new Scheduler(3, COST, 3);
        VLock l = s.newLock("kmem", LockPolicy.SPIN_TAS);
        for (int i = 0; i < 3; i++) {
            s.spawn("t" + i, loop(l, 5_000, 50, 200));
        }
        s.run();
        assertThat(l.contentions()).isPositive();
        // nts is the wait in polls: within one poll of wait/tas per contended acquisition
        long expected = l.waitTotal() / COST.tas();
        assertThat(l.failedPolls()).isBetween(expected - 2 * l.contentions(), expected + l.contentions());
    }

    @Test
    void queuedLockHandsOverInArrivalOrder() {
        Scheduler s = new Scheduler(4, COST, 3);
        VLock l = s.newLock("zone", LockPolicy.QUEUED);
        List<String> order = new ArrayList<>();
        s.setListener(new Scheduler.Listener() {
            @Override
            public void acquired(VLock lock, VThread thread, long time) {
                order.add(thread.name());
            }

            @Override
            public void released(VLock lock, VThread thread, long time) {}
        });
        // t0 takes the lock at once and holds it; t3, t1, t2 arrive at 10, 20, 30
        long[] arrive = {0, 20, 30, 10};
        for (int i = 0; i < 4; i++) {
            long a = arrive[i];
            boolean[] done = {false};
            s.spawn("t" + i, (t, st) -> {
                if (done[0]) {
                    return false;
                }
                done[0] = true;
                st.work(a + 1);
                st.lock(l);
                st.work(1_000);
                st.unlock(l);
                return true;
            });
        }
        s.run();
        assertThat(order).containsExactly("t0", "t3", "t1", "t2");
        assertThat(l.contentions()).isEqualTo(3);
        assertThat(l.spinAcquired()).isZero();
    }

    @Test
    void mutualExclusionHoldsInEveryGeneratedInterleaving() {
        for (int seed = 0; seed < 300; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int cpus = 1 + r.nextInt(4);
            int nThreads = 1 + r.nextInt(6);
            Scheduler s =
                    new Scheduler(cpus, COST.with("wakeup=" + r.nextInt(1, 8000) + ",xfer=" + r.nextInt(1, 200)), seed);
            int nLocks = 1 + r.nextInt(3);
            List<VLock> locks = new ArrayList<>();
            for (int i = 0; i < nLocks; i++) {
                LockPolicy p = LockPolicy.values()[r.nextInt(LockPolicy.values().length)];
                // a spinning policy that never sleeps may only be used with a CPU per thread
                if ((p == LockPolicy.SPIN_TAS || p == LockPolicy.QUEUED) && nThreads > cpus) {
                    p = LockPolicy.FUTEX;
                }
                locks.add(s.newLock("l" + i, p, r.nextInt(-1, 50)));
            }
            long[] owner = new long[nLocks];
            long[] lastRelease = new long[nLocks];
            java.util.Arrays.fill(owner, -1);
            int[] lockSteps = {0};
            s.setListener(new Scheduler.Listener() {
                @Override
                public void acquired(VLock lock, VThread thread, long time) {
                    int i = locks.indexOf(lock);
                    assertThat(owner[i]).as("owner of " + lock).isEqualTo(-1);
                    assertThat(time).isGreaterThanOrEqualTo(lastRelease[i]);
                    owner[i] = thread.id();
                }

                @Override
                public void released(VLock lock, VThread thread, long time) {
                    int i = locks.indexOf(lock);
                    assertThat(owner[i]).isEqualTo(thread.id());
                    owner[i] = -1;
                    lastRelease[i] = time;
                }
            });
            for (int t = 0; t < nThreads; t++) {
                int n = 1 + r.nextInt(200);
                int[] done = {0};
                s.spawn("t" + t, (th, st) -> {
                    if (done[0]++ == n) {
                        return false;
                    }
                    SplittableRandom tr = th.random();
                    st.work(tr.nextInt(0, 300));
                    // nested locks in index order: no deadlock
                    int first = tr.nextInt(nLocks);
                    int last = tr.nextInt(first, nLocks);
                    for (int i = first; i <= last; i++) {
                        st.lock(locks.get(i));
                        lockSteps[0]++;
                        st.work(tr.nextInt(0, 200));
                        st.read(tr.nextInt(8) * 64L);
                    }
                    for (int i = last; i >= first; i--) {
                        st.unlock(locks.get(i));
                    }
                    return true;
                });
            }
            assertThat(s.run()).as("seed " + seed + ": " + s.problem()).isEqualTo(Scheduler.Outcome.FINISHED);
            long acq = locks.stream().mapToLong(VLock::acquisitions).sum();
            assertThat(acq).as("seed " + seed).isEqualTo(lockSteps[0]);
            for (VLock l : locks) {
                assertThat(l.held()).isFalse();
            }
        }
    }

    @Test
    void sameSeedSameCountersDifferentSeedMayDiffer() {
        assertThat(fingerprint(11)).isEqualTo(fingerprint(11));
        assertThat(fingerprint(11)).isNotEqualTo(fingerprint(12));
    }

    private static String fingerprint(long seed) {
        Scheduler s = new Scheduler(2, COST, seed);
        VLock a = s.newLock("a", LockPolicy.SPIN_THEN_BLOCK, 20);
        VLock b = s.newLock("b", LockPolicy.FUTEX);
        for (int t = 0; t < 5; t++) {
            int[] done = {0};
            s.spawn("t" + t, (th, st) -> {
                if (done[0]++ == 2000) {
                    return false;
                }
                VLock l = th.random().nextBoolean() ? a : b;
                st.work(th.random().nextInt(100));
                st.lock(l);
                st.work(th.random().nextInt(100));
                st.unlock(l);
                return true;
            });
        }
        s.run();
        StringBuilder sb = new StringBuilder(s.now() + " " + s.events());
        for (VLock l : s.locks()) {
            sb.append(' ')
                    .append(l.acquisitions())
                    .append('/')
                    .append(l.contentions())
                    .append('/')
                    .append(l.sleeps())
                    .append('/')
                    .append(l.spinAcquired())
                    .append('/')
                    .append(l.waitTotal())
                    .append('/')
                    .append(l.ownerSwitches());
        }
        return sb.toString();
    }

    @Test
    void deadlockIsReportedWithWhoWaitsForWhat() {
        Scheduler s = new Scheduler(2, COST, 1);
        VLock a = s.newLock("A", LockPolicy.FUTEX);
        VLock b = s.newLock("B", LockPolicy.FUTEX);
        s.spawn("ab", once((th, st) -> {
            st.lock(a);
            st.work(1000);
            st.lock(b);
            st.unlock(b);
            st.unlock(a);
        }));
        s.spawn("ba", once((th, st) -> {
            st.lock(b);
            st.work(1000);
            st.lock(a);
            st.unlock(a);
            st.unlock(b);
        }));
        assertThat(s.run()).isEqualTo(Scheduler.Outcome.DEADLOCK);
        assertThat(s.problem()).contains("ab waits for B").contains("ba waits for A");
    }

    @Test
    void releasingALockNotHeldStopsTheRunWithAReport() {
        Scheduler s = new Scheduler(1, COST, 1);
        VLock a = s.newLock("A", LockPolicy.FUTEX);
        s.spawn("bad", once((th, st) -> st.unlock(a)));
        assertThat(s.run()).isEqualTo(Scheduler.Outcome.ERROR);
        assertThat(s.problem()).isEqualTo("bad releases A which it does not hold (op 1)");
        Scheduler s2 = new Scheduler(1, COST, 1);
        VLock c = s2.newLock("C", LockPolicy.FUTEX);
        s2.spawn("keeps", once((th, st) -> st.lock(c)));
        assertThat(s2.run()).isEqualTo(Scheduler.Outcome.ERROR);
        assertThat(s2.problem()).isEqualTo("keeps finished holding C");
    }

    @Test
    void threadsSharingACpuTakeTurnsAndSleepersGiveItAway() {
        Scheduler s = new Scheduler(1, COST.with("quantum=10000"), 1);
        VLock l = s.newLock("l", LockPolicy.FUTEX);
        for (int i = 0; i < 4; i++) {
            s.spawn("t" + i, loop(l, 500, 100, 100));
        }
        assertThat(s.run()).isEqualTo(Scheduler.Outcome.FINISHED);
        assertThat(l.acquisitions()).isEqualTo(2000);
        // preemption only between operations: the lock is never held by a thread off its CPU
        assertThat(l.contentions()).isZero();
        for (VThread t : s.threads()) {
            assertThat(t.ops()).isEqualTo(500);
        }
        // they interleave: no thread ran all its ops before the others started
        assertThat(s.threads().get(0).finishedAt()).isGreaterThan(s.now() / 2);
    }

    @Test
    void spinThenBlockDoesNotSpinOnOneCpu() {
        Scheduler s = new Scheduler(1, COST, 1);
        VLock l = s.newLock("bin", LockPolicy.SPIN_THEN_BLOCK);
        // two threads on one CPU can only contend if one sleeps holding… it cannot: so none
        s.spawn("a", loop(l, 100, 10, 10));
        s.spawn("b", loop(l, 100, 10, 10));
        s.run();
        assertThat(l.spinAcquired()).isZero();
        assertThat(l.failedPolls()).isZero();
    }

    @Test
    void cacheLinesCostATransferWhenTheyMove() {
        Scheduler s = new Scheduler(2, COST, 1);
        s.spawn("w0", once((th, st) -> st.write(0)));
        s.spawn("w1", once((th, st) -> {
            st.work(100);
            st.write(8);
            st.write(8);
        }));
        s.run();
        // w1 pulls the line w0 wrote (xfer) then hits it
        assertThat(s.threads().get(1).finishedAt()).isEqualTo(100 + COST.xfer() + COST.hit());
    }

    @Test
    void costOverridesAreCheckedByName() {
        assertThat(COST.with("xfer=100,wakeup=7000").xfer()).isEqualTo(100);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> COST.with("xfr=1"))
                .hasMessageContaining("unknown cost 'xfr=1'");
        assertThat(COST.describe()).startsWith("hit=1 atomic=10 xfer=70");
    }

    private interface Once {
        void run(VThread t, Steps s);
    }

    private static ThreadBody once(Once body) {
        boolean[] done = {false};
        return (t, s) -> {
            if (done[0]) {
                return false;
            }
            done[0] = true;
            body.run(t, s);
            return true;
        };
    }
}
