package org.tga4j.eval.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.tga4j.eval.judge.RefusalTokens;
import org.tga4j.runtime.Forward;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.Request;
import org.tga4j.runtime.model.DecoderOutput;
import org.tga4j.runtime.text.SpanKind;

/**
 * Runs one prompt with every hidden state and reads it through the logit lens:
 * {@code p_l = softmax(lm_head(final_norm(h_l)))} at the last prompt position (the final entry is already normed, as
 * HF returns it), plus the mean hidden state over the prompt's spans of one kind, selected through the
 * {@link org.tga4j.runtime.text.PromptLayout}.
 */
public final class LogitLens {
    private final Lvlm lvlm;
    private final RefusalTokens refusal;

    public LogitLens(Lvlm lvlm, RefusalTokens refusal) {
        this.lvlm = lvlm;
        this.refusal = refusal;
    }

    /**
     * @param spanKind the span whose mean hidden state is kept (IMAGE or QUESTION)
     * @throws IllegalArgumentException when the prompt has no span of that kind
     */
    public LensRun run(Request request, SpanKind spanKind) {
        try (NDManager m = NDManager.newBaseManager()) {
            Forward f = lvlm.forward(m, request, true);
            DecoderOutput out = f.output();
            List<NDArray> hs = out.hiddenStates();
            int layers = hs.size();
            boolean[] mask = f.prompt().layout().mask(spanKind);
            int count = 0;
            for (boolean b : mask) count += b ? 1 : 0;
            if (count == 0) {
                throw new IllegalArgumentException("prompt has no " + spanKind + " span: " + f.prompt().layout());
            }
            float[] w = new float[mask.length];
            for (int i = 0; i < w.length; i++) w[i] = mask[i] ? 1f / count : 0f;
            NDArray weights = m.create(w, new Shape(1, w.length));
            int t = mask.length;
            double[] prob = new double[layers];
            boolean[] top1Ref = new boolean[layers], deltaRef = new boolean[layers];
            int[] top1 = new int[layers];
            float[][] last = new float[layers][], mean = new float[layers][];
            float[] prev = null;
            for (int l = 0; l < layers; l++) {
                NDArray h = hs.get(l).get(0).toType(DataType.FLOAT32, false); // [T, H]
                NDArray lastH = h.get(t - 1);
                float[] p = lvlm.model().decoder().logits(lastH.reshape(1, 1, -1), l == layers - 1)
                        .reshape(-1).softmax(0).toFloatArray();
                prob[l] = refusal.mass(p);
                top1[l] = argmax(p);
                top1Ref[l] = refusal.contains(top1[l]);
                deltaRef[l] = prev != null && refusalInTop5Increase(p, prev);
                last[l] = lastH.toFloatArray();
                mean[l] = weights.matMul(h).reshape(-1).toFloatArray();
                prev = p;
            }
            return new LensRun(prob, top1Ref, deltaRef, top1, last, mean);
        }
    }

    private boolean refusalInTop5Increase(float[] p, float[] prev) {
        int[] top = new int[5];
        float[] best = new float[5];
        java.util.Arrays.fill(top, -1);
        java.util.Arrays.fill(best, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < p.length; i++) {
            float d = p[i] - prev[i];
            if (d <= best[4]) continue;
            int k = 4;
            while (k > 0 && d > best[k - 1]) {
                best[k] = best[k - 1];
                top[k] = top[k - 1];
                k--;
            }
            best[k] = d;
            top[k] = i;
        }
        for (int k = 0; k < 5; k++) {
            if (top[k] >= 0 && best[k] > 0 && refusal.contains(top[k])) return true;
        }
        return false;
    }

    static int argmax(float[] p) {
        int b = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[b]) b = i;
        return b;
    }
}
