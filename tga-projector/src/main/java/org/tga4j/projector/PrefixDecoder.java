package org.tga4j.projector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.model.LlavaModel;

/**
 * The first layers of a model's decoder, sharing its (already loaded) weights: runs only as deep as the deepest
 * hidden state the alignment band needs. The TGA target pass uses it, so its cost is {@code band.last / L} of a full
 * forward. Hidden states follow the decoder's convention (0 = embeddings, l = output of layer l, the final norm on
 * index {@code L}), and match {@link org.tga4j.runtime.model.LlamaDecoder#forward} for a cache-free pass.
 */
public final class PrefixDecoder {
    private final LlavaModel model;
    private final int depth;

    /** @param depth the deepest hidden-state index needed (1..numLayers) */
    public PrefixDecoder(LlavaModel model, int depth) {
        TextConfig c = model.textConfig();
        if (depth < 0 || depth > c.numHiddenLayers()) {
            throw new IllegalArgumentException("depth " + depth + " outside 0.." + c.numHiddenLayers());
        }
        this.model = model;
        this.depth = depth;
    }

    /** Hidden states {@code 0..depth} of token ids {@code [B][T]} with validity {@code valid} (no images spliced). */
    public List<NDArray> hiddenStates(NDManager m, int[][] ids, boolean[][] valid) {
        int rows = ids.length, len = ids[0].length;
        long[] flat = new long[rows * len];
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < len; t++) flat[b * len + t] = ids[b][t];
        }
        // Plain token embeddings: a literal "<image>" in the caption pass is text, not an image slot.
        NDArray embeds = model.decoder().embed(m.create(flat, new Shape(rows, len)));
        return model.decoder().hiddenStates(embeds, valid, depth);
    }
}
