package dev.multiverse.weights;

/**
 * Conversions between float and the two 16-bit float formats safetensors files carry.
 *
 * <p>bfloat16 is the top half of an IEEE binary32: 1 sign, 8 exponent, 7 mantissa bits, so widening
 * is a 16-bit shift. float16 (IEEE binary16) has 5 exponent and 10 mantissa bits; the JDK converts
 * it exactly in both directions. Narrowing rounds to nearest, ties to even, in both formats.
 */
public final class FloatConversions {
    private FloatConversions() {
    }

    /** The float a bfloat16 bit pattern denotes (exact). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * The bfloat16 nearest to {@code value}, ties to even. NaN stays NaN (quiet, same sign);
     * values beyond the largest bfloat16 round to infinity as binary32 rounding would.
     */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            // Keep sign and top mantissa bits, force the quiet bit so the result cannot become Inf.
            return (short) ((bits >>> 16) | 0x0040);
        }
        // Add half an ulp of the kept part, minus one when the kept part is even: ties go to even.
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** The float a float16 bit pattern denotes (exact). */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** The float16 nearest to {@code value}, ties to even; overflow gives infinity. */
    public static short floatToF16(float value) {
        return Float.floatToFloat16(value);
    }
}
