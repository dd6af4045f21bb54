package org.tga4j.eval.probe;

/**
 * One prompt pass seen through the logit lens, per hidden-state index l (0 = embeddings … L = final-normed).
 *
 * @param refusalProb refusal-token probability mass of {@code p_l} at the last prompt position
 * @param top1IsRefusal whether the top-1 token of {@code p_l} is a refusal token
 * @param refusalInDeltaTop5 whether a refusal token is among the top-5 of {@code p_l - p_{l-1}} with a positive
 *     increase (false at l = 0)
 * @param top1 the top-1 token id of {@code p_l}
 * @param lastHidden the last prompt position's hidden state per layer ({@code [L+1][hidden]})
 * @param spanMean the mean hidden state over the probed span per layer ({@code [L+1][hidden]}; image tokens for a
 *     vision run, user text for a text run)
 */
public record LensRun(double[] refusalProb, boolean[] top1IsRefusal, boolean[] refusalInDeltaTop5, int[] top1,
        float[][] lastHidden, float[][] spanMean) {

    /** Number of hidden-state indices (L + 1). */
    public int layers() {
        return refusalProb.length;
    }

    /** The safety start layer: the first l ≥ 2 where a refusal token enters the top-5 of the increase, or -1. */
    public int startLayer() {
        for (int l = 2; l < layers(); l++) {
            if (refusalInDeltaTop5[l]) return l;
        }
        return -1;
    }

    /** The safety end layer: the last l at which a refusal token is top-1, or -1. */
    public int endLayer() {
        for (int l = layers() - 1; l >= 0; l--) {
            if (top1IsRefusal[l]) return l;
        }
        return -1;
    }
}
