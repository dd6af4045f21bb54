package org.tga4j.runtime.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tga4j.runtime.config.TextConfig;

/**
 * One request's working memory for decode steps computed in Java ({@link LlamaDecoder}'s decode path): the residual
 * stream and each sublayer's intermediates for every row, allocated once per request (held by its {@link KvCache})
 * and reused by every step and layer. All row-major FLOAT32 in native byte order.
 */
final class DecodeBuffers {
    final int rows;
    /** {@code [rows, hidden]}: the residual stream, the step's hidden state. */
    final ByteBuffer hidden;
    /** {@code [rows, hidden]}: the RMSNorm of {@link #hidden} a sublayer reads (and the final norm's output). */
    final ByteBuffer normed;
    /** {@code [rows, hidden]}: a sublayer's output, before the residual add. */
    final ByteBuffer sublayer;
    /** {@code [rows, (heads + 2 kvHeads) headDim]}: the stacked q, k, v projections. */
    final ByteBuffer queriesKeysValues;
    /** {@code [rows, heads, headDim]}: the rotated queries. */
    final ByteBuffer queries;
    /** {@code [rows, heads * headDim]}: attention's output, the heads side by side. */
    final ByteBuffer attended;
    /** {@code [rows, 2 intermediate]}: the gate and up projections. */
    final ByteBuffer gateAndUp;
    /** {@code [rows, intermediate]}: {@code silu(gate) * up}. */
    final ByteBuffer gated;
    /** {@code [rows, length]} for the {@code length} positions this step attends: its additive attention mask. */
    final ByteBuffer mask;
    /** {@code [rows, headDim]}: each row's rotation at its new position (cos, and sin with its first half negated). */
    final float[] cos, signedSin;
    /** Whether {@link #mask} blocks anything this step. */
    boolean masked;

    DecodeBuffers(TextConfig c, int rows, int capacity) {
        this.rows = rows;
        int d = c.headDim();
        hidden = floats(rows * c.hiddenSize());
        normed = floats(rows * c.hiddenSize());
        sublayer = floats(rows * c.hiddenSize());
        queriesKeysValues = floats(rows * (c.numAttentionHeads() + 2 * c.numKeyValueHeads()) * d);
        queries = floats(rows * c.numAttentionHeads() * d);
        attended = floats(rows * c.numAttentionHeads() * d);
        gateAndUp = floats(rows * 2 * c.intermediateSize());
        gated = floats(rows * c.intermediateSize());
        mask = floats(rows * capacity);
        cos = new float[rows * d];
        signedSin = new float[rows * d];
    }

    private static ByteBuffer floats(long count) {
        return ByteBuffer.allocateDirect(Math.toIntExact(count * Float.BYTES)).order(ByteOrder.nativeOrder());
    }

    /** Adds the sublayer's output to the residual stream. */
    void addSublayer() {
        DecodeKernels.addInPlace(hidden, sublayer, hidden.capacity() / Float.BYTES);
    }

    /** The mask for the attention kernel: null when nothing is blocked. */
    ByteBuffer maskOrNull() {
        return masked ? mask : null;
    }
}
