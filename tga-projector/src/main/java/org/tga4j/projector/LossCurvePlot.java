package org.tga4j.projector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@code loss_curve.png}: total loss, LM loss and the weighted alignment terms against the step. */
public final class LossCurvePlot {
    public static final String FILE = "loss_curve.png";

    private LossCurvePlot() {}

    /** Draws the curves of {@code metrics} into {@code file} (PNG, written atomically). */
    public static void write(List<StepMetrics> metrics, Path file, String title) {
        if (metrics.isEmpty()) return;
        double[] steps = metrics.stream().mapToDouble(StepMetrics::step).toArray();
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("step")
                .yAxisTitle("loss").build();
        chart.getStyler().setMarkerSize(0);
        chart.addSeries("total", steps, metrics.stream().mapToDouble(StepMetrics::loss).toArray())
                .setMarker(SeriesMarkers.NONE);
        chart.addSeries("LM (CE)", steps, metrics.stream().mapToDouble(StepMetrics::ce).toArray())
                .setMarker(SeriesMarkers.NONE);
        if (metrics.stream().anyMatch(m -> m.pair() != 0)) {
            chart.addSeries("(1-p) w L_pair", steps, metrics.stream().mapToDouble(m -> m.pairScale() * m.pair()).toArray())
                    .setMarker(SeriesMarkers.NONE);
            chart.addSeries("(1-p)^2 w L_hinge", steps,
                    metrics.stream().mapToDouble(m -> m.hingeScale() * m.hinge()).toArray()).setMarker(SeriesMarkers.NONE);
        }
        savePng(chart, file);
    }

    /** Writes a chart as a PNG, atomically (temp file in the same folder, then a move). */
    public static void savePng(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".loss_curve", ".png");
            try {
                BitmapEncoder.saveBitmap(chart, tmp.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing loss curve " + file + ": " + e.getMessage(), e);
        }
    }
}
