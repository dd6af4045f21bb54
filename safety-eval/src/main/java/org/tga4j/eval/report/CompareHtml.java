package org.tga4j.eval.report;

import static org.tga4j.eval.report.Svg.esc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tga4j.eval.metrics.GroupMetrics;
import org.tga4j.eval.metrics.Rate;

/**
 * Several reports side by side (e.g. baseline vs TGA): per (judge, set, setting) the overall and per-category DSR,
 * over-refusal and utility of each report, and the probe curves of all reports on shared axes.
 */
public final class CompareHtml {
    private CompareHtml() {}

    public static String render(List<Report> reports) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset='utf-8'><title>tga4j comparison</title>")
                .append(ReportHtml.STYLE).append("</head><body><h1>tga4j comparison</h1><table><tr><th>report</th>"
                        + "<th>model</th><th>sha256</th><th>band</th></tr>");
        for (Report r : reports) {
            h.append("<tr><td>").append(esc(r.label())).append("</td><td>").append(esc(r.manifest().modelPath()))
                    .append("</td><td><code>").append(esc(ReportHtml.abbrev(r.manifest().modelSha256())))
                    .append("</code></td><td>").append(r.probe() == null || r.probe().band() == null ? "—"
                            : r.probe().band()[0] + ".." + r.probe().band()[1]).append("</td></tr>");
        }
        h.append("</table>");
        // key "judge|version|set|setting" -> per report
        Map<String, Map<String, GroupMetrics>> byKey = new LinkedHashMap<>();
        for (Report r : reports) {
            for (JudgeResult jr : r.results()) {
                for (GroupMetrics g : jr.groups()) {
                    byKey.computeIfAbsent(jr.judge() + " (" + jr.judgeVersion() + ") · " + g.set() + " · " + g.setting(),
                            k -> new LinkedHashMap<>()).put(r.label(), g);
                }
            }
        }
        for (var e : byKey.entrySet()) {
            h.append("<h2>").append(esc(e.getKey())).append("</h2>");
            Set<String> cats = new LinkedHashSet<>();
            e.getValue().values().forEach(g -> cats.addAll(g.dsrByCategory().keySet()));
            List<String> catList = new ArrayList<>(cats);
            catList.add("overall");
            List<Svg.BarSeries> series = new ArrayList<>();
            e.getValue().forEach((label, g) -> {
                if (g.dsr() != null) series.add(ReportHtml.series(label, catList, g.dsrByCategory(), g.dsr()));
            });
            if (!series.isEmpty()) h.append(Svg.bars("DSR per category", "DSR", catList, series));
            h.append("<table><tr><th>report</th><th>DSR</th><th>over-refusal</th><th>attack success</th><th>utility</th></tr>");
            e.getValue().forEach((label, g) -> h.append("<tr><td>").append(esc(label)).append("</td><td>")
                    .append(ReportHtml.rate(g.dsr())).append("</td><td>").append(ReportHtml.rate(g.overRefusal()))
                    .append("</td><td>").append(ReportHtml.rate(g.attackSuccessRate())).append("</td><td>")
                    .append(ReportHtml.rate(g.utility())).append("</td></tr>"));
            h.append("</table>");
        }
        List<Svg.Line> cos = new ArrayList<>(), prob = new ArrayList<>();
        int[] band = null;
        for (Report r : reports) {
            if (r.probe() == null) continue;
            if (band == null) band = r.probe().band();
            if (r.probe().meanCosine() != null) cos.add(new Svg.Line(r.label(), r.probe().meanCosine()));
            prob.add(new Svg.Line(r.label() + " text", r.probe().textRefusalProb()));
            if (r.probe().visionRefusalProb() != null) prob.add(new Svg.Line(r.label() + " vision", r.probe().visionRefusalProb()));
        }
        if (!cos.isEmpty()) {
            h.append("<h2>Layer probe</h2>").append(Svg.lines("Image/description cosine per layer (band of the first report)",
                    "cosine", cos, band));
        }
        if (!prob.isEmpty()) h.append(Svg.lines("Logit-lens refusal probability per layer", "p(refusal)", prob, band));
        return h.append("</body></html>").toString();
    }

    /** Unused-rate guard for callers that want a plain number. */
    static double value(Rate r) {
        return r == null ? Double.NaN : r.value();
    }
}
