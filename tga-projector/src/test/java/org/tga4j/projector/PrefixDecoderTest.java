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
}
