package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import org.tga4j.runtime.config.TextConfig;

/**
 * Keys and values of every decoder layer for the positions processed so far, shaped {@code [B, kvHeads, S, headDim]},
 * plus which key positions are real tokens (left padding is not). Owned by one request; arrays live in its own
 * manager so per-step temporaries can be freed.
 *
 * <p>With a capacity (the generator knows prompt length + max new tokens), each layer's keys and values live in one
 * buffer {@code [B, kvHeads, capacity, headDim]} allocated at the first append and written in place; a step reads a
 * view of the filled part. Without one, every step concatenates (copying the whole cache into fresh memory, which
 * at batch 8 costs more than the step's attention).
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int capacity;
    private final long[] filled;
    private boolean[][] valid;
    /** Views of the preallocated buffers' memory, and the working memory of decode steps computed in Java. */
    private final ByteBuffer[] keyViews, valueViews;
    private DecodeBuffers decodeBuffers;

    /** A cache that grows by concatenation (no length limit). */
    public KvCache(NDManager parent, int layers, int batch) {
        this(parent, layers, batch, 0);
    }

    /**
     * @param capacity the most positions this cache will hold (prompt + new tokens), preallocated and written in
     *     place; 0 to grow by concatenation instead
     */
    public KvCache(NDManager parent, int layers, int batch, int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("negative KV cache capacity " + capacity);
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.valid = new boolean[batch][0];
        this.capacity = capacity;
        this.filled = new long[layers];
        this.keyViews = new ByteBuffer[layers];
        this.valueViews = new ByteBuffer[layers];
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
        if (capacity > 0) return appendInPlace(layer, k, v);
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

    /** Writes this step's positions into the preallocated buffers; returns views of the filled part. */
    private NDArray[] appendInPlace(int layer, NDArray k, NDArray v) {
        write(layer, k, v);
        // Views in the step's manager (freed with the step), sharing the buffers' storage.
        NDIndex upTo = new NDIndex(":, :, :" + filled[layer]);
        return new NDArray[] {keys[layer].get(k.getManager(), upTo), values[layer].get(v.getManager(), upTo)};
    }

    /**
     * Writes this step's keys and values for {@code layer} into the preallocated buffers and returns the buffers
     * ({@code [B, kvHeads, capacity, headDim]}: keys, then values), whose first {@link #positions(int)} positions are
     * filled. Only for a cache with a capacity ({@link #preallocated()}).
     */
    NDArray[] write(int layer, NDArray k, NDArray v) {
        Shape shape = k.getShape();
        long start = filled[layer], end = start + shape.get(2);
        requireRoom(layer, end);
        if (keys[layer] == null) {
            Shape full = new Shape(shape.get(0), shape.get(1), capacity, shape.get(3));
            keys[layer] = manager.zeros(full, k.getDataType());
            values[layer] = manager.zeros(full, v.getDataType());
        }
        NDIndex written = new NDIndex(":, :, " + start + ":" + end);
        keys[layer].set(written, k);
        values[layer].set(written, v);
        filled[layer] = end;
        return new NDArray[] {keys[layer], values[layer]};
    }

    private void requireRoom(int layer, long end) {
        if (end > capacity) {
            throw new IllegalStateException("KV cache capacity " + capacity + " exceeded: layer " + layer + " would hold "
                    + end + " positions");
        }
    }

    /**
     * Claims the next position of {@code layer}'s preallocated buffers for one new position per row, to be written
     * through {@link #keyView} and {@link #valueView}: returns its index.
     */
    int claimPosition(int layer) {
        requireRoom(layer, filled[layer] + 1);
        return Math.toIntExact(filled[layer]++);
    }

    /** {@code layer}'s key buffer ({@code [B, kvHeads, capacity, headDim]}) as a view of its memory. */
    ByteBuffer keyView(int layer) {
        if (keyViews[layer] == null) keyViews[layer] = DecodeKernels.direct(keys[layer]);
        return keyViews[layer];
    }

    /** As {@link #keyView}, for the values. */
    ByteBuffer valueView(int layer) {
        if (valueViews[layer] == null) valueViews[layer] = DecodeKernels.direct(values[layer]);
        return valueViews[layer];
    }

    /**
     * Whether every layer's preallocated FLOAT32 buffers exist and hold the same positions (after a prompt pass through
     * the whole decoder), each addressable by a buffer view (under 2 GiB): then a decode step can be computed in Java
     * on them.
     */
    boolean readyForJavaDecode() {
        if (capacity == 0) return false;
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] == null || filled[l] != filled[0] || keys[l].getDataType() != DataType.FLOAT32
                    || keys[l].size() > Integer.MAX_VALUE / Float.BYTES) {
                return false;
            }
        }
        return true;
    }

    /** The working memory of this request's decode steps computed in Java, allocated at the first. */
    DecodeBuffers decodeBuffers(TextConfig config) {
        if (decodeBuffers == null) decodeBuffers = new DecodeBuffers(config, batchSize(), capacity);
        return decodeBuffers;
    }

    /** Whether keys and values live in buffers of a fixed capacity ({@link #write}), rather than grow by concatenation. */
    boolean preallocated() {
        return capacity > 0;
    }

    /** The most positions the preallocated buffers hold (0: the cache grows by concatenation). */
    int capacity() {
        return capacity;
    }

    /** Positions of {@code layer} filled so far. */
    int positions(int layer) {
        return Math.toIntExact(filled[layer]);
    }

    /**
     * A new (growing) cache in {@code parent} holding this one-row cache's positions repeated for {@code batch} rows:
     * the keys, values and validity of a shared prefix, ready for each row's own continuation. This cache is unchanged.
     */
    public KvCache repeatRows(NDManager parent, int batch) {
        if (batchSize() != 1) throw new IllegalStateException("repeatRows needs a one-row cache, this has " + batchSize());
        KvCache out = new KvCache(parent, keys.length, batch);
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] == null) continue;
            NDArray k = keys[l], v = values[l];
            if (capacity > 0) {
                NDIndex upTo = new NDIndex(":, :, :" + filled[l]);
                k = k.get(upTo);
                v = v.get(upTo);
            }
            out.keys[l] = k.repeat(0, batch);
            out.values[l] = v.repeat(0, batch);
            out.keys[l].attach(out.manager);
            out.values[l].attach(out.manager);
        }
        for (int b = 0; b < batch; b++) out.valid[b] = valid[0].clone();
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
