package io.kmemlab.boot.replay.report;

import io.kmemlab.boot.replay.ReplayStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * The charts of {@code kmemlab compare}, drawn with XChart: slab memory over virtual time (one line
 * per allocator) and fragmentation per allocator: a bar series for every {@link ReplayMetric} with a
 * chart (internal fragmentation as perf kmem stat defines it, free slots and metadata of the
 * replay's caches at the end, overhead and the buddy unusable-free index for order 3 at the
 * peak). Each is written as PNG and SVG.
 */
public final class CompareChart {
    private CompareChart() {}

    /**
     * Writes {@code <prefix>-memory.{png,svg}} and {@code <prefix>-fragmentation.{png,svg}} in
     * {@code dir} (created if needed).
     *
     * @return the paths written
     */
    public static List<Path> write(Path dir, String prefix, String title, List<ReplayStats> runs) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        XYChart mem = memoryChart(title, runs);
        Path memBase = dir.resolve(prefix + "-memory");
        BitmapEncoder.saveBitmap(mem, memBase.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(
                mem, memBase.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        out.add(Path.of(memBase + ".png"));
        out.add(Path.of(memBase + ".svg"));
        CategoryChart frag = fragmentationChart(title, runs);
        Path fragBase = dir.resolve(prefix + "-fragmentation");
        BitmapEncoder.saveBitmap(frag, fragBase.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(
                frag, fragBase.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        out.add(Path.of(fragBase + ".png"));
        out.add(Path.of(fragBase + ".svg"));
        return out;
    }

    static XYChart memoryChart(String title, List<ReplayStats> runs) {
        XYChart c = new XYChartBuilder()
                .width(1000)
                .height(560)
                .title("Slab memory: " + title)
                .xAxisTitle("virtual time (s)")
                .yAxisTitle("slab memory (KiB)")
                .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setMarkerSize(0);
        for (ReplayStats s : runs) {
            ReplayStats.MemorySeries m = s.series();
            int n = Math.max(1, m.size());
            double[] x = new double[n];
            double[] y = new double[n];
            double t0 = m.size() == 0 ? 0 : m.nanosAt(0) / 1e9;
            for (int i = 0; i < m.size(); i++) {
                x[i] = m.nanosAt(i) / 1e9 - t0;
                y[i] = m.bytesAt(i) / 1024.0;
            }
            XYSeries series = c.addSeries(s.allocator() + " (peak " + s.peakSlabBytes() / 1024 + " KiB)", x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        return c;
    }

    static CategoryChart fragmentationChart(String title, List<ReplayStats> runs) {
        CategoryChart c = new CategoryChartBuilder()
                .width(1000)
                .height(560)
                .title("Fragmentation: " + title)
                .xAxisTitle("allocator")
                .yAxisTitle("percent")
                .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        List<String> names = new ArrayList<>();
        for (ReplayStats s : runs) {
            names.add(s.allocator());
        }
        for (ReplayMetric m : ReplayMetric.ALL) {
            if (m.chart() == null) {
                continue;
            }
            List<Double> percent = new ArrayList<>();
            for (ReplayStats s : runs) {
                percent.add(m.chart().percent().applyAsDouble(s));
            }
            c.addSeries(m.chart().series(), names, percent);
        }
        return c;
    }
}
