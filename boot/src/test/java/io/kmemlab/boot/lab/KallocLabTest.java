package io.kmemlab.boot.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import io.kmemlab.boot.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock lab's check (labs/percpu-freelists): a student's kalloc runs as kalloctest's, the
 * starter works but fails test1 by thousands of test-and-sets, a per-CPU solution passes, and each
 * kind of broken kalloc is named in plain words.
 */
class KallocLabTest {
    private static final Path LABS = Path.of("..", "labs");
    private static final Path RES = Path.of("src", "test", "resources", "lab");

    @TempDir
    Path tmp;

    private Path copy(Path from, String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.copy(from.resolve("Kalloc.java"), dir.resolve("Kalloc.java"));
        return dir;
    }

    private static long tot(String report) {
        Matcher m = Pattern.compile("(?m)^tot= (\\d+)$").matcher(report);
        assertThat(m.find()).as(report).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String normalise(String out, Path dir) {
        return out.replace(dir.toString(), "DIR");
    }

    @Test
    void starter_works_butTest1Fails_byThousandsOfTestAndSets_golden() throws IOException {
        Path dir = copy(LABS.resolve("percpu-freelists"), "percpu-freelists");
        Cli.Run r = Cli.run("lab", "check", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .contains("lab check: kalloc Kalloc\n")
                .contains("test1 FAIL\n")
                .contains("test2: countfree finds 32499 free pages after the run")
                .contains("Summary: works but test1 FAIL (tot = ")
                .doesNotContain("FAIL: ");
        // one lock: every kalloc and kfree of both children plus kinit's freerange on it
        assertThat(r.out()).contains("lock: kmem: #test-and-set " + tot(r.out()) + " #acquire() 432499\n");
        assertThat(tot(r.out())).isGreaterThan(1000);
        Golden.assertMatches("lab-check-kalloc-starter.txt", normalise(r.out(), dir));
    }

    @Test
    void perCpuSolution_passesTest1_withTotBelowTen_andKeepsEveryPage() throws IOException {
        Path dir = copy(RES.resolve("kalloc-percpu"), "percpu");
        Cli.Run r = Cli.run("lab", "check", dir.toString());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("test1 OK\n").contains("lock: kmem-0: ").contains("Summary: works, test1 OK");
        assertThat(tot(r.out())).isLessThan(10);
    }

    @Test
    void kmemlabsOwnKallocs_satisfyTheInterface_stockFails_perCpuPasses() {
        KallocLab lab = new KallocLab(20_000, KallocLab.TIMEOUT_MILLIS);
        KallocLab.Result stock = lab.run(() -> new io.kmemlab.boot.contention.kernel.Xv6Kalloc(false));
        KallocLab.Result per = lab.run(KallocLab.reference());
        assertThat(stock.works()).isTrue();
        assertThat(stock.ok()).isFalse();
        assertThat(stock.test1().countfree()).isEqualTo(32_499);
        assertThat(per.ok()).isTrue();
        assertThat(per.test1().tot()).isLessThan(10).isLessThan(stock.test1().tot());
        // fewer spins, more calls per virtual second
        assertThat(per.test1().scheduler().now())
                .isLessThan(stock.test1().scheduler().now());
    }

    @Test
    void aPageHandedOutTwice_isNamed() throws IOException {
        Cli.Run r = Cli.run(
                "lab", "check", copy(RES.resolve("kalloc-twice"), "twice").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .containsPattern(
                        "FAIL: child 1's kalloc #1 on CPU 1 handed out page \\d+ twice: child 0 still holds it")
                .contains("Summary: does not work (1 failure(s))")
                .doesNotContain("test1 OK");
    }

    @Test
    void aLockNeverReleased_isTheSchedulersReport() throws IOException {
        Cli.Run r = Cli.run(
                "lab",
                "check",
                copy(RES.resolve("kalloc-unreleased"), "unreleased").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .containsPattern(
                        "FAIL: (freerange left kmem held|a lock was misused \\(taken twice, never released or released twice\\): kalloctest takes kmem which it"
                                + " already holds|the children never finished)")
                .contains("Summary: does not work");
    }

    @Test
    void aCallTakingNoLock_isARace() throws IOException {
        Cli.Run r = Cli.run(
                "lab", "check", copy(RES.resolve("kalloc-nolock"), "nolock").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .contains("FAIL: child 0's kfree(0, ")
                .contains("took no kmem lock")
                .contains("Summary: does not work");
    }

    @Test
    void lostPages_areCountedByCountfree() throws IOException {
        Cli.Run r =
                Cli.run("lab", "check", copy(RES.resolve("kalloc-leak"), "leak").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .containsPattern("FAIL: countfree: \\d+ pages free after the run, 32499 before: \\d+ pages lost")
                .contains("Summary: does not work");
    }

    @Test
    void score_setsTotAndThroughputBesideTheReference_golden() throws IOException {
        Path dir = copy(LABS.resolve("percpu-freelists"), "score");
        Cli.Run r = Cli.run("lab", "score", dir.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("reference (kmemlab per-CPU lists)").contains("Perf index = 0 (test1) + ");
        Golden.assertMatches("lab-score-kalloc-starter.txt", normalise(r.out(), dir));
    }

    @Test
    void aKallocThatNeverReturns_isStoppedByTheWallClockLimit() {
        StudentKalloc looping = new StudentKalloc() {
            @Override
            public void kinit(Kmem kmem) {}

            @Override
            public int kalloc(int cpu) {
                return NO_PAGE;
            }

            @Override
            public void kfree(int cpu, int page) {
                // a loop that ends only when kmemlab interrupts it
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait();
                }
            }
        };
        KallocLab.Result r = new KallocLab(10, 300).run(() -> looping);
        assertThat(r.works()).isFalse();
        assertThat(KallocLab.checkReport("kalloc looping", r))
                .contains("stopped: still running after 300 ms of wall time (a loop?)")
                .contains("Summary: does not work: the run was stopped");
    }
}
