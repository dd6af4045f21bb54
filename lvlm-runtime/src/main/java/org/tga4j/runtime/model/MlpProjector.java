package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The vision-language projector that maps vision features into the LLM's embedding space:
 * {@code mlp2x_gelu} = {@code linear_2(gelu(linear_1(f)))} (LLaVA-1.5, llava-hf layout), or {@code linear} =
 * {@code linear_1(f)} (LLaVA-1.0). This is the module TGA trains.
 */
public final class MlpProjector {
    private final NDArray w1, b1, w2, b2;
    private final String act;

    /** @param prefix e.g. {@code multi_modal_projector.} */
    public MlpProjector(Parameters p, String prefix, String type, String act, int visionHidden, int textHidden) {
        this.act = act;
        w1 = p.get(prefix + "linear_1.weight", textHidden, visionHidden);
        b1 = p.get(prefix + "linear_1.bias", textHidden);
        boolean mlp = type.equals("mlp2x_gelu");
        w2 = mlp ? p.get(prefix + "linear_2.weight", textHidden, textHidden) : null;
        b2 = mlp ? p.get(prefix + "linear_2.bias", textHidden) : null;
    }

    /** {@code [..., visionHidden] -> [..., textHidden]}. */
    public NDArray forward(NDArray features) {
        NDArray h = Ops.linear(features, w1, b1);
        return w2 == null ? h : Ops.linear(Ops.activation(act, h), w2, b2);
    }

    /** The trainable tensors, in checkpoint order. */
    public List<NDArray> parameters() {
        List<NDArray> out = new ArrayList<>(List.of(w1, b1));
        if (w2 != null) out.addAll(List.of(w2, b2));
        return out;
    }
}
