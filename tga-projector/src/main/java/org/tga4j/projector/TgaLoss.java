package org.tga4j.projector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.tga4j.runtime.model.LlamaDecoder;
import org.tga4j.runtime.model.Ops;

/**
 * The training loss, as {@code docs/tga-method.md} writes it:
 *
 * <pre>
 * L_LM    = mean over answer tokens of -log softmax(lm_head(h_final))[next token]        (shifted labels)
 * s_ic    = cos(h_img, h_cap),  s_rc = cos(h_rag, h_cap)                              per band layer l, sample i
 * L_pair  = mean over (l, i) of exp(-s_ic)
 * L_hinge = mean over (l, i with a retrieved span) of exp(s_rc - s_ic)
 * L       = L_LM + (1-p) * w_pair * L_pair + (1-p)^2 * w_hinge * L_hinge,   p = step / total_steps
 * </pre>
 *
 * {@code h_img} and {@code h_rag} are means of the main pass's hidden states over the sample's IMAGE and RETRIEVED
 * spans; {@code h_cap} is the mean over the caption tokens of a no-gradient text-only pass (given). Only aligned
 * samples enter the alignment terms; with none (the baseline, text-only batches) they are 0, and with no retrieved
 * span anywhere (stage 1) the hinge term is 0 — never NaN. With {@code detach} (the released code's behaviour) both
 * terms keep their value in the total but carry no gradient.
 */
public final class TgaLoss {
    private static final float EPS = 1e-12f;
    private final LayerBand band;
    private final double pairWeight, hingeWeight;
    private final boolean detach;

    public TgaLoss(LayerBand band, double pairWeight, double hingeWeight, boolean detach) {
        this.band = band;
        this.pairWeight = pairWeight;
        this.hingeWeight = hingeWeight;
        this.detach = detach;
    }

    public LayerBand band() {
        return band;
    }

    /** The LM loss alone (the LLaVA baseline). */
    public static NDArray languageModelLoss(NDManager m, LlamaDecoder decoder, NDArray finalHidden, Batch batch) {
        long hidden = finalHidden.getShape().get(2);
        NDArray flat = finalHidden.reshape(-1, hidden);
        NDArray selected = flat.get(m.create(batch.lmPositions()));
        NDArray logProbs = decoder.logits(selected, true).logSoftmax(-1);
        NDArray targets = m.create(batch.lmTargets(), new Shape(batch.lmTargets().length, 1));
        return logProbs.gather(targets, 1).neg().mean();
    }

