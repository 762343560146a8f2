package io.kmemlab.boot.lab;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.lab.LabTrace.Op;
import io.kmemlab.mm.user.UserSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The malloc level of the lab kit: runs a student's allocator over traces, each in a fresh
 * process of a freshly booted kernel, and writes {@code lab check}'s report (the first failing
 * operation in words, with a short trace that reproduces it) and {@code lab score}'s table (the
 * CS:APP malloc lab driver's: utilisation and throughput, secs in virtual time).
 */
public final class MallocLab {
    /** Memory accesses one call may make before it is stopped. */
    static final long ACCESS_BUDGET = 2_000_000;
    /** Wall-clock limit of one trace, the backstop for a loop that touches no memory. */
    static final long TIMEOUT_MILLIS = 20_000;
    /** Failures {@code lab check} explains in full; the rest get their table line. */
    static final int DETAILED_FAILURES = 3;
    /** The driver's weight of utilisation in the performance index. */
    static final double UTIL_WEIGHT = 0.6;

    private final Supplier<Kernel> boot;
    private final long timeoutMillis;

    /** @param boot boots the kernel each trace runs on (the same words every time) */
    public MallocLab(Supplier<Kernel> boot, long timeoutMillis) {
        this.boot = boot;
        this.timeoutMillis = timeoutMillis;
    }

    public MallocLab(Supplier<Kernel> boot) {
        this(boot, TIMEOUT_MILLIS);
    }

    /** The traces {@code lab check} runs: the standard set and the adversarial sequences. */
    public static List<LabTrace> checkTraces() {
        List<LabTrace> all = new ArrayList<>(LabTrace.standard());
        all.add(LabTrace.edges());
        return all;
    }

    MallocRun.Result run(Supplier<StudentMalloc> factory, LabTrace trace) {
        Kernel k = boot.get();
        UserSpace p = k.processes().spawn("mm");
        return MallocRun.run(factory, p, trace, ACCESS_BUDGET, timeoutMillis);
    }

    /** A failure, and the shortest trace tried that fails the same way. */
    public record Finding(MallocRun.Result result, LabTrace repro) {}

    /** Checks the allocator over {@code traces}; returns the results and, per failure, a repro. */
    public List<Finding> check(Supplier<StudentMalloc> factory, List<LabTrace> traces) {
        List<Finding> out = new ArrayList<>();
        for (LabTrace t : traces) {
            MallocRun.Result r = run(factory, t);
            out.add(new Finding(r, r.ok() ? null : shorten(factory, t, r.failure())));
        }
        return out;
    }

    /**
     * The shortest of a few candidate traces that fail the same way: the failing id's operations
     * alone, the last 20 and 200 operations before it (a free of an id never allocated is
     * skipped), and the whole prefix.
     */
    private LabTrace shorten(Supplier<StudentMalloc> factory, LabTrace t, MallocRun.Failure f) {
        int end = Math.max(0, Math.min(f.opIndex() + 1, t.ops().size()));
        List<Op> prefix = t.ops().subList(0, end);
        LabTrace whole = LabTrace.of(t.name() + "-repro", prefix);
        if (!f.retryable() || f.opIndex() < 0 || f.opIndex() >= t.ops().size()) {
            return whole;
        }
        int id = t.ops().get(f.opIndex()).id();
        List<List<Op>> candidates = new ArrayList<>();
        candidates.add(prefix.stream().filter(o -> o.id() == id).toList());
        for (int n : new int[] {20, 200}) {
            if (prefix.size() > n) {
                candidates.add(prefix.subList(prefix.size() - n, prefix.size()));
            }
        }
        for (List<Op> c : candidates) {
            LabTrace cand = LabTrace.of(t.name() + "-repro", c);
            MallocRun.Result r = run(factory, cand);
            if (!r.ok() && r.failure().kind().equals(f.kind())) {
                return cand;
            }
        }
        return whole;
    }

