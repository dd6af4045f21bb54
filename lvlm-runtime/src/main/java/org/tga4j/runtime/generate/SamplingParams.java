package org.tga4j.runtime.generate;

import java.util.Set;

/**
 * Decoding settings. Greedy when {@code temperature == 0}; otherwise temperature, then top-k (0 = off), then
 * nucleus top-p (1 = off) sampling from a generator seeded with {@code seed} (per row: {@code seed + row}).
 *
 * @param stopTokens token ids that end a row (the tokenizer's eos ids, typically); the stop token is not emitted
 */
public record SamplingParams(int maxNewTokens, float temperature, int topK, float topP, long seed, Set<Integer> stopTokens) {

    public SamplingParams {
        if (maxNewTokens < 0) throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        stopTokens = Set.copyOf(stopTokens);
    }

    public static SamplingParams greedy(int maxNewTokens, Set<Integer> stopTokens) {
        return new SamplingParams(maxNewTokens, 0f, 0, 1f, 0L, stopTokens);
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }

    public SamplingParams withStopTokens(Set<Integer> stop) {
        return new SamplingParams(maxNewTokens, temperature, topK, topP, seed, stop);
    }
}
