package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/**
 * Rotary position embedding (RoFormer / LLaMA, HF's "rotate_half" layout): for head dimension {@code d} and
 * frequencies {@code theta^(-2i/d)}, {@code rope(x) = x * cos(p f) + rotate_half(x) * sin(p f)} where the frequency
 * vector is repeated twice along the head dimension.
 */
public final class RotaryEmbedding {
    private final float[] inverseFrequencies;
    private final int headDim;
    private final NDIndex firstHalf, secondHalf;

    public RotaryEmbedding(int headDim, double theta) {
        this.headDim = headDim;
        this.inverseFrequencies = new float[headDim / 2];
        for (int i = 0; i < headDim / 2; i++) {
            inverseFrequencies[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
        }
        this.firstHalf = new NDIndex("..., :" + headDim / 2);
        this.secondHalf = new NDIndex("..., " + headDim / 2 + ":");
    }

    /**
     * The tables for positions {@code [B, T]} (FLOAT32), in the positions' manager, each shaped
     * {@code [B, 1, T, headDim]}: cos, and sin with its first half negated, so that
     * {@code rotate_half(x) * sin = concat(x2, x1) * signedSin}.
     */
    public NDArray[] cosSin(NDArray positions) {
        NDManager m = positions.getManager();
        NDArray freqs = m.create(inverseFrequencies, new Shape(1, 1, inverseFrequencies.length));
        NDArray angles = positions.expandDims(-1).mul(freqs);
        NDArray sin = angles.sin();
        return new NDArray[] {angles.concat(angles, -1).expandDims(1).cos(), sin.neg().concat(sin, -1).expandDims(1)};
    }

    /**
     * {@link #cosSin}'s tables for one position, computed in Java: {@code headDim} values of each from index
     * {@code at} (a decode step computed in Java, see {@link LlamaDecoder}).
     */
    void tables(int position, float[] cos, float[] signedSin, int at) {
        int half = headDim / 2;
        for (int i = 0; i < half; i++) {
            float angle = position * inverseFrequencies[i];
            float c = (float) Math.cos(angle), s = (float) Math.sin(angle);
            cos[at + i] = c;
            cos[at + half + i] = c;
            signedSin[at + i] = -s;
            signedSin[at + half + i] = s;
        }
    }

    /**
     * {@link #apply} to one head of {@code headDim} floats, read from byte {@code from} of {@code source} and written
     * from byte {@code to} of {@code target}, with the tables from index {@code at}.
     */
    void rotate(ByteBuffer source, int from, ByteBuffer target, int to, float[] cos, float[] signedSin, int at) {
        int half = headDim / 2;
        for (int i = 0; i < headDim; i++) {
            float x = source.getFloat(from + i * Float.BYTES);
            float swapped = source.getFloat(from + ((i + half) % headDim) * Float.BYTES);
            target.putFloat(to + i * Float.BYTES, x * cos[at + i] + swapped * signedSin[at + i]);
        }
    }

    /**
     * Applies the rotation to {@code x} shaped {@code [B, heads, T, headDim]}: {@code x * cos + concat(x2, x1) *
     * signedSin}. (A matmul by the signed permutation matrix, one op instead of three, measured 60-200 us per call at
     * decode against a few us per slice or concat.)
     */
    public NDArray apply(NDArray x, NDArray[] cosSin) {
        NDArray swapped = x.get(secondHalf).concat(x.get(firstHalf), -1);
        return x.mul(cosSin[0]).add(swapped.mul(cosSin[1]));
    }
}
