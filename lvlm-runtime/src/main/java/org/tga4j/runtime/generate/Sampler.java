package org.tga4j.runtime.generate;

import java.util.Arrays;
import java.util.Random;

/** Picks the next token from one row of logits: argmax, or temperature / top-k / top-p sampling. */
final class Sampler {
    private final SamplingParams params;
    private final Random random;

    Sampler(SamplingParams params, int row) {
        this.params = params;
        this.random = new Random(params.seed() + row);
    }

    int next(float[] logits) {
        if (params.isGreedy()) return argMax(logits);
        int n = logits.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Sort by logit descending, ties by id, so sampling is reproducible.
        Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        int keep = params.topK() > 0 ? Math.min(params.topK(), n) : n;
        double max = logits[order[0]] / params.temperature();
        double[] probs = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            probs[i] = Math.exp(logits[order[i]] / params.temperature() - max);
            total += probs[i];
        }
        // Nucleus: the smallest prefix whose probability mass reaches top-p.
        double mass = 0;
        int cut = keep;
        for (int i = 0; i < keep; i++) {
            mass += probs[i] / total;
            if (mass >= params.topP()) {
                cut = i + 1;
                break;
            }
        }
        double kept = 0;
        for (int i = 0; i < cut; i++) kept += probs[i];
        double u = random.nextDouble() * kept;
        for (int i = 0; i < cut; i++) {
            u -= probs[i];
            if (u <= 0) return order[i];
        }
        return order[cut - 1];
    }

    static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
