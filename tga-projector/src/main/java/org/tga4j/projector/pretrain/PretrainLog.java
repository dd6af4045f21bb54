package org.tga4j.projector.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.tga4j.projector.LossCurvePlot;

/**
 * {@code metrics.jsonl} (one {@link PretrainMetrics} per line, flushed each step) and {@code loss_curve.png} (the
 * loss and its running mean against the step) of a pretraining run.
 */
public final class PretrainLog implements AutoCloseable {
    public static final String FILE = "metrics.jsonl", PLOT = "loss_curve.png";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final BufferedWriter out;
    private final List<PretrainMetrics> seen = new ArrayList<>();

    private PretrainLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Creates (or truncates) {@code metrics.jsonl} in {@code dir}. */
    public static PretrainLog create(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            return new PretrainLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("creating metrics log " + file + ": " + e.getMessage(), e);
        }
    }

    public void append(PretrainMetrics m) {
        try {
            out.write(JSON.writeValueAsString(m));
            out.newLine();
            out.flush();
            seen.add(m);
        } catch (IOException e) {
            throw new UncheckedIOException("writing metrics log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Everything appended so far. */
    public List<PretrainMetrics> metrics() {
        return List.copyOf(seen);
    }

    /** Reads a {@code metrics.jsonl}. */
    public static List<PretrainMetrics> read(Path file) {
        List<PretrainMetrics> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) out.add(JSON.readValue(line, PretrainMetrics.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading metrics log " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Draws the loss curve into {@code file} (PNG; temp file then move). Nothing for no metrics. */
    public static void plot(List<PretrainMetrics> metrics, Path file, String title) {
        if (metrics.isEmpty()) return;
        double[] steps = metrics.stream().mapToDouble(PretrainMetrics::step).toArray();
        double[] loss = metrics.stream().mapToDouble(PretrainMetrics::loss).toArray();
        double[] mean = new double[loss.length];
        int window = Math.max(1, loss.length / 20);
        double sum = 0;
        for (int i = 0; i < loss.length; i++) {
            sum += loss[i];
            if (i >= window) sum -= loss[i - window];
            mean[i] = sum / Math.min(i + 1, window);
        }
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("step")
                .yAxisTitle("cross-entropy (nats)").build();
        chart.getStyler().setXAxisTickMarkSpacingHint(120);
        chart.addSeries("loss", steps, loss).setMarker(SeriesMarkers.NONE);
        chart.addSeries("running mean (" + window + " steps)", steps, mean).setMarker(SeriesMarkers.NONE);
        LossCurvePlot.savePng(chart, file);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing metrics log " + file + ": " + e.getMessage(), e);
        }
    }
}
