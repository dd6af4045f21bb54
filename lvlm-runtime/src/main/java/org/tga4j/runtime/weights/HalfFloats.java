package org.tga4j.runtime.weights;

/**
 * Bit-exact conversions between float32 and the two 16-bit float formats found in checkpoints.
 * Widening is exact for every bit pattern (NaN payloads, infinities, subnormals); narrowing rounds to nearest,
 * ties to even, as PyTorch does.
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /** bfloat16 bits → float32: bfloat16 is the upper half of a float32, so this is exact. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** float32 → bfloat16 bits, round-to-nearest-even; NaN stays a (quiet) NaN with its sign. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** IEEE half bits → float32 (exact). */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** float32 → IEEE half bits, round-to-nearest-even, overflow to infinity. */
    public static short floatToF16(float f) {
        return Float.floatToFloat16(f);
    }
}
