package org.tga4j.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What each engine is asked to do, identically: prompts of random token ids (no tokenizer in the timed path),
 * greedy decoding without stop tokens so every request produces exactly {@code decodeTokens} tokens.
 *
 * @param promptTokens prompt length for the prefill and decode measurements
 * @param decodeTokens new tokens per request
 * @param batch rows of the batched decode measurement
 * @param warmup untimed warm-up rounds before measuring
 * @param repeats timed rounds; the median is reported
 * @param vocab the model's vocabulary size (ids are drawn from {@code [5, vocab)}, past the special tokens)
 */
public record Workload(int promptTokens, int decodeTokens, int batch, int warmup, int repeats, int vocab, long seed) {
    public Workload {
        if (promptTokens < 1 || decodeTokens < 2 || batch < 1 || warmup < 0 || repeats < 1) {
            throw new IllegalArgumentException("invalid workload: need prompt >= 1, decode >= 2, batch >= 1,"
                    + " warmup >= 0, repeats >= 1; got " + this);
        }
    }

    /** {@code rows} prompts of {@code promptTokens} ids, the same for every engine. */
    public List<int[]> prompts(int rows) {
        Random random = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int[] ids = new int[promptTokens];
            for (int i = 0; i < ids.length; i++) ids[i] = 5 + random.nextInt(vocab - 5);
            out.add(ids);
        }
        return out;
    }
}
