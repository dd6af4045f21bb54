package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import org.tga4j.runtime.config.TextConfig;

/** SwiGLU feed-forward: {@code down( silu(gate(x)) * up(x) )}. */
public final class LlamaMlp {
    private final NDArray gate, up, down;

    public LlamaMlp(Parameters p, String prefix, TextConfig c) {
        long h = c.hiddenSize(), i = c.intermediateSize();
        gate = p.get(prefix + "gate_proj.weight", i, h);
        up = p.get(prefix + "up_proj.weight", i, h);
        down = p.get(prefix + "down_proj.weight", h, i);
    }

    public NDArray forward(NDArray x) {
        NDArray activated = Ops.activation("silu", Ops.linear(x, gate, null));
        return Ops.linear(activated.mul(Ops.linear(x, up, null)), down, null);
    }
}
