package org.tga4j.runtime.model;

import ai.djl.ndarray.NDManager;
import org.tga4j.runtime.config.ClipVisionConfig;
import org.tga4j.runtime.config.LlavaConfig;
import org.tga4j.runtime.config.TextConfig;

/** Small random models for tests. */
public final class TinyModels {
    public static final int IMAGE_TOKEN = 60;

    private TinyModels() {}

    public static TextConfig text(String type, int layers, int hidden, int heads, int kvHeads, int vocab) {
        return new TextConfig(type, vocab, hidden, hidden * 2, layers, heads, kvHeads, null, null, 256, 1e-5,
                10000.0, false, null, null, 1, 2, null);
    }

    public static LlavaConfig llava(TextConfig text) {
        ClipVisionConfig vision = new ClipVisionConfig(null, 32, 64, 3, 4, 3, 16, 4, "quick_gelu", 1e-5, 16);
        return new LlavaConfig("llava", text, vision, "gelu", "mlp2x_gelu", -2, "default", IMAGE_TOKEN, "pad", false);
    }

    public static LlavaModel randomLlava(NDManager m, TextConfig text, long seed) {
        LlavaConfig c = llava(text);
        Parameters p = new Parameters(new RandomParameterSource(m, seed, 0.2));
        LlavaModel model = new LlavaModel(p, c, TensorNames.LLAVA_ORIGINAL);
        // Any op result that lands in the parameter manager (a per-request leak) now fails loudly.
        ((ai.djl.ndarray.BaseNDManager) m).cap();
        return model;
    }
}
