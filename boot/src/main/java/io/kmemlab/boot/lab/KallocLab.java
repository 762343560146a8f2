package io.kmemlab.boot.lab;

import io.kmemlab.boot.contention.kernel.KalloctestWorkload;
import io.kmemlab.boot.contention.kernel.Xv6Kalloc;
import io.kmemlab.mm.sched.CostModel;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The lock lab's level of the lab kit (labs/percpu-freelists): runs a student's {@link
 * StudentKalloc} as the kalloc of xv6's kalloctest test1 — the same workload, costs and seed as
 * {@code kmemlab contention --workload kalloctest}, 2 children on 3 CPUs, N = 100,000 — under a
 * wall-clock limit on a thread of its own ({@link StudentCall}), then prints xv6's statistics,
 * {@code test1 OK/FAIL}, the test2-like page count and every fault in plain words. {@code lab
 * score} sets its tot and virtual throughput beside the lab's reference solution (kmemlab's per-CPU
 * {@link Xv6Kalloc}).
 */
public final class KallocLab {
    /** kalloctest's NCHILD. */
    static final int CHILDREN = 2;
    /** The lab Makefile's CPUS. */
    static final int CPUS = 3;
    /** kalloctest's N. */
    static final long N = 100_000;
    /** The contention command's default seed. */
    static final long SEED = 1;
    /** Wall-clock limit of one run: 2 × 2 × N calls take about a second here. */
    static final long TIMEOUT_MILLIS = 60_000;

    private final long n;
    private final long timeoutMillis;

    public KallocLab() {
        this(N, TIMEOUT_MILLIS);
    }

    KallocLab(long n, long timeoutMillis) {
        this.n = n;
        this.timeoutMillis = timeoutMillis;
    }

    /** kmemlab's answer to the lab: per-CPU lists with stealing. */
    public static Supplier<StudentKalloc> reference() {
        return () -> new Xv6Kalloc(true);
    }

    /** A run's test1 and checks, or why the run could not give one (it threw, it looped). */
    public record Result(KalloctestWorkload.Test1 test1, String stopped, long n) {
        /** test1 passed and nothing went wrong. */
        public boolean ok() {
            return works() && test1.ok();
        }

        /** Ran to the end with no fault (whatever its tot). */
        public boolean works() {
            return stopped == null
                    && test1 != null
                    && test1.failures().isEmpty()
                    && !test1.text().isEmpty();
        }
    }

    public Result run(Supplier<StudentKalloc> factory) {
        KalloctestWorkload.Test1[] out = {null};
        String[] stopped = {null};
        boolean timedOut = StudentCall.run("kalloc-lab", timeoutMillis, () -> {
            try {
                StudentKalloc k = factory.get();
                out[0] = KalloctestWorkload.test1(k, CHILDREN, CPUS, n, CostModel.DEFAULT, SEED);
            } catch (RuntimeException | Error e) {
                stopped[0] = "stopped: " + MallocRun.describe(e);
            }
        });
        if (timedOut) {
            return new Result(
                    null,
                    "stopped: still running after "
                            + (timeoutMillis % 1000 == 0 ? timeoutMillis / 1000 + " s" : timeoutMillis + " ms")
                            + " of wall time (a loop?)",
                    n);
        }
        return new Result(out[0], stopped[0], n);
    }

    /** {@code lab check}'s report. */
    public static String checkReport(String who, Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("lab check: ").append(who).append('\n');
        sb.append("$ kalloctest   # ")
                .append(CHILDREN)
                .append(" children on ")
                .append(CPUS)
                .append(" CPUs, N=")
                .append(r.n())
                .append('\n');
        if (r.stopped() != null) {
            sb.append(r.stopped()).append('\n');
            sb.append("Summary: does not work: the run was stopped\n");
            return sb.toString();
        }
        KalloctestWorkload.Test1 t = r.test1();
        sb.append(t.text());
        for (String f : t.failures()) {
            sb.append("FAIL: ").append(f).append('\n');
        }
        if (t.countfree() >= 0 && t.failures().isEmpty()) {
            sb.append("test2: countfree finds ")
                    .append(t.countfree())
                    .append(" free pages after the run, as before it: no page lost, none handed out twice\n");
        }
        if (!r.works()) {
            sb.append("Summary: does not work (").append(t.failures().size()).append(" failure(s))\n");
        } else if (t.ok()) {
            sb.append("Summary: works, test1 OK (tot = ").append(t.tot()).append(" < 10)\n");
        } else {
            sb.append("Summary: works but test1 FAIL (tot = ")
                    .append(t.tot())
                    .append(", the lab needs < 10): the CPUs spin on the kmem locks; give each CPU its own list"
                            + " and lock\n");
        }
        return sb.toString();
    }

    /** {@code lab score}'s table: tot and virtual throughput, the student's and the reference's. */
    public static String scoreTable(String who, Result student, Result reference) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT, "%-34s%6s %6s %9s %9s %10s%n", "kalloc", "valid", "test1", "tot", "ops", "Kops"));
        double s = row(sb, who, student);
        double r = row(sb, "reference (kmemlab per-CPU lists)", reference);
        sb.append(
                "\ntot = test-and-sets on the kmem locks during test1 (xv6's statistics); Kops = thousands of kalloc and"
                        + " kfree calls per virtual second of the run.\n");
        if (!student.works()) {
            sb.append("\nTerminated: the run is not valid; no performance index.\n");
            return sb.toString();
        }
        double p1 = student.test1().ok() ? 50 : 0;
        double p2 = 50 * Math.min(1.0, r <= 0 ? 1 : s / r);
        sb.append(
                String.format(Locale.ROOT, "%nPerf index = %.0f (test1) + %.0f (thru) = %.0f/100%n", p1, p2, p1 + p2));
        return sb.toString();
    }

    /** Prints a row; returns its Kops, or 0 if not valid. */
    private static double row(StringBuilder sb, String name, Result r) {
        long ops = 2L * CHILDREN * r.n();
        if (!r.works()) {
            sb.append(String.format(Locale.ROOT, "%-34s%6s %6s %9s %9d %10s%n", name, "no", "-", "-", ops, "-"));
            return 0;
        }
        KalloctestWorkload.Test1 t = r.test1();
        double kops = ops / (t.scheduler().now() / 1e9) / 1000;
        sb.append(String.format(
                Locale.ROOT, "%-34s%6s %6s %9d %9d %10.1f%n", name, "yes", t.ok() ? "OK" : "FAIL", t.tot(), ops, kops));
        return kops;
    }
}
