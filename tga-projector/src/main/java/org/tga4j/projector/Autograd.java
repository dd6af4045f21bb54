package org.tga4j.projector;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Gradient recording on the calling thread, for a training step: {@code try (Autograd g = Autograd.record()) { ...
 * g.backward(loss); }}. It does what DJL's {@code GradientCollector} does for the PyTorch engine, minus the JVM-wide
 * flag that lets only one collector exist at a time: libtorch's grad mode belongs to the thread, so two trainings on two
 * threads (the demo's baseline and TGA, the foundation's text LLM and CLIP) each record their own graph. Like DJL's
 * collector it does not zero gradients.
 */
public final class Autograd implements AutoCloseable {
    private final boolean before;

    private Autograd() {
        before = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Starts recording on this thread; {@link #close()} restores the grad mode it found. */
    public static Autograd record() {
        return new Autograd();
    }

    /** Back-propagates {@code target} (seeded with ones) into every parameter that records a gradient. */
    public void backward(NDArray target) {
        NDArray seed = target.getManager().ones(target.getShape(), target.getDataType()).toDevice(target.getDevice(), false);
        JniUtils.backward((PtNDArray) target, (PtNDArray) seed, false, false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(before);
    }
}
