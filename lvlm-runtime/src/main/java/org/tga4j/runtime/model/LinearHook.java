package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;

/**
 * An extra term a linear projection adds to its output, attached to the projection's weight tensor through
 * {@link LinearHooks} — how a LoRA adapter ({@code y + (alpha/r) B A x}) joins a loaded model without the modeling code
 * knowing about adapters.
 */
@FunctionalInterface
public interface LinearHook {

    /**
     * @param x the projection's input {@code [..., in]}
     * @param y the projection's own output {@code x W^T + b}, {@code [..., out]}
     * @return the output the model uses instead of {@code y}
     */
    NDArray apply(NDArray x, NDArray y);
}
