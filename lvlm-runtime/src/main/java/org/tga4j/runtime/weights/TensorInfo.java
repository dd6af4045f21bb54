package org.tga4j.runtime.weights;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's entry in a safetensors header.
 *
 * @param name      the tensor name, exactly as stored
 * @param dtype     element type on disk
 * @param shape     dimensions (empty for a scalar)
 * @param dataBegin byte offset of the first element, relative to the start of the data section
 * @param dataEnd   byte offset one past the last element, relative to the start of the data section
 * @param file      the safetensors file holding it
 */
public record TensorInfo(String name, TensorDType dtype, long[] shape, long dataBegin, long dataEnd, Path file) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** A defensive copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (1 for a scalar). */
    public long numel() {
        return numel(shape);
    }

    /** Bytes on disk. */
    public long byteLength() {
        return dataEnd - dataBegin;
    }

    /** Product of the dimensions, with overflow detection. */
    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && dataBegin == t.dataBegin && dataEnd == t.dataEnd && Objects.equals(file, t.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), dataBegin, dataEnd, file);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " [" + dataBegin + ", " + dataEnd + ") in " + file;
    }
}
