package io.kmemlab.boot.replay.report;

import io.kmemlab.boot.replay.BuddyFragmentation;
import io.kmemlab.boot.replay.CacheUsage;
import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.page.Fragmentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One figure of a replay report, registered once: the table's row, the JSON key and the chart
 * series all come from {@link #ALL}, in its order. Add a figure here and every output has it.
 *
 * @param label the table row it opens (with its scope's suffix), or the part of the row label it
 *     adds when it joins the previous row ({@code "frees"} in {@code allocations / frees}); empty
 *     for a figure the table does not show as a row
 * @param key its JSON key: a contract, never renamed; a new meaning gets a new key
 * @param unit what the value is and how the table prints it
 * @param scope what it covers, said in the row label
 * @param value its value in a run's stats (null: not known for this allocator)
 * @param table whether it opens a row, joins the previous one, or is JSON only
 * @param chart its series in the fragmentation chart, or null
 */
public record ReplayMetric(
        String label,
        String key,
        Unit unit,
        Scope scope,
        Function<ReplayStats, Object> value,
        Table table,
        Chart chart) {

    /** What a figure covers. */
    public enum Scope {
        /** The trace's events and what the replay did with them. */
        TRACE(""),
        /** The slab memory the replay added: the growth of /proc/meminfo's Slab: since it began. */
        ADDED(" (added by the replay)"),
        /** The caches the replay used (those its events name and its kmallocs were served from). */
        REPLAY_CACHES(" (replay's caches)"),
        /** Every cache and zone of the emulated machine, boot included. */
        MACHINE(" (whole machine)");

        private final String suffix;

        Scope(String suffix) {
            this.suffix = suffix;
        }

        /** Appended to the label of a row of this scope. */
        public String suffix() {
            return suffix;
        }
    }

    /** How a figure appears in the table. */
    public enum Table {
        /** Opens a row labelled with the figure's label and scope. */
        ROW(null),
        /** Opens a row as {@link #ROW} does, shown only when some run's value is not 0. */
        ROW_IF_ANY(null),
        /** Joins the previous row: {@code a / b}. */
        SLASH(" / "),
        /** Joins the previous row: {@code line N @ time}. */
        AT(" @ "),
        /** JSON only (or shown in a section of its own: top caches, skipped events, dmesg). */
        NONE(null);

        private final String separator;

        Table(String separator) {
            this.separator = separator;
        }

        /** Between the previous part of the row and this one (joining figures only). */
        public String separator() {
            return separator;
        }
    }

    /** A series of the fragmentation chart: a percentage computed from the run. */
    public record Chart(String series, ToDoubleFunction<ReplayStats> percent) {}

    /**
     * An index of {@link Fragmentation} per order, for the whole machine and per zone.
     *
     * @param machine the free blocks of all zones together, null if the allocator exposes none
     * @param zones one per populated zone
     * @param unusable unusable_index, else extfrag_index
     */
    public record FragIndex(BuddyFragmentation machine, List<BuddyFragmentation.Zone> zones, boolean unusable) {

        /** The index of one order in {@code f}, as the table prints it; "-" without numbers. */
        public String cell(BuddyFragmentation f, int order) {
            if (f == null) {
                return "-";
            }
            return unusable
                    ? Fragmentation.formatUnusable(f.unusable()[order])
                    : Fragmentation.formatExtfrag(f.extfrag()[order]).trim();
        }

        /** The zone of that name, or null. */
        public BuddyFragmentation zone(String name) {
            for (BuddyFragmentation.Zone z : zones) {
                if (z.zone().equals(name)) {
                    return z.frag();
                }
            }
            return null;
        }

        Object json() {
            return machine == null ? null : ints(unusable ? machine.unusable() : machine.extfrag());
        }
    }

    /** The order whose indices the table shows (PAGE_ALLOC_COSTLY_ORDER). */
    public static final int TABLE_ORDER = 3;

    /** What a value is, how it goes into JSON and how the table prints it. */
    public enum Unit {
        COUNT,
        /** Bytes; the table shows KiB. */
        BYTES,
        /** Bytes; the table shows KiB and 4 KiB pages. */
        BYTES_AND_PAGES,
        KIB,
        PAGES,
        /** An input line number; 0 is none. */
        LINE,
        /** Virtual time in nanoseconds, shown as the trace's seconds.micros stamp. */
        TIMESTAMP,
        /** A percentage to three decimals. */
        PERCENT,
        /** A percentage the table rounds to one decimal. */
        PERCENT_TENTHS,
        /** Wall time in nanoseconds, 0 when timing is off. */
        WALL_NANOS,
        /** Events per second, 0 when timing is off. */
        RATE,
        /** dmesg report counts by kind; the table shows their sum. */
        REPORTS,
        /** A {@link FragIndex}: JSON has every order, the table order 3 with a row per zone. */
        INDEX,
        /** A JSON object or list; the table shows it in a section of its own. */
        STRUCTURE;

        /** The table's text for a value; null if the value means "nothing" ("-" when it opens a row). */
        String cell(Object v) {
            if (v == null) {
                return null;
            }
            return switch (this) {
                case COUNT, PAGES -> num((Long) v);
                case BYTES -> kib((Long) v);
                case BYTES_AND_PAGES -> num((Long) v / 1024) + " KiB (" + num((Long) v >> Addr.PAGE_SHIFT) + " pages)";
                case KIB -> num((Long) v) + " KiB";
                case LINE -> (Long) v == 0 ? null : "line " + v;
                case TIMESTAMP -> stamp((Long) v);
                case PERCENT -> String.format(Locale.ROOT, "%.3f%%", (Double) v);
                case PERCENT_TENTHS -> String.format(Locale.ROOT, "%.1f%%", (Double) v);
                case WALL_NANOS -> (Long) v == 0 ? null : String.format(Locale.ROOT, "%.3f s", (Long) v / 1e9);
                case RATE -> (Long) v == 0 ? null : num((Long) v);
                case REPORTS -> {
                    long n = 0;
                    for (Object c : ((Map<?, ?>) v).values()) {
                        n += (Long) c;
                    }
                    yield num(n);
                }
                case INDEX -> ((FragIndex) v).cell(((FragIndex) v).machine(), TABLE_ORDER);
                case STRUCTURE -> null;
            };
        }

        /** The JSON value. */
        Object json(Object v) {
            if (v == null) {
                return null;
            }
            return switch (this) {
                case PERCENT, PERCENT_TENTHS -> Math.round((Double) v * 1000) / 1000.0;
                case INDEX -> ((FragIndex) v).json();
                case REPORTS -> new LinkedHashMap<Object, Object>((Map<?, ?>) v);
                default -> v;
            };
        }
    }

    /** A figure that opens a row. */
    private static ReplayMetric row(String label, String key, Unit unit, Scope scope, Function<ReplayStats, Object> v) {
        return new ReplayMetric(label, key, unit, scope, v, Table.ROW, null);
    }

    /** A figure that joins the previous row. */
    private static ReplayMetric join(
            Table how, String label, String key, Unit unit, Scope scope, Function<ReplayStats, Object> v) {
        return new ReplayMetric(label, key, unit, scope, v, how, null);
    }

    /** A figure only the JSON carries (or a section of the table of its own). */
    private static ReplayMetric json(String key, Unit unit, Scope scope, Function<ReplayStats, Object> v) {
        return new ReplayMetric("", key, unit, scope, v, Table.NONE, null);
    }

    private ReplayMetric charted(String series, ToDoubleFunction<ReplayStats> percent) {
        return new ReplayMetric(label, key, unit, scope, value, table, new Chart(series, percent));
    }

    private static double share(long part, long whole) {
        return 100.0 * part / Math.max(1, whole);
    }

    /** Every figure of a replay report, in table and JSON order. */
    public static final List<ReplayMetric> ALL = List.of(
            row("events read", "events", Unit.COUNT, Scope.TRACE, s -> s.eventsRead()),
            row("  applied", "applied", Unit.COUNT, Scope.TRACE, s -> s.applied()),
            row("  skipped", "skipped", Unit.COUNT, Scope.TRACE, s -> s.skipped()),
            row("  malformed", "malformed", Unit.COUNT, Scope.TRACE, s -> s.malformed()),
            json("skip_reasons", Unit.STRUCTURE, Scope.TRACE, s -> {
                Map<String, Object> reasons = new LinkedHashMap<>();
                s.skipReasons().forEach((k, n) -> reasons.put(k.key(), n));
                return reasons;
            }),
            json("malformed_samples", Unit.STRUCTURE, Scope.TRACE, s -> new ArrayList<Object>(s.malformedSamples())),
            row("unmatched frees", "unmatched_frees", Unit.COUNT, Scope.TRACE, s -> s.unmatchedFrees()),
            row("double frees", "double_frees", Unit.COUNT, Scope.TRACE, s -> s.doubleFrees()),
            new ReplayMetric(
                    "wrong-cache frees (applied)",
                    "wrong_cache_frees",
                    Unit.COUNT,
                    Scope.TRACE,
                    s -> s.wrongCacheFrees(),
                    Table.ROW_IF_ANY,
                    null),
            row("allocation failures", "failures", Unit.COUNT, Scope.TRACE, s -> s.failures()),
            row("kernel reports (dmesg)", "reports", Unit.REPORTS, Scope.TRACE, s -> s.reports()),
            row("allocations", "allocations", Unit.COUNT, Scope.TRACE, s -> s.allocations()),
            join(Table.SLASH, "frees", "frees", Unit.COUNT, Scope.TRACE, s -> s.frees()),
            json("implicit_frees", Unit.COUNT, Scope.TRACE, s -> s.implicitFrees()),
            json("null_frees", Unit.COUNT, Scope.TRACE, s -> s.nullFrees()),
            json("folded_cpu_events", Unit.COUNT, Scope.TRACE, s -> s.foldedCpuEvents()),
            json("caches_created", Unit.COUNT, Scope.TRACE, s -> s.cachesCreated()),
            json("caches_slot_mismatch", Unit.COUNT, Scope.TRACE, s -> s.cachesSlotMismatch()),
            json("cache_comments", Unit.COUNT, Scope.TRACE, s -> s.cacheComments()),
            json("caches_defined", Unit.COUNT, Scope.TRACE, s -> s.cachesDefined()),
            json("caches_defined_failed", Unit.COUNT, Scope.TRACE, s -> s.cachesDefinedFailed()),
            row("bytes requested", "bytes_req", Unit.COUNT, Scope.TRACE, s -> s.bytesReq()),
            row("bytes allocated", "bytes_alloc", Unit.COUNT, Scope.TRACE, s -> s.bytesAlloc()),
            row("bytes freed", "bytes_freed", Unit.COUNT, Scope.TRACE, s -> s.bytesFreed()),
            row("cross-CPU frees (ping-pong)", "cross_cpu_frees", Unit.COUNT, Scope.TRACE, s -> s.crossCpuFrees()),
            row(
                            "internal fragmentation",
                            "internal_fragmentation_percent",
                            Unit.PERCENT,
                            Scope.TRACE,
                            s -> s.internalFragmentationPercent())
                    .charted("internal (1 - req/alloc)", ReplayStats::internalFragmentationPercent),
            row("slab memory at peak", "peak_slab_bytes", Unit.BYTES_AND_PAGES, Scope.ADDED, s -> s.peakSlabBytes()),
            json("peak_slab_kib", Unit.KIB, Scope.ADDED, s -> s.peakSlabBytes() >> 10),
            json("peak_slab_pages", Unit.PAGES, Scope.ADDED, s -> s.peakSlabBytes() >> Addr.PAGE_SHIFT),
            row("  peak at", "peak_line", Unit.LINE, Scope.TRACE, s -> s.peakLine()),
            join(Table.AT, "", "peak_time_ns", Unit.TIMESTAMP, Scope.TRACE, s -> s.peakNanos()),
            row("slab memory at end", "final_slab_bytes", Unit.BYTES_AND_PAGES, Scope.ADDED, s -> s.finalSlabBytes()),
            json("final_slab_kib", Unit.KIB, Scope.ADDED, s -> s.finalSlabBytes() >> 10),
            json("final_slab_pages", Unit.PAGES, Scope.ADDED, s -> s.finalSlabBytes() >> Addr.PAGE_SHIFT),
            row("caches used", "replay_caches", Unit.COUNT, Scope.REPLAY_CACHES, s -> s.replayCaches()),
            row("  objects in use", "replay_in_use_objs", Unit.COUNT, Scope.REPLAY_CACHES, s -> s.replayInUseObjs()),
            join(Table.SLASH, "total", "replay_total_objs", Unit.COUNT, Scope.REPLAY_CACHES, s -> s.replayTotalObjs()),
            row("  free slots", "replay_free_slot_bytes", Unit.BYTES, Scope.REPLAY_CACHES, s -> s.replayFreeSlotBytes())
                    .charted(
                            "free slots / slab memory of the replay's caches at end",
                            s -> share(s.replayFreeSlotBytes(), s.replayCacheSlabBytes())),
            row(
                            "  slab metadata + leftover",
                            "replay_metadata_bytes",
                            Unit.BYTES,
                            Scope.REPLAY_CACHES,
                            s -> s.replayMetadataBytes())
                    .charted(
                            "metadata+leftover / slab memory of the replay's caches at end",
                            s -> share(s.replayMetadataBytes(), s.replayCacheSlabBytes())),
            json("replay_cache_slab_bytes", Unit.BYTES, Scope.REPLAY_CACHES, s -> s.replayCacheSlabBytes()),
            row("objects active", "active_objs", Unit.COUNT, Scope.MACHINE, s -> s.activeObjs()),
            join(Table.SLASH, "total", "total_objs", Unit.COUNT, Scope.MACHINE, s -> s.totalObjs()),
            json("unused_slot_bytes", Unit.BYTES, Scope.MACHINE, s -> s.unusedSlotBytes()),
            json("metadata_bytes", Unit.BYTES, Scope.MACHINE, s -> s.metadataBytes()),
            row("live objects at end", "live_objects", Unit.COUNT, Scope.TRACE, s -> s.liveObjects()),
            row("live bytes requested", "live_bytes_req", Unit.BYTES, Scope.TRACE, s -> s.liveBytesReq()),
            json("live_bytes_req_at_peak", Unit.BYTES, Scope.TRACE, s -> s.liveBytesReqAtPeak()),
            row(
                            "overhead at peak",
                            "overhead_percent_at_peak",
                            Unit.PERCENT_TENTHS,
                            Scope.ADDED,
                            s -> s.overheadAtPeakPercent())
                    .charted("overhead at peak (1 - live requested / slab memory)", ReplayStats::overheadAtPeakPercent),
            row(
                    "overhead at end",
                    "overhead_percent_at_end",
                    Unit.PERCENT_TENTHS,
                    Scope.ADDED,
                    s -> s.overheadPercent()),
            json("top_caches", Unit.STRUCTURE, Scope.MACHINE, s -> caches(s.topCaches(), false)),
            json("replay_top_caches", Unit.STRUCTURE, Scope.REPLAY_CACHES, s -> caches(s.replayTopCaches(), true)),
            row(
                            "unusable index order 3 peak",
                            "unusable_index_peak",
                            Unit.INDEX,
                            Scope.MACHINE,
                            s -> new FragIndex(s.fragPeak(), s.fragPeakZones(), true))
                    .charted(
                            "buddy unusable index, order 3, at peak",
                            s -> s.fragPeak() == null ? 0.0 : s.fragPeak().unusable()[TABLE_ORDER] / 10.0),
            row(
                    "unusable index order 3 end",
                    "unusable_index_end",
                    Unit.INDEX,
                    Scope.MACHINE,
                    s -> new FragIndex(s.fragEnd(), s.fragEndZones(), true)),
            row(
                    "extfrag index order 3 end",
                    "extfrag_index_end",
                    Unit.INDEX,
                    Scope.MACHINE,
                    s -> new FragIndex(s.fragEnd(), s.fragEndZones(), false)),
            json(
                    "extfrag_index_peak",
                    Unit.INDEX,
                    Scope.MACHINE,
                    s -> new FragIndex(s.fragPeak(), s.fragPeakZones(), false)),
            json("fragmentation_by_zone", Unit.STRUCTURE, Scope.MACHINE, s -> {
                Map<String, Object> byZone = new LinkedHashMap<>();
                byZone.put("peak", zonesJson(s.fragPeakZones()));
                byZone.put("end", zonesJson(s.fragEndZones()));
                return byZone;
            }),
            row(
                    "alloc fast",
                    "alloc_fastpath",
                    Unit.COUNT,
                    Scope.MACHINE,
                    s -> s.paths().exposed() ? s.paths().allocFast() : null),
            join(
                    Table.SLASH,
                    "slow path",
                    "alloc_slowpath",
                    Unit.COUNT,
                    Scope.MACHINE,
                    s -> s.paths().exposed() ? s.paths().allocSlow() : null),
            row(
                    "free fast",
                    "free_fastpath",
                    Unit.COUNT,
                    Scope.MACHINE,
                    s -> s.paths().exposed() ? s.paths().freeFast() : null),
            join(
                    Table.SLASH,
                    "slow path",
                    "free_slowpath",
                    Unit.COUNT,
                    Scope.MACHINE,
                    s -> s.paths().exposed() ? s.paths().freeSlow() : null),
            row(
                    "in sheaves",
                    "sheaf_objects",
                    Unit.COUNT,
                    Scope.MACHINE,
                    s -> s.paths().sheafObjects()),
            row(
                    "sheaf memory",
                    "sheaf_bytes",
                    Unit.BYTES,
                    Scope.MACHINE,
                    s -> s.paths().sheafBytes()),
            row("wall time", "wall_ns", Unit.WALL_NANOS, Scope.TRACE, s -> s.wallNanos()),
            row("events/s", "events_per_second", Unit.RATE, Scope.TRACE, s -> (long) s.eventsPerSecond()),
            json("dmesg", Unit.STRUCTURE, Scope.TRACE, s -> new ArrayList<Object>(s.dmesg())));

    /** The cache rows of slabtop as JSON; the replay's with their objects in use. */
    private static List<Object> caches(List<CacheUsage> caches, boolean inUse) {
        List<Object> top = new ArrayList<>();
        for (CacheUsage c : caches) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("active_objs", c.activeObjs());
            cm.put("num_objs", c.numObjs());
            cm.put("objsize", (long) c.objSize());
            cm.put("slab_bytes", c.slabBytes());
            if (inUse) {
                cm.put("in_use_objs", c.inUseObjs());
                cm.put("free_slot_bytes", c.freeSlotBytes());
            }
            top.add(cm);
        }
        return top;
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

    private static List<Object> ints(int[] a) {
        List<Object> l = new ArrayList<>();
        for (int v : a) {
            l.add((long) v);
        }
        return l;
    }

    /** The value of this figure in a run, as JSON writes it. */
    public Object json(ReplayStats s) {
        return unit.json(value.apply(s));
    }

    /** This figure's part of a table cell in a run; null when it means nothing. */
    public String cell(ReplayStats s) {
        return unit.cell(value.apply(s));
    }

    static String num(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static String kib(long bytes) {
        return num(bytes / 1024) + " KiB";
    }

    private static String stamp(long nanos) {
        return String.format(Locale.ROOT, "%d.%06d", nanos / 1_000_000_000L, (nanos / 1000) % 1_000_000);
    }
}
