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

    /**
     * The tables for positions {@code [B, T]} (FLOAT32), in the positions' manager: cos and sin, each shaped
     * {@code [B, 1, T, headDim]}, and the {@code [headDim, headDim]} signed permutation {@code R} with
     * {@code x R = rotate_half(x) = concat(-x2, x1)}.
     */
    public NDArray[] cosSin(NDArray positions) {
        NDManager m = positions.getManager();
        NDArray freqs = m.create(inverseFrequencies, new Shape(1, 1, inverseFrequencies.length));
        NDArray angles = positions.expandDims(-1).mul(freqs);
        NDArray emb = angles.concat(angles, -1).expandDims(1);
        return new NDArray[] {emb.cos(), emb.sin(), m.create(rotateHalfMatrix(), new Shape(headDim, headDim))};
    }

    /**
     * {@code R} as a row-major {@code [d, d]} array: column {@code i < d/2} picks {@code -x[i + d/2]}, column
     * {@code i >= d/2} picks {@code x[i - d/2]}. One small matmul replaces two slices, a negation and a concat
     * (every op is a native call, and decode is dominated by their count); the product is exact.
     */
    private float[] rotateHalfMatrix() {
        int half = headDim / 2;
        float[] r = new float[headDim * headDim];
        for (int i = 0; i < half; i++) {
            r[(i + half) * headDim + i] = -1f;
            r[i * headDim + i + half] = 1f;
        }
        return r;
    }

    /** Applies the rotation to {@code x} shaped {@code [B, heads, T, headDim]}. */
    public NDArray apply(NDArray x, NDArray[] cosSin) {
        // matmul does not promote dtypes: a FLOAT64 forward (the trainer's gradient check) needs R in FLOAT64 too.
        NDArray r = cosSin[2].getDataType() == x.getDataType() ? cosSin[2] : cosSin[2].toType(x.getDataType(), false);
        return x.mul(cosSin[0]).add(x.matMul(r).mul(cosSin[1]));
    }
}
