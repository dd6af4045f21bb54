package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.nio.ByteBuffer;

/**
 * Several linear projections of the same input computed as one: {@code [y_1 | ... | y_n] = x [W_1; ...; W_n]^T
 * (+ [b_1 | ... | b_n])}, then split along the last axis into views. One matrix product instead of {@code n} (q/k/v,
 * gate/up) saves native calls and thread hand-offs per decode step, which at batch 1 cost as much as the arithmetic.
 *
 * <p>The parts are stacked once, at load, and the model holds only the stack: each part stays one of the model's
 * parameters (what checkpoints save and trainers update) as a view of its rows of the stack, so an update to a part
 * is an update to the stack. While any part requires gradients (LLM training), each call projects with the parts one
 * by one instead, so that gradients reach them.
 */
final class FusedLinear {
    private final NDArray[] weights, biases;
    private final NDArray stackedWeight, stackedBias;
    /** Where the output splits: the cumulative output sizes of all parts but the last. */
    private final long[] splitPoints;

    /**
     * Loads the parts from {@code p}, stacks them and records each part in {@code p} as a view of the stack.
     *
     * @param in the input size every part shares
     * @param weightNames the parts' weights, each {@code [outSizes[i], in]}, loaded in the model's linear precision
     * @param biasNames the parts' biases {@code [outSizes[i]]}, or null when the projections have none
     */
    FusedLinear(Parameters p, long in, String[] weightNames, long[] outSizes, String[] biasNames) {
        this.splitPoints = new long[weightNames.length - 1];
        long offset = 0;
        for (int i = 0; i < weightNames.length - 1; i++) {
            offset += outSizes[i];
            splitPoints[i] = offset;
        }
        NDArray[] w = new NDArray[weightNames.length];
        for (int i = 0; i < w.length; i++) w[i] = p.linearWeight(weightNames[i], outSizes[i], in);
        this.weights = w;
        this.stackedWeight = stackIntoViews(p, weightNames, weights);
        if (biasNames == null) {
            this.biases = null;
            this.stackedBias = null;
        } else {
            NDArray[] b = new NDArray[biasNames.length];
            for (int i = 0; i < b.length; i++) b[i] = p.get(biasNames[i], outSizes[i]);
            this.biases = b;
            this.stackedBias = stackIntoViews(p, biasNames, biases);
        }
    }

    /**
     * Concatenates {@code parts} along the first axis, closes them, and puts in their place (in {@code parts} and in
     * {@code p}) views of their rows of the result. Concatenation creates the stack in the first part's manager.
     */
    private static NDArray stackIntoViews(Parameters p, String[] names, NDArray[] parts) {
        NDArray stacked = NDArrays.concat(new NDList(parts), 0);
        long start = 0;
        for (int i = 0; i < parts.length; i++) {
            long rows = parts[i].getShape().get(0);
            parts[i].close();
            parts[i] = stacked.get(new NDIndex().addSliceDim(start, start + rows));
            p.replace(names[i], parts[i]);
            start += rows;
        }
        return stacked;
    }

    /** The projections of {@code x} ({@code [..., in]}), one per part ({@code [..., out_i]}), in order. */
    NDList forward(NDArray x) {
        if (perPart()) return separately(x);
        NDArray stacked = Ops.linear(x, stackedWeight, stackedBias);
        return stacked.split(splitPoints, stacked.getShape().dimension() - 1);
    }

    /** The projections of {@code x} side by side along the last axis: {@code [..., out_1 + ... + out_n]}. */
    NDArray forwardStacked(NDArray x) {
        if (perPart()) return NDArrays.concat(separately(x), x.getShape().dimension() - 1);
        return Ops.linear(x, stackedWeight, stackedBias);
    }

    /** {@link #forwardStacked} of {@code rows} rows of {@code x} into {@code y}, in Java (a decode step). */
    void decode(ByteBuffer x, ByteBuffer y, int rows) {
        DecodeKernels.multiply(x, stackedWeight, stackedBias, y, rows);
    }

    /**
     * Whether {@link #decode} of {@code rows} rows computes what {@link #forwardStacked} would: no part trained or
     * hooked.
     */
    boolean decodesInJava(int rows) {
        return !perPart() && DecodeKernels.appliesToWeight(stackedWeight, rows)
                && (stackedBias == null || DecodeKernels.applies(stackedBias));
    }

    /** One product per part, with the parts themselves (the path gradients take). */
    private NDList separately(NDArray x) {
        NDList separate = new NDList(weights.length);
        for (int i = 0; i < weights.length; i++) {
            separate.add(Ops.linear(x, weights[i], biases == null ? null : biases[i]));
        }
        return separate;
    }

    /** Whether a part is being trained or carries a {@link LinearHook} (a LoRA adapter): then the parts must run. */
    private boolean perPart() {
        for (NDArray w : weights) if (w.hasGradient() || LinearHooks.isHooked(w)) return true;
        if (biases != null) for (NDArray b : biases) if (b.hasGradient()) return true;
        return false;
    }
}
