package org.tga4j.runtime.model;

import java.nio.ByteBuffer;

/**
 * A decode step's memory-bound computations in FLOAT32, on buffers that view native memory, each over a range of
 * its independent parts (so that {@link DecodeKernels} can split it across threads). Implemented by
 * {@code VectorDecodeKernel} (JDK 22+, source root {@code src/main/java22}); {@link DecodeKernels} loads it when the
 * JVM can run it. All arrays are row-major in native byte order.
 */
interface DecodeKernel {
    /**
     * The linear product {@code y[b, r] = sum_c x[b, c] * w[r, c]} for every input row {@code b < rows} and weight
     * row {@code from <= r < to}. Each {@code y[b, r]} is computed the same way whatever the number of input rows:
     * a row's result does not depend on the batch it is part of.
     *
     * @param weight {@code [outFeatures, inFeatures]}
     * @param input {@code [rows, inFeatures]}
     * @param output {@code [rows, outFeatures]}; only columns {@code from..to-1} are written
     */
    void multiply(ByteBuffer weight, ByteBuffer input, ByteBuffer output, int inFeatures, int outFeatures, int rows,
            int from, int to);

    /**
     * {@link #multiply} with a FLOAT16 {@code weight} ({@link WeightPrecision#FLOAT16}): each weight widened exactly
     * to FLOAT32, so the result is {@link #multiply}'s with the widened weight, bit for bit.
     */
    void multiplyHalf(ByteBuffer weight, ByteBuffer input, ByteBuffer output, int inFeatures, int outFeatures,
            int rows, int from, int to);

    /**
     * Attention of one query position per row over the first {@code length} cached positions,
     * {@code softmax(q k^T * scale + mask) v}, each query head reading key/value head
     * {@code head / (heads / kvHeads)}; for the (row, head) pairs {@code from <= row * heads + head < to}.
     *
     * @param query {@code [rows, heads, headDim]}
     * @param keys {@code [rows, kvHeads, capacity, headDim]}
     * @param values as {@code keys}
     * @param mask {@code [rows, length]}, added to the scaled scores; null when nothing is masked
     * @param output {@code [rows, heads, headDim]}
     */
    void attend(ByteBuffer query, ByteBuffer keys, ByteBuffer values, ByteBuffer mask, ByteBuffer output, int heads,
            int kvHeads, int headDim, int capacity, int length, float scale, int from, int to);

    /**
     * RMSNorm of each of {@code rows} rows: {@code y = x / sqrt(mean(x^2) + eps) * weight}.
     *
     * @param input {@code [rows, dim]}
     * @param weight {@code [dim]}
     * @param output {@code [rows, dim]}
     */
    void rmsNorm(ByteBuffer input, ByteBuffer weight, ByteBuffer output, int rows, int dim, float eps);

    /**
     * SwiGLU's gating of each of {@code rows} rows: {@code y = silu(gate) * up = gate * sigmoid(gate) * up}.
     *
     * @param gateAndUp {@code [rows, 2 * size]}: each row's gate, then its up projection
     * @param output {@code [rows, size]}
     */
    void swiGlu(ByteBuffer gateAndUp, ByteBuffer output, int rows, int size);

    /** {@code into[i] += addend[i]} for {@code i < count} (a residual connection). */
    void addInPlace(ByteBuffer into, ByteBuffer addend, int count);

    /** What computes the products, for reports, e.g. {@code "Java Vector API, 16 float lanes"}. */
    String description();
}
