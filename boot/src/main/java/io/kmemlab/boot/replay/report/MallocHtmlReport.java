package io.kmemlab.boot.replay.report;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.malloc.MallocFigures;
import io.kmemlab.boot.malloc.MallocReport;
import io.kmemlab.boot.malloc.MallocRun;
import io.kmemlab.boot.malloc.UserAllocators;
import io.kmemlab.mm.user.trace.MallocReplayer;
import io.kmemlab.mm.user.trace.MallocTrace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The page {@code kmemlab report malloc} writes: one self-contained HTML file, like {@link
 * HtmlReport}'s, for user-space allocators. Its sections: the side-by-side table of {@code malloc
 * compare}; heap bytes, live requested bytes and overhead (heap minus live) over the trace, one line
 * per allocator; external fragmentation over the trace; the heap map of each allocator — its heap
 * as cells of a chosen number of bytes, coloured by chunk state (allocated, free by list, top,
 * metadata), with a hover naming the chunk (address, size, state) — at the heap's peak and at the
 * end; and the physical memory map of the machine each ran on at the same two moments, where the
 * process's page tables and user pages are states of their own, named by process and VMA.
 *
 * <p>A pure function of its inputs: the same runs give the same bytes. The data both scripts draw
 * is one JSON document ({@link #data}); the physical maps use {@link HtmlReport#SCRIPT} unchanged.
 */
public final class MallocHtmlReport {
    private static final int W = 900;
    private static final int H = 260;
    private static final int PAD = 60;
    private static final String[] LINE_COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private MallocHtmlReport() {}

    /**
     * One allocator's run: its figures, what the probe saw, the trace line of the operation at
     * which the heap first reached its peak (0: none), and the heap bytes the first run saw there
     * (which the second run's {@link MallocReportProbe#capturedHeapBytes} repeats when the runs
     * agree, as deterministic runs do).
     */
    public record Run(MallocFigures figures, MallocReportProbe probe, int peakLine, long firstRunPeakBytes) {
        /** Did the second run meet the first run's peak where the first saw it? */
        public boolean peakRepeated() {
            return peakLine == 0 || probe.capturedHeapBytes() == firstRunPeakBytes;
        }
    }

    /**
     * Runs {@code trace} through {@code spec} twice, each time in a process on a machine {@code
     * boot} gives (booted alike): the first run finds the operation of the heap's peak, the second
     * captures the maps there and at the end.
     *
     * @return the run, or null if {@code boot} gave no machine
     * @throws MallocRun.SpecRejected for an allocator named wrongly
     * @throws IllegalStateException if a machine has no memory for the process
     */
    public static Run run(
            Supplier<Kernel> boot,
            MallocTrace trace,
            UserAllocators allocators,
            UserAllocators.Spec spec,
            MallocReplayer.Settings settings) {
        Kernel first = boot.get();
        if (first == null) {
            return null;
        }
        MallocReportProbe find = new MallocReportProbe(first, -1);
        MallocRun.run(first, trace, allocators, spec, settings, false, false, find);
        Kernel second = boot.get();
        if (second == null) {
            return null;
        }
        MallocReportProbe probe = new MallocReportProbe(second, find.peakIndex());
        MallocFigures f = MallocRun.run(second, trace, allocators, spec, settings, false, false, probe)
                .figures();
        int line = find.peakIndex() < 0 ? 0 : trace.line(find.peakIndex());
        return new Run(f, probe, line, find.peakHeapBytes());
    }

    /**
     * The page.
     *
     * @param header the trace's header line ({@link MallocReport#header})
     * @param machine the machine the runs booted, as {@code mem=… nr_cpus=…}
     */
    public static String render(String traceName, String header, String machine, List<Run> runs) {
        List<MallocFigures> figures = new ArrayList<>();
        for (Run r : runs) {
            figures.add(r.figures());
        }
        StringBuilder sb = new StringBuilder(1 << 16);
        String title = "kmemlab report malloc: " + traceName;
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(HtmlReport.esc(title))
                .append("</title>\n<style>\n")
                .append(HtmlReport.CSS)
                .append(CSS)
                .append("</style>\n</head>\n<body>\n<h1>")
                .append(HtmlReport.esc(title))
                .append("</h1>\n");
        sb.append("<nav><a href=\"#summary\">summary</a> <a href=\"#memory\">memory over time</a> "
                + "<a href=\"#fragmentation\">fragmentation</a> <a href=\"#heap\">heap map</a> "
                + "<a href=\"#map\">physical memory map</a></nav>\n");
        sb.append("<h2 id=\"summary\">Summary</h2>\n<pre class=\"table\">")
                .append(HtmlReport.esc(
                        header + "\nmachine: " + machine + " (one per allocator)\n\n" + MallocReport.table(figures)))
                .append("</pre>\n");
        sb.append("<h2 id=\"memory\">Memory over the trace</h2>\n<h3>Heap: bytes the allocator holds from the "
                + "kernel</h3>\n");
        chart(sb, runs, "KiB", 0, i -> p -> p.heapBytes()[i] / 1024.0);
        sb.append("<h3>Live bytes: what the program asked for and has not freed</h3>\n");
        chart(sb, runs, "KiB", 0, i -> p -> p.liveRequestedBytes()[i] / 1024.0);
        sb.append("<h3>Overhead: heap minus live bytes (headers, padding, free memory)</h3>\n");
        chart(sb, runs, "KiB", 0, i -> p -> (p.heapBytes()[i] - p.liveRequestedBytes()[i]) / 1024.0);
        sb.append("<h2 id=\"fragmentation\">Fragmentation</h2>\n<h3>External fragmentation: 1 − largest free "
                + "block ÷ free bytes</h3>\n");
        chart(sb, runs, "0 to 1", 1, i -> p -> p.externalFragmentation()[i]);
        sb.append("<h3>Internal fragmentation: usable minus requested bytes of the live blocks</h3>\n");
        chart(sb, runs, "KiB", 0, i -> p -> (p.liveUsableBytes()[i] - p.liveRequestedBytes()[i]) / 1024.0);
        sb.append("<h2 id=\"heap\">Heap map</h2>\n<p>The heap, address by address: a cell is a number of bytes, "
                + "coloured by the chunk that starts the cell; each mapping the heap spans starts a row of its "
                + "own. Hover a cell to name its chunk.</p>\n<div class=\"controls\">bytes per cell "
                + "<select id=\"hbytes\"><option value=\"0\" selected>auto</option><option>16</option>"
                + "<option>64</option><option>256</option><option>1024</option><option>4096</option></select>"
                + " zoom <select id=\"hzoom\"><option value=\"2\">2 px</option><option value=\"4\" selected>4 px"
                + "</option><option value=\"8\">8 px</option><option value=\"16\">16 px</option></select>"
                + " columns <select id=\"hcols\"><option>64</option><option selected>128</option>"
                + "<option>256</option></select></div>\n<div id=\"hlegend\"></div>\n<div id=\"heaps\"></div>\n");
        HtmlReport.mapSection(sb);
        sb.append("<script type=\"application/json\" id=\"kmemlab-data\">\n")
                .append(data(traceName, runs).replace("</", "<\\/"))
                .append("\n</script>\n<script>\n")
                .append(HtmlReport.SCRIPT)
                .append(HEAP_SCRIPT)
                .append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    /**
     * The JSON the scripts draw from: {@code colours} and {@code allocators} as {@link
     * HtmlReport#data} has them (the physical maps), {@code heap_colours} and {@code heaps} (the
     * heap maps).
     */
    public static String data(String traceName, List<Run> runs) {
        TreeSet<String> keys = new TreeSet<>();
        List<String> heapKeys = new ArrayList<>();
        List<Object> allocators = new ArrayList<>();
        List<Object> heaps = new ArrayList<>();
        for (Run r : runs) {
            MallocReportProbe p = r.probe();
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", r.figures().allocator());
            a.put("pid", (long) r.figures().pid());
            a.put("peak_line", (long) r.peakLine());
            Map<String, Object> maps = new LinkedHashMap<>();
            if (p.physicalPeak() != null) {
                keys.addAll(p.physicalPeak().legend());
                maps.put("peak", p.physicalPeak().json());
            }
            if (p.physicalEnd() != null) {
                keys.addAll(p.physicalEnd().legend());
                maps.put("end", p.physicalEnd().json());
            }
            a.put("maps", maps);
            allocators.add(a);
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("name", r.figures().allocator());
            h.put("peak_line", (long) r.peakLine());
            h.put("peak_heap_bytes", r.figures().peakHeapBytes());
            Map<String, Object> hm = new LinkedHashMap<>();
            for (HeapMap m : new HeapMap[] {p.heapPeak(), p.heapEnd()}) {
                if (m != null) {
                    for (String k : m.legend()) {
                        if (!heapKeys.contains(k)) {
                            heapKeys.add(k);
                        }
                    }
                    hm.put(m == p.heapPeak() ? "peak" : "end", m.json());
                }
            }
            h.put("maps", hm);
            heaps.add(h);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("input", traceName);
        root.put("colours", HtmlReport.colours(keys));
        root.put("allocators", allocators);
        root.put("heap_colours", heapColours(heapKeys));
        root.put("heaps", heaps);
        StringBuilder sb = new StringBuilder();
        ReplayReport.Json.write(sb, root, 0);
        return sb.toString();
    }

    /**
     * A colour per heap legend key, in a fixed order: allocated blue (dark blue for a chunk
     * allocated otherwise, such as an mmapped one), top pale green, metadata orange, the free lists
     * distinct colours in name order. Every key gets one.
     */
    static Map<String, Object> heapColours(List<String> keys) {
        Map<String, Object> c = new LinkedHashMap<>();
        TreeSet<String> sorted = new TreeSet<>(keys);
        if (sorted.remove("allocated")) {
            c.put("allocated", "#3f51b5");
        }
        if (sorted.remove("top")) {
            c.put("top", "#c8e6c9");
        }
        List<String> free = new ArrayList<>();
        for (String k : sorted) {
            if (k.equals("metadata") || k.startsWith("metadata:")) {
                c.put(k, "#ff8a65");
            } else if (k.startsWith("allocated:")) {
                c.put(k, "#1a237e");
            } else if (k.equals("free") || k.startsWith("free:")) {
                free.add(k);
            }
        }
        for (int i = 0; i < free.size(); i++) {
            c.put(free.get(i), FREE_COLOURS[i % FREE_COLOURS.length]);
        }
        return c;
    }

    /** Free lists' colours, far from allocated blue, top's pale green and metadata's orange. */
    private static final String[] FREE_COLOURS = {
        "#e53935", "#fdd835", "#43a047", "#8e24aa", "#00acc1", "#d81b60", "#6d4c41", "#c0ca33", "#f06292", "#26a69a",
        "#ffb300", "#5e35b1"
    };

    /** A value of point {@code i} of one run's probe. */
    private interface Value {
        double of(MallocReportProbe p);
    }

    /**
     * An SVG line chart over the trace's operations, one line per allocator; {@code fixedMax} > 0
     * fixes the y axis (a share), else it scales to the largest value.
     */
    private static void chart(
            StringBuilder sb, List<Run> runs, String yTitle, double fixedMax, IntFunction<Value> value) {
        long x1 = 1;
        double yMax = fixedMax;
        for (Run r : runs) {
            MallocReportProbe p = r.probe();
            long[] ops = p.ops();
            for (int i = 0; i < ops.length; i++) {
                x1 = Math.max(x1, ops[i]);
                if (fixedMax <= 0) {
                    yMax = Math.max(yMax, value.apply(i).of(p));
                }
            }
        }
        if (yMax <= 0) {
            yMax = 1;
        }
        sb.append("<svg class=\"chart\" viewBox=\"0 0 ")
                .append(W)
                .append(' ')
                .append(H)
                .append("\" role=\"img\">\n");
        int plotW = W - PAD - 10;
        int plotH = H - PAD - 10;
        sb.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"10\" width=\"%d\" height=\"%d\" class=\"frame\"/>\n",
                PAD,
                plotW,
                plotH));
        for (int k = 0; k <= 4; k++) {
            double y = 10 + plotH * (1 - k / 4.0);
            double x = PAD + plotW * k / 4.0;
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>\n",
                    PAD - 4,
                    y + 4,
                    fixedMax > 0
                            ? String.format(Locale.ROOT, "%.2f", fixedMax * k / 4)
                            : String.format(Locale.ROOT, "%,.0f", yMax * k / 4)));
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"%s\">%d</text>\n",
                    x,
                    H - PAD + 16,
                    k == 0 ? "start" : k == 4 ? "end" : "middle",
                    Math.round(x1 * k / 4.0)));
        }
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">operations</text>\n",
                PAD + (W - PAD) / 2,
                H - 8));
        int mid = 10 + (H - PAD) / 2;
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"14\" y=\"%d\" class=\"axis\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s"
                        + "</text>\n",
                mid,
                mid,
                HtmlReport.esc(yTitle)));
        for (int r = 0; r < runs.size(); r++) {
            MallocReportProbe p = runs.get(r).probe();
            String colour = LINE_COLOURS[r % LINE_COLOURS.length];
            String name = runs.get(r).figures().allocator();
            sb.append("<polyline class=\"series\" stroke=\"").append(colour).append("\" points=\"");
            long[] ops = p.ops();
            for (int i = 0; i < ops.length; i++) {
                double v = value.apply(i).of(p);
                double x = PAD + plotW * (double) ops[i] / x1;
                double y = 10 + plotH * (1 - Math.max(0, Math.min(v, yMax)) / yMax);
                sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            sb.append("\"><title>").append(HtmlReport.esc(name)).append("</title></polyline>\n");
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" fill=\"%s\" class=\"key\">%s</text>\n",
                    PAD + 10,
                    28 + 16 * r,
                    colour,
                    HtmlReport.esc(name)));
        }
        sb.append("</svg>\n");
    }

    private static final String CSS = """
            canvas.heap { image-rendering: pixelated; display: block; }
            #hlegend span { display: inline-block; margin: 2px 10px 2px 0; font-size: 12px; }
            #hlegend i { display: inline-block; width: 12px; height: 12px; border: 1px solid #999;
                         vertical-align: middle; margin-right: 4px; }
            """;

    private static final String HEAP_SCRIPT = """
            (function () {
              const data = JSON.parse(document.getElementById('kmemlab-data').textContent);
              const bytesSel = document.getElementById('hbytes');
              const zoom = document.getElementById('hzoom');
              const colsSel = document.getElementById('hcols');
              const tip = document.getElementById('tip');
              const heaps = document.getElementById('heaps');
              const legend = document.getElementById('hlegend');
              function label(key) {
                const i = key.indexOf(':');
                return i < 0 ? (key === 'top' ? 'top chunk' : key) : key.substring(0, i) + ': ' + key.substring(i + 1);
              }
              for (const key of Object.keys(data.heap_colours)) {
                const s = document.createElement('span');
                const i = document.createElement('i');
                i.style.background = data.heap_colours[key];
                s.appendChild(i);
                s.appendChild(document.createTextNode(label(key)));
                legend.appendChild(s);
              }
              const views = [];
              for (const h of data.heaps) {
                const t = document.createElement('h3');
                t.textContent = h.name;
                heaps.appendChild(t);
                const row = document.createElement('div');
                row.className = 'maps-row';
                heaps.appendChild(row);
                const whens = Object.keys(h.maps);
                if (whens.length === 0) {
                  const p = document.createElement('p');
                  p.textContent = 'This allocator shows no chunks of its heap.';
                  row.appendChild(p);
                }
                for (const when of whens) {
                  const m = h.maps[when];
                  let bytes = 0;
                  for (let i = 1; i < m.segments.length; i += 2) bytes += m.segments[i];
                  const box = document.createElement('div');
                  const cap = document.createElement('div');
                  cap.textContent = (when === 'peak' ? 'at the peak (line ' + h.peak_line + ')' : 'at the end')
                    + ': ' + (m.chunks.length / 3) + ' chunks, ' + bytes + ' bytes from ' + m.base;
                  const scroll = document.createElement('div');
                  scroll.className = 'mapbox';
                  const canvas = document.createElement('canvas');
                  canvas.className = 'heap';
                  canvas.dataset.allocator = h.name;
                  canvas.dataset.when = when;
                  scroll.appendChild(canvas);
                  box.appendChild(cap);
                  box.appendChild(scroll);
                  row.appendChild(box);
                  views.push({ canvas: canvas, map: m, name: h.name, when: when, bytes: bytes, base: parseInt(m.base, 16) });
                }
              }
              function perCell(v) {
                const chosen = +bytesSel.value;
                if (chosen > 0) return chosen;
                let b = 16;
                while (v.bytes / b > 32768) b *= 2;
                return b;
              }
              // Each segment starts a row; a blank row between segments.
              function rowsOf(v, b, cols) {
                const starts = [];
                let row = 0;
                const s = v.map.segments;
                for (let i = 0; i < s.length; i += 2) {
                  starts.push(row);
                  row += Math.ceil(s[i + 1] / b / cols) + 1;
                }
                return { starts: starts, rows: Math.max(1, row - 1) };
              }
              function draw(v) {
                const b = perCell(v), cell = +zoom.value, cols = +colsSel.value, m = v.map;
                const layout = rowsOf(v, b, cols);
                v.layout = layout;
                v.b = b;
                v.canvas.width = cols * cell;
                v.canvas.height = Math.min(30000, layout.rows * cell);
                const g = v.canvas.getContext('2d');
                g.fillStyle = '#fff';
                g.fillRect(0, 0, v.canvas.width, v.canvas.height);
                const s = m.segments, c = m.chunks;
                let seg = 0;
                for (let i = 0; i < c.length; i += 3) {
                  while (seg + 2 < s.length && c[i] >= s[seg + 2]) seg += 2;
                  g.fillStyle = data.heap_colours[m.legend[c[i + 2]]];
                  const first = Math.floor((c[i] - s[seg]) / b), last = Math.floor((c[i] + c[i + 1] - 1 - s[seg]) / b);
                  let p = first;
                  const top = layout.starts[seg / 2] * cols;
                  while (p <= last) {
                    const q = top + p, x = q % cols, y = Math.floor(q / cols), n = Math.min(last - p + 1, cols - x);
                    g.fillRect(x * cell, y * cell, n * cell, cell);
                    p += n;
                  }
                }
              }
              function chunkAt(m, off) {
                const c = m.chunks;
                let lo = 0, hi = c.length / 3 - 1;
                if (hi < 0) return -1;
                while (lo < hi) {
                  const mid = (lo + hi + 1) >> 1;
                  if (c[mid * 3] <= off) lo = mid; else hi = mid - 1;
                }
                return c[lo * 3] <= off && off < c[lo * 3] + c[lo * 3 + 1] ? lo * 3 : -1;
              }
              function describe(v, cellIndex) {
                const cols = +colsSel.value, s = v.map.segments, st = v.layout.starts;
                const row = Math.floor(cellIndex / cols);
                let seg = -1;
                for (let i = 0; i < st.length; i++) if (st[i] <= row) seg = i;
                if (seg < 0) return null;
                const off = s[seg * 2] + (cellIndex - st[seg] * cols) * v.b;
                if (off >= s[seg * 2] + s[seg * 2 + 1]) return null;
                const i = chunkAt(v.map, off);
                if (i < 0) return null;
                const c = v.map.chunks;
                let more = 0;
                for (let j = i + 3; j < c.length && c[j] < off + v.b; j += 3) more++;
                let t = v.name + ' (' + v.when + ')\\nchunk 0x' + (v.base + c[i]).toString(16) + ', ' + c[i + 1]
                  + ' bytes\\n' + label(v.map.legend[c[i + 2]]);
                if (more > 0) t += '\\n+' + more + ' more chunks in this cell of ' + v.b + ' bytes';
                return t;
              }
              function redraw() { for (const v of views) draw(v); }
              for (const v of views) {
                v.canvas.addEventListener('mousemove', function (e) {
                  const cell = +zoom.value, cols = +colsSel.value;
                  const r = v.canvas.getBoundingClientRect();
                  const x = Math.floor((e.clientX - r.left) / cell), y = Math.floor((e.clientY - r.top) / cell);
                  const text = x < 0 || x >= cols ? null : describe(v, y * cols + x);
                  if (text === null) { tip.style.display = 'none'; return; }
                  tip.textContent = text;
                  tip.style.left = (e.clientX + 14) + 'px';
                  tip.style.top = (e.clientY + 14) + 'px';
                  tip.style.display = 'block';
                });
                v.canvas.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
              }
              bytesSel.addEventListener('change', redraw);
              zoom.addEventListener('change', redraw);
              colsSel.addEventListener('change', redraw);
              redraw();
              // For the browser test: heap maps drawn, and their cells that are not blank.
              let painted = 0;
              for (const v of views) {
                const px = v.canvas.getContext('2d').getImageData(0, 0, v.canvas.width, v.canvas.height).data;
                for (let i = 0; i < px.length; i += 4) if (px[i] !== 255 || px[i + 1] !== 255 || px[i + 2] !== 255) painted++;
              }
              document.body.dataset.heaps = String(views.length);
              document.body.dataset.heapPainted = String(painted);
              window.kmemlabHeaps = { views: views, describe: describe };
            })();
            """;
}
