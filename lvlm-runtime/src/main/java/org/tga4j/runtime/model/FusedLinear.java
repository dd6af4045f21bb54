package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Several linear projections of the same input computed as one: {@code [y_1 | ... | y_n] = x [W_1; ...; W_n]^T
 * (+ [b_1 | ... | b_n])}, then split along the last axis into views. One matrix product instead of {@code n} (q/k/v,
 * gate/up) saves native calls and thread hand-offs per decode step, which at batch 1 cost as much as the arithmetic.
 *
 * <p>The stacked weight is built once, at construction, from the parts as loaded, in the parts' manager. The parts
 * stay the model's parameters (what checkpoints save and trainers update): while any part requires gradients (LLM
 * training), each call projects with the parts one by one instead, so gradients reach them and optimizer updates are
 * seen. Outside training the parts must not be changed in place after construction.
 */
final class FusedLinear {
    private final NDArray[] weights, biases;
    private final NDArray stackedWeight, stackedBias;
    /** Where the output splits: the cumulative output sizes of all parts but the last. */
    private final long[] splitPoints;

    /**
     * @param weights the parts' weights, each {@code [out_i, in]}
     * @param biases the parts' biases {@code [out_i]}, or null when the projections have none
     */
    FusedLinear(NDArray[] weights, NDArray[] biases) {
        this.weights = weights.clone();
        this.biases = biases == null ? null : biases.clone();
        this.splitPoints = new long[weights.length - 1];
        long offset = 0;
        for (int i = 0; i < weights.length - 1; i++) {
            offset += weights[i].getShape().get(0);
            splitPoints[i] = offset;
        }
        // Concatenation creates the result in the first part's manager: the stacked copies live as long as the parts.
        this.stackedWeight = NDArrays.concat(new NDList(weights), 0);
        this.stackedBias = biases == null ? null : NDArrays.concat(new NDList(biases), 0);
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
