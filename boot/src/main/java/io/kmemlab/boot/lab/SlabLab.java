package io.kmemlab.boot.lab;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.lab.SlabTrace.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The slab level of the lab kit: runs a student's {@link StudentSlab} over slab traces ({@link
 * SlabRun}), each on a freshly booted kernel, writes {@code lab check}'s report with a repro
 * script per failure, and {@code lab score}'s table — per workload the memory used (peak bytes
 * live over the peak bytes of the pages held, the CS:APP utilisation), the peak pages, the
 * colours (distinct first-object offsets over a cache's slabs) and the virtual seconds of the
 * allocator's accesses — against kmemlab's SLUB as the reference row.
 */
public final class SlabLab {
    /** The boot words of every slab-level run: the lab kernel, with SLUB's sanity checks on. */
    public static final List<String> BOOT_WORDS = List.of("slub_debug=F");

    private final Supplier<Kernel> boot;
    private final long timeoutMillis;

    public SlabLab(Supplier<Kernel> boot, long timeoutMillis) {
        this.boot = boot;
        this.timeoutMillis = timeoutMillis;
    }

    public SlabLab(Supplier<Kernel> boot) {
        this(boot, MallocLab.TIMEOUT_MILLIS);
    }

    /** The booted kernel's SLUB behind the student interface. */
    public static Function<Kernel, StudentSlab> reference() {
        return k -> new ReferenceSlab(k.slab());
    }

    SlabRun.Result run(Function<Kernel, StudentSlab> factory, SlabTrace trace) {
        return SlabRun.run(factory, boot.get(), trace, MallocLab.ACCESS_BUDGET, timeoutMillis);
    }

    /** A failure, and the shortest trace tried that fails the same way. */
    public record Finding(SlabRun.Result result, SlabTrace repro) {}

    public List<Finding> check(Function<Kernel, StudentSlab> factory, List<SlabTrace> traces) {
        List<Finding> out = new ArrayList<>();
        for (SlabTrace t : traces) {
            SlabRun.Result r = run(factory, t);
            out.add(new Finding(r, r.ok() ? null : shorten(factory, t, r.failure())));
        }
        return out;
    }

    /**
     * The shortest of a few candidates that fail the same way: the cache creations and the failing
     * object's own operations, the creations and the last 20 and 200 operations, the whole prefix.
     */
    private SlabTrace shorten(Function<Kernel, StudentSlab> factory, SlabTrace t, MallocRun.Failure f) {
        int end = Math.max(0, Math.min(f.opIndex() + 1, t.ops().size()));
        List<Op> prefix = t.ops().subList(0, end);
        SlabTrace whole = t.with(PageLab.reproName(t.name()), prefix);
        if (!f.retryable() || f.opIndex() < 0 || f.opIndex() >= t.ops().size()) {
            return whole;
        }
        Op failing = t.ops().get(f.opIndex());
        List<List<Op>> candidates = new ArrayList<>();
        candidates.add(prefix.stream()
                .filter(o -> o.kind() == SlabTrace.Kind.CREATE
                        || o.cache() == failing.cache()
                                && (o.kind() == SlabTrace.Kind.DESTROY || o.id() == failing.id()))
                .toList());
        for (int n : new int[] {20, 200}) {
            if (prefix.size() > n) {
                List<Op> c = new ArrayList<>();
                for (int i = 0; i < prefix.size() - n; i++) {
                    if (prefix.get(i).kind() == SlabTrace.Kind.CREATE) {
                        c.add(prefix.get(i));
                    }
                }
                c.addAll(prefix.subList(prefix.size() - n, prefix.size()));
                candidates.add(c);
            }
        }
        for (List<Op> c : candidates) {
            SlabTrace cand = t.with(PageLab.reproName(t.name()), c);
            SlabRun.Result r = run(factory, cand);
            if (!r.ok() && r.failure().kind().equals(f.kind())) {
                return cand;
            }
        }
        return whole;
    }

    public static String checkReport(
            String who, List<Finding> findings, Function<SlabTrace, String> reproPath, String dir) {
        List<LabReport.Row> rows = new ArrayList<>();
        for (Finding f : findings) {
            SlabRun.Result r = f.result();
            String path = f.repro() == null ? null : reproPath.apply(f.repro());
            List<String> lines = f.repro() == null
                    ? List.of()
                    : f.repro().ops().stream().map(Op::text).toList();
            rows.add(new LabReport.Row(r.trace().name(), r.trace().ops().size(), r.failure(), r.notes(), path, lines));
        }
        return LabReport.check(who, "kmemlab's SLUB", rows, dir);
    }

    public static String scoreTable(
            String who, List<SlabRun.Result> student, List<SlabRun.Result> reference, String refName) {
        StringBuilder sb = new StringBuilder();
        sb.append("Results for ").append(who).append(":\n");
        double s = table(sb, student, true);
        sb.append("\nResults for the reference solution (kmemlab ")
                .append(refName.toUpperCase(Locale.ROOT))
                .append("; its own memory accesses not counted):\n");
        double r = table(sb, reference, false);
        sb.append("\nutil = peak bytes live / peak bytes of the pages held; colours = distinct first-object offsets\n"
                + "over a cache's slabs; secs = virtual time of the allocator's accesses.\n");
        if (s < 0) {
            sb.append("\nTerminated: some traces are not valid; no performance index.\n");
            return sb.toString();
        }
        double index = 100 * (r <= 0 ? 1 : Math.min(1.0, s / r));
        sb.append(String.format(Locale.ROOT, "%nPerf index = %.0f (util, against the reference's) /100%n", index));
        return sb.toString();
    }

    /** Prints a table; returns the mean utilisation, or -1 if a trace failed. */
    private static double table(StringBuilder sb, List<SlabRun.Result> results, boolean counted) {
        sb.append(String.format(
                Locale.ROOT,
                "%-12s%6s %5s %7s %8s %7s %10s%n",
                "trace",
                "valid",
                "util",
                "pages",
                "colours",
                "ops",
                "secs"));
        double util = 0;
        long ops = 0;
        long nanos = 0;
        boolean valid = true;
        for (SlabRun.Result r : results) {
            int n = r.trace().ops().size();
            if (!r.ok()) {
                valid = false;
                sb.append(String.format(
                        Locale.ROOT,
                        "%-12s%6s %5s %7s %8s %7d %10s%n",
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
                    "%-12s%6s %4.0f%% %7d %8d %7d %10s%n",
                    r.trace().name(),
                    "yes",
                    r.util() * 100,
                    r.peakPages(),
                    r.colours(),
                    n,
                    counted ? String.format(Locale.ROOT, "%.6f", r.nanos() / 1e9) : "-"));
            util += r.util();
            ops += n;
            nanos += r.nanos();
        }
        if (!valid) {
            return -1;
        }
        double avg = results.isEmpty() ? 0 : util / results.size();
        sb.append(String.format(
                Locale.ROOT,
                "%-12s%6s %4.0f%% %7s %8s %7d %10s%n",
                "Total",
                "",
                avg * 100,
                "",
                "",
                ops,
                counted ? String.format(Locale.ROOT, "%.6f", nanos / 1e9) : "-"));
        return avg;
    }

    public List<SlabRun.Result> score(Function<Kernel, StudentSlab> factory, List<SlabTrace> traces) {
        List<SlabRun.Result> out = new ArrayList<>();
        for (SlabTrace t : traces) {
            out.add(run(factory, t));
        }
        return out;
    }
}
