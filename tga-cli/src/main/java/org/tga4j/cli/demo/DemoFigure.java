package org.tga4j.cli.demo;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.tga4j.eval.metrics.Rate;

/**
 * {@code report.png}: the report's two main plots in one picture — DSR per hazardous class (text-only, baseline, TGA)
 * and the per-layer image↔description cosine of both models with the safety band marked.
 */
final class DemoFigure {
    static final String FILE = "report.png";
    private static final Color TEXT = new Color(31, 119, 180), BASELINE = new Color(255, 127, 14),
            TGA = new Color(44, 160, 44), BAND = new Color(150, 150, 150);

    private DemoFigure() {}

    static void write(Path out, DemoSummary s) throws IOException {
        DemoSummary.Method base = method(s, "baseline"), tga = method(s, "tga");
        List<String> classes = new ArrayList<>(base.imageDsrByClass().keySet());
        classes.add("all");
        CategoryChart dsr = new CategoryChartBuilder().width(760).height(420)
                .title("DSR on held-out hazardous images").yAxisTitle("DSR (%)").build();
        dsr.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        dsr.getStyler().setSeriesColors(new Color[] {TEXT, BASELINE, TGA});
        dsr.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        dsr.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        dsr.addSeries("text-only (ceiling)", classes, values(classes, base.textDsrByClass(), base.textDsr()));
        dsr.addSeries("LLaVA baseline", classes, values(classes, base.imageDsrByClass(), base.imageDsr()));
        dsr.addSeries("TGA", classes, values(classes, tga.imageDsrByClass(), tga.imageDsr()));

        XYChart cos = new XYChartBuilder().width(760).height(420).title("cos(image, description) per layer, band "
                + s.band()[0] + ".." + s.band()[1]).xAxisTitle("hidden-state index").yAxisTitle("cosine").build();
        cos.getStyler().setSeriesColors(new Color[] {BASELINE, TGA, BAND});
        cos.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        cos.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        double[] x = new double[base.cosine().length];
        for (int i = 0; i < x.length; i++) x[i] = i;
        cos.addSeries("LLaVA baseline", x, base.cosine()).setMarker(SeriesMarkers.CIRCLE);
        cos.addSeries("TGA", x, tga.cosine()).setMarker(SeriesMarkers.CIRCLE);
        double lo = Math.min(min(base.cosine()), min(tga.cosine())), hi = Math.max(max(base.cosine()), max(tga.cosine()));
        cos.addSeries("safety band", new double[] {s.band()[0], s.band()[0], s.band()[1], s.band()[1]},
                new double[] {lo, hi, hi, lo}).setMarker(SeriesMarkers.NONE);

        BufferedImage left = BitmapEncoder.getBufferedImage(dsr), right = BitmapEncoder.getBufferedImage(cos);
        BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(), Math.max(left.getHeight(),
                right.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        Path tmp = Files.createTempFile(out.toAbsolutePath(), ".report", ".png");
        try {
            ImageIO.write(both, "png", tmp.toFile());
            Files.move(tmp, out.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static List<Double> values(List<String> classes, Map<String, Rate> byClass, Rate all) {
        List<Double> v = new ArrayList<>();
        for (String c : classes) {
            Rate r = c.equals("all") ? all : byClass.get(c);
            v.add(r == null ? 0.0 : 100 * r.value());
        }
        return v;
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) if (Double.isFinite(v)) m = Math.min(m, v);
        return m;
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) if (Double.isFinite(v)) m = Math.max(m, v);
        return m;
    }

    private static DemoSummary.Method method(DemoSummary s, String name) {
        return s.methods().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }
}
