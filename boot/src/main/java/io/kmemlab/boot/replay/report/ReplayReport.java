package io.kmemlab.boot.replay.report;

import io.kmemlab.boot.replay.BuddyFragmentation;
import io.kmemlab.boot.replay.CacheUsage;
import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.boot.replay.SkipReason;
import io.kmemlab.boot.replay.report.ReplayMetric.Scope;
import io.kmemlab.boot.replay.source.TraceSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders replay results: a table with one column per allocator (one column for a single
 * allocator), slabtop-style top caches of the replay, and a JSON document
 * {@code {"trace": {…}, "allocators": {"slab": {…}, "slub": {…}, "slob": {…}}}}. The table's rows
 * and each allocator's JSON object are the {@link ReplayMetric} registry, in its order; the
 * sections after the rows (top caches, buddy fragmentation per zone, skipped events, dmesg, notes)
 * show the registry's structured figures. Pure functions of the stats; with timing off (wall time
 * 0) the output is identical from run to run.
 */
public final class ReplayReport {
    private ReplayReport() {}

    /** The side-by-side table, top caches, fragmentation and notes. */
    public static String table(TraceSummary trace, List<ReplayStats> runs) {
        StringBuilder sb = new StringBuilder();
        if (trace.format().equals("workload")) {
            sb.append("input: ").append(trace.name()).append("\n\n");
        } else {
            sb.append("trace: ")
                    .append(trace.name())
                    .append(" (")
                    .append(trace.format())
                    .append(", ")
                    .append(trace.lines())
                    .append(" lines");
            if (trace.cpus() > 0) {
                sb.append(", recorded on ").append(trace.cpus()).append(" CPUs");
            }
            sb.append(")\n\n");
        }
        List<String[]> rows = new ArrayList<>();
        String[] head = new String[runs.size() + 1];
        head[0] = "";
        for (int i = 0; i < runs.size(); i++) {
            head[i + 1] = runs.get(i).allocator();
        }
        rows.add(head);
        metricRows(rows, runs);
        appendColumns(sb, rows);

        for (ReplayStats s : runs) {
            sb.append('\n')
                    .append("top caches the replay used under ")
                    .append(s.allocator())
                    .append(" (slabtop; ACTIVE: objects in use):\n");
            sb.append("  OBJS ACTIVE  USE OBJ SIZE  CACHE SIZE NAME\n");
            for (CacheUsage c : s.replayTopCaches()) {
                long use = c.numObjs() == 0 ? 0 : c.inUseObjs() * 100 / c.numObjs();
                sb.append(String.format(
                        Locale.ROOT,
                        "%6d %6d %3d%% %7.2fK %10dK %s%n",
                        c.numObjs(),
                        c.inUseObjs(),
                        use,
                        c.objSize() / 1024.0,
                        c.slabBytes() / 1024,
                        c.name()));
            }
            if (s.replayTopCaches().isEmpty()) {
                sb.append("  (no slab caches: this allocator keeps no per-cache slabs)\n");
            }
        }
        for (ReplayStats s : runs) {
            if (s.fragEnd() != null || !s.fragEndZones().isEmpty()) {
                sb.append('\n')
                        .append("buddy fragmentation under ")
                        .append(s.allocator())
                        .append(" (orders 0..10)\n");
                if (!s.fragEndZones().isEmpty()) {
                    if (!s.fragPeakZones().isEmpty()) {
                        zoneLines(sb, "unusable_index at peak", s.fragPeakZones(), true);
                        zoneLines(sb, "extfrag_index at peak", s.fragPeakZones(), false);
                    }
                    zoneLines(sb, "unusable_index at end", s.fragEndZones(), true);
                    zoneLines(sb, "extfrag_index at end", s.fragEndZones(), false);
                }
                if (s.fragEnd() != null) {
                    sb.append("  summary, free blocks of all zones together:\n");
                    if (s.fragPeak() != null) {
                        sb.append("    unusable_index at peak: ")
                                .append(s.fragPeak().unusableRow())
                                .append('\n');
                    }
                    sb.append("    unusable_index at end:  ")
                            .append(s.fragEnd().unusableRow())
                            .append('\n');
                    sb.append("    extfrag_index at end:   ")
                            .append(s.fragEnd().extfragRow())
                            .append('\n');
                }
            }
        }
        ReplayStats first = runs.get(0);
        if (!first.skipReasons().isEmpty()) {
            sb.append("\nskipped events (").append(first.allocator()).append("):\n");
            for (Map.Entry<SkipReason, Long> e : first.skipReasons().entrySet()) {
                sb.append(String.format(
                        Locale.ROOT, "  %10d  %s%n", e.getValue(), e.getKey().description()));
            }
            for (Map.Entry<String, Long> e : first.otherEvents().entrySet()) {
                sb.append(String.format(Locale.ROOT, "  %10d    %s%n", e.getValue(), e.getKey()));
            }
        }
        for (ReplayStats s : runs) {
            if (!s.reports().isEmpty()) {
                sb.append("\nkernel reports under ").append(s.allocator()).append(" (dmesg):\n");
                for (Map.Entry<String, Long> e : s.reports().entrySet()) {
                    sb.append(String.format(Locale.ROOT, "  %10d  %s%n", e.getValue(), e.getKey()));
                }
            }
        }
        if (first.foldedCpuEvents() > 0) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%nnote: %s events of CPUs this machine does not have ran on "
                            + "cpu %% nr_cpus (give nr_cpus= to match the traced machine)%n",
                    ReplayMetric.num(first.foldedCpuEvents())));
        }
        if (!first.malformedSamples().isEmpty()) {
            sb.append("\nmalformed lines (first ")
                    .append(first.malformedSamples().size())
                    .append(" of ")
                    .append(first.malformed())
                    .append("):\n");
            for (String m : first.malformedSamples()) {
                sb.append("  ").append(m).append('\n');
            }
        }
        return sb.toString();
    }

    /** What each replay printed to its machine's dmesg ({@code --dmesg}), allocator by allocator. */
    public static String dmesg(List<ReplayStats> runs) {
        StringBuilder sb = new StringBuilder();
        for (ReplayStats s : runs) {
            sb.append("\ndmesg under ").append(s.allocator());
            if (s.dmesg().isEmpty()) {
                sb.append(": nothing printed during the replay\n");
                continue;
            }
            sb.append(" (")
                    .append(s.dmesg().size())
                    .append(s.dmesg().size() == 1 ? " line" : " lines")
                    .append(" printed during the replay):\n");
            for (String l : s.dmesg()) {
                sb.append(l).append('\n');
            }
        }
        return sb.toString();
    }

    /** The machine-readable report. */
    public static String json(TraceSummary trace, List<ReplayStats> runs) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", trace.name());
        t.put("format", trace.format());
        t.put("lines", trace.lines());
        t.put("non_event_lines", trace.nonEventLines());
        t.put("cpus", trace.cpus());
        t.put("other_events", new LinkedHashMap<String, Object>(trace.otherEvents()));
        Map<String, Object> allocators = new LinkedHashMap<>();
        for (ReplayStats s : runs) {
            allocators.put(s.allocator(), allocatorJson(s));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("trace", t);
        root.put("allocators", allocators);
        StringBuilder sb = new StringBuilder();
        Json.write(sb, root, 0);
        return sb.append('\n').toString();
    }

    /** One allocator's figures: every {@link ReplayMetric}, in registry order. */
    private static Map<String, Object> allocatorJson(ReplayStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ReplayMetric metric : ReplayMetric.ALL) {
            m.put(metric.key(), metric.json(s));
        }
        return m;
    }

    /**
     * The side-by-side rows: one per {@link ReplayMetric} that opens a row, the figures that join
     * it after their separators, its scope in the label; a fragmentation index gets a row per zone.
     */
    private static void metricRows(List<String[]> rows, List<ReplayStats> runs) {
        List<String> zones = zoneNames(runs);
        List<ReplayMetric> all = ReplayMetric.ALL;
        Scope parent = null;
        for (int i = 0; i < all.size(); i++) {
            ReplayMetric opener = all.get(i);
            if (opener.table() != ReplayMetric.Table.ROW && opener.table() != ReplayMetric.Table.ROW_IF_ANY) {
                continue;
            }
            if (opener.table() == ReplayMetric.Table.ROW_IF_ANY
                    && runs.stream()
                            .allMatch(s -> Long.valueOf(0).equals(opener.value().apply(s)))) {
                continue;
            }
            int end = i + 1;
            StringBuilder label = new StringBuilder(opener.label());
            while (end < all.size() && all.get(end).table().separator() != null) {
                String part = all.get(end).label();
                if (!part.isEmpty()) {
                    label.append(all.get(end).table().separator()).append(part);
                }
                end++;
            }
            boolean indented = opener.label().startsWith(" ");
            if (!indented || opener.scope() != parent) {
                label.append(opener.scope().suffix());
            }
            if (!indented) {
                parent = opener.scope();
            }
            List<ReplayMetric> parts = all.subList(i, end);
            row(rows, runs, label.toString(), s -> {
                String first = parts.get(0).cell(s);
                if (first == null) {
                    return "-";
                }
                StringBuilder cell = new StringBuilder(first);
                for (ReplayMetric m : parts.subList(1, parts.size())) {
                    String c = m.cell(s);
                    cell.append(m.table().separator()).append(c == null ? "-" : c);
                }
                return cell.toString();
            });
            if (opener.unit() == ReplayMetric.Unit.INDEX) {
                for (String z : zones) {
                    row(rows, runs, "  zone " + z, s -> {
                        ReplayMetric.FragIndex f =
                                (ReplayMetric.FragIndex) opener.value().apply(s);
                        return f.cell(f.zone(z), ReplayMetric.TABLE_ORDER);
                    });
                }
            }
        }
    }

    /** The populated zones of the runs, in the order the first run that has them lists them. */
    private static List<String> zoneNames(List<ReplayStats> runs) {
        List<String> names = new ArrayList<>();
        for (ReplayStats s : runs) {
            for (BuddyFragmentation.Zone z : s.fragEndZones()) {
                if (!names.contains(z.zone())) {
                    names.add(z.zone());
                }
            }
        }
        return names;
    }

    /** The kernel's extfrag rows, indented under a heading. */
    private static void zoneLines(
            StringBuilder sb, String heading, List<BuddyFragmentation.Zone> zones, boolean unusable) {
        sb.append("  ").append(heading).append(":\n");
        for (BuddyFragmentation.Zone z : zones) {
            sb.append("    ")
                    .append((unusable ? z.unusableLine() : z.extfragLine()).stripTrailing())
                    .append('\n');
        }
    }

    private interface Cell {
        String of(ReplayStats s);
    }

    private static void row(List<String[]> rows, List<ReplayStats> runs, String label, Cell cell) {
        String[] r = new String[runs.size() + 1];
        r[0] = label;
        for (int i = 0; i < runs.size(); i++) {
            r[i + 1] = cell.of(runs.get(i));
        }
        rows.add(r);
    }

    private static void appendColumns(StringBuilder sb, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            line.append(r[0]).append(" ".repeat(w[0] - r[0].length()));
            for (int c = 1; c < cols; c++) {
                line.append("  ").append(" ".repeat(w[c] - r[c].length())).append(r[c]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /** A minimal JSON writer for maps, lists, strings, numbers, booleans and null. */
    static final class Json {
        private Json() {}

        static void write(StringBuilder sb, Object v, int indent) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Map<?, ?> m) {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                sb.append("{\n");
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    pad(sb, indent + 2);
                    string(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    write(sb, e.getValue(), indent + 2);
                    sb.append(++i < m.size() ? ",\n" : "\n");
                }
                pad(sb, indent);
                sb.append('}');
            } else if (v instanceof List<?> l) {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    write(sb, l.get(i), indent);
                }
                sb.append(']');
            } else if (v instanceof String s) {
                string(sb, s);
            } else if (v instanceof Double d) {
                sb.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", d));
            } else {
                sb.append(v);
            }
        }

        private static void pad(StringBuilder sb, int n) {
            sb.append(" ".repeat(n));
        }

        static void string(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }
}
