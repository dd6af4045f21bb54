package org.tga4j.eval.report;

import static org.tga4j.eval.report.Svg.esc;
import static org.tga4j.eval.report.Svg.f;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tga4j.eval.metrics.GroupMetrics;
import org.tga4j.eval.metrics.Rate;
import org.tga4j.eval.probe.ProbeResult;

/** Renders a {@link Report} as one self-contained HTML page (inline SVG, no scripts, no external resources). */
public final class ReportHtml {
    private ReportHtml() {}

    static final String STYLE = "<style>body{font-family:sans-serif;max-width:1100px;margin:20px auto;color:#222}"
            + "table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;"
            + "text-align:left}th{background:#f3f3f3}h2{border-bottom:2px solid #1f77b4;padding-bottom:3px}"
            + ".muted{color:#666;font-size:12px}code{background:#f6f6f6;padding:0 3px}</style>";

    public static String render(Report r) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset='utf-8'><title>tga4j report: ")
                .append(esc(r.label())).append("</title>").append(STYLE).append("</head><body>");
        h.append("<h1>tga4j safety report: ").append(esc(r.label())).append("</h1>");
        ReproManifest m = r.manifest();
        h.append("<p class='muted'>model <code>").append(esc(m.modelPath())).append("</code> sha256 <code>")
                .append(esc(abbrev(m.modelSha256()))).append("</code> · tga4j ").append(esc(m.tga4jVersion()))
                .append(" · ").append(esc(m.created())).append("</p>");
        for (JudgeResult jr : r.results()) judgeSection(h, jr);
        if (r.probe() != null) probeSection(h, r.probe());
        manifestSection(h, m);
        return h.append("</body></html>").toString();
    }

    private static void judgeSection(StringBuilder h, JudgeResult jr) {
        h.append("<h2>Judge ").append(esc(jr.judge())).append(" <span class='muted'>").append(esc(jr.judgeVersion()))
                .append("</span></h2>");
        if (jr.judgeSource() != null) h.append("<p class='muted'>").append(esc(jr.judgeSource())).append("</p>");
        // DSR per category, one bar series per (set, setting)
        List<GroupMetrics> toxic = jr.groups().stream().filter(g -> g.dsr() != null).toList();
        if (!toxic.isEmpty()) {
            Set<String> cats = new LinkedHashSet<>();
            toxic.forEach(g -> cats.addAll(g.dsrByCategory().keySet()));
            cats.add("overall");
            List<String> catList = new ArrayList<>(cats);
            List<Svg.BarSeries> series = new ArrayList<>();
            for (GroupMetrics g : toxic) {
                series.add(series(g.set() + " / " + g.setting(), catList, g.dsrByCategory(), g.dsr()));
            }
            h.append(Svg.bars("Defense success rate per category (95% bootstrap CI)", "DSR", catList, series));
        }
        List<GroupMetrics> benign = jr.groups().stream().filter(g -> g.overRefusal() != null).toList();
        if (!benign.isEmpty()) {
            List<String> names = benign.stream().map(g -> g.set() + " / " + g.setting()).toList();
            List<Svg.BarSeries> series = new ArrayList<>();
            series.add(new Svg.BarSeries("over-refusal", benign.stream().mapToDouble(g -> g.overRefusal().value()).toArray(),
                    benign.stream().mapToDouble(g -> g.overRefusal().lo()).toArray(),
                    benign.stream().mapToDouble(g -> g.overRefusal().hi()).toArray()));
            series.add(new Svg.BarSeries("utility", benign.stream().mapToDouble(g -> val(g.utility())).toArray(),
                    benign.stream().mapToDouble(g -> g.utility() == null ? Double.NaN : g.utility().lo()).toArray(),
                    benign.stream().mapToDouble(g -> g.utility() == null ? Double.NaN : g.utility().hi()).toArray()));
            h.append(Svg.bars("Benign sets: over-refusal and utility (95% bootstrap CI)", "rate", names, series));
        }
        h.append("<table><tr><th>set</th><th>setting</th><th>DSR</th><th>over-refusal</th><th>attack success</th>"
                + "<th>utility</th><th>per category (DSR or over-refusal)</th></tr>");
        for (GroupMetrics g : jr.groups()) {
            h.append("<tr><td>").append(esc(g.set())).append("</td><td>").append(esc(g.setting())).append("</td><td>")
                    .append(rate(g.dsr())).append("</td><td>").append(rate(g.overRefusal())).append("</td><td>")
                    .append(rate(g.attackSuccessRate())).append("</td><td>").append(rate(g.utility())).append("</td><td>");
            g.dsrByCategory().forEach((c, x) -> h.append(esc(c)).append(": ").append(rate(x)).append("<br>"));
            g.overRefusalByCategory().forEach((c, x) -> h.append(esc(c)).append(" (over-refusal): ").append(rate(x))
                    .append("<br>"));
            h.append("</td></tr>");
        }
        h.append("</table>");
    }

    static Svg.BarSeries series(String name, List<String> cats, Map<String, Rate> byCat, Rate overall) {
        double[] v = new double[cats.size()], lo = new double[cats.size()], hi = new double[cats.size()];
        for (int i = 0; i < cats.size(); i++) {
            Rate x = cats.get(i).equals("overall") ? overall : byCat.get(cats.get(i));
            v[i] = val(x);
            lo[i] = x == null ? Double.NaN : x.lo();
            hi[i] = x == null ? Double.NaN : x.hi();
        }
        return new Svg.BarSeries(name, v, lo, hi);
    }

    private static void probeSection(StringBuilder h, ProbeResult p) {
        h.append("<h2>Layer probe</h2><p>").append(p.items().size()).append(" toxic items; refusal words ")
                .append(esc(String.valueOf(p.refusalWords()))).append(" → token ids ").append(p.refusalTokenIds())
                .append(". Recommended alignment band: <b>")
                .append(p.band() == null ? "none (no text run refused)" : p.band()[0] + " .. " + p.band()[1])
                .append("</b> (start layers ").append(p.startLayers()).append(", end layers ").append(p.endLayers())
                .append(").");
        if (p.band() != null) {
            h.append(" Train with <code>tga train --align-layers ").append(p.band()[0]).append("..").append(p.band()[1])
                    .append("</code> (band.json).");
        }
        h.append("</p>");
        if (p.meanCosine() != null) {
            h.append(Svg.lines("Cosine(mean image-token state, mean description state) per layer", "cosine",
                    List.of(new Svg.Line("toxic items", p.meanCosine())), p.band()));
            h.append(Svg.lines("Hidden-state norms per layer", "L2 norm", List.of(new Svg.Line("image tokens", p.meanImageNorm()),
                    new Svg.Line("description", p.meanTextNorm())), p.band()));
        }
        List<Svg.Line> prob = new ArrayList<>(List.of(new Svg.Line("text runs", p.textRefusalProb())));
        if (p.visionRefusalProb() != null) prob.add(new Svg.Line("vision runs", p.visionRefusalProb()));
        h.append(Svg.lines("Logit-lens refusal probability at the last prompt position", "p(refusal tokens)", prob, p.band()));
        if (!p.projections().isEmpty()) {
            List<Svg.Line> proj = new ArrayList<>();
            p.projections().forEach((k, v) -> proj.add(new Svg.Line(k.replace('_', ' '), v)));
            h.append(Svg.lines("Projection of the last-token state on the refusal direction (toxic − benign text)",
                    "projection", proj, p.band()));
        }
        h.append("<table><tr><th>item</th><th>category</th><th>text start..end</th><th>vision start..end</th></tr>");
        int shown = 0;
        for (ProbeResult.ItemProbe it : p.items()) {
            if (shown++ == 50) {
                h.append("<tr><td colspan='4'>… ").append(p.items().size() - 50).append(" more in report.json</td></tr>");
                break;
            }
            h.append(f("<tr><td>%s</td><td>%s</td><td>%d..%d</td><td>%d..%d</td></tr>", esc(it.id()), esc(it.category()),
                    it.textStart(), it.textEnd(), it.visionStart(), it.visionEnd()));
        }
        h.append("</table><p class='muted'>-1: no layer met the rule.</p>");
    }

    private static void manifestSection(StringBuilder h, ReproManifest m) {
        h.append("<h2>Reproducibility manifest</h2><table>");
        row(h, "command", m.command());
        row(h, "tga4j", m.tga4jVersion());
        row(h, "model", m.modelPath() + " (sha256 " + m.modelSha256() + ")");
        row(h, "chat template", m.template());
        row(h, "weight precision", m.weightPrecision() == null ? "float32" : m.weightPrecision());
        row(h, "decoding", m.decoding() == null ? null : m.decoding().toString());
        row(h, "settings", String.valueOf(m.settings()));
        row(h, "TGA prefix retrieval", m.retrieval());
        row(h, "default prompts", String.valueOf(m.defaultPrompts()));
        row(h, "refusal words / ids", m.refusalWords() + " / " + m.refusalTokenIds());
        row(h, "bootstrap", m.bootstrapResamples() + " resamples, seed " + m.bootstrapSeed());
        row(h, "generations", m.generationsFile() == null ? null : m.generationsFile() + " (sha256 " + m.generationsSha256()
                + ", run " + m.run() + ")");
        h.append("</table><table><tr><th>set</th><th>kind</th><th>path</th><th>sha256</th><th>items</th><th>skipped</th></tr>");
        if (m.sets() != null) {
            for (SetInfo s : m.sets()) {
                h.append("<tr><td>").append(esc(s.name())).append("</td><td>").append(esc(s.kind())).append("</td><td>")
                        .append(esc(s.path())).append("</td><td><code>").append(esc(abbrev(s.sha256())))
                        .append("</code></td><td>").append(s.items()).append("</td><td>").append(s.skipped());
                for (String b : s.bad()) h.append("<br><span class='muted'>").append(esc(b)).append("</span>");
                h.append("</td></tr>");
            }
        }
        h.append("</table>");
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v == null ? "—" : v)).append("</td></tr>");
    }

    static String rate(Rate r) {
        if (r == null) return "—";
        return f("%.1f%% <span class='muted'>[%.1f, %.1f] (%d/%d)</span>", 100 * r.value(), 100 * r.lo(), 100 * r.hi(),
                r.hits(), r.total());
    }

    static double val(Rate r) {
        return r == null ? Double.NaN : r.value();
    }

    static String abbrev(String sha) {
        return sha == null ? "" : sha.length() > 16 ? sha.substring(0, 16) + "…" : sha;
    }
}
