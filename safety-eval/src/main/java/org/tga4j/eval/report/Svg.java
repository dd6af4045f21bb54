package org.tga4j.eval.report;

import java.util.List;
import java.util.Locale;

/** Inline SVG charts for the HTML reports: grouped bars with confidence whiskers, and line charts with a shaded band. */
public final class Svg {
    /** A palette that stays readable in print. */
    static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"};

    private static final int W = 760, H = 300, LEFT = 60, RIGHT = 20, TOP = 62, BOTTOM = 90;

    private Svg() {}

    /** One series of bars: a value and interval per category (NaN: no bar). */
    public record BarSeries(String name, double[] value, double[] lo, double[] hi) {}

    /** One line: a value per x (NaN: gap). */
    public record Line(String name, double[] y) {}

    /** Grouped bars on a 0..1 axis with 95% whiskers. */
    public static String bars(String title, String yLabel, List<String> categories, List<BarSeries> series) {
        StringBuilder s = open(title);
        axes(s, yLabel, 0, 1);
        int n = Math.max(1, categories.size()), k = Math.max(1, series.size());
        double slot = (double) (W - LEFT - RIGHT) / n, bw = slot * 0.8 / k;
        for (int c = 0; c < categories.size(); c++) {
            double x0 = LEFT + c * slot + slot * 0.1;
            for (int j = 0; j < series.size(); j++) {
                BarSeries b = series.get(j);
                double v = b.value()[c];
                if (Double.isNaN(v)) continue;
                double x = x0 + j * bw;
                s.append(f("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s %s: %.3f [%.3f, %.3f]</title></rect>",
                        x, y(v, 0, 1), bw * 0.9, y(0, 0, 1) - y(v, 0, 1), COLOURS[j % COLOURS.length], esc(b.name()),
                        esc(categories.get(c)), v, b.lo()[c], b.hi()[c]));
                s.append(f("<text x='%.1f' y='%.1f' font-size='9' text-anchor='middle'>%.0f%%</text>", x + bw * 0.45,
                        y(Double.isNaN(b.hi()[c]) ? v : Math.max(v, b.hi()[c]), 0, 1) - 3, 100 * v));
                if (!Double.isNaN(b.lo()[c])) {
                    double cx = x + bw * 0.45;
                    s.append(f("<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='#000'/>", cx, cx, y(b.lo()[c], 0, 1),
                            y(b.hi()[c], 0, 1)));
                    for (double e : new double[] {b.lo()[c], b.hi()[c]}) {
                        s.append(f("<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='#000'/>", cx - 4, cx + 4,
                                y(e, 0, 1), y(e, 0, 1)));
                    }
                }
            }
            s.append(f("<text x='%.1f' y='%d' font-size='11' text-anchor='end' transform='rotate(-30 %.1f %d)'>%s</text>",
                    LEFT + c * slot + slot / 2, H - BOTTOM + 16, LEFT + c * slot + slot / 2, H - BOTTOM + 16,
                    esc(shorten(categories.get(c)))));
        }
        legend(s, series.stream().map(BarSeries::name).toList());
        return s.append("</svg>").toString();
    }

