package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

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

    /**
     * Tensor {@code name} as FLOAT16 ({@link WeightPrecision#FLOAT16}). This default rounds {@link #get}'s FLOAT32
     * tensor; a checkpoint reads FLOAT16 directly, without a FLOAT32 copy.
     *
     * @throws IllegalArgumentException naming the tensor when it holds finite values FLOAT16 cannot represent
     */
    default NDArray getHalf(String name, long... shape) {
        try (NDArray full = get(name, shape)) {
            NDArray half = full.toType(DataType.FLOAT16, false);
            if (half.isInfinite().any().getBoolean() && !full.isInfinite().any().getBoolean()) {
                half.close();
                throw new IllegalArgumentException("tensor '" + name + "' in " + describe() + " has values beyond"
                        + " float16's range (±65504); load this model in float32");
            }
            return half;
        }
    }

    /** Whether the source holds a tensor called {@code name}. */
    boolean has(String name);

    /** A human-readable name for error messages (e.g. the checkpoint directory). */
    String describe();
}
