package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.tga4j.runtime.config.TextConfig;

/** SwiGLU feed-forward: {@code down( silu(gate(x)) * up(x) )}, with gate and up computed as one projection. */
public final class LlamaMlp {
    private final FusedLinear gateAndUp;
    private final NDArray down;
    private final int intermediate;

    public LlamaMlp(Parameters p, String prefix, TextConfig c) {
        long h = c.hiddenSize(), i = c.intermediateSize();
        gateAndUp = new FusedLinear(p, h, new String[] {prefix + "gate_proj.weight", prefix + "up_proj.weight"},
                new long[] {i, i}, null);
        down = p.linearWeight(prefix + "down_proj.weight", h, i);
        intermediate = c.intermediateSize();
    }

    /** {@link #forward} of the step's normed rows into its sublayer output, in Java (a decode step). */
    void decode(DecodeBuffers s) {
        gateAndUp.decode(s.normed, s.gateAndUp, s.rows);
        DecodeKernels.swiGlu(s.gateAndUp, s.gated, s.rows, intermediate);
        DecodeKernels.multiply(s.gated, down, null, s.sublayer, s.rows);
    }

    boolean decodesInJava(int rows) {
        return gateAndUp.decodesInJava(rows) && DecodeKernels.appliesToWeight(down, rows)
                && !LinearHooks.isHooked(down);
    }

    public NDArray forward(NDArray x) {
        NDList gateUp = gateAndUp.forward(x);
        NDArray gate = gateUp.get(0), up = gateUp.get(1);
        return Ops.linear(Ops.activation("silu", gate).mul(up), down, null);
    }
}
