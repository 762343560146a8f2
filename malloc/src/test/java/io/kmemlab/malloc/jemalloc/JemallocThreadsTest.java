package io.kmemlab.malloc.jemalloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.malloc.testkit.FastUserSpace;
import io.kmemlab.mm.sched.CostModel;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.ThreadBody;
import io.kmemlab.mm.sched.VLock;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** jemalloc's threads and locks in virtual time: arena binding, bin-lock counts with and without the tcache. */
class JemallocThreadsTest {
    /** Two threads, each a 1024-slot working set of small sizes: free a random slot, malloc into it. */
    private static Jemalloc run(Map<String, String> conf, int opsPerThread) {
        Jemalloc je = new Jemalloc(new FastUserSpace(), JemallocConfig.of(conf));
        Scheduler s = new Scheduler(2, CostModel.DEFAULT, 1);
        je.attach(s);
        for (int i = 0; i < 2; i++) {
            int tid = i + 1;
            long[] slots = new long[1024];
            int[] n = {0};
            SplittableRandom r = new SplittableRandom(tid);
            ThreadBody b = (t, steps) -> {
                if (n[0] == opsPerThread) {
                    return false;
                }
                je.asThread(tid);
                int k = r.nextInt(1024);
                if ((n[0]++ & 1) == 0) {
                    je.free(slots[k]);
                    slots[k] = 0;
                } else {
                    slots[k] = je.malloc(8 + r.nextInt(200));
                }
                return true;
            };
            s.spawn("t" + tid, b);
        }
        assertThat(s.run()).isEqualTo(Scheduler.Outcome.FINISHED);
        assertThat(je.validate()).isEmpty();
        return je;
    }

    private static long binLockOps(Jemalloc je) {
        long ops = 0;
        for (Arena a : je.arenas) {
            if (a != null && a.binLock != null) {
                for (VLock l : a.binLock) {
                    ops += l.acquisitions();
                }
            }
        }
        return ops;
    }

    @Test
    void withTcache_binLockOpsAreTheFillsAndFlushes() {
        Jemalloc je = run(Map.of("narenas", "1"), 200_000);
        long fills = 0;
        long flushes = 0;
        long slabs = 0;
        for (int b = 0; b < SizeClasses.NBINS; b++) {
            fills += je.arenas[0].nfills[b];
            flushes += je.arenas[0].nflushes[b];
            slabs += je.arenas[0].nslabs[b];
        }
        long ops = binLockOps(je);
        // one acquisition per fill and per flush pass; a fill that needs a fresh slab drops and retakes it
        assertThat(ops).isBetween(fills + flushes - 1, fills + flushes + slabs);
        // the tcache absorbs almost every request: thousands of lock ops for 400000 requests
        assertThat(ops).isLessThan(400_000 / 50);
        assertThat(ops).isGreaterThan(100);
    }

    @Test
    void withoutTcache_everyMallocAndFreeTakesTheBinLock() {
        Jemalloc je = run(Map.of("narenas", "1", "tcache", "false"), 100_000);
        long frees = je.metric().frees();
        long mallocs = je.metric().mallocs();
        long ops = binLockOps(je);
        long slabs = 0;
        for (int b = 0; b < SizeClasses.NBINS; b++) {
            slabs += je.arenas[0].nslabs[b];
        }
        // ≈ 2 × ops: each malloc and each free of a small region locks its bin once
        assertThat(ops).isBetween(mallocs + frees - 2, mallocs + frees + slabs);
    }

    @Test
    void newThreadsGetArenasOfTheirOwnUntilEveryAutomaticArenaIsBound() {
        Jemalloc je = new Jemalloc(new FastUserSpace(), JemallocConfig.of(Map.of("narenas", "2")));
        je.asThread(1);
        je.malloc(16);
        je.asThread(2);
        je.malloc(16);
        je.asThread(3);
        je.malloc(16);
        // main on arena 0, thread 1 on a new arena 1; then the least loaded: 2 on arena 0 (a tie,
        // the lower index), 3 on arena 1
        assertThat(je.arenas[0].nthreads).isEqualTo(2);
        assertThat(je.arenas[1].nthreads).isEqualTo(2);
        je.threadExit();
        assertThat(je.arenas[1].nthreads).isEqualTo(1);
        // the next new thread goes to the arena its exit left least loaded
        je.asThread(4);
        assertThat(je.arenas[1].nthreads).isEqualTo(2);
        assertThat(je.validate()).isEmpty();
    }
}
