package org.tga4j.runtime.model;

import java.nio.ByteBuffer;

/**
 * The product {@code y = x W^T} of a few FLOAT32 input rows and a FLOAT32 weight, over a range of the weight's rows,
 * on buffers that view native memory. Implemented by {@code VectorRowKernel} (JDK 22+, source root
 * {@code src/main/java22}); {@link VectorLinear} loads it when the JVM can run it.
 *
 * <p>Every output element {@code y[b, r]} is computed the same way whatever the number of input rows and whatever
 * the row range: its result does not depend on the batch it is part of.
 */
interface RowKernel {
    /**
     * Writes {@code y[b, r] = sum_c x[b, c] * w[r, c]} for every input row {@code b < rows} and weight row
     * {@code from <= r < to}.
     *
     * @param weight {@code [outFeatures, inFeatures]}, row-major, native byte order
     * @param input {@code [rows, inFeatures]}, row-major
     * @param output {@code [rows, outFeatures]}, row-major; only columns {@code from..to-1} are written
     */
    void multiply(ByteBuffer weight, ByteBuffer input, ByteBuffer output, int inFeatures, int outFeatures, int rows,
            int from, int to);

    /** What computes the product, for reports, e.g. {@code "Java Vector API, 16 float lanes"}. */
    String description();
}
