package org.tga4j.projector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.model.KvCache;
import org.tga4j.runtime.model.LlavaModel;

/**
 * The first layers of a model's decoder, sharing its (already loaded) weights: runs only as deep as the deepest
 * hidden state the alignment band needs. The TGA target pass uses it, so its cost is {@code band.last / L} of a full
 * forward. Hidden states follow the decoder's convention (0 = embeddings, l = output of layer l, the final norm on
 * index {@code L}), and match {@link org.tga4j.runtime.model.LlamaDecoder#forward} for a cache-free pass.
 *
 * <p>With a frozen decoder, {@link #pooled} encodes the prompt prefix shared by every row (the template's system
 * prompt: most of a caption sequence) once and reuses its keys and values while that prefix stays the same.
 */
public final class PrefixDecoder implements AutoCloseable {
    /** Shared prefixes shorter than this are not worth a cache. */
    static final int MIN_SHARED_PREFIX = 4;
    private final LlavaModel model;
    private final int depth;
    private final NDManager cacheOwner;
    private int[] cachedPrefix;
    private KvCache prefixCache;

    /** @param depth the deepest hidden-state index needed (1..numLayers) */
    public PrefixDecoder(LlavaModel model, int depth) {
        this(model, depth, null);
    }

    /**
     * @param depth the deepest hidden-state index needed (1..numLayers)
     * @param cacheOwner where the shared prefix's keys and values live across calls; null: no prefix cache. Give one
     *     only while the decoder's weights do not change (the cache would go stale).
     */
    public PrefixDecoder(LlavaModel model, int depth, NDManager cacheOwner) {
        TextConfig c = model.textConfig();
        if (depth < 0 || depth > c.numHiddenLayers()) {
            throw new IllegalArgumentException("depth " + depth + " outside 0.." + c.numHiddenLayers());
        }
        this.model = model;
        this.depth = depth;
        this.cacheOwner = cacheOwner;
    }

    /** Hidden states {@code 0..depth} of token ids {@code [B][T]} with validity {@code valid} (no images spliced). */
    public List<NDArray> hiddenStates(NDManager m, int[][] ids, boolean[][] valid) {
        // Plain token embeddings: a literal "<image>" in the caption pass is text, not an image slot.
        NDArray embeds = model.decoder().embed(ids(m, ids, 0));
        return model.decoder().hiddenStates(embeds, valid, depth);
    }

    /**
     * Weighted sums of hidden states {@code first..last} over the positions: {@code sum_t weights[b][t] h_l[b, t]},
     * {@code [B, hidden]} per layer, in {@code m}. With a prefix cache, positions of the prefix that every row shares
     * (real tokens, weight 0 in every row) come from the cache instead of being recomputed.
     */
    public List<NDArray> pooled(NDManager m, int[][] ids, boolean[][] valid, float[][] weights, int first, int last) {
        if (last > depth) throw new IllegalArgumentException("layer " + last + " is deeper than " + depth);
        int shared = cacheOwner == null ? 0 : sharedPrefix(ids, valid, weights);
        List<NDArray> hidden;
        if (shared < MIN_SHARED_PREFIX) {
            hidden = hiddenStates(m, ids, valid);
        } else {
            KvCache cache = prefixCache(m, Arrays.copyOf(ids[0], shared)).repeatRows(m, ids.length);
            hidden = model.decoder().hiddenStates(model.decoder().embed(ids(m, ids, shared)),
                    suffix(valid, shared), depth, cache);
            weights = suffix(weights, shared);
        }
        NDArray w = m.create(weights).toType(hidden.get(0).getDataType(), false).expandDims(1);   // [B, 1, T]
        List<NDArray> out = new ArrayList<>();
        for (int l = first; l <= last; l++) out.add(w.batchMatMul(hidden.get(l)).squeeze(1));
        return out;
    }

    /** The one-row cache of {@code prefix}, encoded now unless it is the one already cached. */
    private KvCache prefixCache(NDManager m, int[] prefix) {
        if (prefixCache != null && Arrays.equals(prefix, cachedPrefix)) return prefixCache;
        if (prefixCache != null) prefixCache.close();
        prefixCache = new KvCache(cacheOwner, model.textConfig().numHiddenLayers(), 1);
        cachedPrefix = prefix;
        boolean[][] valid = {new boolean[prefix.length]};
        Arrays.fill(valid[0], true);
        try (NDManager pass = m.newSubManager()) {
            model.decoder().hiddenStates(model.decoder().embed(ids(pass, new int[][] {prefix}, 0)), valid, depth,
                    prefixCache);
        }
        return prefixCache;
    }

    /** Length of the prefix all rows share: same ids, real tokens, weight 0; at most the shortest row minus one. */
    static int sharedPrefix(int[][] ids, boolean[][] valid, float[][] weights) {
        int len = ids[0].length;
        for (int t = 0; t < len - 1; t++) {
            for (int b = 0; b < ids.length; b++) {
                if (ids[b][t] != ids[0][t] || !valid[b][t] || weights[b][t] != 0f || !valid[b][t + 1]) return t;
            }
        }
        return len - 1;
    }

    private static NDArray ids(NDManager m, int[][] ids, int from) {
        int rows = ids.length, len = ids[0].length - from;
        long[] flat = new long[rows * len];
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < len; t++) flat[b * len + t] = ids[b][from + t];
        }
        return m.create(flat, new Shape(rows, len));
    }

    private static boolean[][] suffix(boolean[][] a, int from) {
        boolean[][] out = new boolean[a.length][];
        for (int b = 0; b < a.length; b++) out[b] = Arrays.copyOfRange(a[b], from, a[b].length);
        return out;
    }

    private static float[][] suffix(float[][] a, int from) {
        float[][] out = new float[a.length][];
        for (int b = 0; b < a.length; b++) out[b] = Arrays.copyOfRange(a[b], from, a[b].length);
        return out;
    }

    /** Frees the prefix cache. */
    @Override
    public void close() {
        if (prefixCache != null) prefixCache.close();
        prefixCache = null;
        cachedPrefix = null;
    }
}