    /** Lines over layer indices 0..n-1, with {@code band} ([a, b] or null) shaded. */
    public static String lines(String title, String yLabel, List<Line> lines, int[] band) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (Line l : lines) {
            n = Math.max(n, l.y().length);
            for (double v : l.y()) {
                if (Double.isNaN(v)) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            lo = 0;
            hi = 1;
        }
        if (hi - lo < 1e-9) {
            hi += 0.5;
            lo -= 0.5;
        }
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        StringBuilder s = open(title);
        double span = Math.max(1, n - 1);
        if (band != null) {
            double xa = LEFT + (W - LEFT - RIGHT) * band[0] / span, xb = LEFT + (W - LEFT - RIGHT) * band[1] / span;
            s.append(f("<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='#f4d03f' opacity='0.35'><title>safety band %d..%d</title></rect>",
                    xa, TOP, Math.max(2, xb - xa), H - TOP - BOTTOM, band[0], band[1]));
            s.append(f("<text x='%.1f' y='%d' font-size='11' fill='#9a7d0a'>safety band %d..%d</text>", xa + 3, TOP + 12,
                    band[0], band[1]));
        }
        axes(s, yLabel, lo, hi);
        for (int i = 0; i < n; i++) {
            if (n > 20 && i % 2 == 1) continue;
            s.append(f("<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%d</text>",
                    LEFT + (W - LEFT - RIGHT) * i / span, H - BOTTOM + 14, i));
        }
        s.append(f("<text x='%d' y='%d' font-size='11' text-anchor='middle'>layer (hidden-state index)</text>",
                (W + LEFT) / 2, H - BOTTOM + 30));
        for (int j = 0; j < lines.size(); j++) {
            StringBuilder pts = new StringBuilder();
            double[] yv = lines.get(j).y();
            for (int i = 0; i < yv.length; i++) {
                if (Double.isNaN(yv[i])) continue;
                pts.append(f("%.1f,%.1f ", LEFT + (W - LEFT - RIGHT) * i / span, y(yv[i], lo, hi)));
            }
            s.append(f("<polyline fill='none' stroke-width='2' stroke='%s' points='%s'/>", COLOURS[j % COLOURS.length], pts));
        }
        legend(s, lines.stream().map(Line::name).toList());
        return s.append("</svg>").toString();
    }

    private static StringBuilder open(String title) {
        StringBuilder s = new StringBuilder();
        s.append(f("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' font-family='sans-serif'>",
                W, H, W, H));
        s.append("<rect width='100%' height='100%' fill='#fff'/>");
        s.append(f("<text x='%d' y='20' font-size='14' font-weight='bold'>%s</text>", LEFT, esc(title)));
        return s;
    }

    private static void axes(StringBuilder s, String yLabel, double lo, double hi) {
        for (int t = 0; t <= 4; t++) {
            double v = lo + (hi - lo) * t / 4;
            double yy = y(v, lo, hi);
            s.append(f("<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#ddd'/>", LEFT, W - RIGHT, yy, yy));
            s.append(f("<text x='%d' y='%.1f' font-size='10' text-anchor='end'>%s</text>", LEFT - 4, yy + 3, num(v)));
        }
        s.append(f("<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='#000'/>", LEFT, LEFT, TOP, H - BOTTOM));
        s.append(f("<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='#000'/>", LEFT, W - RIGHT, H - BOTTOM, H - BOTTOM));
        s.append(f("<text x='14' y='%d' font-size='11' transform='rotate(-90 14 %d)' text-anchor='middle'>%s</text>",
                (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2, esc(yLabel)));
    }

    /** Legend entries left to right under the title, wrapping to a second row. */
    private static void legend(StringBuilder s, List<String> names) {
        int x = LEFT, row = 0;
        for (int j = 0; j < names.size(); j++) {
            String name = shorten(names.get(j));
            int w = (int) (6.5 * name.length()) + 24;
            if (x + w > W - RIGHT && x > LEFT) {
                x = LEFT;
                row++;
            }
            int yy = 28 + 14 * Math.min(row, 1);
            s.append(f("<rect x='%d' y='%d' width='10' height='10' fill='%s'/>", x, yy, COLOURS[j % COLOURS.length]));
            s.append(f("<text x='%d' y='%d' font-size='11'>%s</text>", x + 14, yy + 9, esc(name)));
            x += w;
        }
    }

    private static String shorten(String label) {
        return label.length() <= 34 ? label : "…" + label.substring(label.length() - 33);
    }

    private static double y(double v, double lo, double hi) {
        return H - BOTTOM - (H - TOP - BOTTOM) * (v - lo) / (hi - lo);
    }

    private static String num(double v) {
        return Math.abs(v) >= 100 ? f("%.0f", v) : Math.abs(v) >= 10 ? f("%.1f", v) : f("%.2f", v);
    }

    static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    /** HTML/XML escape. */
    public static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace("\"", "&quot;");
    }
}
