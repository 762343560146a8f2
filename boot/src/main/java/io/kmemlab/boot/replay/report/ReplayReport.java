package io.kmemlab.boot.replay.report;

import io.kmemlab.boot.replay.BuddyFragmentation;
import io.kmemlab.boot.replay.CacheUsage;
import io.kmemlab.boot.replay.PathCounts;
import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.boot.replay.SkipReason;
import io.kmemlab.boot.replay.source.TraceSummary;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.page.Fragmentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders replay results: a table with one column per allocator (one column for a single
 * allocator), slabtop-style top caches, and a JSON document
 * {@code {"trace": {…}, "allocators": {"slab": {…}, "slub": {…}, "slob": {…}}}}. Pure functions of
 * the stats; with timing off (wall time 0) the output is identical from run to run.
 */
public final class ReplayReport {
    private ReplayReport() {}

    /** The side-by-side table, top caches, fragmentation and notes. */
    public static String table(TraceSummary trace, List<ReplayStats> runs) {
        StringBuilder sb = new StringBuilder();
        if (trace.format().equals("workload")) {
            sb.append("input: ").append(trace.name()).append("\n\n");
        } else {
            sb.append("trace: ").append(trace.name()).append(" (").append(trace.format()).append(", ")
                    .append(trace.lines()).append(" lines");
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
        row(rows, runs, "events read", s -> num(s.eventsRead()));
        row(rows, runs, "  applied", s -> num(s.applied()));
        row(rows, runs, "  skipped", s -> num(s.skipped()));
        row(rows, runs, "  malformed", s -> num(s.malformed()));
        row(rows, runs, "unmatched frees", s -> num(s.unmatchedFrees()));
        row(rows, runs, "double frees", s -> num(s.doubleFrees()));
        row(rows, runs, "allocation failures", s -> num(s.failures()));
        row(rows, runs, "kernel reports (dmesg)", s -> {
            long n = 0;
            for (long v : s.reports().values()) {
                n += v;
            }
            return num(n);
        });
        row(rows, runs, "allocations / frees", s -> num(s.allocations()) + " / " + num(s.frees()));
        row(rows, runs, "bytes requested", s -> num(s.bytesReq()));
        row(rows, runs, "bytes allocated", s -> num(s.bytesAlloc()));
        row(rows, runs, "internal fragmentation", s -> String.format(Locale.ROOT, "%.3f%%", s.internalFragmentationPercent()));
        row(rows, runs, "slab memory at peak", s -> mem(s.peakSlabBytes()));
        row(rows, runs, "  peak at", s -> s.peakLine() == 0 ? "-"
                : "line " + s.peakLine() + " @ " + stamp(s.peakNanos()));
        row(rows, runs, "slab memory at end", s -> mem(s.finalSlabBytes()));
        row(rows, runs, "objects active / total", s -> num(s.activeObjs()) + " / " + num(s.totalObjs()));
        row(rows, runs, "unused slots", s -> kib(s.unusedSlotBytes()));
        row(rows, runs, "slab metadata + leftover", s -> kib(s.metadataBytes()));
        row(rows, runs, "live objects at end", s -> num(s.liveObjects()));
        row(rows, runs, "live bytes requested", s -> kib(s.liveBytesReq()));
        row(rows, runs, "overhead at peak", s -> String.format(Locale.ROOT, "%.1f%%", s.overheadAtPeakPercent()));
        row(rows, runs, "overhead at end", s -> String.format(Locale.ROOT, "%.1f%%", s.overheadPercent()));
        // Machine-wide (all zones' free blocks together) as a summary, then per zone as the
        // kernel's extfrag views print them.
        List<String> zones = zoneNames(runs);
        row(rows, runs, "unusable index order 3 peak", s -> frag(s.fragPeak(), 3, true));
        for (String z : zones) {
            row(rows, runs, "  zone " + z, s -> frag(zone(s.fragPeakZones(), z), 3, true));
        }
        row(rows, runs, "unusable index order 3 end", s -> frag(s.fragEnd(), 3, true));
        for (String z : zones) {
            row(rows, runs, "  zone " + z, s -> frag(zone(s.fragEndZones(), z), 3, true));
        }
        row(rows, runs, "extfrag index order 3 end", s -> frag(s.fragEnd(), 3, false));
        for (String z : zones) {
            row(rows, runs, "  zone " + z, s -> frag(zone(s.fragEndZones(), z), 3, false));
        }
        row(rows, runs, "alloc fast / slow path", s -> s.paths().exposed()
                ? num(s.paths().allocFast()) + " / " + num(s.paths().allocSlow()) : "-");
        row(rows, runs, "free fast / slow path", s -> s.paths().exposed()
                ? num(s.paths().freeFast()) + " / " + num(s.paths().freeSlow()) : "-");
        row(rows, runs, "wall time", s -> s.wallNanos() == 0 ? "-"
                : String.format(Locale.ROOT, "%.3f s", s.wallNanos() / 1e9));
        row(rows, runs, "events/s", s -> s.wallNanos() == 0 ? "-" : num((long) s.eventsPerSecond()));
        appendColumns(sb, rows);

        for (ReplayStats s : runs) {
            sb.append('\n').append("top caches under ").append(s.allocator()).append(" (slabtop):\n");
            sb.append("  OBJS ACTIVE  USE OBJ SIZE  CACHE SIZE NAME\n");
            for (CacheUsage c : s.topCaches()) {
                long use = c.numObjs() == 0 ? 0 : c.activeObjs() * 100 / c.numObjs();
                sb.append(String.format(Locale.ROOT, "%6d %6d %3d%% %7.2fK %10dK %s%n", c.numObjs(),
                        c.activeObjs(), use, c.objSize() / 1024.0, c.slabBytes() / 1024, c.name()));
            }
            if (s.topCaches().isEmpty()) {
                sb.append("  (no slab caches: this allocator keeps no per-cache slabs)\n");
            }
        }
        for (ReplayStats s : runs) {
            if (s.fragEnd() != null || !s.fragEndZones().isEmpty()) {
                sb.append('\n').append("buddy fragmentation under ").append(s.allocator())
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
                        sb.append("    unusable_index at peak: ").append(s.fragPeak().unusableRow()).append('\n');
                    }
                    sb.append("    unusable_index at end:  ").append(s.fragEnd().unusableRow()).append('\n');
                    sb.append("    extfrag_index at end:   ").append(s.fragEnd().extfragRow()).append('\n');
                }
            }
        }
        ReplayStats first = runs.get(0);
        if (!first.skipReasons().isEmpty()) {
            sb.append("\nskipped events (").append(first.allocator()).append("):\n");
            for (Map.Entry<SkipReason, Long> e : first.skipReasons().entrySet()) {
                sb.append(String.format(Locale.ROOT, "  %10d  %s%n", e.getValue(), e.getKey().description()));
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
            sb.append(String.format(Locale.ROOT, "%nnote: %s events of CPUs this machine does not have ran on "
                    + "cpu %% nr_cpus (give nr_cpus= to match the traced machine)%n", num(first.foldedCpuEvents())));
        }
        if (!first.malformedSamples().isEmpty()) {
            sb.append("\nmalformed lines (first ").append(first.malformedSamples().size()).append(" of ")
                    .append(first.malformed()).append("):\n");
            for (String m : first.malformedSamples()) {
                sb.append("  ").append(m).append('\n');
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

    private static Map<String, Object> allocatorJson(ReplayStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", s.eventsRead());
        m.put("applied", s.applied());
        m.put("skipped", s.skipped());
        m.put("malformed", s.malformed());
        Map<String, Object> reasons = new LinkedHashMap<>();
        s.skipReasons().forEach((k, v) -> reasons.put(k.key(), v));
        m.put("skip_reasons", reasons);
        m.put("malformed_samples", new ArrayList<Object>(s.malformedSamples()));
        m.put("unmatched_frees", s.unmatchedFrees());
        m.put("double_frees", s.doubleFrees());
        m.put("failures", s.failures());
        m.put("reports", new LinkedHashMap<String, Object>(s.reports()));
        m.put("allocations", s.allocations());
        m.put("frees", s.frees());
        m.put("implicit_frees", s.implicitFrees());
        m.put("null_frees", s.nullFrees());
        m.put("folded_cpu_events", s.foldedCpuEvents());
        m.put("caches_created", s.cachesCreated());
        m.put("caches_slot_mismatch", s.cachesSlotMismatch());
        m.put("cache_comments", s.cacheComments());
        m.put("caches_defined", s.cachesDefined());
        m.put("caches_defined_failed", s.cachesDefinedFailed());
        m.put("bytes_req", s.bytesReq());
        m.put("bytes_alloc", s.bytesAlloc());
        m.put("internal_fragmentation_percent", round3(s.internalFragmentationPercent()));
        m.put("peak_slab_bytes", s.peakSlabBytes());
        m.put("peak_slab_kib", s.peakSlabBytes() >> 10);
        m.put("peak_slab_pages", s.peakSlabBytes() >> Addr.PAGE_SHIFT);
        m.put("peak_line", s.peakLine());
        m.put("peak_time_ns", s.peakNanos());
        m.put("final_slab_bytes", s.finalSlabBytes());
        m.put("final_slab_kib", s.finalSlabBytes() >> 10);
        m.put("final_slab_pages", s.finalSlabBytes() >> Addr.PAGE_SHIFT);
        m.put("active_objs", s.activeObjs());
        m.put("total_objs", s.totalObjs());
        m.put("unused_slot_bytes", s.unusedSlotBytes());
        m.put("metadata_bytes", s.metadataBytes());
        m.put("live_objects", s.liveObjects());
        m.put("live_bytes_req", s.liveBytesReq());
        m.put("live_bytes_req_at_peak", s.liveBytesReqAtPeak());
        m.put("overhead_percent_at_peak", round3(s.overheadAtPeakPercent()));
        m.put("overhead_percent_at_end", round3(s.overheadPercent()));
        List<Object> top = new ArrayList<>();
        for (CacheUsage c : s.topCaches()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("active_objs", c.activeObjs());
            cm.put("num_objs", c.numObjs());
            cm.put("objsize", c.objSize());
            cm.put("slab_bytes", c.slabBytes());
            top.add(cm);
        }
        m.put("top_caches", top);
        m.put("unusable_index_peak", s.fragPeak() == null ? null : ints(s.fragPeak().unusable()));
        m.put("unusable_index_end", s.fragEnd() == null ? null : ints(s.fragEnd().unusable()));
        m.put("extfrag_index_end", s.fragEnd() == null ? null : ints(s.fragEnd().extfrag()));
        m.put("extfrag_index_peak", s.fragPeak() == null ? null : ints(s.fragPeak().extfrag()));
        Map<String, Object> byZone = new LinkedHashMap<>();
        byZone.put("peak", zonesJson(s.fragPeakZones()));
        byZone.put("end", zonesJson(s.fragEndZones()));
        m.put("fragmentation_by_zone", byZone);
        PathCounts p = s.paths();
        m.put("alloc_fastpath", p.exposed() ? p.allocFast() : null);
        m.put("alloc_slowpath", p.exposed() ? p.allocSlow() : null);
        m.put("free_fastpath", p.exposed() ? p.freeFast() : null);
        m.put("free_slowpath", p.exposed() ? p.freeSlow() : null);
        m.put("wall_ns", s.wallNanos());
        m.put("events_per_second", (long) s.eventsPerSecond());
        return m;
    }

    /** One object per populated zone: node, zone, free pages, both indices per order. */
    private static List<Object> zonesJson(List<BuddyFragmentation.Zone> zones) {
        List<Object> l = new ArrayList<>();
        for (BuddyFragmentation.Zone z : zones) {
            Map<String, Object> zm = new LinkedHashMap<>();
            zm.put("node", (long) z.node());
            zm.put("zone", z.zone());
            zm.put("free_pages", z.frag().freePages());
            zm.put("unusable_index", ints(z.frag().unusable()));
            zm.put("extfrag_index", ints(z.frag().extfrag()));
            l.add(zm);
        }
        return l;
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

    private static BuddyFragmentation zone(List<BuddyFragmentation.Zone> zones, String name) {
        for (BuddyFragmentation.Zone z : zones) {
            if (z.zone().equals(name)) {
                return z.frag();
            }
        }
        return null;
    }

    /** The kernel's extfrag rows, indented under a heading. */
    private static void zoneLines(StringBuilder sb, String heading, List<BuddyFragmentation.Zone> zones,
            boolean unusable) {
        sb.append("  ").append(heading).append(":\n");
        for (BuddyFragmentation.Zone z : zones) {
            sb.append("    ").append((unusable ? z.unusableLine() : z.extfragLine()).stripTrailing()).append('\n');
        }
    }

    private static List<Object> ints(int[] a) {
        List<Object> l = new ArrayList<>();
        for (int v : a) {
            l.add((long) v);
        }
        return l;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
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

    static String num(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static String kib(long bytes) {
        return num(bytes / 1024) + " KiB";
    }

    static String mem(long bytes) {
        return num(bytes / 1024) + " KiB (" + num(bytes >> Addr.PAGE_SHIFT) + " pages)";
    }

    private static String stamp(long nanos) {
        return String.format(Locale.ROOT, "%d.%06d", nanos / 1_000_000_000L, (nanos / 1000) % 1_000_000);
    }

    private static String frag(BuddyFragmentation f, int order, boolean unusable) {
        if (f == null) {
            return "-";
        }
        return unusable ? Fragmentation.formatUnusable(f.unusable()[order])
                : Fragmentation.formatExtfrag(f.extfrag()[order]).trim();
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
