package org.tga4j.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.generate.GenerationResult;
import org.tga4j.runtime.generate.Generator;
import org.tga4j.runtime.generate.SamplingParams;
import org.tga4j.runtime.model.TorchThreads;
import org.tga4j.runtime.model.WeightPrecision;

/**
 * Measures tga4j's runtime: load through {@link Lvlm}, then greedy generation through the same {@link Generator}
 * that {@code Lvlm.generate} uses (token ids in, so tokenization is not timed). Batch {@code B} is one left-padded
 * batch with one KV cache: each decode step is one forward for all rows.
 */
public final class TgaRuntimeBench {
    private TgaRuntimeBench() {}

    /** Our engines by name: the weight precision each loads the checkpoint in. */
    public static final Map<String, WeightPrecision> PRECISIONS =
            Map.of("tga4j", WeightPrecision.FLOAT32, "tga4j-fp16", WeightPrecision.FLOAT16);

    /** @param engine a key of {@link #PRECISIONS} */
    public static EngineResult run(Path modelDir, Workload w, String engine) {
        long t0 = System.nanoTime();
        try (Lvlm lvlm = Lvlm.load(modelDir, null, PRECISIONS.get(engine))) {
            double load = (System.nanoTime() - t0) / 1e9;
            Generator generator = new Generator(lvlm.model(), lvlm.tokenizer().padId());
            List<int[]> one = w.prompts(1), batch = w.prompts(w.batch());
            SamplingParams prefillOnly = SamplingParams.greedy(1, Set.of());
            SamplingParams decode = SamplingParams.greedy(w.decodeTokens(), Set.of());
            for (int i = 0; i < w.warmup(); i++) {
                generate(generator, one, decode);
                generate(generator, batch, decode);
            }
            double[] prefill = new double[w.repeats()], single = new double[w.repeats()], multi = new double[w.repeats()];
            int steps = w.decodeTokens() - 1; // the first token comes from the prompt pass
            for (int r = 0; r < w.repeats(); r++) {
                prefill[r] = w.promptTokens() / (generate(generator, one, prefillOnly).prefillMillis() / 1000);
                single[r] = steps / (generate(generator, one, decode).decodeMillis() / 1000);
                multi[r] = (double) steps * w.batch() / (generate(generator, batch, decode).decodeMillis() / 1000);
            }
            return new EngineResult(engine, load, Stats.median(prefill), Stats.median(single), Stats.median(multi),
                    "batched", ProcessMemory.peakRssMiB(), weightMiB(lvlm), TorchThreads.current(),
                    ProcessMemory.loadAverage());
        }
    }

    private static double weightMiB(Lvlm lvlm) {
        long bytes = 0;
        for (NDArray a : lvlm.parameters().values()) bytes += a.getShape().size() * a.getDataType().getNumOfBytes();
        return bytes / (1024.0 * 1024.0);
    }

    private static GenerationResult generate(Generator g, List<int[]> prompts, SamplingParams p) {
        try (NDManager m = NDManager.newBaseManager()) {
            List<GenerationResult> results = g.generate(m, prompts, null, p, null);
            for (GenerationResult r : results) {
                if (r.tokens().length != p.maxNewTokens()) {
                    throw new IllegalStateException("expected " + p.maxNewTokens() + " tokens, got " + r.tokens().length);
                }
            }
            return results.get(0);
        }
    }
}
