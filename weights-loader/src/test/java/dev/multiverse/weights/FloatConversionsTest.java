package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Narrowing float to bfloat16 and float16: known bit patterns, then every rounding decision checked
 * against {@link NearestOracle}, which knows nothing of bit tricks.
 */
class FloatConversionsTest {
    private static int bf16(float v) {
        return FloatConversions.floatToBf16(v) & 0xFFFF;
    }

    private static int f16(float v) {
        return FloatConversions.floatToF16(v) & 0xFFFF;
    }

    @Test
    void knownBfloat16Patterns() {
        assertEquals(0x3F80, bf16(1.0f));
        assertEquals(0xC020, bf16(-2.5f));
        assertEquals(0x8000, bf16(-0.0f));
        assertEquals(0x7F80, bf16(Float.POSITIVE_INFINITY));
        assertEquals(0xFF80, bf16(Float.NEGATIVE_INFINITY));
        assertEquals(0x3F80, bf16(Float.intBitsToFloat(0x3F808000))); // tie, 0x3F80 is even
        assertEquals(0x3F82, bf16(Float.intBitsToFloat(0x3F818000))); // tie, 0x3F82 is even
        assertEquals(0x3F81, bf16(Float.intBitsToFloat(0x3F808001))); // just above the tie
        assertEquals(0x7F80, bf16(Float.MAX_VALUE));                    // rounds up past the largest bf16
        assertEquals(0x7F7F, bf16(Float.intBitsToFloat(0x7F7F7FFF)));   // just below the tie: largest finite
        assertEquals(0x0000, bf16(Float.MIN_VALUE));                    // float subnormal below half a bf16 ulp
        assertEquals(0x0002, bf16(Float.intBitsToFloat(0x00018000)));   // subnormal tie goes to even
        assertEquals(0x0001, bf16(Float.intBitsToFloat(0x00010000)));   // smallest bf16 subnormal, exact
        int nan = bf16(Float.NaN);
        assertTrue((nan & 0x7F80) == 0x7F80 && (nan & 0x7F) != 0, Integer.toHexString(nan));
        int signallingNan = bf16(Float.intBitsToFloat(0xFF800001)); // payload only in dropped bits
        assertTrue((signallingNan & 0x7F) != 0 && (signallingNan & 0x8000) != 0, Integer.toHexString(signallingNan));
        assertEquals(1.0f, FloatConversions.bf16ToFloat((short) 0x3F80));
        assertEquals(-2.5f, FloatConversions.bf16ToFloat((short) 0xC020));
        assertEquals(0x1p-133f, FloatConversions.bf16ToFloat((short) 0x0001));
    }

    @Test
    void knownFloat16Patterns() {
        assertEquals(0x3C00, f16(1.0f));
        assertEquals(0xC100, f16(-2.5f));
        assertEquals(0x7BFF, f16(65504f));
        assertEquals(0x7BFF, f16(65519.996f));  // below the midpoint to 65536
        assertEquals(0x7C00, f16(65520f));      // the midpoint: ties to even, which is infinity
        assertEquals(0x0001, f16(0x1p-24f));    // smallest subnormal
        assertEquals(0x0000, f16(0x1p-25f));    // half of it: tie to even zero
        assertEquals(0x0001, f16(0x1.8p-25f));  // above the tie
        assertEquals(0x0400, f16(0x1p-14f));    // smallest normal
        assertEquals(0xFC00, f16(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(FloatConversions.f16ToFloat(FloatConversions.floatToF16(Float.NaN))));
        assertEquals(65504f, FloatConversions.f16ToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, FloatConversions.f16ToFloat((short) 0x0001));
    }

    @Test
    void bfloat16RoundingOfEveryUpperHalfAtItsCriticalLowHalves() {
        // Each of the 65536 bf16 patterns, with the low 16 bits at: exact, just below, at, just above the tie.
        int[] lows = {0x0000, 0x0001, 0x7FFF, 0x8000, 0x8001, 0xFFFF};
        for (int high = 0; high < 0x10000; high++) {
            for (int low : lows) {
                float v = Float.intBitsToFloat((high << 16) | low);
                if (!Float.isNaN(v)) {
                    NearestOracle.BF16.check(v, FloatConversions.floatToBf16(v));
                }
            }
        }
    }

    @Test
    void float16RoundingAtEveryMidpointAndItsNeighbours() {
        // Midpoints between adjacent float16 values have 12 significant bits: exact as float.
        for (int p = 0; p < 0x7C00; p++) {
            double lo = FloatConversions.f16ToFloat((short) p);
            double hi = p == 0x7BFF ? 65536.0 : FloatConversions.f16ToFloat((short) (p + 1));
            float mid = (float) ((lo + hi) / 2);
            for (float v : new float[] {mid, Math.nextDown(mid), Math.nextUp(mid), -mid, (float) lo, -(float) lo}) {
                NearestOracle.F16.check(v, FloatConversions.floatToF16(v));
            }
        }
    }
}
