package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;

/**
 * One CLIP transformer block (vision and text towers alike), pre-LN:
 * {@code h = x + out_proj(attn(ln1(x))); y = h + fc2(act(fc1(ln2(h))))}, all projections with biases.
 */
public final class ClipEncoderLayer {
    private final NDArray ln1w, ln1b, ln2w, ln2b;
    private final NDArray wq, bq, wk, bk, wv, bv, wo, bo;
    private final NDArray fc1w, fc1b, fc2w, fc2b;
    private final int heads, headDim;
    private final float eps, scale;
    private final String act;

    public ClipEncoderLayer(
            Parameters p, String prefix, int hidden, int intermediate, int heads, String act, double eps) {
        this.heads = heads;
        this.headDim = hidden / heads;
        this.eps = (float) eps;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        this.act = act;
        ln1w = p.get(prefix + "layer_norm1.weight", hidden);
        ln1b = p.get(prefix + "layer_norm1.bias", hidden);
        wq = p.get(prefix + "self_attn.q_proj.weight", hidden, hidden);
        bq = p.get(prefix + "self_attn.q_proj.bias", hidden);
        wk = p.get(prefix + "self_attn.k_proj.weight", hidden, hidden);
        bk = p.get(prefix + "self_attn.k_proj.bias", hidden);
        wv = p.get(prefix + "self_attn.v_proj.weight", hidden, hidden);
        bv = p.get(prefix + "self_attn.v_proj.bias", hidden);
        wo = p.get(prefix + "self_attn.out_proj.weight", hidden, hidden);
        bo = p.get(prefix + "self_attn.out_proj.bias", hidden);
        ln2w = p.get(prefix + "layer_norm2.weight", hidden);
        ln2b = p.get(prefix + "layer_norm2.bias", hidden);
        fc1w = p.get(prefix + "mlp.fc1.weight", intermediate, hidden);
        fc1b = p.get(prefix + "mlp.fc1.bias", intermediate);
        fc2w = p.get(prefix + "mlp.fc2.weight", hidden, intermediate);
        fc2b = p.get(prefix + "mlp.fc2.bias", hidden);
    }

    /** @param mask additive {@code [B, 1, T, T]} (causal text tower) or null (vision tower) */
    public NDArray forward(NDArray x, NDArray mask) {
        NDArray h = x.add(selfAttention(Ops.layerNorm(x, ln1w, ln1b, eps), mask));
        NDArray ff = Ops.linear(Ops.activation(act, Ops.linear(Ops.layerNorm(h, ln2w, ln2b, eps), fc1w, fc1b)), fc2w, fc2b);
        return h.add(ff);
    }

    private NDArray selfAttention(NDArray x, NDArray mask) {
        long batch = x.getShape().get(0), time = x.getShape().get(1);
        NDArray q = Ops.linear(x, wq, bq).reshape(batch, time, heads, headDim).transpose(0, 2, 1, 3);
        NDArray k = Ops.linear(x, wk, bk).reshape(batch, time, heads, headDim).transpose(0, 2, 1, 3);
        NDArray v = Ops.linear(x, wv, bv).reshape(batch, time, heads, headDim).transpose(0, 2, 1, 3);
        NDArray out = Ops.attention(q, k, v, mask, scale);
        return Ops.linear(out.transpose(0, 2, 1, 3).reshape(batch, time, (long) heads * headDim), wo, bo);
    }
}
