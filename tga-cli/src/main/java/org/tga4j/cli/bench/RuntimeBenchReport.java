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

    /** The side-by-side table (one column per engine, plus tga4j/jlama when both ran) and the floors. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("model: %s, %,d parameters, F32, %s layers, hidden %s, vocab %s%n", model.get("model_type"),
                (Long) model.get("parameters"), model.get("layers"), model.get("hidden"), model.get("vocab")));
        sb.append(String.format("workload: prompt %d tokens, %d new tokens per request, batch %d, %d warm-up per JVM,"
                + " median of %d rounds%n%n", workload.promptTokens(), workload.decodeTokens(), workload.batch(),
                workload.warmup(), rounds));
        Optional<EngineResult> ours = engine("tga4j"), theirs = engine("jlama");
        boolean both = ours.isPresent() && theirs.isPresent();
        sb.append(String.format("%-34s", "metric"));
        for (EngineResult r : results) sb.append(String.format("%14s", r.engine()));
        if (both) sb.append(String.format("%14s", "tga4j/jlama"));
        sb.append('\n');
        for (Metric m : metrics()) {
            sb.append(String.format("%-34s", m.label()));
            for (EngineResult r : results) sb.append(String.format("%14.1f", m.value(r)));
            if (both) {
                sb.append(m.comparable() ? String.format("%14.2f", m.value(ours.get()) / m.value(theirs.get()))
                        : String.format("%14s", "-"));
            }
            sb.append('\n');
        }
        sb.append(String.format("(batch %d: tga4j %s, jlama %s)%n%n", workload.batch(),
                ours.map(EngineResult::batchMode).orElse("-"), theirs.map(EngineResult::batchMode).orElse("-")));
        for (Map.Entry<String, Object> f : floors().entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) f.getValue();
            sb.append(String.format("floor %-40s %s (%s)%n", f.getKey(), Boolean.TRUE.equals(v.get("met")) ? "MET" : "NOT MET",
                    v.get("detail")));
        }
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
        doc.put("machine", machine);
        doc.put("engines", results);
        Optional<EngineResult> ours = engine("tga4j"), theirs = engine("jlama");
        if (ours.isPresent() && theirs.isPresent()) {
            Map<String, Object> ratios = new LinkedHashMap<>();
            for (Metric m : metrics()) {
                if (m.comparable()) ratios.put(m.key(), m.value(ours.get()) / m.value(theirs.get()));
            }
            doc.put("ratios_tga4j_over_jlama", ratios);
        }
        doc.put("floors", floors());
        return doc;
    }

    /** The floors: decode at batch 1 at least Jlama's; batch-N total throughput at least 4x batch 1. */
    public Map<String, Object> floors() {
        Map<String, Object> floors = new LinkedHashMap<>();
        Optional<EngineResult> ours = engine("tga4j"), theirs = engine("jlama");
        if (ours.isPresent() && theirs.isPresent()) {
            double a = ours.get().decodeTokensPerSecond(), b = theirs.get().decodeTokensPerSecond();
            floors.put("decode_batch1_vs_jlama", Map.of("met", a >= b,
                    "detail", String.format("%.1f vs %.1f tok/s", a, b)));
        }
        ours.ifPresent(o -> {
            double ratio = o.batchDecodeTokensPerSecond() / o.decodeTokensPerSecond();
            floors.put("batch" + workload.batch() + "_vs_4x_batch1", Map.of("met", ratio >= 4,
                    "detail", String.format("%.2fx batch 1", ratio)));
        });
        return floors;
    }

    /** A grouped bar chart of the throughput metrics, written atomically as PNG. */
    public void writeChart(Path png) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title(String.format("tga bench runtime: %,d-parameter %s, F32", (Long) model.get("parameters"), model.get("model_type")))
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
                new Metric("load_average", "machine load avg (1 min)", false, EngineResult::loadAverage));
    }

    private record Metric(String key, String label, boolean throughput,
            java.util.function.ToDoubleFunction<EngineResult> getter) {
        boolean comparable() {
            return !key.equals("load_average");
        }

        double value(EngineResult r) {
            return getter.applyAsDouble(r);
        }
    }
}
