package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import org.tga4j.runtime.config.TextConfig;

/** One pre-norm decoder block: {@code h = x + attn(norm1(x)); out = h + mlp(norm2(h))}. */
public final class LlamaDecoderLayer {
    private final RmsNorm inputNorm, postAttentionNorm;
    private final LlamaAttention attention;
    private final LlamaMlp mlp;
    private final int index;

    public LlamaDecoderLayer(Parameters p, String prefix, TextConfig c, int index) {
        this.index = index;
        inputNorm = new RmsNorm(p, prefix + "input_layernorm.weight", c.hiddenSize(), c.rmsNormEps());
        attention = new LlamaAttention(p, prefix + "self_attn.", c);
        postAttentionNorm = new RmsNorm(p, prefix + "post_attention_layernorm.weight", c.hiddenSize(), c.rmsNormEps());
        mlp = new LlamaMlp(p, prefix + "mlp.", c);
    }

    /** {@link #forward} for one new position per row, in Java, on the step's buffers (a decode step). */
    void decode(DecodeBuffers s, RotaryEmbedding rope, KvCache cache) {
        inputNorm.decode(s.hidden, s.normed, s.rows);
        attention.decode(s, rope, cache, index);
        s.addSublayer();
        postAttentionNorm.decode(s.hidden, s.normed, s.rows);
        mlp.decode(s);
        s.addSublayer();
    }

    boolean decodesInJava(int rows) {
        return inputNorm.decodesInJava() && attention.decodesInJava(rows) && postAttentionNorm.decodesInJava()
                && mlp.decodesInJava(rows);
    }

    public NDArray forward(NDArray x, RotaryEmbedding rope, NDArray[] cosSin, NDArray mask, KvCache cache) {
        NDArray h = x.add(attention.forward(inputNorm.forward(x), rope, cosSin, mask, cache, index));
        return h.add(mlp.forward(postAttentionNorm.forward(h)));
    }
}
