package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;

/**
 * Where modeling code gets its weights: a checkpoint on disk, a random initialiser, or tensors in memory.
 * Every tensor comes back as FLOAT32 with exactly the requested shape, attached to the model's long-lived manager.
 */
public interface ParameterSource {

    /**
     * Returns tensor {@code name} with shape {@code shape}.
     *
     * @throws IllegalArgumentException (or a subclass) naming the tensor, the source and the expected shape when the
     *     tensor is missing or mis-shaped
     */
    NDArray get(String name, long... shape);

    /** Whether the source holds a tensor called {@code name}. */
    boolean has(String name);

    /** A human-readable name for error messages (e.g. the checkpoint directory). */
    String describe();
}
