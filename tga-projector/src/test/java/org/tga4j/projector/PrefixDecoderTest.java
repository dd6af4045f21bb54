package org.tga4j.projector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.runtime.model.DecoderOutput;

/** The target pass's prefix decoder gives the full decoder's hidden states (padded rows included). */
class PrefixDecoderTest {
    @TempDir Path tmp;

    @Test
    void prefixHiddenStatesEqualTheFullForward() {
        Path model = Fixtures.tinyModel(tmp.resolve("model"), 4);
        try (TrainingModel tm = TrainingModel.load(model, false); NDManager m = tm.weights().newSubManager()) {
            int[][] ids = {{1, 17, 30, 44, 59, 61, 70}, {1, 88, 90, 5, 0, 0, 0}};
            boolean[][] valid = {{true, true, true, true, true, true, true}, {true, true, true, true, false, false, false}};
            long[] flat = new long[14];
            for (int i = 0; i < 14; i++) flat[i] = ids[i / 7][i % 7];
            DecoderOutput full = tm.model().decoder().forward(tm.model().decoder().embed(m.create(flat, new Shape(2, 7))),
                    valid, null, DecoderOutput.Logits.NONE, true);
            int layers = tm.config().textConfig().numHiddenLayers();
            for (int depth : new int[] {2, layers}) {
                List<NDArray> prefix = new PrefixDecoder(tm.model(), depth).hiddenStates(m, ids, valid);
                assertEquals(depth + 1, prefix.size());
                for (int l = 0; l <= depth; l++) {
                    float[] a = full.hiddenStates().get(l).toFloatArray(), b = prefix.get(l).toFloatArray();
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(a[i], b[i], 1e-5f, "hidden state " + l + " (depth " + depth + ") at " + i);
                    }
                }
            }
        }
    }

    @Test
    void cachedSharedPrefixGivesTheSamePooledStatesAsTheFullPass() {
        Path model = Fixtures.tinyModel(tmp.resolve("model"), 4);
        try (TrainingModel tm = TrainingModel.load(model, false); NDManager m = tm.weights().newSubManager();
                NDManager cacheOwner = tm.weights().newSubManager()) {
            // a 6-token shared prefix (weight 0), then each row's own tokens; row 1 right-padded
            int[][] ids = {{1, 9, 8, 7, 6, 5, 30, 44, 59, 61}, {1, 9, 8, 7, 6, 5, 88, 90, 0, 0}};
            boolean[][] valid = {{true, true, true, true, true, true, true, true, true, true},
                {true, true, true, true, true, true, true, true, false, false}};
            float[][] weights = {{0, 0, 0, 0, 0, 0, 0.25f, 0.25f, 0.25f, 0.25f}, {0, 0, 0, 0, 0, 0, 0.5f, 0.5f, 0, 0}};
            assertEquals(6, PrefixDecoder.sharedPrefix(ids, valid, weights));
            int layers = tm.config().textConfig().numHiddenLayers();
            List<NDArray> plain = new PrefixDecoder(tm.model(), layers).pooled(m, ids, valid, weights, 0, layers);
            try (PrefixDecoder cached = new PrefixDecoder(tm.model(), layers, cacheOwner)) {
                for (int call = 0; call < 2; call++) { // the second call reuses the cache
                    List<NDArray> fast = cached.pooled(m, ids, valid, weights, 0, layers);
                    for (int l = 0; l <= layers; l++) {
                        float[] a = plain.get(l).toFloatArray(), b = fast.get(l).toFloatArray();
                        for (int i = 0; i < a.length; i++) {
                            assertEquals(a[i], b[i], 1e-5f, "pooled layer " + l + " at " + i + " (call " + call + ")");
                        }
                    }
                }
            }
            // a prefix that differs between rows, or carries weight, is not shared
            assertEquals(1, PrefixDecoder.sharedPrefix(new int[][] {{1, 9, 8}, {1, 3, 8}},
                    new boolean[][] {{true, true, true}, {true, true, true}}, new float[2][3]));
            assertEquals(2, PrefixDecoder.sharedPrefix(ids, valid,
                    new float[][] {{0, 0, 1, 0, 0, 0, 0, 0, 0, 0}, weights[1]}));
        }
    }
}
