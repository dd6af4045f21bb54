package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding (RoFormer / LLaMA, HF's "rotate_half" layout): for head dimension {@code d} and
 * frequencies {@code theta^(-2i/d)}, {@code rope(x) = x * cos(p f) + rotate_half(x) * sin(p f)} where the frequency
 * vector is repeated twice along the head dimension.
 */
public final class RotaryEmbedding {
    private final float[] inverseFrequencies;
    private final int headDim;

    public RotaryEmbedding(int headDim, double theta) {
        this.headDim = headDim;
        this.inverseFrequencies = new float[headDim / 2];
        for (int i = 0; i < headDim / 2; i++) {
            inverseFrequencies[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
        }
    }

    /** The cos and sin tables for positions {@code [B, T]} (FLOAT32), each shaped {@code [B, 1, T, headDim]}. */
    public NDArray[] cosSin(NDArray positions) {
        NDManager m = positions.getManager();
        NDArray freqs = m.create(inverseFrequencies, new Shape(1, 1, inverseFrequencies.length));
        NDArray angles = positions.expandDims(-1).mul(freqs);
        NDArray emb = angles.concat(angles, -1).expandDims(1);
        return new NDArray[] {emb.cos(), emb.sin()};
    }

    /** Applies the rotation to {@code x} shaped {@code [B, heads, T, headDim]}. */
    public NDArray apply(NDArray x, NDArray[] cosSin) {
        int half = headDim / 2;
        NDArray x1 = x.get("..., :" + half);
        NDArray x2 = x.get("..., " + half + ":");
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(cosSin[0]).add(rotated.mul(cosSin[1]));
    }
}