    /**
     * Computes every term.
     *
     * @param hiddenStates the main pass's hidden states (HF convention, all indices)
     * @param captionMeans {@code h_cap} per band layer, {@code [A, hidden]} for the batch's aligned rows (no gradient);
     *     empty when the batch has no aligned rows
     * @param progress {@code p = step / total_steps}
     */
    public Terms compute(NDManager m, LlamaDecoder decoder, List<NDArray> hiddenStates, Batch batch,
            List<NDArray> captionMeans, double progress) {
        NDArray lm = languageModelLoss(m, decoder, hiddenStates.get(hiddenStates.size() - 1), batch);
        int aligned = batch.alignedRows().length;
        float[] sIc = new float[band.size()], sRc = new float[band.size()];
        if (aligned == 0) {
            java.util.Arrays.fill(sIc, Float.NaN);
            java.util.Arrays.fill(sRc, Float.NaN);
            NDArray zero = lm.zerosLike();
            return new Terms(lm, lm, zero, zero, 0, 0, sIc, sRc, 0, 0);
        }
        DataType dtype = lm.getDataType();
        NDArray rows = m.create(toLong(batch.alignedRows()));
        NDArray imageW = m.create(batch.imageWeights()).toType(dtype, false).expandDims(1);       // [B, 1, T]
        NDArray retrievedW = m.create(batch.retrievedWeights()).toType(dtype, false).expandDims(1);
        int hingeCount = 0;
        float[] hingeMaskData = new float[aligned];
        for (int k = 0; k < aligned; k++) {
            if (batch.hingeRows()[k]) {
                hingeMaskData[k] = 1f;
                hingeCount++;
            }
        }
        NDArray hingeMask = m.create(hingeMaskData).toType(dtype, false);
        List<NDArray> pairPerLayer = new ArrayList<>(), hingePerLayer = new ArrayList<>();
        for (int l = band.first(); l <= band.last(); l++) {
            NDArray h = hiddenStates.get(l);                                       // [B, T, H]
            NDArray hImg = imageW.batchMatMul(h).squeeze(1).get(rows);             // [A, H]
            NDArray hRag = retrievedW.batchMatMul(h).squeeze(1).get(rows);         // [A, H]
            NDArray hCap = captionMeans.get(l - band.first());                     // [A, H]
            NDArray cosIc = cosine(hImg, hCap);                                    // s_ic [A]
            NDArray cosRc = cosine(hRag, hCap);                                    // s_rc [A]
            pairPerLayer.add(cosIc.neg().exp().sum());                             // sum_i exp(-s_ic)
            hingePerLayer.add(cosRc.sub(cosIc).exp().mul(hingeMask).sum());        // sum_i exp(s_rc - s_ic)
            sIc[l - band.first()] = cosIc.mean().toType(DataType.FLOAT32, false).getFloat();
            sRc[l - band.first()] = hingeCount == 0 ? Float.NaN
                    : cosRc.mul(hingeMask).sum().div(hingeCount).toType(DataType.FLOAT32, false).getFloat();
        }
        NDArray pairSum = stack(pairPerLayer).sum();
        NDArray pair = pairSum.div(Ops.constant(pairSum, (double) band.size() * aligned));
        NDArray hingeSum = stack(hingePerLayer).sum();
        NDArray hinge = hingeCount == 0 ? lm.zerosLike()
                : hingeSum.div(Ops.constant(hingeSum, (double) band.size() * hingeCount));
        double pairScale = (1 - progress) * pairWeight;
        double hingeScale = (1 - progress) * (1 - progress) * hingeWeight;
        NDArray pairTerm = detach ? pair.stopGradient() : pair;
        NDArray hingeTerm = detach ? hinge.stopGradient() : hinge;
        NDArray total = lm.add(pairTerm.mul(Ops.constant(pairTerm, pairScale)))
                .add(hingeTerm.mul(Ops.constant(hingeTerm, hingeScale)));
        return new Terms(total, lm, pair, hinge, pairScale, hingeScale, sIc, sRc, aligned, hingeCount);
    }

    /**
     * {@code cos(a, b)} row by row: {@code [N, H] x [N, H] -> [N]}, as {@code a.b / sqrt(|a|^2 |b|^2 + eps^2)} so
     * that a zero row (a sample without a retrieved span, masked out of the hinge) has a finite gradient, not
     * {@code inf * 0 = NaN} from the square root at 0.
     */
    static NDArray cosine(NDArray a, NDArray b) {
        NDArray dot = a.mul(b).sum(new int[] {-1});
        NDArray squaredNorms = a.square().sum(new int[] {-1}).mul(b.square().sum(new int[] {-1}));
        return dot.div(squaredNorms.add(EPS * EPS).sqrt());
    }

    private static NDArray stack(List<NDArray> scalars) {
        NDArray out = scalars.get(0).reshape(1);
        for (int i = 1; i < scalars.size(); i++) out = out.concat(scalars.get(i).reshape(1));
        return out;
    }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i];
        return out;
    }

    /**
     * The loss and its parts.
     *
     * @param total the differentiable total (what backward runs on)
     * @param lm {@code L_LM}
     * @param pair {@code L_pair} (unweighted)
     * @param hinge {@code L_hinge} (unweighted)
     * @param pairScale {@code (1-p) w_pair}
     * @param hingeScale {@code (1-p)^2 w_hinge}
     * @param sIc mean {@code s_ic} per band layer (NaN when no sample is aligned)
     * @param sRc mean {@code s_rc} per band layer (NaN when no sample has a retrieved span)
     * @param aligned samples in the alignment terms
     * @param hinged samples in the hinge term
     */
    public record Terms(NDArray total, NDArray lm, NDArray pair, NDArray hinge, double pairScale, double hingeScale,
            float[] sIc, float[] sRc, int aligned, int hinged) {}
}
