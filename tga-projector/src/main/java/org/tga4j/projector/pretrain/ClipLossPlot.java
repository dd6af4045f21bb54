package org.tga4j.projector.pretrain;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.tga4j.projector.LossCurvePlot;

/** {@code loss_curve.png} of a CLIP pretraining run: the contrastive loss, and the accuracies on a second axis. */
public final class ClipLossPlot {
    public static final String FILE = "loss_curve.png";

    private ClipLossPlot() {}

    /** Draws {@code metrics} into {@code file} (PNG, written atomically); nothing when there are none. */
    public static void write(List<ClipStepMetrics> metrics, Path file, String title) {
        if (metrics.isEmpty()) return;
        double[] steps = metrics.stream().mapToDouble(ClipStepMetrics::step).toArray();
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("step").build();
        chart.getStyler().setMarkerSize(4);
        chart.setYAxisGroupTitle(0, "loss");
        chart.setYAxisGroupTitle(1, "accuracy");
        chart.addSeries("InfoNCE loss", steps, metrics.stream().mapToDouble(ClipStepMetrics::loss).toArray())
                .setMarker(SeriesMarkers.NONE);
        XYSeries batch = chart.addSeries("in-batch image->text top-1", steps,
                metrics.stream().mapToDouble(ClipStepMetrics::batchAccuracy).toArray());
        batch.setMarker(SeriesMarkers.NONE);
        batch.setYAxisGroup(1);
        List<ClipStepMetrics> evals = metrics.stream().filter(m -> m.valTop1() != null).toList();
        if (!evals.isEmpty()) {
            XYSeries val = chart.addSeries("held-out image->text top-1",
                    evals.stream().mapToDouble(ClipStepMetrics::step).toArray(),
                    evals.stream().map(ClipStepMetrics::valTop1).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                            .toArray());
            val.setYAxisGroup(1);
            val.setMarker(SeriesMarkers.CIRCLE);
        }
        LossCurvePlot.savePng(chart, file);
    }
}
