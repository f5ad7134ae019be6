package io.streamops.benchmarks.suite;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The latency-against-connections chart of the gateway load part, as a PNG. */
final class Plot {

    private Plot() {}

    static void write(List<Curve> curves, Path file) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Curve curve : curves) {
            XYSeries series = new XYSeries(curve.series());
            // A log axis cannot show zero: anything under a microsecond is drawn at one.
            curve.points().forEach(p -> series.add(p.connections(), Math.max(p.milliseconds(), 0.001)));
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                "Open-loop latency, 1 request/s per connection (coordinated omission corrected)",
                "concurrent connections",
                "latency (ms, log scale)",
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        LogAxis latency = new LogAxis("latency (ms, log scale)");
        latency.setSmallestValue(0.001);
        // Ticks at 1, 10, 100 ms..., labelled as milliseconds rather than as powers of ten.
        latency.setTickUnit(new NumberTickUnit(1));
        latency.setMinorTickCount(9);
        latency.setMinorTickMarksVisible(true);
        latency.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        plot.setRangeAxis(latency);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < curves.size(); i++) {
            boolean gateway = curves.get(i).series().startsWith("streamops");
            renderer.setSeriesPaint(i, gateway ? new Color(0x1f77b4) : new Color(0xd62728));
            renderer.setSeriesStroke(
                    i,
                    curves.get(i).series().contains("p50")
                            ? new BasicStroke(2f)
                            : new BasicStroke(
                                    2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        plot.setRenderer(renderer);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 960, 540);
    }
}
