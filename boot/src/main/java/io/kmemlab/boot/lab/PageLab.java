package io.kmemlab.boot.lab;

import io.kmemlab.boot.lab.PageTrace.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The page-allocator level of the lab kit: runs a student's {@link StudentPages} over page traces
 * ({@link PageRun}), writes {@code lab check}'s report with a repro script per failure, and {@code
 * lab score}'s table — per workload the share of requests satisfied, the largest free order left
 * and the unusable free index at order 3 (the share of free frames in blocks too small for an
 * order-3 request, as /sys/kernel/debug/extfrag/unusable_index counts it), both read from the
 * check's own model of which frames are free, and the virtual seconds of the allocator's accesses
 * — against kmemlab's buddy as the reference row.
 */
public final class PageLab {
    /** The index's weight of requests satisfied; the rest is free memory left usable. */
    static final double SUCCESS_WEIGHT = 0.6;

    private final long timeoutMillis;

    public PageLab(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    public PageLab() {
        this(MallocLab.TIMEOUT_MILLIS);
    }

    /** kmemlab's buddy allocator behind the student interface. */
    public static Supplier<StudentPages> reference() {
        return ReferencePages::new;
    }

    PageRun.Result run(Supplier<StudentPages> factory, PageTrace trace) {
        return PageRun.run(factory, trace, MallocLab.ACCESS_BUDGET, timeoutMillis);
    }

    /** A failure, and the shortest trace tried that fails the same way. */
    public record Finding(PageRun.Result result, PageTrace repro) {}

    public List<Finding> check(Supplier<StudentPages> factory, List<PageTrace> traces) {
        List<Finding> out = new ArrayList<>();
        for (PageTrace t : traces) {
            PageRun.Result r = run(factory, t);
            out.add(new Finding(r, r.ok() ? null : shorten(factory, t, r.failure())));
        }
        return out;
    }

    /**
     * The shortest of a few candidates that fail the same way: the failing block's own operations,
     * the last 20 and 200 before it, and the whole prefix.
     */
    private PageTrace shorten(Supplier<StudentPages> factory, PageTrace t, MallocRun.Failure f) {
        int end = Math.max(0, Math.min(f.opIndex() + 1, t.ops().size()));
        List<Op> prefix = t.ops().subList(0, end);
        PageTrace whole = t.with(reproName(t.name()), prefix);
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
            PageTrace cand = t.with(reproName(t.name()), c);
            PageRun.Result r = run(factory, cand);
            if (!r.ok() && r.failure().kind().equals(f.kind())) {
                return cand;
            }
        }
        return whole;
    }

    /** A repro's name: the trace's, once suffixed (a repro of a repro keeps its name). */
    static String reproName(String trace) {
        return trace.endsWith("-repro") ? trace : trace + "-repro";
    }

    /** {@code lab check}'s report; {@code reproPath} writes a repro script and names where. */
    public static String checkReport(
            String who, List<Finding> findings, Function<PageTrace, String> reproPath, String dir) {
        List<LabReport.Row> rows = new ArrayList<>();
        for (Finding f : findings) {
            PageRun.Result r = f.result();
            String path = f.repro() == null ? null : reproPath.apply(f.repro());
            List<String> lines = f.repro() == null
                    ? List.of()
                    : f.repro().ops().stream().map(Op::text).toList();
            rows.add(new LabReport.Row(r.trace().name(), r.trace().ops().size(), r.failure(), r.notes(), path, lines));
        }
        return LabReport.check(who, "kmemlab's buddy allocator", rows, dir);
    }

    /** {@code lab score}'s table: the student's rows, the reference's, then the index. */
    public static String scoreTable(String who, List<PageRun.Result> student, List<PageRun.Result> reference) {
        StringBuilder sb = new StringBuilder();
        sb.append("Results for ").append(who).append(":\n");
        double[] s = table(sb, student, true);
        sb.append(
                "\nResults for the reference solution (kmemlab buddy; its own struct pages, accesses not counted):\n");
        double[] r = table(sb, reference, false);
        sb.append("\nok% = requests satisfied; order = the largest free block left; unusable = free frames in blocks\n"
                + "below order " + PageRun.SCORE_ORDER + " (the kernel's unusable_index); secs = virtual time of the"
                + " allocator's accesses.\n");
        if (s == null) {
            sb.append("\nTerminated: some traces are not valid; no performance index.\n");
            return sb.toString();
        }
        double success = r == null || r[0] == 0 ? 1 : Math.min(1.0, s[0] / r[0]);
        double usable = r == null || r[1] == 0 ? 1 : Math.min(1.0, s[1] / r[1]);
        double p1 = SUCCESS_WEIGHT * success * 100;
        double p2 = (1 - SUCCESS_WEIGHT) * usable * 100;
        sb.append(String.format(
                Locale.ROOT, "%nPerf index = %.0f (satisfied) + %.0f (usable) = %.0f/100%n", p1, p2, p1 + p2));
        return sb.toString();
    }

    /** Prints a table; returns {success rate over all requests, mean usable share} or null if a trace failed. */
    private static double[] table(StringBuilder sb, List<PageRun.Result> results, boolean counted) {
        sb.append(String.format(
                Locale.ROOT,
                "%-12s%6s %5s %6s %9s %7s %10s%n",
                "trace",
                "valid",
                "ok%",
                "order",
                "unusable",
                "ops",
                "secs"));
        long allocs = 0;
        long satisfied = 0;
        double usable = 0;
        long ops = 0;
        long nanos = 0;
        boolean valid = true;
        for (PageRun.Result r : results) {
            int n = r.trace().ops().size();
            if (!r.ok()) {
                valid = false;
                sb.append(String.format(
                        Locale.ROOT,
                        "%-12s%6s %5s %6s %9s %7d %10s%n",
                        r.trace().name(),
                        "no",
                        "-",
                        "-",
                        "-",
                        n,
                        "-"));
                continue;
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "%-12s%6s %4.0f%% %6d %8.1f%% %7d %10s%n",
                    r.trace().name(),
                    "yes",
                    r.successRate() * 100,
                    r.largestOrder(),
                    r.unusable() * 100,
                    n,
                    counted ? String.format(Locale.ROOT, "%.6f", r.nanos() / 1e9) : "-"));
            allocs += r.allocs();
            satisfied += r.satisfied();
            usable += 1 - r.unusable();
            ops += n;
            nanos += r.nanos();
        }
        if (!valid) {
            return null;
        }
        double rate = allocs == 0 ? 1 : (double) satisfied / allocs;
        double meanUsable = results.isEmpty() ? 1 : usable / results.size();
        sb.append(String.format(
                Locale.ROOT,
                "%-12s%6s %4.0f%% %6s %8.1f%% %7d %10s%n",
                "Total",
                "",
                rate * 100,
                "",
                (1 - meanUsable) * 100,
                ops,
                counted ? String.format(Locale.ROOT, "%.6f", nanos / 1e9) : "-"));
        return new double[] {rate, meanUsable};
    }

    public List<PageRun.Result> score(Supplier<StudentPages> factory, List<PageTrace> traces) {
        List<PageRun.Result> out = new ArrayList<>();
        for (PageTrace t : traces) {
            out.add(run(factory, t));
        }
        return out;
    }
}
