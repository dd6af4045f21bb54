package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.tga4j.runtime.config.TextConfig;

/** SwiGLU feed-forward: {@code down( silu(gate(x)) * up(x) )}, with gate and up computed as one projection. */
public final class LlamaMlp {
    private final FusedLinear gateAndUp;
    private final NDArray down;

    public LlamaMlp(Parameters p, String prefix, TextConfig c) {
        long h = c.hiddenSize(), i = c.intermediateSize();
        NDArray gate = p.get(prefix + "gate_proj.weight", i, h);
        NDArray up = p.get(prefix + "up_proj.weight", i, h);
        down = p.get(prefix + "down_proj.weight", h, i);
        gateAndUp = new FusedLinear(new NDArray[] {gate, up}, null);
    }

    public NDArray forward(NDArray x) {
        NDList gateUp = gateAndUp.forward(x);
        NDArray gate = gateUp.get(0), up = gateUp.get(1);
        return Ops.linear(Ops.activation("silu", gate).mul(up), down, null);
    }
}
