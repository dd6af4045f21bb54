package org.tga4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A prompt pass without autograd frees each layer's intermediates as it goes. */
class DecoderMemoryTest {

    /** Arrays a forward pass left in its manager, for a model of {@code layers} layers. */
    private static int leftAfterForward(int layers, boolean wantHidden) throws Exception {
        try (NDManager base = NDManager.newBaseManager()) {
            LlavaModel model = TinyModels.randomLlava(base.newSubManager(), TinyModels.text("llama", layers, 32, 4, 2, 64), 9);
            try (NDManager step = base.newSubManager()) {
                int[][] ids = {{1, 2, 3, 4, 5, 6}};
                boolean[][] valid = {{true, true, true, true, true, true}};
                model.forward(step, ids, valid, null, new KvCache(step, layers, 1, 8), DecoderOutput.Logits.LAST,
                        wantHidden);
                Field resources = BaseNDManager.class.getDeclaredField("resources");
                resources.setAccessible(true);
                return ((Map<?, ?>) resources.get(step)).size();
            }
        }
    }

    @Test
    void whatAPromptPassLeavesBehindDoesNotGrowWithDepth() throws Exception {
        int one = leftAfterForward(1, false), four = leftAfterForward(4, false);
        // A layer's ops number in the dozens; what may stay per layer is at most a view of the shared mask.
        assertTrue(four - one <= 3, "arrays left by a 1-layer forward: " + one + ", by a 4-layer one: " + four);
        // Hidden states are kept when asked for: one more per layer.
        assertTrue(leftAfterForward(4, true) >= four + 3, "hidden states are returned, not freed");
    }
}
