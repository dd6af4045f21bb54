package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/** RMSNorm (LLaMA): {@code x / sqrt(mean(x^2) + eps) * weight}, over the last axis. */
public final class RmsNorm {
    private final NDArray weight;
    private final float eps;

    public RmsNorm(Parameters params, String name, int dim, double eps) {
        this.weight = params.get(name, dim);
        this.eps = (float) eps;
    }

    /** {@link #forward} of {@code rows} rows of {@code x} into {@code y}, in Java (a decode step, {@link LlamaDecoder}). */
    void decode(ByteBuffer x, ByteBuffer y, int rows) {
        DecodeKernels.rmsNorm(x, weight, y, rows, eps);
    }

    boolean decodesInJava() {
        return DecodeKernels.applies(weight);
    }

    public NDArray forward(NDArray x) {
        Shape shape = x.getShape();
        if (shape.size() / shape.get(shape.dimension() - 1) <= Ops.FEW_ROWS && DecodeKernels.applies(x, weight)) {
            return DecodeKernels.rmsNorm(x, weight, eps); // a decode step: one kernel call instead of seven ops
        }
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.mul(meanSquare.add(eps).pow(Ops.constant(meanSquare, -0.5))).mul(weight);
    }
}
