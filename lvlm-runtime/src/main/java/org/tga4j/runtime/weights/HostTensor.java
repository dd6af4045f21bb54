package org.tga4j.runtime.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 tensor held in a Java array, for callers that write checkpoints without an NDManager.
 *
 * @param data  row-major elements; its length must equal the product of {@code shape}
 * @param shape dimensions (empty for a scalar)
 */
public record HostTensor(float[] data, long[] shape) {
    public HostTensor {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        long n = TensorInfo.numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("HostTensor data has " + data.length + " elements but shape "
                    + Arrays.toString(shape) + " needs " + n);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor h && Arrays.equals(data, h.data) && Arrays.equals(shape, h.shape);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "HostTensor" + Arrays.toString(shape);
    }
}
