package org.tga4j.eval.bench;

import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.generate.SamplingParams;

/**
 * Pinned decoding settings (greedy unless a temperature is given), recorded in the manifest.
 *
 * @param maxNewTokens generation budget
 * @param temperature 0 for greedy
 * @param topK top-k (0 = off)
 * @param topP nucleus (1 = off)
 * @param seed sampling seed (recorded even for greedy)
 */
public record Decoding(int maxNewTokens, float temperature, int topK, float topP, long seed) {
    public static Decoding greedy(int maxNewTokens) {
        return new Decoding(maxNewTokens, 0f, 0, 1f, 0);
    }

    public SamplingParams params(Lvlm lvlm) {
        return temperature == 0f ? lvlm.greedy(maxNewTokens)
                : lvlm.sampling(maxNewTokens, temperature, topK, topP, seed);
    }
}
