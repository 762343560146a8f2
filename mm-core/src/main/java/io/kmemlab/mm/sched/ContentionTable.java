package io.kmemlab.mm.sched;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text of {@code kmemlab contention}: a table of rows and a chart of throughput per thread count. */
public final class ContentionTable {
    private ContentionTable() {}

    private static final String HEAD = "%-32s %7s %11s %10s %9s %9s %8s %9s %11s %10s%n";

    /** The table: one line per row, in the rows' order. */
    public static String table(List<ContentionRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                HEAD,
                "config",
                "threads",
                "ops",
                "virt-ms",
                "Mops/s",
                "ns/op",
                "acq/op",
                "waits/1k",
                "wait-ns/op",
                "owner-sw"));
        for (ContentionRow r : rows) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-32s %7d %11d %10.3f %9.2f %9.1f %8.4f %9.2f %11.1f %10d%n",
                    r.config(),
                    r.threads(),
                    r.ops(),
                    r.elapsed() / 1e6,
                    r.opsPerSecond() / 1e6,
                    r.nsPerOp(),
                    r.acquisitionsPerOp(),
                    r.waitsPer1000(),
                    r.waitNsPerOp(),
                    r.ownerSwitches()));
        }
        return sb.toString();
    }

    /**
     * A bar per (config, thread count), scaled to the largest throughput: how each configuration
     * scales with threads, readable in a terminal.
     */
    public static String chart(List<ContentionRow> rows, int width) {
        double max = 0;
        for (ContentionRow r : rows) {
            max = Math.max(max, r.opsPerSecond());
        }
        Map<String, List<ContentionRow>> byConfig = new LinkedHashMap<>();
        for (ContentionRow r : rows) {
            byConfig.computeIfAbsent(r.config(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder("virtual throughput, Mops/s (all threads)\n");
        for (Map.Entry<String, List<ContentionRow>> e : byConfig.entrySet()) {
            sb.append(e.getKey()).append('\n');
            for (ContentionRow r : e.getValue()) {
                int bar = max == 0 ? 0 : (int) Math.round(r.opsPerSecond() / max * width);
                sb.append(String.format(Locale.ROOT, "  %3d threads |", r.threads()))
                        .append("#".repeat(bar))
                        .append(String.format(Locale.ROOT, " %.2f%n", r.opsPerSecond() / 1e6));
            }
        }
        return sb.toString();
    }

    /** The rows as JSON (an array of objects with the row's fields and derived figures). */
    public static String json(List<ContentionRow> rows) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            ContentionRow r = rows.get(i);
            sb.append(i == 0 ? "\n" : ",\n")
                    .append(String.format(
                            Locale.ROOT,
                            "  {\"config\": \"%s\", \"threads\": %d, \"cpus\": %d, \"ops\": %d, \"elapsed_ns\": %d, "
                                    + "\"acquisitions\": %d, \"contentions\": %d, \"sleeps\": %d, \"wait_ns\": %d, "
                                    + "\"owner_switches\": %d, \"ops_per_sec\": %.1f, \"ns_per_op\": %.2f, "
                                    + "\"waits_per_1000_ops\": %.3f, \"wait_ns_per_op\": %.2f}",
                            r.config().replace("\\", "\\\\").replace("\"", "\\\""),
                            r.threads(),
                            r.cpus(),
                            r.ops(),
                            r.elapsed(),
                            r.acquisitions(),
                            r.contentions(),
                            r.sleeps(),
                            r.waitNs(),
                            r.ownerSwitches(),
                            r.opsPerSecond(),
                            r.nsPerOp(),
                            r.waitsPer1000(),
                            r.waitNsPerOp()));
        }
        return sb.append(rows.isEmpty() ? "]\n" : "\n]\n").toString();
    }
}
