package io.kmemlab.boot.populate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** RSS over virtual time for each variant of the populate demo, as PNG and SVG. */
public final class PopulateChart {
    private PopulateChart() {}

    /** Writes {@code populate-rss.{png,svg}} in {@code dir}; returns the PNG's path. */
    public static Path write(Path dir, List<PopulateDemo.Run> runs, long size) throws IOException {
        Files.createDirectories(dir);
        XYChart c = chart(runs, size);
        Path base = dir.resolve("populate-rss");
        BitmapEncoder.saveBitmap(c, base.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(c, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return Path.of(base + ".png");
    }

    static XYChart chart(List<PopulateDemo.Run> runs, long size) {
        XYChart c = new XYChartBuilder()
                .width(1000)
                .height(560)
                .title("RSS of a " + (size >> 20) + " MiB arena: mmap, then a touch of every page")
                .xAxisTitle("virtual time from the mmap call (ms)")
                .yAxisTitle("RSS (MiB)")
                .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        c.getStyler().setMarkerSize(0);
        for (PopulateDemo.Run r : runs) {
            int n = r.rssNanos().length;
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.rssNanos()[i] / 1e6;
                y[i] = r.rssPages()[i] / 256.0;
            }
            XYSeries s = c.addSeries(r.variant().label() + " (mmap " + PopulateReport.time(r.mmapNanos()) + ")", x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        return c;
    }
}
