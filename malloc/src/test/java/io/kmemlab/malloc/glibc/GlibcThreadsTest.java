package io.kmemlab.malloc.glibc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.malloc.testkit.FastUserSpace;
import io.kmemlab.mm.sched.CostModel;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.VLock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** glibc's locks in virtual time: which operation takes which lock (the reference's §1.12 table). */
class GlibcThreadsTest {
    private static long acquisitions(Scheduler s, String name) {
        long n = 0;
        for (VLock l : s.locks()) {
            if (l.name().equals(name)) {
                n += l.acquisitions();
            }
        }
        return n;
    }

    /** Runs {@code ops} as one scheduled operation of thread {@code tid} and returns its arena-lock count. */
    private static long arenaLocksOf(Scheduler s, GlibcMalloc g, int tid, Runnable op) {
        long before = acquisitions(s, "&arena->mutex");
        boolean[] done = {false};
        s.spawn("t", (t, steps) -> {
            if (done[0]) {
                return false;
            }
            done[0] = true;
            g.asThread(tid);
            op.run();
            return true;
        });
        assertThat(s.run()).isEqualTo(Scheduler.Outcome.FINISHED);
        return acquisitions(s, "&arena->mutex") - before;
    }

    @Test
    void tcacheHitsTakeNoLock_missesAndCrossThreadFreesLockTheOwningArena() {
        GlibcMalloc g = GlibcOptions.parse(Map.of()).build(new FastUserSpace());
        g.asThread(0);
        long warm = g.malloc(64);
        g.free(warm);
        Scheduler s = new Scheduler(2, CostModel.DEFAULT, 1);
        g.attach(s);
        long[] p = new long[3];
        // thread 1's first malloc: tcache_init's arena_get2 makes it an arena (list_lock,
        // free_list_lock) returned locked; then the malloc itself locks it (2000 > tcache_max)
        assertThat(arenaLocksOf(s, g, 1, () -> p[0] = g.malloc(2000))).isEqualTo(2);
        assertThat(acquisitions(s, "list_lock")).isEqualTo(1);
        // 2000 bytes is above tcache_max (1032): served by the arena, under its mutex
        assertThat(arenaLocksOf(s, g, 1, () -> p[1] = g.malloc(2000))).isEqualTo(1);
        // a tcache-sized free and the malloc that takes it back: no lock at all
        assertThat(arenaLocksOf(s, g, 1, () -> g.free(g.malloc(48)))).isLessThanOrEqualTo(1);
        assertThat(arenaLocksOf(s, g, 1, () -> g.free(g.malloc(48)))).isZero();
        // thread 2 frees thread 1's chunk: MAYBE_INIT_TCACHE makes its tcache (in a new arena of its
        // own, locked once), then the free locks the chunk's owner, thread 1's arena
        assertThat(arenaLocksOf(s, g, 2, () -> g.free(p[1]))).isEqualTo(2);
        assertThat(acquisitions(s, "list_lock")).isEqualTo(2);
        // and again, with its tcache made: the owner's arena alone
        assertThat(arenaLocksOf(s, g, 2, () -> g.free(p[0]))).isEqualTo(1);
        assertThat(g.validate()).isEmpty();
    }

    @Test
    void singleThreadedProcessTakesNoArenaLock() {
        GlibcMalloc g = GlibcOptions.parse(Map.of()).build(new FastUserSpace());
        Scheduler s = new Scheduler(1, CostModel.DEFAULT, 1);
        g.attach(s);
        // the main thread alone: tcache_init locks once, then SINGLE_THREAD_P skips every lock
        assertThat(arenaLocksOf(s, g, 0, () -> {
                    for (int i = 0; i < 100; i++) {
                        g.free(g.malloc(5000));
                    }
                }))
                .isEqualTo(1);
    }
}
