package org.tga4j.cli.bench;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.util.PhysicalCoreExecutor;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Measures Jlama 0.8.4 (pure-Java Vector API path; no jlama-native) on the same checkpoint directory, the way
 * its own {@code generate} runs a request: {@code batchForward} over the prompt, then {@code forward} one token
 * at a time through its KV buffer, greedy {@code sample} (temperature 0 = argmax over the LM head). Weights and
 * working memory are F32 (no quantization), like ours. Jlama 0.8.4 has no multi-sequence decode, so batch
 * {@code B} is {@code B} requests one after another (its total throughput).
 */
public final class JlamaRuntimeBench {
    private JlamaRuntimeBench() {}

    public static EngineResult run(Path modelDir, Workload w) {
        int threads = Runtime.getRuntime().availableProcessors();
        // Jlama assumes 2 hardware threads per core and would use half the CPUs; give it all, like libtorch gets.
        PhysicalCoreExecutor.overrideThreadCount(threads);
        long t0 = System.nanoTime();
        AbstractModel model = ModelSupport.loadModel(modelDir.toFile(), DType.F32, DType.F32);
        try (KvBufferCache caches = new KvBufferCache(model)) {
            double load = (System.nanoTime() - t0) / 1e9;
            List<int[]> one = w.prompts(1), batch = w.prompts(w.batch());
            // Its batch is the same single-request path, so one request warms everything up.
            for (int i = 0; i < w.warmup(); i++) request(model, caches, batch.get(0), w.decodeTokens());
            double[] prefill = new double[w.repeats()], single = new double[w.repeats()], multi = new double[w.repeats()];
            int steps = w.decodeTokens() - 1;
            for (int r = 0; r < w.repeats(); r++) {
                prefill[r] = w.promptTokens() / request(model, caches, one.get(0), 1)[0];
                single[r] = steps / request(model, caches, one.get(0), w.decodeTokens())[1];
                double decodeSeconds = 0;
                for (int[] p : batch) decodeSeconds += request(model, caches, p, w.decodeTokens())[1];
                multi[r] = (double) steps * w.batch() / decodeSeconds;
            }
            return new EngineResult("jlama", load, Stats.median(prefill), Stats.median(single), Stats.median(multi),
                    "sequential", ProcessMemory.peakRssMiB(), -1, threads,
                    ProcessMemory.loadAverage());
        } finally {
            model.close();
        }
    }

    /** One greedy request; returns {prefill seconds, decode seconds}. */
    private static double[] request(AbstractModel model, KvBufferCache caches, int[] prompt, int newTokens) {
        int vocab = model.getConfig().vocabularySize;
        try (KvBufferCache.KvBuffer kv = caches.getEphemeralKvBuffer();
                AbstractTensor scratch = model.makeDenseTensor(vocab)) {
            long t0 = System.nanoTime();
            AbstractTensor out = model.batchForward(prompt, 0, kv);
            AbstractTensor last = out.slice(out.shape().first() - 1);
            int next = model.sample(last, 0f, 0f, scratch);
            out.close();
            long t1 = System.nanoTime();
            for (int i = 1; i < newTokens; i++) {
                AbstractTensor h = model.forward(next, prompt.length + i - 1, kv, Optional.empty());
                next = model.sample(h, 0f, 0f, scratch);
                h.close();
            }
            long t2 = System.nanoTime();
            return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
        }
    }
}