    /** {@code lab check}'s report; {@code reproPath} names where each repro trace was written. */
    public static String checkReport(
            String who, List<Finding> findings, java.util.function.Function<LabTrace, String> reproPath, String dir) {
        StringBuilder sb = new StringBuilder();
        sb.append("lab check: ").append(who).append('\n');
        sb.append(String.format("%-12s %7s  %s%n", "trace", "ops", "result"));
        int passed = 0;
        int detailed = 0;
        for (Finding f : findings) {
            MallocRun.Result r = f.result();
            String res;
            if (r.ok()) {
                passed++;
                res = r.notes().isEmpty()
                        ? "ok"
                        : "ok, but check() reported " + r.notes().size() + " problem(s)";
            } else {
                res = "FAILED at operation " + (r.failure().opIndex() + 1);
            }
            sb.append(String.format(
                    "%-12s %7d  %s%n", r.trace().name(), r.trace().ops().size(), res));
        }
        for (Finding f : findings) {
            MallocRun.Result r = f.result();
            if (!r.notes().isEmpty()) {
                sb.append('\n').append(r.trace().name()).append(": your check() reported:\n");
                for (String n : r.notes()) {
                    sb.append("  ").append(n).append('\n');
                }
            }
            if (r.ok()) {
                continue;
            }
            if (++detailed > DETAILED_FAILURES) {
                continue;
            }
            MallocRun.Failure x = r.failure();
            sb.append('\n');
            sb.append("FAILED ")
                    .append(r.trace().name())
                    .append(", operation ")
                    .append(x.opIndex() + 1)
                    .append(" of ")
                    .append(r.trace().ops().size())
                    .append(": ")
                    .append(x.op())
                    .append('\n');
            sb.append("  what happened: ").append(x.problem()).append('\n');
            sb.append("  expected:      ").append(x.expected()).append('\n');
            sb.append("  state:         ").append(x.state()).append('\n');
            LabTrace repro = f.repro();
            String path = reproPath.apply(repro);
            sb.append("  reproduce with the ")
                    .append(repro.ops().size())
                    .append("-operation trace ")
                    .append(path)
                    .append(":\n");
            sb.append("    ./kmemlab lab check ")
                    .append(dir)
                    .append(" --trace ")
                    .append(path)
                    .append('\n');
            List<Op> ops = repro.ops();
            int show = Math.min(ops.size(), 12);
            for (int i = ops.size() - show; i < ops.size(); i++) {
                sb.append(i == ops.size() - show && i > 0 ? "    … " + i + " earlier operations\n" : "");
                sb.append("    ").append(ops.get(i).text()).append('\n');
            }
        }
        int failed = findings.size() - passed;
        if (failed > DETAILED_FAILURES) {
            sb.append("\n(")
                    .append(failed - DETAILED_FAILURES)
                    .append(" more failing traces not shown: fix these first)\n");
        }
        sb.append('\n').append(passed).append(" of ").append(findings.size()).append(" traces passed.\n");
        return sb.toString();
    }

    /** {@code lab score}'s table: the student's results, then the reference's, then the index. */
    public static String scoreTable(
            String who, List<MallocRun.Result> student, List<MallocRun.Result> reference, String refName) {
        StringBuilder sb = new StringBuilder();
        sb.append("Results for ").append(who).append(":\n");
        double[] s = table(sb, student);
        sb.append("\nResults for the reference solution (kmemlab ")
                .append(refName)
                .append("):\n");
        double[] r = table(sb, reference);
        if (s == null) {
            sb.append("\nTerminated: some traces are not valid; no performance index.\n");
            return sb.toString();
        }
        double thru = r == null || r[1] == 0 ? 1 : Math.min(1.0, s[1] / r[1]);
        double p1 = UTIL_WEIGHT * s[0] * 100;
        double p2 = (1 - UTIL_WEIGHT) * thru * 100;
        sb.append(String.format(Locale.ROOT, "%nPerf index = %.0f (util) + %.0f (thru) = %.0f/100%n", p1, p2, p1 + p2));
        return sb.toString();
    }

    /** Prints a driver table; returns {average util, Kops} or null if a trace is not valid. */
    private static double[] table(StringBuilder sb, List<MallocRun.Result> results) {
        sb.append(String.format(
                Locale.ROOT, "%-12s%6s %5s%8s%10s%7s%n", "trace", "valid", "util", "ops", "secs", "Kops"));
        double util = 0;
        long ops = 0;
        long nanos = 0;
        boolean valid = true;
        for (MallocRun.Result r : results) {
            if (!r.ok()) {
                valid = false;
                sb.append(String.format(
                        Locale.ROOT, "%-12s%6s %5s%8s%10s%7s%n", r.trace().name(), "no", "-", "-", "-", "-"));
                continue;
            }
            int n = r.trace().ops().size();
            double secs = r.nanos() / 1e9;
            sb.append(String.format(
                    Locale.ROOT,
                    "%-12s%6s %4.0f%%%8d%10.6f%7.0f%n",
                    r.trace().name(),
                    "yes",
                    r.util() * 100,
                    n,
                    secs,
                    kops(n, r.nanos())));
            util += r.util();
            ops += n;
            nanos += r.nanos();
        }
        if (!valid) {
            return null;
        }
        double avg = util / results.size();
        double k = kops(ops, nanos);
        sb.append(String.format(
                Locale.ROOT, "%-12s%6s %4.0f%%%8d%10.6f%7.0f%n", "Total", "", avg * 100, ops, nanos / 1e9, k));
        return new double[] {avg, k};
    }

    private static double kops(long ops, long nanos) {
        return nanos == 0 ? 0 : ops / (nanos / 1e9) / 1000;
    }

    /** Runs the score traces (the generated set, or the files given) for one allocator. */
    public List<MallocRun.Result> score(Supplier<StudentMalloc> factory, List<LabTrace> traces) {
        List<MallocRun.Result> out = new ArrayList<>();
        for (LabTrace t : traces) {
            out.add(run(factory, t));
        }
        return out;
    }
}
