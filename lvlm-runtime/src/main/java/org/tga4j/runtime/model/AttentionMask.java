package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Additive attention masks: 0 where a query may attend, a large negative number where it may not. */
public final class AttentionMask {
    /** Large but finite, so a row with nothing to attend to (a padding query) softmaxes to uniform, not NaN. */
    public static final float BLOCKED = -1e9f;

    private AttentionMask() {}

    /**
     * Causal mask over a key sequence of length {@code S = keyValid[b].length} for the last {@code T} queries,
     * blocking invalid (padding) keys: shape {@code [B, 1, T, S]}. Query {@code i} sits at key position
     * {@code S - T + i}.
     */
    public static NDArray causal(NDManager m, boolean[][] keyValid, int queries) {
        return causal(m, keyValid, queries, 0);
    }

    /**
     * As {@link #causal(NDManager, boolean[][], int)}, and with {@code window > 0} (Mistral's sliding window) a query
     * at position {@code p} also may not attend to keys at {@code p - window} or earlier.
     */
    public static NDArray causal(NDManager m, boolean[][] keyValid, int queries, int window) {
        int batch = keyValid.length, keys = keyValid[0].length, offset = keys - queries;
        float[] mask = new float[batch * queries * keys];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < queries; i++) {
                int row = (b * queries + i) * keys, at = offset + i;
                for (int j = 0; j < keys; j++) {
                    boolean outsideWindow = window > 0 && j <= at - window;
                    if (j > at || outsideWindow || !keyValid[b][j]) mask[row + j] = BLOCKED;
                }
            }
        }
        return m.create(mask, new Shape(batch, 1, queries, keys));
    }

    /**
     * As {@link #causal(NDManager, boolean[][], int, int)}, or null when nothing would be blocked (a single query over
     * real keys only, all inside the window: the usual decode step), so attention can skip adding an all-zero mask.
     */
    public static NDArray causalOrNull(NDManager m, boolean[][] keyValid, int queries, int window) {
        if (queries == 1 && (window <= 0 || keyValid[0].length <= window)) {
            boolean allValid = true;
            for (boolean[] row : keyValid) for (boolean v : row) allValid &= v;
            if (allValid) return null;
        }
        return causal(m, keyValid, queries, window);
    }
}
