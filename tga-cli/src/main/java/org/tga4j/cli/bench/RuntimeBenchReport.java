package org.tga4j.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.tga4j.runtime.model.Ops;

/** The runtime benchmark's results: a text table with ours/Jlama ratios, the JSON document and a bar chart. */
public final class RuntimeBenchReport {
    private final Map<String, Object> model;
    private final Workload workload;
    private final List<EngineResult> results;
    private final int rounds;

    public RuntimeBenchReport(Map<String, Object> model, Workload workload, int rounds, List<EngineResult> results) {
        this.rounds = rounds;
        this.model = model;
        this.workload = workload;
        this.results = List.copyOf(results);
    }

    public Optional<EngineResult> engine(String name) {
        return results.stream().filter(r -> r.engine().equals(name)).findFirst();
    }

    /** Our engines (tga4j in each weight precision run), in run order. */
    private List<EngineResult> ours() {
        return results.stream().filter(r -> r.engine().startsWith("tga4j")).toList();
    }

    /** The side-by-side table (one column per engine, plus ours/jlama for each of ours when Jlama ran) and the floors. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("model: %s, %,d parameters, %s, %s layers, hidden %s, vocab %s%n", model.get("model_type"),
                (Long) model.get("parameters"), model.get("dtype"), model.get("layers"), model.get("hidden"),
                model.get("vocab")));
        sb.append(String.format("workload: prompt %d tokens, %d new tokens per request, batch %d, %d warm-up per JVM,"
                + " median of %d rounds%n%n", workload.promptTokens(), workload.decodeTokens(), workload.batch(),
                workload.warmup(), rounds));
        Optional<EngineResult> theirs = engine("jlama");
        List<EngineResult> compared = theirs.isPresent() ? ours() : List.of();
        sb.append(String.format("%-34s", "metric"));
        for (EngineResult r : results) sb.append(String.format("%14s", r.engine()));
        for (EngineResult r : compared) sb.append(String.format("%18s", r.engine() + "/jlama"));
        sb.append('\n');
        for (Metric m : metrics()) {
            sb.append(String.format("%-34s", m.label()));
            for (EngineResult r : results) {
                sb.append(m.value(r) < 0 ? String.format("%14s", "-") : String.format("%14.1f", m.value(r)));
            }
            for (EngineResult r : compared) {
                sb.append(m.comparable() ? String.format("%18.2f", m.value(r) / m.value(theirs.get()))
                        : String.format("%18s", "-"));
            }
            sb.append('\n');
        }
        sb.append(String.format("(batch %d: tga4j %s, jlama %s; tga4j-fp16: float16 projection weights;"
                + " tga4j float32 decode products: %s)%n%n", workload.batch(),
                ours().stream().findFirst().map(EngineResult::batchMode).orElse("-"),
                theirs.map(EngineResult::batchMode).orElse("-"), Ops.decodeProducts()));
        floors().forEach((engine, perEngine) -> perEngine.forEach((floor, v) -> sb.append(String.format(
                "floor %-12s %-30s %s (%s)%n", engine, floor, Boolean.TRUE.equals(v.get("met")) ? "MET" : "NOT MET",
                v.get("detail")))));
        return sb.toString();
    }

    /** The JSON document: model, workload, machine, per-engine results, ratios and floors. */
    public Map<String, Object> toJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "tga bench runtime");
        doc.put("model", model);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("prompt_tokens", workload.promptTokens());
        w.put("decode_tokens_per_request", workload.decodeTokens());
        w.put("batch", workload.batch());
        w.put("warmup_rounds", workload.warmup());
        w.put("timed_rounds", rounds);
        w.put("rounds", "engines alternate, one fresh JVM per engine per round");
        w.put("statistic", "median");
        w.put("decoding", "greedy, no stop tokens, token ids in (tokenizer not timed)");
        doc.put("workload", w);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("tga4j_float32_decode_products", Ops.decodeProducts());
        doc.put("machine", machine);
        doc.put("engines", results);
        Optional<EngineResult> theirs = engine("jlama");
        if (theirs.isPresent()) {
            Map<String, Object> perEngine = new LinkedHashMap<>();
            for (EngineResult r : ours()) {
                Map<String, Object> ratios = new LinkedHashMap<>();
                for (Metric m : metrics()) {
                    if (m.comparable()) ratios.put(m.key(), m.value(r) / m.value(theirs.get()));
                }
                perEngine.put(r.engine(), ratios);
            }
            doc.put("ratios_over_jlama", perEngine);
        }
        doc.put("floors", floors());
        return doc;
    }

    /**
     * The floors, for each of our engines: decode at batch 1 at least Jlama's; batch-N total throughput at
     * least 4x batch 1.
     */
    public Map<String, Map<String, Map<String, Object>>> floors() {
        Map<String, Map<String, Map<String, Object>>> floors = new LinkedHashMap<>();
        Optional<EngineResult> theirs = engine("jlama");
        for (EngineResult o : ours()) {
            Map<String, Map<String, Object>> f = new LinkedHashMap<>();
            theirs.ifPresent(t -> {
                double a = o.decodeTokensPerSecond(), b = t.decodeTokensPerSecond();
                f.put("decode_batch1_vs_jlama", Map.of("met", a >= b, "detail", String.format("%.1f vs %.1f tok/s", a, b)));
            });
            double ratio = o.batchDecodeTokensPerSecond() / o.decodeTokensPerSecond();
            f.put("batch" + workload.batch() + "_vs_4x_batch1", Map.of("met", ratio >= 4,
                    "detail", String.format("%.2fx batch 1", ratio)));
            floors.put(o.engine(), f);
        }
        return floors;
    }

    /** A grouped bar chart of the throughput metrics, written atomically as PNG. */
    public void writeChart(Path png) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title(String.format("tga bench runtime: %,d-parameter %s, %s checkpoint", (Long) model.get("parameters"),
                        model.get("model_type"), model.get("dtype")))
                .xAxisTitle("metric").yAxisTitle("tokens / s").build();
        List<String> labels = new ArrayList<>();
        for (Metric m : metrics()) if (m.throughput()) labels.add(m.label());
        for (EngineResult r : results) {
            List<Double> values = new ArrayList<>();
            for (Metric m : metrics()) if (m.throughput()) values.add(m.value(r));
            chart.addSeries(r.engine(), labels, values);
        }
        try {
            Path dir = png.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + png.getFileName(), ".png");
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + png + ": " + e.getMessage(), e);
        }
    }

    private List<Metric> metrics() {
        return List.of(
                new Metric("load_seconds", "load (s)", false, EngineResult::loadSeconds),
                new Metric("prefill_tokens_per_s", "prefill " + workload.promptTokens() + " tok (tok/s)", true,
                        EngineResult::prefillTokensPerSecond),
                new Metric("decode_batch1_tokens_per_s", "decode batch 1 (tok/s)", true,
                        EngineResult::decodeTokensPerSecond),
                new Metric("decode_batch" + workload.batch() + "_tokens_per_s",
                        "decode batch " + workload.batch() + " total (tok/s)", true,
                        EngineResult::batchDecodeTokensPerSecond),
                new Metric("peak_rss_mib", "peak RSS (MiB)", false, EngineResult::peakRssMiB),
                new Metric("weight_mib", "weights held (MiB)", false, EngineResult::weightMiB),
                new Metric("load_average", "machine load avg (1 min)", false, EngineResult::loadAverage));
    }

    private record Metric(String key, String label, boolean throughput,
            java.util.function.ToDoubleFunction<EngineResult> getter) {
        boolean comparable() {
            return !key.equals("load_average") && !key.equals("weight_mib");
        }

        double value(EngineResult r) {
            return getter.applyAsDouble(r);
        }
    }
}
