package org.tga4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tga4j.cli.bench.EngineResult;
import org.tga4j.cli.bench.JlamaRuntimeBench;
import org.tga4j.cli.bench.RuntimeBenchReport;
import org.tga4j.cli.bench.TgaRuntimeBench;
import org.tga4j.cli.bench.Workload;
import org.tga4j.runtime.RandomModels;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.weights.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tga bench runtime}: prefill and decode throughput and peak memory of tga4j's runtime side by side with
 * Jlama on the same generated LLaMA checkpoint, each engine in its own child JVM (so one engine's memory and JIT
 * state cannot affect the other), printed as a table with ours/Jlama ratios and written as JSON (+ a PNG chart).
 */
@Command(name = "runtime", mixinStandardHelpOptions = true,
        description = "Benchmark the LLM runtime against Jlama on a generated fp32 LLaMA checkpoint "
                + "(prefill tok/s, decode tok/s at batch 1 and batch N, peak RSS).")
public final class BenchRuntimeCommand implements Callable<Integer> {
    @Option(names = "--model-dir", description = "Checkpoint to benchmark; generated (random fp32 llama of the shape"
            + " below) if absent (default: target/bench/llama-<layers>x<hidden>-<heads>q<kv-heads>kv-v<vocab>-s<seed>).")
    Path modelDir;

    @Option(names = "--out", defaultValue = "target/bench/runtime",
            description = "Directory for runtime-bench.json and runtime-bench.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--prompt-tokens", defaultValue = "128") int promptTokens;
    @Option(names = "--decode-tokens", defaultValue = "32", description = "New tokens per request (default: ${DEFAULT-VALUE}).")
    int decodeTokens;
    @Option(names = "--batch", defaultValue = "8") int batch;
    @Option(names = "--warmup", defaultValue = "1", description = "Untimed warm-up rounds (default: ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--repeats", defaultValue = "3", description = "Timed rounds per engine, alternating engines, each"
            + " in a fresh JVM; medians are reported (default: ${DEFAULT-VALUE}).")
    int repeats;
    @Option(names = "--engines", defaultValue = "tga4j,tga4j-fp16,jlama", split = ",",
            description = "Engines to run: tga4j, tga4j-fp16 (the language model's projection weights in float16),"
                    + " jlama (default: ${DEFAULT-VALUE}).")
    List<String> engines;
    @Option(names = "--in-process", description = "Run the engines in this JVM instead of one child JVM each "
            + "(peak RSS then covers both).")
    boolean inProcess;

    @Option(names = "--layers", defaultValue = "12") int layers;
    @Option(names = "--hidden", defaultValue = "768") int hidden;
    @Option(names = "--heads", defaultValue = "12") int heads;
    @Option(names = "--kv-heads", defaultValue = "12") int kvHeads;
    @Option(names = "--vocab", defaultValue = "32000") int vocab;
    @Option(names = "--seed", defaultValue = "0") long seed;

    @Spec CommandSpec spec;

    @Option(names = "--child-engine", hidden = true) String childEngine;
    @Option(names = "--child-result", hidden = true) Path childResult;

    @Override
    public Integer call() throws Exception {
        if (modelDir == null) {
            modelDir = Path.of("target/bench",
                    "llama-%dx%d-%dq%dkv-v%d-s%d".formatted(layers, hidden, heads, kvHeads, vocab, seed));
        }
        for (String e : engines) {
            if (!e.equals("jlama") && !TgaRuntimeBench.PRECISIONS.containsKey(e)) {
                throw new IllegalArgumentException("--engines: unknown engine '" + e + "' (tga4j, tga4j-fp16, jlama)");
            }
        }
        if (childEngine != null) {
            EngineResult r = runEngine(childEngine, workload(textConfig(modelDir).vocabSize()));
            writeAtomically(childResult, json().writeValueAsString(r));
            return 0;
        }
        ensureModel();
        Workload w = workload(textConfig(modelDir).vocabSize());
        // Engines alternate round by round, each round in a fresh JVM, so load from other processes on a shared
        // machine hits both alike; each figure is the median over rounds (peak RSS: the maximum).
        Map<String, List<EngineResult>> rounds = new LinkedHashMap<>();
        for (int r = 1; r <= repeats; r++) {
            for (String engine : engines) {
                System.out.printf("round %d/%d: %s%s ...%n", r, repeats, engine, inProcess ? "" : " (child JVM)");
                EngineResult one = inProcess ? runEngine(engine, w) : runChild(engine);
                System.out.printf("  prefill %.1f tok/s, decode b1 %.1f tok/s, b%d %.1f tok/s, peak RSS %.0f MiB%n",
                        one.prefillTokensPerSecond(), one.decodeTokensPerSecond(), batch,
                        one.batchDecodeTokensPerSecond(), one.peakRssMiB());
                rounds.computeIfAbsent(engine, k -> new ArrayList<>()).add(one);
            }
        }
        List<EngineResult> results = new ArrayList<>();
        for (List<EngineResult> perEngine : rounds.values()) results.add(EngineResult.median(perEngine));
        RuntimeBenchReport report = new RuntimeBenchReport(describeModel(), w, repeats, results);
        System.out.println();
        System.out.print(report.table());
        Files.createDirectories(out);
        writeAtomically(out.resolve("runtime-bench.json"), json().writeValueAsString(report.toJson()));
        report.writeChart(out.resolve("runtime-bench.png"));
        System.out.println("wrote " + out.resolve("runtime-bench.json") + " and " + out.resolve("runtime-bench.png"));
        return 0;
    }

