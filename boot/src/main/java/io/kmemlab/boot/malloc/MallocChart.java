package io.kmemlab.boot.malloc;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code malloc compare}'s chart: for each allocator, the heap it holds from the kernel (solid)
 * and the process's RSS (dashed) over the trace's operations, as PNG and SVG.
 */
public final class MallocChart {
    /** One colour per allocator, its heap and RSS lines alike. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    private MallocChart() {}

    /** Writes {@code malloc-NAME.{png,svg}} in {@code dir}; returns both paths. */
    public static List<Path> write(Path dir, String name, MallocReport.TraceRuns runs) throws IOException {
        Files.createDirectories(dir);
        XYChart c = chart(runs);
        Path base = dir.resolve("malloc-" + name);
        BitmapEncoder.saveBitmap(c, base.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(c, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        List<Path> out = new ArrayList<>();
        out.add(Path.of(base + ".png"));
        out.add(Path.of(base + ".svg"));
        return out;
    }

    static XYChart chart(MallocReport.TraceRuns runs) {
        XYChart c = new XYChartBuilder()
                .width(1000)
                .height(560)
                .title("Heap and RSS over " + runs.trace().name())
                .xAxisTitle("operations")
                .yAxisTitle("KiB")
                .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setMarkerSize(0);
        int k = 0;
        for (MallocFigures f : runs.runs()) {
            Color colour = PALETTE[k++ % PALETTE.length];
            HeapSeries s = f.series();
            if (s.size() == 0) {
                continue;
            }
            double[] x = new double[s.size()];
            double[] heap = new double[s.size()];
            double[] rss = new double[s.size()];
            long[] ops = s.ops();
            long[] h = s.heapBytes();
            long[] r = s.rssPages();
            for (int i = 0; i < x.length; i++) {
                x[i] = ops[i];
                heap[i] = h[i] / 1024.0;
                rss[i] = r[i] * 4.0;
            }
            XYSeries hs = c.addSeries(f.allocator() + " heap", x, heap);
            hs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            hs.setMarker(SeriesMarkers.NONE);
            hs.setLineColor(colour);
            XYSeries rs = c.addSeries(f.allocator() + " RSS", x, rss);
            rs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            rs.setMarker(SeriesMarkers.NONE);
            rs.setLineStyle(SeriesLines.DASH_DASH);
            rs.setLineColor(colour);
        }
        return c;
    }
}
