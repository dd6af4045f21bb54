package org.tga4j.cli.bench;

/**
 * One engine's figures from one run.
 *
 * @param engine {@code tga4j}, {@code tga4j-fp16} (float16 projection weights) or {@code jlama}
 * @param loadSeconds time to load the checkpoint
 * @param prefillTokensPerSecond prompt tokens per second of the prompt pass (batch 1, median)
 * @param decodeTokensPerSecond generated tokens per second at batch 1 (median, prefill excluded)
 * @param batchDecodeTokensPerSecond total generated tokens per second over {@code batch} requests (median)
 * @param batchMode how the batch was run: {@code batched} (one KV cache, one forward per step for all rows) or
 *     {@code sequential} (one request after another)
 * @param peakRssMiB the engine process's peak resident set (VmHWM), or -1 where unavailable
 * @param weightMiB what the loaded weights occupy (tga4j: every tensor's elements times its element size), or -1
 *     where the engine does not say
 * @param threads compute threads the engine was allowed
 * @param loadAverage the machine's 1-minute load average at the end of the run (other processes compete for the
 *     same cores; figures taken under a high load are lower and noisier)
 */
public record EngineResult(String engine, double loadSeconds, double prefillTokensPerSecond,
        double decodeTokensPerSecond, double batchDecodeTokensPerSecond, String batchMode, double peakRssMiB,
        double weightMiB, int threads, double loadAverage) {

    /** Combines rounds of one engine: the median of every rate and of load time, the maximum peak RSS. */
    public static EngineResult median(java.util.List<EngineResult> rounds) {
        if (rounds.isEmpty()) throw new IllegalArgumentException("no rounds");
        EngineResult first = rounds.get(0);
        return new EngineResult(first.engine(),
                Stats.median(rounds.stream().mapToDouble(EngineResult::loadSeconds).toArray()),
                Stats.median(rounds.stream().mapToDouble(EngineResult::prefillTokensPerSecond).toArray()),
                Stats.median(rounds.stream().mapToDouble(EngineResult::decodeTokensPerSecond).toArray()),
                Stats.median(rounds.stream().mapToDouble(EngineResult::batchDecodeTokensPerSecond).toArray()),
                first.batchMode(), rounds.stream().mapToDouble(EngineResult::peakRssMiB).max().orElse(-1),
                first.weightMiB(),
                first.threads(), Stats.median(rounds.stream().mapToDouble(EngineResult::loadAverage).toArray()));
    }
}