    /** One timed round per engine run (the rounds are spread over separate runs; see {@link #call}). */
    private Workload workload(int modelVocab) {
        return new Workload(promptTokens, decodeTokens, batch, warmup, 1, modelVocab, seed + 1);
    }

    private EngineResult runEngine(String engine, Workload w) {
        return engine.equals("jlama") ? JlamaRuntimeBench.run(modelDir, w)
                : TgaRuntimeBench.run(modelDir, w, engine);
    }

    private void ensureModel() {
        if (Files.exists(modelDir.resolve("config.json"))) {
            TextConfig c = textConfig(modelDir);
            requireShape("--layers", layers, c.numHiddenLayers());
            requireShape("--hidden", hidden, c.hiddenSize());
            requireShape("--heads", heads, c.numAttentionHeads());
            requireShape("--kv-heads", kvHeads, c.numKeyValueHeads());
            requireShape("--vocab", vocab, c.vocabSize());
            System.out.println("using the checkpoint in " + modelDir);
            return;
        }
        System.out.printf("generating a random fp32 llama checkpoint in %s (%d layers, hidden %d, %d heads, %d kv"
                + " heads, vocab %d) ...%n", modelDir, layers, hidden, heads, kvHeads, vocab);
        RandomModels.write(RandomModels.Spec.llama(layers, hidden, heads, kvHeads, vocab, seed), modelDir);
    }

    /** A shape option given on the command line must match the existing checkpoint it would otherwise not apply to. */
    private void requireShape(String option, int asked, int has) {
        if (asked != has && spec.commandLine().getParseResult().hasMatchedOption(option)) {
            throw new IllegalArgumentException(option + " " + asked + " was given, but the checkpoint in " + modelDir
                    + " has " + has + " (config.json); the shape options apply only when the checkpoint is generated:"
                    + " pass a new --model-dir, or leave it out");
        }
    }

    private Map<String, Object> describeModel() {
        TextConfig c = textConfig(modelDir);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", modelDir.toAbsolutePath().toString());
        m.put("model_type", c.modelType());
        try (Checkpoint ckpt = Checkpoint.open(modelDir)) {
            m.put("parameters", ckpt.parameterCount());
        }
        m.put("dtype", "F32");
        m.put("layers", c.numHiddenLayers());
        m.put("hidden", c.hiddenSize());
        m.put("intermediate", c.intermediateSize());
        m.put("heads", c.numAttentionHeads());
        m.put("kv_heads", c.numKeyValueHeads());
        m.put("vocab", c.vocabSize());
        return m;
    }

    private static TextConfig textConfig(Path dir) {
        if (!(ModelConfig.load(dir) instanceof TextConfig c)) {
            throw new IllegalArgumentException(dir + ": the runtime bench needs a text-only llama/mistral/qwen2 checkpoint");
        }
        return c;
    }

    /** Runs one engine in a fresh JVM with this JVM's flags and class path; reads its result file. */
    private EngineResult runChild(String engine) throws IOException, InterruptedException {
        Path result = Files.createTempFile("tga-bench-" + engine, ".json");
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
            cmd.addAll(jvmArgs);
            if (!String.join(" ", jvmArgs).contains("jdk.incubator.vector")) {
                cmd.add("--add-modules");
                cmd.add("jdk.incubator.vector");
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench", "runtime",
                    "--model-dir", modelDir.toString(), "--prompt-tokens", "" + promptTokens,
                    "--decode-tokens", "" + decodeTokens, "--batch", "" + batch, "--warmup", "" + warmup,
                    "--seed", "" + seed, "--child-engine", engine,
                    "--child-result", result.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            // Spin-waiting OpenMP threads (libtorch's default) collapse throughput when any other process runs.
            pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
            Process p = pb.start();
            int rc = p.waitFor();
            if (rc != 0) throw new IllegalStateException(engine + " benchmark JVM exited with status " + rc);
            return json().readValue(result.toFile(), EngineResult.class);
        } finally {
            Files.deleteIfExists(result);
        }
    }

    private static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        Files.writeString(tmp, text + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
