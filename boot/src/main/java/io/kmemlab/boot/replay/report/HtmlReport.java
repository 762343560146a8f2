package io.kmemlab.boot.replay.report;

import io.kmemlab.boot.replay.BuddyFragmentation;
import io.kmemlab.boot.replay.CacheUsage;
import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.boot.replay.ReplayTarget;
import io.kmemlab.boot.replay.source.TraceSummary;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The page {@code kmemlab report} writes: one self-contained HTML file (inline CSS, SVG charts drawn
 * here, a script that draws the memory maps on canvases; nothing fetched from a network). Its
 * sections: the side-by-side table of {@link ReplayReport#table}, slab memory and the buddy
 * allocator's unusable-free index over virtual time (one line per allocator, from each run's
 * {@link ReplayStats.MemorySeries}), the fragmentation figures of {@link ReplayMetric#ALL} that
 * chart, the replay's caches per allocator, the slab layouts {@code kmemlab layout} prints of the
 * caches each used most (as SVG, from {@link SlabLayout}), and the physical memory map of each
 * machine at its peak of slab memory and at the end.
 *
 * <p>A pure function of its inputs: the same runs give the same bytes. The data the script draws
 * is one JSON document in a {@code <script type="application/json" id="kmemlab-data">} element,
 * which {@link #data} also returns for tests.
 */
public final class HtmlReport {
    private static final int W = 900;
    private static final int H = 300;
    private static final int PAD = 50;
    private static final String[] LINE_COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private HtmlReport() {}

    /** Caches whose slab layout the page draws, per allocator: the replay's largest by slab memory. */
    public static final int MAX_LAYOUTS = 4;

    /**
     * One allocator's run, its maps (either may be null: no map taken) and the slab layouts of the
     * caches it used most ({@link #layouts}).
     */
    public record Run(ReplayStats stats, MemoryMap peak, MemoryMap end, List<CacheLayout> layouts) {
        public Run {
            layouts = List.copyOf(layouts);
        }

        public Run(ReplayStats stats, MemoryMap peak, MemoryMap end) {
            this(stats, peak, end, List.of());
        }
    }

    /** One cache's layout as {@code kmemlab layout} draws it. */
    public record CacheLayout(String name, int objectSize, int order, SlabLayout layout) {}

    /**
     * The layouts of the replay's largest caches on {@code t} now, at most {@link #MAX_LAYOUTS}, in
     * the order of {@link ReplayStats#replayTopCaches}; none for an allocator without fixed slots.
     */
    public static List<CacheLayout> layouts(ReplayTarget t, ReplayStats s) {
        List<CacheLayout> out = new ArrayList<>();
        for (CacheUsage c : s.replayTopCaches()) {
            if (out.size() == MAX_LAYOUTS) {
                break;
            }
            KmemCache k = t.slab().find(c.name());
            if (k == null) {
                continue;
            }
            k.impl()
                    .slabLayout()
                    .ifPresent(l -> out.add(new CacheLayout(
                            c.name(),
                            k.impl().objectSize(),
                            Integer.numberOfTrailingZeros(l.slabBytes() / Addr.PAGE_SIZE),
                            l)));
        }
        return out;
    }

    /** The page. */
    public static String render(TraceSummary trace, List<Run> runs) {
        List<ReplayStats> stats = new ArrayList<>();
        for (Run r : runs) {
            stats.add(r.stats());
        }
        StringBuilder sb = new StringBuilder(1 << 16);
        String title = "kmemlab report: " + trace.name();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(title))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n<h1>")
                .append(esc(title))
                .append("</h1>\n");
        sb.append("<nav><a href=\"#summary\">summary</a> <a href=\"#memory\">memory over time</a> "
                + "<a href=\"#fragmentation\">fragmentation</a> <a href=\"#caches\">caches</a> "
                + "<a href=\"#layout\">slab layouts</a> <a href=\"#map\">physical memory map</a></nav>\n");
        sb.append("<h2 id=\"summary\">Summary</h2>\n<details><summary>the side-by-side table of "
                        + "<code>kmemlab compare</code></summary>\n<pre class=\"table\">")
                .append(esc(ReplayReport.table(trace, stats)))
                .append("</pre>\n</details>\n");
        sb.append("<h2 id=\"memory\">Slab memory over virtual time (added by the replay)</h2>\n");
        lineChart(sb, stats, "KiB", false);
        sb.append("<h2 id=\"fragmentation\">Fragmentation</h2>\n<h3>Unusable free index, order ")
                .append(BuddyFragmentation.SERIES_ORDER)
                .append(", over virtual time</h3>\n");
        lineChart(sb, stats, "unusable free index (0 to 1)", true);
        fragmentationBars(sb, stats);
        sb.append("<h2 id=\"caches\">Per-cache breakdown (the replay's caches, at the end)</h2>\n");
        for (ReplayStats s : stats) {
            caches(sb, s);
        }
        sb.append("<h2 id=\"layout\">Slab layouts (<code>kmemlab layout</code>) of the caches the replay used most"
                + "</h2>\n<p>Each cache's object slot (offsets from the slot's start) and one slab of its slots; "
                + "hover a part for its bytes.</p>\n");
        for (Run r : runs) {
            layoutSection(sb, r);
        }
        mapSection(sb);
        sb.append("<script type=\"application/json\" id=\"kmemlab-data\">\n")
                .append(data(trace, runs).replace("</", "<\\/"))
                .append("\n</script>\n<script>\n")
                .append(SCRIPT)
                .append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    /**
     * The physical memory map's heading, controls and containers, which {@link #SCRIPT} fills from
     * the data document's {@code colours} and {@code allocators[].maps}.
     */
    static void mapSection(StringBuilder sb) {
        sb.append("<h2 id=\"map\">Physical memory map</h2>\n<p>Every page frame is a cell. Hover a cell to "
                + "name its owner; the zoom sets the cell size.</p>\n<div class=\"controls\">zoom "
                + "<select id=\"zoom\"><option value=\"1\">1 px</option><option value=\"2\">2 px</option>"
                + "<option value=\"4\" selected>4 px</option><option value=\"8\">8 px</option>"
                + "<option value=\"16\">16 px</option></select> columns <select id=\"cols\">"
                + "<option>64</option><option>128</option><option selected>256</option><option>512</option>"
                + "</select></div>\n<div id=\"legend\"></div>\n<div id=\"maps\"></div>\n"
                + "<div id=\"tip\" role=\"tooltip\"></div>\n");
    }

    /** The JSON the page's script draws from: per allocator its maps, and a colour per legend key. */
    public static String data(TraceSummary trace, List<Run> runs) {
        TreeSet<String> keys = new TreeSet<>();
        List<Object> allocators = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", r.stats().allocator());
            a.put("peak_slab_bytes", r.stats().peakSlabBytes());
            a.put("peak_line", r.stats().peakLine());
            a.put("final_slab_bytes", r.stats().finalSlabBytes());
            Map<String, Object> maps = new LinkedHashMap<>();
            for (MemoryMap m : new MemoryMap[] {r.peak(), r.end()}) {
                if (m != null) {
                    keys.addAll(m.legend());
                    maps.put(m == r.peak() ? "peak" : "end", m.json());
                }
            }
            a.put("maps", maps);
            allocators.add(a);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("input", trace.name());
        root.put("colours", colours(keys));
        root.put("allocators", allocators);
        StringBuilder sb = new StringBuilder();
        ReplayReport.Json.write(sb, root, 0);
        return sb.toString();
    }

    /**
     * A colour per legend key, in the legend's order: free blocks green, darker by order; slab
     * caches spread round the hue circle in name order; the other states fixed.
     */
    static Map<String, Object> colours(TreeSet<String> keys) {
        Map<String, Object> c = new LinkedHashMap<>();
        List<String> caches = new ArrayList<>();
        for (String k : keys) {
            if (k.startsWith("slab:")) {
                caches.add(k);
            }
        }
        for (int o = 0; o <= BuddyFragmentation.MAX_ORDER; o++) {
            if (keys.contains("free:" + o)) {
                int light = 85 - o * 45 / Math.max(1, BuddyFragmentation.MAX_ORDER);
                c.put("free:" + o, String.format(Locale.ROOT, "hsl(120,45%%,%d%%)", light));
            }
        }
        String[][] fixed = {
            {"per-CPU list", "#00bcd4"},
            {"slab", "#e57373"},
            {"large kmalloc", "#ab47bc"},
            {"allocator private", "#ff8a65"},
            {"allocated", "#78909c"},
            {"page table", "#fdd835"},
            {"user anon", "#3f51b5"},
            {"user file", "#8d6e63"},
            {"user shmem", "#009688"},
            {"reserved", "#37474f"},
            {"untracked", "#e0e0e0"},
            {"hole", "#ffffff"},
        };
        for (String[] f : fixed) {
            if (keys.contains(f[0])) {
                c.put(f[0], f[1]);
            }
        }
        for (int i = 0; i < caches.size(); i++) {
            // Golden-angle hues, skipping the greens of free memory.
            int hue = (int) ((i * 137.508) % 300);
            hue = hue >= 90 ? hue + 60 : hue;
            c.put(caches.get(i), String.format(Locale.ROOT, "hsl(%d,70%%,%d%%)", hue, 45 + (i % 3) * 8));
        }
        return c;
    }

    /** An SVG line chart over virtual time: slab KiB, or the unusable index when {@code frag}. */
    private static void lineChart(StringBuilder sb, List<ReplayStats> runs, String yTitle, boolean frag) {
        long t0 = Long.MAX_VALUE;
        long t1 = Long.MIN_VALUE;
        double yMax = frag ? 1.0 : 0;
        for (ReplayStats s : runs) {
            ReplayStats.MemorySeries m = s.series();
            for (int i = 0; i < m.size(); i++) {
                t0 = Math.min(t0, m.nanosAt(i));
                t1 = Math.max(t1, m.nanosAt(i));
                if (!frag) {
                    yMax = Math.max(yMax, m.bytesAt(i) / 1024.0);
                }
            }
        }
        if (t0 == Long.MAX_VALUE) {
            sb.append("<p>No points.</p>\n");
            return;
        }
        double span = Math.max(1, t1 - t0) / 1e9;
        yMax = Math.max(yMax, 1);
        sb.append("<svg class=\"chart\" viewBox=\"0 0 ")
                .append(W)
                .append(' ')
                .append(H)
                .append("\" role=\"img\">\n");
        sb.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"10\" width=\"%d\" height=\"%d\" class=\"frame\"/>\n",
                PAD,
                W - PAD - 10,
                H - PAD - 10));
        for (int k = 0; k <= 4; k++) {
            double y = 10 + (H - PAD - 10) * (1 - k / 4.0);
            double x = PAD + (W - PAD - 10) * k / 4.0;
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>\n",
                    PAD - 4,
                    y + 4,
                    frag
                            ? String.format(Locale.ROOT, "%.2f", k / 4.0)
                            : String.format(Locale.ROOT, "%,.0f", yMax * k / 4)));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"%s\">%.3f</text>\n",
                    x,
                    H - PAD + 16,
                    k == 0 ? "start" : k == 4 ? "end" : "middle",
                    span * k / 4));
        }
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">virtual time (s)</text>\n",
                PAD + (W - PAD) / 2,
                H - 8));
        sb.append("<text x=\"12\" y=\"")
                .append(10 + (H - PAD) / 2)
                .append("\" class=\"axis\" transform=\"rotate(-90 12 ")
                .append(10 + (H - PAD) / 2)
                .append(")\" text-anchor=\"middle\">")
                .append(esc(yTitle))
                .append("</text>\n");
        for (int r = 0; r < runs.size(); r++) {
            ReplayStats.MemorySeries m = runs.get(r).series();
            String colour = LINE_COLOURS[r % LINE_COLOURS.length];
            sb.append("<polyline class=\"series\" stroke=\"").append(colour).append("\" points=\"");
            for (int i = 0; i < m.size(); i++) {
                double v = frag ? m.unusableAt(i) / 1000.0 : m.bytesAt(i) / 1024.0;
                double x = PAD + (W - PAD - 10) * ((m.nanosAt(i) - t0) / 1e9) / span;
                double y = 10 + (H - PAD - 10) * (1 - v / yMax);
                sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            sb.append("\"><title>").append(esc(runs.get(r).allocator())).append("</title></polyline>\n");
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" fill=\"%s\" class=\"key\">%s</text>\n",
                    PAD + 10,
                    28 + 16 * r,
                    colour,
                    esc(runs.get(r).allocator())));
        }
        sb.append("</svg>\n");
    }

    /** The charted figures of {@link ReplayMetric#ALL}, as bars per allocator. */
    private static void fragmentationBars(StringBuilder sb, List<ReplayStats> runs) {
        sb.append("<h3>At the peak and at the end</h3>\n<table class=\"bars\">\n<tr><th></th>");
        for (ReplayStats s : runs) {
            sb.append("<th>").append(esc(s.allocator())).append("</th>");
        }
        sb.append("</tr>\n");
        for (ReplayMetric m : ReplayMetric.ALL) {
            if (m.chart() == null) {
                continue;
            }
            sb.append("<tr><td>").append(esc(m.chart().series())).append("</td>");
            for (ReplayStats s : runs) {
                double p = m.chart().percent().applyAsDouble(s);
                sb.append(String.format(
                        Locale.ROOT,
                        "<td><div class=\"bar\" style=\"width:%.1f%%\"></div>%.1f%%</td>",
                        Math.max(0, Math.min(100, p)),
                        p));
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    /** One allocator's replay caches, largest first, with a bar of their slab memory. */
    private static void caches(StringBuilder sb, ReplayStats s) {
        List<CacheUsage> top = s.replayTopCaches();
        sb.append("<h3>").append(esc(s.allocator())).append("</h3>\n");
        if (top.isEmpty()) {
            sb.append("<p>No per-cache slabs (the allocator keeps no cache of its own pages).</p>\n");
            return;
        }
        long max = 1;
        for (CacheUsage c : top) {
            max = Math.max(max, c.slabBytes());
        }
        sb.append("<table class=\"caches\">\n<tr><th>cache</th><th>objsize</th><th>objects in use / total</th>"
                + "<th>free slots (KiB)</th><th>slab memory (KiB)</th></tr>\n");
        for (CacheUsage c : top) {
            sb.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%s</td><td>%d</td><td>%d / %d</td><td>%d</td>"
                            + "<td><div class=\"bar\" style=\"width:%.1f%%\"></div>%d</td></tr>\n",
                    esc(c.name()),
                    c.objSize(),
                    c.inUseObjs(),
                    c.numObjs(),
                    c.freeSlotBytes() / 1024,
                    100.0 * c.slabBytes() / max,
                    c.slabBytes() / 1024));
        }
        sb.append("</table>\n");
    }

    private static final Map<SlabLayout.Kind, String> PART_COLOURS = Map.of(
            SlabLayout.Kind.OBJECT, "#64b5f6",
            SlabLayout.Kind.RED_ZONE, "#e53935",
            SlabLayout.Kind.FREE_POINTER, "#fdd835",
            SlabLayout.Kind.TRACK, "#8e24aa",
            SlabLayout.Kind.PADDING, "#bdbdbd",
            SlabLayout.Kind.SLACK, "#e0e0e0",
            SlabLayout.Kind.SLOTS, "#64b5f6",
            SlabLayout.Kind.LEFT_OVER, "#f5f5f5",
            SlabLayout.Kind.FREELIST, "#ff9800");

    /** Slots a slab drawing shows one by one; a slab of more shows them as one run. */
    private static final int MAX_DRAWN_SLOTS = 1024;

    /** One allocator's layout drawings: per cache, its slot and one slab, as SVG. */
    private static void layoutSection(StringBuilder sb, Run r) {
        sb.append("<h3>").append(esc(r.stats().allocator())).append("</h3>\n");
        if (r.layouts().isEmpty()) {
            sb.append(
                    "<p>No drawings: this allocator keeps no fixed object slots (or the replay used no cache).</p>\n");
            return;
        }
        for (CacheLayout c : r.layouts()) {
            SlabLayout l = c.layout();
            sb.append(String.format(
                    Locale.ROOT,
                    "<h4>%s: object %d B, slot %d B, %d objects per order-%d slab of %d B</h4>%n",
                    esc(c.name()),
                    c.objectSize(),
                    l.slotSize(),
                    l.objects(),
                    c.order(),
                    l.slabBytes()));
            bar(sb, "slot", l.slotSize(), l.slot(), -1);
            bar(sb, "slab", l.slabBytes(), l.slab(), l.slotSize());
        }
    }

    /**
     * A horizontal bar of {@code total} bytes with its parts; in a slab bar ({@code slot} > 0) the
     * run of slots is drawn slot by slot when there are at most {@link #MAX_DRAWN_SLOTS}.
     */
    private static void bar(StringBuilder sb, String what, int total, List<SlabLayout.Part> parts, int slot) {
        int w = W - 20;
        double scale = (double) w / Math.max(1, total);
        sb.append("<svg class=\"layout\" viewBox=\"0 0 ")
                .append(W)
                .append(" 56\" role=\"img\" data-part=\"")
                .append(what)
                .append("\">\n");
        for (SlabLayout.Part p : parts) {
            double x = 10 + p.start() * scale;
            double pw = Math.max(0.5, p.bytes() * scale);
            boolean overlay = p.kind() == SlabLayout.Kind.FREE_POINTER;
            String title =
                    String.format(Locale.ROOT, "[%d, %d) %s (%d bytes)", p.start(), p.end(), p.label(), p.bytes());
            if (p.kind() == SlabLayout.Kind.SLOTS && slot > 0 && p.bytes() / slot <= MAX_DRAWN_SLOTS) {
                for (int i = 0; i < p.bytes() / slot; i++) {
                    sb.append(String.format(
                            Locale.ROOT,
                            "<rect x=\"%.2f\" y=\"8\" width=\"%.2f\" height=\"24\" fill=\"%s\" class=\"part\">"
                                    + "<title>object %d: [%d, %d)</title></rect>%n",
                            10 + (p.start() + (long) i * slot) * scale,
                            Math.max(0.5, slot * scale),
                            i % 2 == 0 ? "#64b5f6" : "#90caf9",
                            i,
                            p.start() + (long) i * slot,
                            p.start() + (long) (i + 1) * slot));
                }
            } else {
                sb.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\" class=\"part\">"
                                + "<title>%s</title></rect>%n",
                        x,
                        overlay ? 14 : 8,
                        pw,
                        overlay ? 12 : 24,
                        PART_COLOURS.get(p.kind()),
                        esc(title)));
            }
            String text = p.label() + " " + p.bytes() + " B";
            // about 6 px a character at the ticks' size; clear of the total at the right
            if (!overlay && x + 2 + 6.0 * text.length() < Math.min(x + pw, W - 100)) {
                sb.append(String.format(
                        Locale.ROOT, "<text x=\"%.2f\" y=\"48\" class=\"tick\">%s</text>%n", x + 2, esc(text)));
            }
        }
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"48\" class=\"tick\" text-anchor=\"end\">%s %d B</text>%n",
                W - 10,
                what,
                total));
        sb.append("</svg>\n");
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static final String CSS = """
            body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
            nav a { margin-right: 1em; }
            pre.table { font-size: 12px; overflow-x: auto; background: #f7f7f7; padding: .5em; }
            svg.chart { width: 100%; max-width: 900px; display: block; }
            svg.layout { width: 100%; max-width: 900px; display: block; }
            svg .part { stroke: #fff; stroke-width: 0.5; }
            svg .frame { fill: none; stroke: #999; }
            svg .series { fill: none; stroke-width: 1.5; }
            svg .tick { font-size: 11px; fill: #555; }
            svg .axis { font-size: 12px; fill: #333; }
            svg .key { font-size: 12px; font-weight: bold; }
            table { border-collapse: collapse; margin-bottom: 1em; }
            td, th { padding: 2px 8px; text-align: left; border-bottom: 1px solid #eee; white-space: nowrap; }
            td .bar { display: inline-block; height: 10px; background: #1f77b4; margin-right: 6px; max-width: 160px; }
            table.caches td .bar { max-width: 200px; }
            #legend span { display: inline-block; margin: 2px 10px 2px 0; font-size: 12px; }
            #legend i { display: inline-block; width: 12px; height: 12px; border: 1px solid #999;
                        vertical-align: middle; margin-right: 4px; }
            .maps-row { display: flex; flex-wrap: wrap; gap: 1.5em; }
            .mapbox { overflow: auto; max-height: 640px; border: 1px solid #ccc; }
            canvas.map { image-rendering: pixelated; display: block; }
            #tip { position: fixed; pointer-events: none; background: #222; color: #fff; padding: 4px 6px;
                   font-size: 12px; border-radius: 3px; display: none; white-space: pre; }
            """;

    static final String SCRIPT = """
            'use strict';
            window.addEventListener('error', function (e) { document.body.dataset.error = String(e.message); });
            (function () {
              const data = JSON.parse(document.getElementById('kmemlab-data').textContent);
              const zoom = document.getElementById('zoom');
              const colsSel = document.getElementById('cols');
              const tip = document.getElementById('tip');
              const maps = document.getElementById('maps');
              const legend = document.getElementById('legend');
              function label(key) {
                return key.startsWith('free:') ? 'free, order ' + key.substring(5)
                  : key.startsWith('slab:') ? 'slab of ' + key.substring(5)
                  : key === 'slab' ? 'slab page (shared by caches)' : key;
              }
              for (const key of Object.keys(data.colours)) {
                const s = document.createElement('span');
                const i = document.createElement('i');
                i.style.background = data.colours[key];
                s.appendChild(i);
                s.appendChild(document.createTextNode(label(key)));
                legend.appendChild(s);
              }
              const views = [];
              for (const a of data.allocators) {
                const h = document.createElement('h3');
                h.textContent = a.name;
                maps.appendChild(h);
                const row = document.createElement('div');
                row.className = 'maps-row';
                maps.appendChild(row);
                for (const when of Object.keys(a.maps)) {
                  const box = document.createElement('div');
                  const cap = document.createElement('div');
                  cap.textContent = (when === 'peak' ? 'at the peak (line ' + a.peak_line + ')' : 'at the end')
                    + ': ' + a.maps[when].frames + ' frames';
                  const scroll = document.createElement('div');
                  scroll.className = 'mapbox';
                  const canvas = document.createElement('canvas');
                  canvas.className = 'map';
                  canvas.dataset.allocator = a.name;
                  canvas.dataset.when = when;
                  scroll.appendChild(canvas);
                  box.appendChild(cap);
                  box.appendChild(scroll);
                  row.appendChild(box);
                  views.push({ canvas: canvas, map: a.maps[when], name: a.name });
                }
              }
              function draw(v) {
                const cell = +zoom.value, cols = +colsSel.value, m = v.map, r = m.runs;
                const rows = Math.ceil(m.frames / cols);
                v.canvas.width = cols * cell;
                v.canvas.height = rows * cell;
                const g = v.canvas.getContext('2d');
                g.fillStyle = '#fff';
                g.fillRect(0, 0, v.canvas.width, v.canvas.height);
                for (let i = 0; i < r.length; i += 5) {
                  g.fillStyle = data.colours[m.legend[r[i + 2]]];
                  let p = r[i];
                  const end = r[i] + r[i + 1];
                  while (p < end) {
                    const x = p % cols, y = Math.floor(p / cols), n = Math.min(end - p, cols - x);
                    g.fillRect(x * cell, y * cell, n * cell, cell);
                    p += n;
                  }
                }
              }
              function runAt(m, pfn) {
                const r = m.runs;
                let lo = 0, hi = r.length / 5 - 1;
                while (lo < hi) {
                  const mid = (lo + hi + 1) >> 1;
                  if (r[mid * 5] <= pfn) lo = mid; else hi = mid - 1;
                }
                return lo * 5;
              }
              function describe(v, pfn) {
                const m = v.map, i = runAt(m, pfn), r = m.runs, key = m.legend[r[i + 2]];
                let s = v.name + '  pfn 0x' + pfn.toString(16) + ' (' + pfn + ')\\n' + label(key);
                if (r[i + 3] >= 0) s += '\\nowner: ' + m.owners[r[i + 3]];
                if (r[i + 4] > 0 || key.startsWith('free:')) s += '\\norder-' + r[i + 4] + ' block at pfn 0x' + r[i].toString(16);
                return s;
              }
              function redraw() { for (const v of views) draw(v); }
              for (const v of views) {
                v.canvas.addEventListener('mousemove', function (e) {
                  const cell = +zoom.value, cols = +colsSel.value;
                  const b = v.canvas.getBoundingClientRect();
                  const x = Math.floor((e.clientX - b.left) / cell), y = Math.floor((e.clientY - b.top) / cell);
                  const pfn = y * cols + x;
                  if (x < 0 || x >= cols || pfn >= v.map.frames) { tip.style.display = 'none'; return; }
                  tip.textContent = describe(v, pfn);
                  tip.style.left = (e.clientX + 14) + 'px';
                  tip.style.top = (e.clientY + 14) + 'px';
                  tip.style.display = 'block';
                });
                v.canvas.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
              }
              zoom.addEventListener('change', redraw);
              colsSel.addEventListener('change', redraw);
              redraw();
              // For the browser test: how many maps were drawn, and how many of their cells are not blank.
              let painted = 0;
              for (const v of views) {
                const px = v.canvas.getContext('2d').getImageData(0, 0, v.canvas.width, v.canvas.height).data;
                for (let i = 0; i < px.length; i += 4) if (px[i] !== 255 || px[i + 1] !== 255 || px[i + 2] !== 255) painted++;
              }
              document.body.dataset.maps = String(views.length);
              document.body.dataset.painted = String(painted);
              window.kmemlabReport = { views: views, describe: describe };
            })();
            """;
}
