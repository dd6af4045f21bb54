package org.tga4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training from a seed must be reproducible: the token-embedding lookup's gradient, where many positions share an id,
 * is summed in a fixed order. (The lookup by advanced indexing summed with atomics on two CPU threads, and a trained
 * CLIP's embedding table differed in its last bits after one step, the whole model after a few.)
 */
class EmbeddingDeterminismTest {
    @Test
    void embeddingGradientIsBitIdenticalFromRunToRun() {
        Random r = new Random(1);
        int vocab = 800, hidden = 128, positions = 640;
        float[] table = new float[vocab * hidden];
        for (int i = 0; i < table.length; i++) table[i] = (float) r.nextGaussian();
        long[] ids = new long[positions];
        for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(60); // every id repeated ~11 times
        float[] upstream = new float[positions * hidden];
        for (int i = 0; i < upstream.length; i++) upstream[i] = (float) r.nextGaussian();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] first = null;
            for (int run = 0; run < 10; run++) {
                NDArray weights = m.create(table, new Shape(vocab, hidden));
                weights.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray rows = Ops.embedding(weights, m.create(ids, new Shape(8, 80)));
                    assertEquals(new Shape(8, 80, hidden), rows.getShape());
                    gc.backward(rows.reshape(positions, hidden).mul(m.create(upstream, new Shape(positions, hidden))).sum());
                }
                float[] grad = weights.getGradient().toFloatArray();
                if (first == null) first = grad;
                else assertArrayEquals(first, grad, "run " + run + " summed the repeated ids' gradients differently");
            }
            // The rows looked up are the table's rows.
            NDArray looked = Ops.embedding(m.create(table, new Shape(vocab, hidden)), m.create(new long[] {7, 0}));
            float[] row7 = new float[hidden];
            System.arraycopy(table, 7 * hidden, row7, 0, hidden);
            assertArrayEquals(row7, looked.get(0).toFloatArray());
        }
    }
}
