package org.tga4j.runtime.weights;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Element types of the safetensors format, spelled as in the file header ({@code "F32"}, {@code "BF16"}, ...). */
public enum TensorDType {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int byteSize;

    TensorDType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for the three floating types that {@link SafeTensorsFile#load} returns as FLOAT32. */
    public boolean isFloat32Compatible() {
        return this == F32 || this == F16 || this == BF16;
    }

    /**
     * Parses a header dtype string.
     *
     * @throws IllegalArgumentException naming the string and the supported types when it is not one of them
     */
    public static TensorDType parse(String s) {
        if (s != null) {
            for (TensorDType t : values()) {
                if (t.name().equals(s)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("unknown safetensors dtype '" + s + "' (supported: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
    }
}
