package io.kmemlab.boot.contention;

import io.kmemlab.mm.sched.ContentionRow;
import io.kmemlab.mm.sched.LockPolicy;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.VLock;
import java.util.List;

/** A test-only workload whose two threads take two locks in opposite orders: it deadlocks. */
public final class DeadlockingWorkload implements ContentionWorkload {
    @Override
    public String name() {
        return "test-deadlock";
    }

    @Override
    public String description() {
        return "test only: two threads, two locks, opposite orders";
    }

    @Override
    public List<String> configs() {
        return List.of("abba");
    }

    @Override
    public ContentionRow run(String config, int threads, ContentionOptions options, StringBuilder views) {
        Scheduler s = new Scheduler(2, options.cost(), options.seed());
        VLock a = s.newLock("A", LockPolicy.FUTEX);
        VLock b = s.newLock("B", LockPolicy.FUTEX);
        for (int i = 0; i < 2; i++) {
            VLock first = i == 0 ? a : b;
            VLock second = i == 0 ? b : a;
            boolean[] done = {false};
            s.spawn("t" + i, (t, st) -> {
                if (done[0]) {
                    return false;
                }
                done[0] = true;
                st.lock(first);
                st.work(1000);
                st.lock(second);
                st.unlock(second);
                st.unlock(first);
                return true;
            });
        }
        Scheduler.Outcome out = s.run();
        if (out != Scheduler.Outcome.FINISHED) {
            throw new IllegalStateException(name() + " " + config + ": " + out + " " + s.problem());
        }
        return ContentionRow.of(config, s);
    }
}
