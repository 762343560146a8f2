package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import io.kmemlab.boot.testing.Golden;
import org.junit.jupiter.api.Test;

class ContentionCommandTest {
    private static final String[] SMALL = {
        "contention",
        "--workload",
        "glibc-thread",
        "--threads",
        "1,2",
        "--ops",
        "4000",
        "--config",
        "glibc-1arena,glibc,jemalloc-1arena,first-fit"
    };

    private static String[] with(String... more) {
        String[] a = java.util.Arrays.copyOf(SMALL, SMALL.length + more.length);
        System.arraycopy(more, 0, a, SMALL.length, more.length);
        return a;
    }

    @Test
    void table_isTheSameEveryRun_andMatchesItsGoldenFile() {
        Cli.Run a = Cli.run(SMALL);
        Cli.Run b = Cli.run(SMALL);
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        Golden.assertMatches("contention-glibc-thread.txt", a.out());
    }

    @Test
    void json_matchesItsGoldenFile() {
        Cli.Run r = Cli.run(with("--format", "json"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("[\n  {\"config\": \"glibc arena_max=1\", \"threads\": 1,");
        Golden.assertMatches("contention-glibc-thread.json", r.out());
    }

    @Test
    void views_printJemallocsMutexTablesAndTheOtherLocks() {
        Cli.Run r = Cli.run(
                "contention", "--threads", "2", "--ops", "4000", "--config", "jemalloc-1arena,glibc-1arena", "--views");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("--- glibc-thread: jemalloc narenas:1, 2 threads on 2 CPUs ---");
        assertThat(r.out()).contains("bins:           size ind      n_lock_ops (#/sec)");
        assertThat(r.out()).containsPattern("&arena->mutex +1 FUTEX");
        Golden.assertMatches("contention-views.txt", r.out());
    }

    @Test
    void aSeedChangesTheRandomWorkloads_andTheSameSeedRepeats() {
        String[] args = {"contention", "--workload", "larson", "--threads", "2", "--ops", "3000", "--config", "glibc"};
        Cli.Run a = Cli.run(args);
        String[] seeded = java.util.Arrays.copyOf(args, args.length + 2);
        seeded[args.length] = "--seed";
        seeded[args.length + 1] = "7";
        Cli.Run b = Cli.run(seeded);
        Cli.Run c = Cli.run(seeded);
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(b.out()).isEqualTo(c.out()).isNotEqualTo(a.out());
    }

    @Test
    void everyUserWorkloadRunsEveryDefaultConfig() {
        for (String w : new String[] {"larson", "threadtest", "xmalloc-test"}) {
            Cli.Run r = Cli.run("contention", "--workload", w, "--threads", "1,3", "--cpus", "2", "--ops", "1000");
            assertThat(r.exit()).as(w + ": " + r.err()).isZero();
            assertThat(r.out()).contains("jemalloc tcache:false").contains("first-fit, one global lock");
        }
    }

    @Test
    void pipeline_replaysTheRecordedThreads_withCrossThreadFrees() {
        Cli.Run r = Cli.run(
                "contention", "--workload", "pipeline", "--threads", "1,3", "--config", "glibc-1arena,jemalloc");
        assertThat(r.exit()).as(r.err()).isZero();
        // every recorded operation applied, polls not counted: 1804 ops of 3 threads on 1 and 3 CPUs
        assertThat(r.out())
                .containsPattern("glibc arena_max=1 on 1 CPU +3 +1804 ")
                .containsPattern("jemalloc on 3 CPUs +3 +1804 ");
        Golden.assertMatches("contention-pipeline.txt", r.out());
    }

    @Test
    void unknownWorkloadOrConfig_isOneLineListingTheKnownOnes() {
        Cli.Run w = Cli.run("contention", "--workload", "nope");
        assertThat(w.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(w.err())
                .startsWith("kmemlab: contention: no workload 'nope' (workloads: ")
                // (the test class path adds test-deadlock before them)
                .contains("glibc-thread, larson, threadtest, xmalloc-test, pipeline")
                .hasLineCount(1);
        Cli.Run c = Cli.run("contention", "--config", "glibc,nope", "--ops", "10");
        assertThat(c.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(c.err())
                .startsWith("kmemlab: contention: workload glibc-thread has no config 'nope' (configs: glibc-1arena,")
                .hasLineCount(1);
        assertThat(c.out()).isEmpty();
        Cli.Run k = Cli.run("contention", "--cost", "bogus=1");
        assertThat(k.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(k.err()).contains("unknown cost 'bogus=1'");
    }

    @Test
    void aRunThatDeadlocksIsReportedWithWhoWaitsForWhat_andExitsOne() {
        Cli.Run r = Cli.run("contention", "--workload", "test-deadlock", "--threads", "2");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .startsWith("kmemlab contention: test-deadlock abba: DEADLOCK deadlock at ")
                .contains("t0 waits for B")
                .contains("t1 waits for A")
                .doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }
}
