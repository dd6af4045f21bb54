package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.nio.ByteBuffer;
import org.tga4j.runtime.config.TextConfig;

/**
 * Grouped-query self-attention with rotary positions (LLaMA / Mistral / Qwen2):
 * {@code q = x Wq (+bq), k = x Wk (+bk), v = x Wv (+bv)}, rotate q and k, then each of the {@code kvHeads} key/value
 * heads serves {@code heads / kvHeads} query heads, and {@code o = softmax(q k^T / sqrt(d) + mask) v Wo}.
 */
public final class LlamaAttention {
    /** q, k and v projections stacked into one product (output: q heads, then k heads, then v heads). */
    private final FusedLinear qkv;
    private final NDArray wo, bo;
    private final int heads, kvHeads, headDim;
    private final float scale;

    public LlamaAttention(Parameters p, String prefix, TextConfig c) {
        heads = c.numAttentionHeads();
        kvHeads = c.numKeyValueHeads();
        headDim = c.headDim();
        long hidden = c.hiddenSize(), q = (long) heads * headDim, kv = (long) kvHeads * headDim;
        String[] biasNames = c.qkvBias()
                ? new String[] {prefix + "q_proj.bias", prefix + "k_proj.bias", prefix + "v_proj.bias"} : null;
        qkv = new FusedLinear(p, hidden,
                new String[] {prefix + "q_proj.weight", prefix + "k_proj.weight", prefix + "v_proj.weight"},
                new long[] {q, kv, kv}, biasNames);
        wo = p.linearWeight(prefix + "o_proj.weight", hidden, q);
        bo = c.outputBias() ? p.get(prefix + "o_proj.bias", hidden) : null;
        scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /**
     * @param x {@code [B, T, hidden]}
     * @param rope the rotary embedding and this step's cos/sin tables
     * @param mask additive mask {@code [B, 1, T, S]}, or null when nothing is blocked
     * @param cache the request's cache (null: no cache, S = T)
     */
    public NDArray forward(NDArray x, RotaryEmbedding rope, NDArray[] cosSin, NDArray mask, KvCache cache, int layer) {
        long batch = x.getShape().get(0), time = x.getShape().get(1);
        // [B, T, (heads + 2 kvHeads) d] -> [B, heads + 2 kvHeads, T, d]: query heads, then key heads, then value heads.
        NDArray allHeads = splitHeads(qkv.forwardStacked(x), heads + 2 * kvHeads);
        // Queries and keys rotate together (one rotation over their adjacent heads); values are not rotated.
        NDList rotatedAndValues = allHeads.split(new long[] {heads + kvHeads}, 1);
        NDList queriesAndKeys = rope.apply(rotatedAndValues.get(0), cosSin).split(new long[] {heads}, 1);
        NDArray q = queriesAndKeys.get(0), k = queriesAndKeys.get(1), v = rotatedAndValues.get(1);
        if (cache != null) {
            if (time == 1 && cache.preallocated() && DecodeKernels.applies(q, k, v)) {
                // A decode step: attend over the cache's own buffers, without copying keys and values.
                NDArray[] buffers = cache.write(layer, k, v);
                NDArray merged = DecodeKernels.attention(q, buffers[0], buffers[1], cache.positions(layer), mask, scale);
                return Ops.linear(merged, wo, bo);
            }
            NDArray[] kv = cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        int groups = heads / kvHeads;
        NDArray out;
        if (groups == 1) {
            out = Ops.attention(q, k, v, mask, scale);
        } else {
            // [B, kvHeads, groups, T, d] against [B, kvHeads, 1, S, d]: broadcasting shares each kv head with its group.
            NDArray grouped = q.reshape(batch, kvHeads, groups, time, headDim);
            out = Ops.attention(grouped, k.expandDims(2), v.expandDims(2), mask == null ? null : mask.expandDims(1),
                    scale).reshape(batch, heads, time, headDim);
        }
        NDArray merged = out.transpose(0, 2, 1, 3)
                .reshape(batch, time, (long) heads * headDim);
        return Ops.linear(merged, wo, bo);
    }

    /**
     * {@link #forward} for one new position per row, in Java (a decode step, {@link LlamaDecoder}): the step's normed
     * rows to its sublayer output, the new keys and values written into the cache's buffers.
     */
    void decode(DecodeBuffers s, RotaryEmbedding rope, KvCache cache, int layer) {
        qkv.decode(s.normed, s.queriesKeysValues, s.rows);
        int position = cache.claimPosition(layer), capacity = cache.capacity();
        ByteBuffer keys = cache.keyView(layer), values = cache.valueView(layer);
        int headBytes = headDim * Float.BYTES, rowBytes = (heads + 2 * kvHeads) * headBytes;
        for (int b = 0; b < s.rows; b++) {
            int queries0 = b * rowBytes, keys0 = queries0 + heads * headBytes, values0 = keys0 + kvHeads * headBytes;
            int tables = b * headDim;
            for (int h = 0; h < heads; h++) {
                rope.rotate(s.queriesKeysValues, queries0 + h * headBytes, s.queries, (b * heads + h) * headBytes,
                        s.cos, s.signedSin, tables);
            }
            for (int h = 0; h < kvHeads; h++) {
                int cached = ((b * kvHeads + h) * capacity + position) * headBytes;
                rope.rotate(s.queriesKeysValues, keys0 + h * headBytes, keys, cached, s.cos, s.signedSin, tables);
                values.put(cached, s.queriesKeysValues, values0 + h * headBytes, headBytes);
            }
        }
        DecodeKernels.attend(s.queries, keys, values, s.maskOrNull(), s.attended, s.rows, heads, kvHeads, headDim,
                capacity, position + 1, scale);
        DecodeKernels.multiply(s.attended, wo, bo, s.sublayer, s.rows);
    }

    boolean decodesInJava(int rows) {
        return qkv.decodesInJava(rows) && DecodeKernels.appliesToWeight(wo, rows) && !LinearHooks.isHooked(wo)
                && (bo == null || DecodeKernels.applies(bo));
    }

    /** {@code [B, T, n*d] -> [B, n, T, d]}. */
    private NDArray splitHeads(NDArray x, int n) {
        long batch = x.getShape().get(0), time = x.getShape().get(1);
        return x.reshape(batch, time, n, headDim).transpose(0, 2, 1, 3);
    }
}
