package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import org.tga4j.runtime.config.ClipTextConfig;

/**
 * The CLIP text encoder: token + position embeddings, causal transformer blocks, {@code final_layer_norm}; the
 * sentence representation is the hidden state at the end-of-text token (the last real token).
 */
public final class ClipTextTower {
    private final ClipTextConfig config;
    private final NDArray tokenEmbedding, positionEmbedding, finalLnWeight, finalLnBias;
    private final List<ClipEncoderLayer> layers = new ArrayList<>();

    public ClipTextTower(Parameters p, ClipTextConfig c, String prefix) {
        this.config = c;
        long h = c.hiddenSize();
        tokenEmbedding = p.get(prefix + "embeddings.token_embedding.weight", c.vocabSize(), h);
        positionEmbedding = p.get(prefix + "embeddings.position_embedding.weight", c.maxPositionEmbeddings(), h);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            layers.add(new ClipEncoderLayer(p, prefix + "encoder.layers." + i + ".", c.hiddenSize(),
                    c.intermediateSize(), c.numAttentionHeads(), c.hiddenAct(), c.layerNormEps()));
        }
        finalLnWeight = p.get(prefix + "final_layer_norm.weight", h);
        finalLnBias = p.get(prefix + "final_layer_norm.bias", h);
    }

    public ClipTextConfig config() {
        return config;
    }

    /**
     * Pooled text representations {@code [B, hidden]} for right-padded token ids that each end with the end-of-text
     * token: the final-norm hidden state at each row's last real token. (HF pools at the end-of-text token — the
     * first {@code eos_token_id}, or for legacy configs the highest id, which for CLIP's tokenizer is that same
     * token — so for texts tokenized with end-of-text appended the two agree.)
     */
    public NDArray pooled(TextBatch batch) {
        NDManager m = batch.manager();
        int[][] ids = batch.ids();
        int rows = ids.length, len = ids[0].length;
        if (len > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("text of " + len + " tokens exceeds the text tower's "
                    + config.maxPositionEmbeddings() + " positions");
        }
        long[] flat = new long[rows * len];
        boolean[][] valid = new boolean[rows][len];
        long[] pooledRows = new long[rows];
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < len; t++) {
                flat[b * len + t] = ids[b][t];
                valid[b][t] = t < batch.lengths()[b];
            }
            pooledRows[b] = (long) b * len + batch.lengths()[b] - 1;
        }
        NDArray x = Ops.embedding(tokenEmbedding, m.create(flat)).reshape(rows, len, config.hiddenSize())
                .add(positionEmbedding.get(m, new NDIndex(":" + len + ", :")));
        NDArray mask = AttentionMask.causal(m, valid, len);
        for (ClipEncoderLayer layer : layers) x = layer.forward(x, mask);
        x = Ops.layerNorm(x, finalLnWeight, finalLnBias, config.layerNormEps().floatValue());
        return x.reshape((long) rows * len, config.hiddenSize()).get(m.create(pooledRows));
    }

    /** Right-padded token ids with their real lengths, and the manager to compute in. */
    public record TextBatch(NDManager manager, int[][] ids, int[] lengths) {}
}
