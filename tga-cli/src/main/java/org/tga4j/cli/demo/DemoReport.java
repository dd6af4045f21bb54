package org.tga4j.cli.demo;

import static org.tga4j.eval.report.Svg.esc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tga4j.eval.bench.Evaluator;
import org.tga4j.eval.bench.GenerationRecord;
import org.tga4j.eval.bench.GenerationStore;
import org.tga4j.eval.metrics.Rate;
import org.tga4j.eval.report.Report;
import org.tga4j.eval.report.Svg;

/**
 * The demo's {@code report.html} (self-contained: inline SVG plots, embedded loss curves and example images),
 * {@code report.json} ({@link DemoSummary}) and {@code summary.txt} (the printed table), each written atomically.
 */
final class DemoReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final String STYLE = "<style>body{font-family:sans-serif;max-width:1100px;margin:20px auto;color:#222}"
            + "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
            + "td:first-child,th:first-child{text-align:left}.yes{color:#2ca02c}.no{color:#d62728}"
            + ".ex td{vertical-align:top;text-align:left;font-size:90%}img.px{image-rendering:pixelated;width:96px}</style>";

    private DemoReport() {}

    static Path write(Path out, DemoSummary s, Map<String, Report> evals, Map<String, Report> probes) throws IOException {
        Report.atomicWrite(out.resolve("report.json"), JSON.writeValueAsString(s));
        Report.atomicWrite(out.resolve("summary.txt"), s.table());
        DemoFigure.write(out, s);
        Path html = out.resolve("report.html");
        Report.atomicWrite(html, render(out, s));
        return html;
    }

    static String render(Path out, DemoSummary s) throws IOException {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>tga4j TinyWorld"
                + " demo</title>" + STYLE + "</head><body>");
        h.append("<h1>TinyWorld: cross-modal safety transfer, LLaVA baseline vs TGA</h1>");
        h.append("<p>Held-out test images of a synthetic world (seed ").append(s.settings().seed()).append(", ")
                .append(s.settings().images()).append(" images). The LLM learned to refuse requests about hazardous "
                + "scenes from text only; the visual instruction data never shows a refusal. Judge: ")
                .append(TinyWorldDemo.JUDGE).append(" keyword list. Run time ")
                .append(String.format("%.0f s", s.seconds())).append(", foundation models ")
                .append(s.foundationCached() ? "from the cache" : "trained in this run").append(".</p>");
        table(h, s);
        h.append("<h2>What the paper claims, and what this run measured</h2><table><tr><th>claim</th><th>measured</th>"
                + "<th>holds</th></tr>");
        for (DemoSummary.Check c : s.checks()) {
            h.append("<tr><td>").append(esc(c.claim())).append("</td><td>").append(esc(c.measured()))
                    .append("</td><td class=\"").append(c.holds() ? "yes\">yes" : "no\">no").append("</td></tr>");
        }
        h.append("</table>");
        plots(h, s);
        examples(h, out);
        lossCurves(h, out);
        h.append("<h2>Details</h2><ul>");
        for (String m : List.of("baseline", "tga")) {
            h.append("<li>").append(m).append(": <a href=\"eval/").append(m).append("/report.html\">benchmark report</a>,"
                    + " <a href=\"probe/").append(m).append("/report.html\">layer probe</a>, generations in <code>eval/")
                    .append(m).append("/generations.jsonl</code>, training runs in <code>runs/").append(m)
                    .append("</code></li>");
        }
        h.append("<li>foundation probe (the band): <a href=\"probe/foundation/report.html\">report</a></li>");
        h.append("<li>foundation models: <code>").append(esc(s.foundation())).append("</code>; what their pretraining"
                + " measured:<pre>").append(esc(JSON.writeValueAsString(s.foundationStats()))).append("</pre></li></ul>");
        h.append("<h2>Settings</h2><pre>").append(esc(JSON.writeValueAsString(s.settings()))).append("</pre>");
        return h.append("</body></html>").toString();
    }

    private static void table(StringBuilder h, DemoSummary s) {
        DemoSummary.Method base = method(s, "baseline"), tga = method(s, "tga");
        h.append("<table><tr><th></th><th>text-only</th><th>LLaVA baseline</th><th>TGA</th></tr>");
        row(h, "DSR on hazardous scenes", base.textDsr(), base.imageDsr(), tga.imageDsr());
        row(h, "over-refusal on benign scenes", base.textOverRefusal(), base.overRefusal(), tga.overRefusal());
        row(h, "DSR, TGA prompt: retrieved text (CLIP image→caption) + image", null, base.retrievedDsr(),
                tga.retrievedDsr());
        row(h, "over-refusal, retrieved text + image", null, base.retrievedOverRefusal(), tga.retrievedOverRefusal());
        row(h, "utility on benign scenes (answer names an object or colour)", null, base.utility(), tga.utility());
        RefusalProbability bp = base.refusalProbability(), tp = tga.refusalProbability();
        h.append(String.format("<tr><td>mean refusal probability at the first answer token, hazardous scenes</td>"
                + "<td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>", bp.hazardousText(), bp.hazardousImage(), tp.hazardousImage()));
        h.append(String.format("<tr><td>mean refusal probability at the first answer token, benign scenes</td>"
                + "<td>%.3f</td><td>%.3f</td><td>%.3f</td></tr>", bp.benignText(), bp.benignImage(), tp.benignImage()));
        row(h, "perception: answers about hazardous images that name the hazardous object", null, base.hazardNamed(),
                tga.hazardNamed());
        row(h, "perception after stage 1: objects of held-out images its caption names", null,
                base.stage1Captions().objects(), tga.stage1Captions().objects());
        row(h, "perception after stage 1: the same, with the object's colour", null,
                base.stage1Captions().objectsWithColour(), tga.stage1Captions().objectsWithColour());
        row(h, "perception after stage 1: hazardous objects its caption names", null,
                base.stage1Captions().hazards(), tga.stage1Captions().hazards());
        h.append(String.format("<tr><td>mean cos(image, description), band %d..%d</td><td></td><td>%.3f</td><td>%.3f"
                + "</td></tr>", s.band()[0], s.band()[1], base.bandCosine(), tga.bandCosine()));
        h.append("</table>");
    }

    private static void row(StringBuilder h, String name, Rate text, Rate base, Rate tga) {
        h.append("<tr><td>").append(esc(name)).append("</td><td>").append(rate(text)).append("</td><td>")
                .append(rate(base)).append("</td><td>").append(rate(tga)).append("</td></tr>");
    }

    private static String rate(Rate r) {
        if (r == null) return "";
        return String.format("%.1f%% <small>[%.0f, %.0f] n=%d</small>", 100 * r.value(), 100 * r.lo(), 100 * r.hi(),
                r.total());
    }

    private static void plots(StringBuilder h, DemoSummary s) {
        DemoSummary.Method base = method(s, "baseline"), tga = method(s, "tga");
        List<String> classes = new ArrayList<>(base.imageDsrByClass().keySet());
        classes.add("all");
        h.append("<h2>DSR per hazardous class</h2>");
        h.append(Svg.bars("Defense success rate on held-out hazardous images", "DSR", classes,
                List.of(series("LLaVA baseline", classes, base.imageDsrByClass(), base.imageDsr()),
                        series("TGA", classes, tga.imageDsrByClass(), tga.imageDsr()))));
        h.append("<h2>Image vs text hidden states per layer</h2><p>Cosine between the mean image-token hidden state "
                + "(vision run) and the mean hidden state of the scene's description (text run); the shaded band is where "
                + "the foundation LLM's safety mechanism acts (logit-lens probe) and where TGA aligns.</p>");
        h.append(Svg.lines("cos(h_image, h_description) per hidden-state index", "cosine",
                List.of(new Svg.Line("LLaVA baseline", base.cosine()), new Svg.Line("TGA", tga.cosine())), s.band()));
    }

    private static Svg.BarSeries series(String name, List<String> classes, Map<String, Rate> byClass, Rate all) {
        int n = classes.size();
        double[] v = new double[n], lo = new double[n], hi = new double[n];
        for (int i = 0; i < n; i++) {
            Rate r = classes.get(i).equals("all") ? all : byClass.get(classes.get(i));
            v[i] = r == null ? Double.NaN : r.value();
            lo[i] = r == null ? Double.NaN : r.lo();
            hi[i] = r == null ? Double.NaN : r.hi();
        }
        return new Svg.BarSeries(name, v, lo, hi);
    }

    /** A few hazardous test images with each model's answer to the same request. */
    private static void examples(StringBuilder h, Path out) throws IOException {
        Map<String, Map<String, GenerationRecord>> by = new LinkedHashMap<>();
        for (String m : List.of("baseline", "tga")) {
            Path f = out.resolve("eval").resolve(m).resolve("generations.jsonl");
            Map<String, GenerationRecord> g = new LinkedHashMap<>();
            if (Files.isRegularFile(f)) {
                for (GenerationRecord r : GenerationStore.readAll(f)) {
                    if (r.setting().equals(Evaluator.PLAIN) && "REFUSE".equals(r.expected()) && r.promptIndex() == 0) {
                        g.put(r.itemId(), r);
                    }
                }
            }
            by.put(m, g);
        }
        List<String> ids = by.get("baseline").keySet().stream().filter(by.get("tga")::containsKey).limit(8).toList();
        if (ids.isEmpty()) return;
        h.append("<h2>Examples: hazardous test images</h2><table class=\"ex\"><tr><th>image</th><th>request</th>"
                + "<th>LLaVA baseline</th><th>TGA</th></tr>");
        for (String id : ids) {
            GenerationRecord b = by.get("baseline").get(id), t = by.get("tga").get(id);
            String img = "";
            if (b.image() != null && Files.isRegularFile(Path.of(b.image()))) {
                img = "<img class=\"px\" alt=\"" + esc(b.description() == null ? id : b.description())
                        + "\" src=\"data:image/png;base64,"
                        + Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(b.image()))) + "\">";
            }
            h.append("<tr><td>").append(img).append("<br><small>").append(esc(b.description() == null ? "" : b.description()))
                    .append("</small></td><td>").append(esc(b.prompt())).append("</td><td>").append(esc(b.output()))
                    .append("</td><td>").append(esc(t.output())).append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void lossCurves(StringBuilder h, Path out) throws IOException {
        h.append("<h2>Training</h2>");
        for (String m : List.of("baseline", "tga")) {
            for (String st : List.of("stage1", "stage2")) {
                Path png = out.resolve("runs").resolve(m).resolve(st).resolve("loss_curve.png");
                if (!Files.isRegularFile(png)) continue;
                h.append("<figure style=\"display:inline-block;margin:4px\"><img width=\"520\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png)))
                        .append("\"><figcaption>").append(m).append(" ").append(st).append("</figcaption></figure>");
            }
        }
    }

    private static DemoSummary.Method method(DemoSummary s, String name) {
        return s.methods().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }
}
