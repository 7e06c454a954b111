package xner.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import xner.evaluate.ConfusionMatrix;
import xner.io.Durable;
import xner.train.EpochLog;

/**
 * The experiment's plots, drawn with XChart and written as PNG (for Markdown viewers) and SVG (for the HTML
 * report): the French learning curve against the zero-shot line, per-epoch curves, and a confusion matrix as
 * a heatmap. Drawing needs no display (AWT runs headless).
 */
public final class Charts {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    // one colour per sub-run, colour-blind safe (Okabe and Ito)
    private static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0)};

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * F1 on French test against the number of French training sentences (log scale), with the German model's
     * zero-shot F1 as a dashed horizontal line when known.
     */
    public static XYChart learningCurve(List<ExperimentResults.CurvePoint> points, Double zeroShot) {
        XYChart chart = xyChart("French learning curve", "French training sentences (log scale)", "F1 on French test");
        // XChart's logarithmic axis labels only powers of ten; x is drawn as log2(n / first size) instead, so the
        // chapter's doublings (250 … 4000) fall on whole numbers, labelled with the sizes themselves
        double base = points.isEmpty() ? 250 : points.get(0).samples();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0");
        chart.getStyler().setXAxisTickMarkSpacingHint(120);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS); // below: never over a point
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.setCustomXAxisTickLabelsFormatter(x -> Math.abs(x - Math.rint(x)) < 1e-9
                ? String.valueOf(Math.round(base * Math.pow(2, x))) : "");
        List<Double> xs = points.stream().map(p -> log2(p.samples() / base)).toList();
        if (!points.isEmpty()) {
            XYSeries s = chart.addSeries("fine-tuned on French", xs, points.stream().map(ExperimentResults.CurvePoint::f1).toList());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(PALETTE[0]);
            s.setLineColor(PALETTE[0]);
        }
        if (zeroShot != null) {
            double from = xs.isEmpty() ? 0 : xs.get(0);
            double to = xs.isEmpty() ? 4 : Math.max(xs.get(xs.size() - 1), from + 1);
            XYSeries line = chart.addSeries("zero-shot from German", List.of(from, to), List.of(zeroShot, zeroShot));
            line.setMarker(SeriesMarkers.NONE);
            line.setLineStyle(SeriesLines.DASH_DASH);
            line.setLineColor(PALETTE[1]);
        }
        return chart;
    }

    /**
     * Active learning's learning curves: test F1 against annotated sentences, one line per strategy (random dashed: the
     * baseline the others are read against), and the starting model's F1 before any annotation as a dotted grey line.
     */
    public static XYChart strategyCurves(Map<String, List<ActiveLearningResults.CurvePoint>> curves, Double start,
            String title) {
        XYChart chart = xyChart(title, "annotated sentences", "F1 on test (micro)");
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS); // below: never over a point
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        int k = 0;
        for (Map.Entry<String, List<ActiveLearningResults.CurvePoint>> curve : curves.entrySet()) {
            Color color = PALETTE[k++ % PALETTE.length];
            if (curve.getValue().isEmpty()) continue;
            series(chart, curve.getKey(), curve.getValue().stream().map(p -> (double) p.annotated()).toList(),
                    curve.getValue().stream().map(ActiveLearningResults.CurvePoint::f1).toList(), color,
                    curve.getKey().equals("random") ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
        }
        if (start != null) {
            // the starting model before any annotation, across the annotated range (French: zero-shot from German)
            List<Double> xs = curves.values().stream().flatMap(List::stream).map(p -> (double) p.annotated()).sorted().toList();
            double from = xs.isEmpty() ? 0 : xs.get(0);
            double to = xs.isEmpty() ? 1 : Math.max(xs.get(xs.size() - 1), from + 1);
            XYSeries line = chart.addSeries("starting model, no annotation", List.of(from, to), List.of(start, start));
            line.setMarker(SeriesMarkers.NONE);
            line.setLineStyle(SeriesLines.DOT_DOT);
            line.setLineColor(Color.GRAY);
        }
        return chart;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Which number of an epoch row a per-epoch chart shows. */
    public enum EpochMetric { LOSS, F1 }

    /**
     * Per-epoch curves of several sub-runs, one colour each: training (solid) and validation (dashed) loss, or
     * validation F1.
     */
    public static XYChart epochCurves(Map<String, List<EpochLog>> runs, EpochMetric metric) {
        XYChart chart = xyChart(metric == EpochMetric.LOSS ? "Loss per epoch" : "Validation F1 per epoch", "epoch",
                metric == EpochMetric.LOSS ? "cross-entropy" : "F1");
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE); // many series: keep them off the lines
        if (metric == EpochMetric.F1) chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0");
        int k = 0;
        for (Map.Entry<String, List<EpochLog>> run : runs.entrySet()) {
            Color color = PALETTE[k++ % PALETTE.length];
            List<Double> epochs = run.getValue().stream().map(l -> (double) l.epoch()).toList();
            if (epochs.isEmpty()) continue;
            if (metric == EpochMetric.LOSS) {
                series(chart, run.getKey() + " training", epochs, run.getValue().stream().map(EpochLog::trainingLoss).toList(),
                        color, SeriesLines.SOLID);
                series(chart, run.getKey() + " validation", epochs,
                        run.getValue().stream().map(EpochLog::validationLoss).toList(), color, SeriesLines.DASH_DASH);
            } else {
                series(chart, run.getKey(), epochs, run.getValue().stream().map(EpochLog::f1).toList(), color, SeriesLines.SOLID);
            }
        }
        return chart;
    }

    private static void series(XYChart chart, String name, List<Double> x, List<Double> y, Color color, BasicStroke line) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
        s.setLineColor(color);
        s.setLineStyle(line);
    }

    /** The normalised confusion matrix as a heatmap: gold tags down (first on top), predicted tags across. */
    public static HeatMapChart confusion(ConfusionMatrix matrix, String title) {
        // the builder applies the theme; HeatMapChart(width, height) leaves its colours and legend font null
        HeatMapChart chart = new HeatMapChartBuilder().width(680).height(580).title(title).xAxisTitle("Predicted label")
                .yAxisTitle("True label").build();
        var styler = chart.getStyler();
        styler.setShowValue(true).setHeatMapValueDecimalPattern("0.00").setMin(0).setMax(1)
                .setRangeColors(new Color[] {new Color(247, 251, 255), new Color(158, 202, 225), new Color(66, 146, 198)})
                .setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(false);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        List<String> names = matrix.labels().names();
        int n = names.size();
        double[][] values = matrix.normalised();
        List<String> rows = new ArrayList<>(names);
        java.util.Collections.reverse(rows); // XChart draws the first y category at the bottom
        List<Number[]> cells = new ArrayList<>();
        for (int gold = 0; gold < n; gold++) {
            for (int predicted = 0; predicted < n; predicted++) {
                cells.add(new Number[] {predicted, n - 1 - gold, values[gold][predicted]});
            }
        }
        chart.addSeries("share of the gold tag", names, rows, cells);
        return chart;
    }

    private static XYChart xyChart(String title, String x, String y) {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(x);
        chart.setYAxisTitle(y);
        var styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideSE);
        styler.setMarkerSize(7);
        return chart;
    }

    /** Writes {@code name.png} and {@code name.svg} into {@code dir}, each atomically; returns both paths. */
    public static List<Path> write(Chart<?, ?> chart, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        Path tmp = dir.resolve(name + ".png.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        Durable.publish(tmp, png);
        tmp = dir.resolve(name + ".svg.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
        Durable.publish(tmp, svg);
        return List.of(png, svg);
    }
}
