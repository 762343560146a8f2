package io.kmemlab.boot.contention.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemlab.boot.contention.ContentionOptions;
import io.kmemlab.boot.contention.ContentionWorkload;
import io.kmemlab.boot.contention.ContentionWorkloads;
import io.kmemlab.mm.LockStatView;
import io.kmemlab.mm.sched.ContentionRow;
import io.kmemlab.mm.sched.CostModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KernelContentionTest {
    private static final boolean UPDATE = Boolean.getBoolean("kmemlab.updateGolden");

    private static ContentionOptions options(long ops) {
        return new ContentionOptions(0, 1, CostModel.DEFAULT, ops);
    }

    private static ContentionWorkload workload(String name) {
        return ContentionWorkloads.named(name).orElseThrow();
    }

    @Test
    void serviceFile_listsTheKernelWorkloads() {
        for (String name : List.of("pages", "slab", "netrx", "kalloctest")) {
            assertThat(ContentionWorkloads.named(name)).as(name).isPresent();
        }
    }

    /** The 2020 lab handout's "before" statistics, from counters in xv6's registration order. */
    @Test
    void xv6Stats_printTheHandoutsTextFromItsCounters() {
        List<Xv6Stats.Lock> locks = List.of(
                new Xv6Stats.Lock("cons", 0, 42),
                new Xv6Stats.Lock("pr", 0, 7),
                new Xv6Stats.Lock("kmem", 83375, 433015),
                new Xv6Stats.Lock("nextpid", 0, 66),
                new Xv6Stats.Lock("proc", 23737, 130718),
                new Xv6Stats.Lock("proc", 5937, 130786),
                new Xv6Stats.Lock("proc", 4080, 130786),
                new Xv6Stats.Lock("proc", 3, 100),
                new Xv6Stats.Lock("proc", 0, 0),
                new Xv6Stats.Lock("bcache", 0, 1260),
                new Xv6Stats.Lock("virtio_disk", 11159, 114));
        assertThat(Xv6Stats.text(locks)).isEqualTo("""
                        --- lock kmem/bcache stats
                        lock: kmem: #test-and-set 83375 #acquire() 433015
                        lock: bcache: #test-and-set 0 #acquire() 1260
                        --- top 5 contended locks:
                        lock: kmem: #test-and-set 83375 #acquire() 433015
                        lock: proc: #test-and-set 23737 #acquire() 130718
                        lock: virtio_disk: #test-and-set 11159 #acquire() 114
                        lock: proc: #test-and-set 5937 #acquire() 130786
                        lock: proc: #test-and-set 4080 #acquire() 130786
                        tot= 83375
                        """);
        // nothing contended: the "stupid way" prints the first lock five times
        String quiet = Xv6Stats.text(List.of(new Xv6Stats.Lock("kmem0", 0, 9), new Xv6Stats.Lock("kmem1", 0, 3)));
        assertThat(quiet.split("\n"))
                .filteredOn(l -> l.equals("lock: kmem0: #test-and-set 0 #acquire() 9"))
                .hasSize(6);
    }

    @Test
    void kalloctest_oneListSpinsTensOfThousands_perCpuListsAboutZero_golden() throws IOException {
        ContentionWorkload w = workload("kalloctest");
        StringBuilder views = new StringBuilder();
        ContentionRow one = w.run(KalloctestWorkload.ONE_LIST, 2, options(0), views);
        int split = views.length();
        ContentionRow per = w.run(KalloctestWorkload.PER_CPU, 2, options(0), views);
        assertGolden(views.toString(), "contention-kalloctest.txt");
        String before = views.substring(0, split);
        String after = views.substring(split);
        // the lab's loop counts: 2 children × 100,000 × (kalloc + kfree), plus kinit's 32,499 kfrees
        assertThat(before).contains("#acquire() 432499\n").endsWith("test1 FAIL\n");
        assertThat(one.ops()).isEqualTo(400_000);
        long totBefore = tot(before);
        long totAfter = tot(after);
        // the lab's own before/after: 83,375 test-and-sets with one list; about zero per CPU
        assertThat(totBefore).isBetween(10_000L, 300_000L);
        assertThat(totAfter).isLessThan(10);
        assertThat(after).contains("lock: kmem0: ").contains("lock: kmem1: ").endsWith("test1 OK\n");
        assertThat(per.contentions()).isLessThan(10);
        assertThat(one.contentions()).isGreaterThan(10_000);
    }

    private static long tot(String text) {
        int i = text.indexOf("tot= ");
        return Long.parseLong(text.substring(i + 5, text.indexOf('\n', i)));
    }

    @Test
    void pages_lockStat_golden() throws IOException {
        StringBuilder views = new StringBuilder();
        workload("pages").run(PagesWorkload.NO_PCP, 2, options(2_000), views);
        workload("pages").run(PagesWorkload.PCP, 2, options(2_000), views);
        assertGolden(views.toString(), "contention-pages-lockstat.txt");
        assertThat(views)
                .contains(
                        "$ cat /proc/lock_stat   # pages, buddy no-pcp, 2 threads on 2 CPUs\nlock_stat version 0.4\n");
        assertThat(views).contains(" rmqueue_bulk+0x4c/0x6f0\n").contains(" free_pcppages_bulk+0x5a/0x2b0\n");
    }

    @Test
    void pages_perCpuListsTakeZoneLockOncePerBatch() {
        StringBuilder views = new StringBuilder();
        ContentionRow pcp = workload("pages").run(PagesWorkload.PCP, 4, options(10_000), views);
        ContentionRow none = workload("pages").run(PagesWorkload.NO_PCP, 4, options(10_000), views);
        // without pcp every page goes through zone->lock: nearly every acquisition waits on 4 CPUs
        assertThat(none.waitsPer1000()).isGreaterThan(500);
        assertThat(pcp.waitsPer1000()).isLessThan(none.waitsPer1000() / 100);
        assertThat(pcp.opsPerSecond()).isGreaterThan(4 * none.opsPerSecond());
    }

    @Test
    void slab_slobSerialisesOnSlobLock_slubAndSlabDoNot() {
        StringBuilder views = new StringBuilder();
        ContentionRow slub = workload("slab").run("slub", 4, options(5_000), views);
        ContentionRow slab = workload("slab").run("slab", 4, options(5_000), views);
        ContentionRow slob = workload("slab").run("slob", 4, options(5_000), views);
        assertThat(slob.acquisitionsPerOp()).isGreaterThanOrEqualTo(1.0);
        assertThat(slob.waitsPer1000()).isGreaterThan(500);
        assertThat(slub.acquisitionsPerOp()).isLessThan(0.01);
        assertThat(slab.acquisitionsPerOp()).isLessThan(0.01);
        assertThat(slub.opsPerSecond()).isGreaterThan(10 * slob.opsPerSecond());
        assertThat(views).contains("slob_lock:").contains(" slob_alloc+0x5d/0x370\n");
    }

    @Test
    void netrx_crossCpuFreesUseSlubsRemotePathAndTheNodeList() {
        StringBuilder views = new StringBuilder();
        ContentionRow local = workload("netrx").run("slub", 1, options(5_000), views);
        ContentionRow remote = workload("netrx").run("slub", 2, options(5_000), views);
        // remote frees fill slabs the allocating CPU no longer holds: partial lists under n->list_lock
        assertThat(local.acquisitions()).isZero();
        assertThat(remote.acquisitions()).isPositive();
        assertThat(views).contains("&n->list_lock:");
        // and the packet's lines move between the CPUs: each operation costs more than locally
        assertThat(remote.nsPerOp()).isGreaterThan(2 * local.nsPerOp());
    }

    static Stream<Arguments> everyKernelConfig() {
        return Stream.of("pages", "slab", "netrx", "kalloctest")
                .flatMap(n -> workload(n).configs().stream().map(c -> Arguments.of(n, c)));
    }

    @ParameterizedTest
    @MethodSource("everyKernelConfig")
    void oneCpu_neverContends(String name, String config) {
        StringBuilder views = new StringBuilder();
        ContentionOptions one = new ContentionOptions(1, 1, CostModel.DEFAULT, 2_000);
        ContentionRow r = workload(name).run(config, 1, one, views);
        assertThat(r.contentions()).isZero();
        assertThat(r.waitNs()).isZero();
        assertThat(r.ops()).isPositive();
    }

    @Test
    void sameSeed_sameRowsAndText() {
        for (String config : List.of("slub", "buddy pcp")) {
            StringBuilder a = new StringBuilder();
            StringBuilder b = new StringBuilder();
            ContentionRow ra = workload("netrx").run(config, 3, options(3_000), a);
            ContentionRow rb = workload("netrx").run(config, 3, options(3_000), b);
            assertThat(rb).isEqualTo(ra);
            assertThat(b.toString()).isEqualTo(a.toString());
        }
    }

    @Test
    void echoZero_clearsLockStat_otherTextIsIgnored() {
        KernelMachine km = KernelMachine.boot("slob", 2, options(0), true);
        long[] n = {0};
        for (int t = 0; t < 2; t++) {
            km.spawn("t" + t, (th, steps) -> {
                if (n[0]++ >= 200) {
                    return false;
                }
                long p = km.kernel.slab().kmalloc(th.cpu(), 64, io.kmemlab.mm.Gfp.GFP_KERNEL, 0);
                km.kernel.slab().kfree(th.cpu(), p, 0);
                return true;
            });
        }
        km.finish("test", "slob", 2, new StringBuilder());
        var vfs = km.machine.vfs();
        assertThat(vfs.read(LockStatView.PATH)).contains("slob_lock:");
        assertThat(vfs.write(LockStatView.PATH, "1\n")).isNull();
        assertThat(vfs.read(LockStatView.PATH)).contains("slob_lock:");
        assertThat(vfs.write(LockStatView.PATH, "0\n")).isNull();
        assertThat(vfs.read(LockStatView.PATH)).doesNotContain("slob_lock").endsWith("-\n\n");
        // the machine runs on without the scheduler, as before
        assertThat(km.machine.locks().attached()).isFalse();
        assertThat(km.kernel.slab().kmalloc(0, 64, io.kmemlab.mm.Gfp.GFP_KERNEL, 0))
                .isNotZero();
    }

    /** The allocators run one operation at a time; their locks, in virtual time, one owner at a time. */
    @Test
    void kernelLocks_haveOneOwnerAtEveryVirtualInstant() {
        KernelMachine km = KernelMachine.boot("slab", 3, options(0), false);
        java.util.Map<io.kmemlab.mm.sched.VLock, Long> releasedAt = new java.util.HashMap<>();
        java.util.Set<io.kmemlab.mm.sched.VLock> held = new java.util.HashSet<>();
        long[] events = {0};
        km.scheduler.setListener(new io.kmemlab.mm.sched.Scheduler.Listener() {
            @Override
            public void acquired(io.kmemlab.mm.sched.VLock lock, io.kmemlab.mm.sched.VThread t, long time) {
                assertThat(held.add(lock)).as(lock + " taken twice at " + time).isTrue();
                assertThat(time).isGreaterThanOrEqualTo(releasedAt.getOrDefault(lock, 0L));
                events[0]++;
            }

            @Override
            public void released(io.kmemlab.mm.sched.VLock lock, io.kmemlab.mm.sched.VThread t, long time) {
                assertThat(held.remove(lock)).isTrue();
                releasedAt.put(lock, time);
            }
        });
        for (int t = 0; t < 3; t++) {
            long[] n = {0};
            long[] obj = new long[8];
            km.spawn("t" + t, (th, steps) -> {
                if (n[0] == 4_000) {
                    return false;
                }
                int i = (int) (n[0]++ % 16);
                int cpu = th.cpu();
                if (i < 8) {
                    obj[i] = km.kernel.slab().kmalloc(cpu, 32 << (i % 4), io.kmemlab.mm.Gfp.GFP_KERNEL, 0);
                } else {
                    km.kernel.slab().kfree(cpu, obj[i - 8], 0);
                }
                return true;
            });
        }
        ContentionRow r = km.finish("test", "slab no-pcp", 3, new StringBuilder());
        assertThat(held).isEmpty();
        assertThat(events[0]).isEqualTo(r.acquisitions()).isPositive();
        assertThat(r.contentions()).isPositive();
    }

    @Test
    void unknownConfig_isRefusedWithTheList() {
        for (String name : List.of("pages", "slab", "netrx", "kalloctest")) {
            assertThatThrownBy(() -> workload(name).run("glibc", 1, options(10), new StringBuilder()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no configuration 'glibc'");
        }
    }

    private static void assertGolden(String actual, String name) throws IOException {
        Path golden = Path.of("src/test/resources/golden", name);
        if (UPDATE) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        try (InputStream in = KernelContentionTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
