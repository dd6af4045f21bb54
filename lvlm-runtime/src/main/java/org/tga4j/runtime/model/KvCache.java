package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every decoder layer for the positions processed so far, shaped {@code [B, kvHeads, S, headDim]},
 * plus which key positions are real tokens (left padding is not). Owned by one request; arrays live in its own
 * manager so per-step temporaries can be freed.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private boolean[][] valid;

    public KvCache(NDManager parent, int layers, int batch) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.valid = new boolean[batch][0];
    }

    /** Positions cached so far. */
    public int length() {
        return valid.length == 0 ? 0 : valid[0].length;
    }

    public int batchSize() {
        return valid.length;
    }

    /** For each row, which cached (plus appended) positions hold real tokens. */
    public boolean[][] validity() {
        return valid;
    }

    /** Records the validity of the positions about to be appended (call once per forward, before the layers run). */
    public void appendValidity(boolean[][] appended) {
        boolean[][] next = new boolean[valid.length][];
        for (int b = 0; b < valid.length; b++) {
            next[b] = new boolean[valid[b].length + appended[b].length];
            System.arraycopy(valid[b], 0, next[b], 0, valid[b].length);
            System.arraycopy(appended[b], 0, next[b], valid[b].length, appended[b].length);
        }
        valid = next;
    }

    /** Appends this step's keys/values for {@code layer} and returns the full cached keys and values. */
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray newK = keys[layer] == null ? k : keys[layer].concat(k, 2);
        NDArray newV = values[layer] == null ? v : values[layer].concat(v, 2);
        NDArray oldK = keys[layer], oldV = values[layer];
        newK.attach(manager);
        newV.attach(manager);
        if (oldK != null) oldK.close();
        if (oldV != null) oldV.close();
        keys[layer] = newK;
        values[layer] = newV;
        return new NDArray[] {newK, newV};
    }

    @Override
    public void close() {
        manager.close();
    }
}
