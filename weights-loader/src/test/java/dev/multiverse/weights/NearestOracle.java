package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntToDoubleFunction;

/**
 * Round-to-nearest-even stated as a definition: the chosen 16-bit value must be at least as close to
 * the input as both its neighbours, and on a tie its pattern must be even. Distances are computed in
 * double, exact for these formats. Infinity stands at the magnitude where the next finite value would
 * be (2^128 for bfloat16, 2^16 for float16), as IEEE rounding treats overflow.
 */
enum NearestOracle {
    BF16(0x7F80, 0x1p128, bits -> FloatConversions.bf16ToFloat((short) bits)),
    F16(0x7C00, 0x1p16, bits -> FloatConversions.f16ToFloat((short) bits));

    private final int infinityPattern;
    private final double infinityMagnitude;
    private final IntToDoubleFunction widen;

    NearestOracle(int infinityPattern, double infinityMagnitude, IntToDoubleFunction widen) {
        this.infinityPattern = infinityPattern;
        this.infinityMagnitude = infinityMagnitude;
        this.widen = widen;
    }

    /** The magnitude a non-negative pattern (sign bit clear) stands for. */
    private double magnitude(int pattern) {
        return pattern == infinityPattern ? infinityMagnitude : widen.applyAsDouble(pattern);
    }

    void check(float value, short result) {
        int r = result & 0xFFFF;
        if (Float.isInfinite(value)) {
            assertEquals(infinityPattern | (value < 0 ? 0x8000 : 0), r, () -> name() + " of " + value);
            return;
        }
        double target = Math.abs((double) value);
        int m = r & 0x7FFF;
        boolean negative = (r & 0x8000) != 0;
        assertEquals(Math.copySign(1f, value) < 0, negative, () -> name() + " sign of " + value);
        assertTrue(m <= infinityPattern, () -> name() + " of " + value + " is NaN: " + Integer.toHexString(r));
        double d = Math.abs(magnitude(m) - target);
        for (int neighbour : new int[] {m - 1, m + 1}) {
            if (neighbour < 0 || neighbour > infinityPattern) {
                continue;
            }
            double dn = Math.abs(magnitude(neighbour) - target);
            String what = name() + " of " + value + " (0x" + Integer.toHexString(Float.floatToRawIntBits(value))
                    + ") gave 0x" + Integer.toHexString(r) + " but 0x" + Integer.toHexString(neighbour) + " is";
            assertTrue(d <= dn, () -> what + " nearer");
            assertTrue(d < dn || (m & 1) == 0, () -> what + " as near and even");
        }
    }
}
