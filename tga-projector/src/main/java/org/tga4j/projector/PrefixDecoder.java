package org.tga4j.projector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.model.AttentionMask;
import org.tga4j.runtime.model.LlamaDecoderLayer;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.model.RmsNorm;
import org.tga4j.runtime.model.RotaryEmbedding;
import org.tga4j.runtime.model.TensorNames;

/**
 * The first layers of a model's decoder, sharing its (already loaded) weights: runs only as deep as the deepest
 * hidden state the alignment band needs. The TGA target pass uses it, so its cost is {@code band.last / L} of a full
 * forward. Hidden states follow the decoder's convention (0 = embeddings, l = output of layer l, the final norm on
 * index {@code L}), and match {@link org.tga4j.runtime.model.LlamaDecoder#forward} for a cache-free pass.
 */
public final class PrefixDecoder {
    private final LlavaModel model;
    private final List<LlamaDecoderLayer> layers = new ArrayList<>();
    private final RmsNorm finalNorm;
    private final RotaryEmbedding rope;
    private final int depth;

    /** @param depth the deepest hidden-state index needed (1..numLayers) */
    public PrefixDecoder(LlavaModel model, int depth) {
        TextConfig c = model.textConfig();
        if (depth < 0 || depth > c.numHiddenLayers()) {
            throw new IllegalArgumentException("depth " + depth + " outside 0.." + c.numHiddenLayers());
        }
        this.model = model;
        this.depth = depth;
        TensorNames names = model.tensorNames();
        for (int i = 0; i < depth; i++) {
            layers.add(new LlamaDecoderLayer(model.parameters(), names.decoder() + "layers." + i + ".", c, i));
        }
        finalNorm = depth == c.numHiddenLayers()
                ? new RmsNorm(model.parameters(), names.decoder() + "norm.weight", c.hiddenSize(), c.rmsNormEps()) : null;
        rope = new RotaryEmbedding(c.headDim(), c.ropeTheta());
    }

    /** Hidden states {@code 0..depth} of token ids {@code [B][T]} with validity {@code valid} (no images spliced). */
    public List<NDArray> hiddenStates(NDManager m, int[][] ids, boolean[][] valid) {
        int rows = ids.length, len = ids[0].length;
        long[] flat = new long[rows * len];
        float[] pos = new float[rows * len];
        for (int b = 0; b < rows; b++) {
            int seen = 0;
            for (int t = 0; t < len; t++) {
                flat[b * len + t] = ids[b][t];
                pos[b * len + t] = valid[b][t] ? seen : 0;
                if (valid[b][t]) seen++;
            }
        }
        NDArray x = model.decoder().embed(m.create(flat, new Shape(rows, len)));
        NDArray mask = AttentionMask.causal(m, valid, len);
        NDArray[] cosSin = rope.cosSin(m.create(pos, new Shape(rows, len)));
        List<NDArray> hidden = new ArrayList<>();
        hidden.add(x);
        for (LlamaDecoderLayer layer : layers) {
            x = layer.forward(x, rope, cosSin, mask, null);
            hidden.add(x);
        }
        if (finalNorm != null) hidden.set(depth, finalNorm.forward(x));
        return hidden;
    }
}
