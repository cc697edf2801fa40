package dev.multiverse.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.Matrix;
import dev.multiverse.weights.DType;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterAll;

/**
 * Each kernel against a plain double-precision formula over random shapes, odd sizes included:
 * the threaded matmul over F32/F16/BF16 weights, the f16 widening, rmsNorm, rope, swiglu, attention.
 */
class KernelsProperties {

    private static final ThreadTeam TEAM = new ThreadTeam(3);

    @AfterAll
    static void closeTeam() {
        TEAM.close();
    }

    @Provide
    Arbitrary<DType> floatTypes() {
        return TestMatrices.floatTypes();
    }

    @Property(tries = 80)
    void rmsNormMatchesFormula(
            @ForAll("floatTypes") DType encoding,
            @ForAll @IntRange(min = 1, max = 100) int dim,
            @ForAll @IntRange(min = 1, max = 5) int n,
            @ForAll long seed) {
        Random random = new Random(seed);
        TestMatrices.Encoded weight = TestMatrices.random(encoding, 1, dim, random);
        float[] x = TestMatrices.gaussian(n * dim, random);
        float[] out = new float[n * dim];
        float[] widened = new float[dim];
        weight.matrix().copyRow(0, widened, 0);
        Kernels.rmsNorm(x, widened, 1e-6f, n, out);
        for (int r = 0; r < n; r++) {
            double meanSquare = 0;
            for (int i = 0; i < dim; i++) meanSquare += (double) x[r * dim + i] * x[r * dim + i];
            meanSquare /= dim;
            for (int i = 0; i < dim; i++) {
                double expected = weight.values()[i] * x[r * dim + i] / Math.sqrt(meanSquare + 1e-6);
                assertEquals(expected, out[r * dim + i], 1e-5 * (1 + Math.abs(expected)), "row " + r + " element " + i);
            }
        }
    }

    @Property(tries = 80)
    void ropeRotatesHalfSplitPairs(
            @ForAll @IntRange(min = 1, max = 40) int halfDim,
            @ForAll @IntRange(min = 1, max = 4) int heads,
            @ForAll @IntRange(min = 1, max = 4) int n,
            @ForAll @IntRange(min = 0, max = 40000) int position,
            @ForAll long seed) {
        Random random = new Random(seed);
        int headDim = 2 * halfDim;
        float theta = 1_000_000f;
        int[] positions = new int[n];
        for (int r = 0; r < n; r++) positions[r] = position + r * 7;
        float[] x = TestMatrices.gaussian(n * heads * headDim, random);
        float[] original = x.clone();
        float[] cos = new float[n * halfDim], sin = new float[n * halfDim];
        Kernels.ropeAngles(positions, n, headDim, theta, cos, sin);
        Kernels.rope(x, n, heads, headDim, cos, sin);
        for (int r = 0; r < n; r++) {
            for (int h = 0; h < heads; h++) {
                int o = (r * heads + h) * headDim;
                for (int i = 0; i < halfDim; i++) {
                    double angle = positions[r] * Math.pow(theta, -2.0 * i / headDim);
                    double x0 = original[o + i], x1 = original[o + i + halfDim];
                    double expected0 = x0 * Math.cos(angle) - x1 * Math.sin(angle);
                    double expected1 = x1 * Math.cos(angle) + x0 * Math.sin(angle);
                    // float32 angles (as in Hugging Face) carry an error of about position · 2^-24.
                    double tolerance = 1e-5 + 4 * positions[r] * 0x1p-24 * (Math.abs(x0) + Math.abs(x1));
                    assertEquals(expected0, x[o + i], tolerance, "row " + r + " head " + h + " pair " + i);
                    assertEquals(expected1, x[o + i + halfDim], tolerance, "row " + r + " head " + h + " pair " + i);
                }
            }
        }
    }

    @Property(tries = 50)
    void swigluIsSiluOfGateTimesUp(
            @ForAll @IntRange(min = 1, max = 100) int length, @ForAll boolean wide, @ForAll long seed) {
        Random random = new Random(seed);
        float[] gate = TestMatrices.gaussian(length, random), up = TestMatrices.gaussian(length, random);
        // wide: gates up to ±200, where e^-g overflows to infinity (g < -88) or vanishes
        if (wide) for (int i = 0; i < length; i++) gate[i] *= 50;
        float[] original = gate.clone();
        Kernels.swiglu(gate, up, length);
        for (int i = 0; i < length; i++) {
            double g = original[i];
            double expected = g / (1 + Math.exp(-g)) * up[i];
            assertEquals(expected, gate[i], 1e-6 * (1 + Math.abs(expected)), "element " + i);
        }
    }

    @Property(tries = 50)
    void expShiftedIsTheSoftmaxNumeratorsAndTheirSum(@ForAll @IntRange(min = 1, max = 70) int n, @ForAll long seed) {
        Random random = new Random(seed);
        float[] x = TestMatrices.gaussian(n, random);
        for (int i = 0; i < n; i++) x[i] *= 30; // powers down to e^-200: underflow to zero
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) max = Math.max(max, v);
        float[] original = x.clone();
        float sum = Kernels.expShifted(x, n, max);
        double expectedSum = 0;
        for (int i = 0; i < n; i++) {
            double expected = Math.exp(original[i] - max); // the float difference, as the kernel rounds it
            expectedSum += expected;
            assertEquals(expected, x[i], 1e-6 * expected + 1e-30, "element " + i);
        }
        assertEquals(expectedSum, sum, 1e-6 * expectedSum, "sum");
    }

    @Property(tries = 100)
    void attendSlotsIsSoftmaxWeightedSumOverTheListedSlots(
            @ForAll @IntRange(min = 1, max = 3) int kvHeads,
            @ForAll @IntRange(min = 1, max = 4) int group,
            @ForAll @IntRange(min = 1, max = 37) int headDim,
            @ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 30) int slotCount,
            @ForAll long seed) {
        Random random = new Random(seed);
        int heads = kvHeads * group, kvDim = kvHeads * headDim;
        float[] q = TestMatrices.gaussian(n * heads * headDim, random);
        float[] keys = TestMatrices.gaussian(slotCount * kvDim, random);
        float[] values = TestMatrices.gaussian(slotCount * kvDim, random);
        int[][] keySlots = new int[n][];
        for (int r = 0; r < n; r++) {
            keySlots[r] = random.ints(1 + random.nextInt(slotCount), 0, slotCount).toArray();
        }
        float[][] scores = new float[TEAM.size()][slotCount];
        float[] out = new float[n * heads * headDim];
        Attention.attendSlots(TEAM, q, keys, values, keySlots, n, heads, kvHeads, headDim, scores, out);

        for (int r = 0; r < n; r++) {
            for (int h = 0; h < heads; h++) {
                int g = h / group;
                int[] slots = keySlots[r];
                double[] weights = new double[slots.length];
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < slots.length; j++) {
                    double s = 0;
                    for (int d = 0; d < headDim; d++)
                        s += (double) q[(r * heads + h) * headDim + d] * keys[slots[j] * kvDim + g * headDim + d];
                    weights[j] = s / Math.sqrt(headDim);
                    max = Math.max(max, weights[j]);
                }
                for (int j = 0; j < slots.length; j++) sum += weights[j] = Math.exp(weights[j] - max);
                for (int d = 0; d < headDim; d++) {
                    double expected = 0;
                    for (int j = 0; j < slots.length; j++)
                        expected += weights[j] / sum * values[slots[j] * kvDim + g * headDim + d];
                    assertEquals(expected, out[(r * heads + h) * headDim + d], 1e-5,
                            "row " + r + " head " + h + " dim " + d);
                }
            }
        }
    }

    @Property(tries = 150)
    void matmulMatchesScalarDoubleProduct(
            @ForAll("floatTypes") DType encoding,
            @ForAll @IntRange(min = 1, max = 70) int rows,
            @ForAll @IntRange(min = 1, max = 150) int cols,
            @ForAll @IntRange(min = 1, max = 11) int batch,
            @ForAll boolean withBias,
            @ForAll long seed) {
        Random random = new Random(seed);
        TestMatrices.Encoded w = TestMatrices.random(encoding, rows, cols, random);
        TestMatrices.Encoded bias = withBias ? TestMatrices.random(encoding, 1, rows, random) : null;
        float[] x = TestMatrices.gaussian(batch * cols, random);
        float[] out = new float[batch * rows + 3];

        MatMul.matmul(TEAM, w.matrix(), bias == null ? null : bias.matrix(), x, batch, out);

        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                double expected = bias == null ? 0 : bias.values()[r];
                double magnitude = Math.abs(expected);
                for (int k = 0; k < cols; k++) {
                    double term = (double) w.values()[r * cols + k] * x[b * cols + k];
                    expected += term;
                    magnitude += Math.abs(term);
                }
                assertEquals(expected, out[b * rows + r], 1e-5 * magnitude + 1e-6,
                        "out[" + b + "][" + r + "] of a [" + rows + "][" + cols + "] " + encoding + " matrix, batch " + batch);
            }
        }
        assertEquals(0f, out[batch * rows], "matmul wrote past its output");
    }

    @Property(tries = 60)
    void f16WideningMatchesTheJdkForEveryBitPattern(@ForAll @IntRange(min = 0, max = 65535 - 64) int start) {
        // 64 consecutive bit patterns per try, covering zeros, subnormals, normals, infinities and NaNs.
        TestMatrices.Encoded halfs = TestMatrices.encode(DType.F16, 1, 64, new float[64]);
        for (int i = 0; i < 64; i++) halfs.matrix().data().set(Matrix.I16_LE, i * 2L, (short) (start + i));
        float[] got = new float[64];
        MatMul.widenRow(halfs.matrix(), 0, got, 0);
        for (int i = 0; i < 64; i++) {
            float expected = Float.float16ToFloat((short) (start + i));
            String where = "f16 bits " + Integer.toHexString(start + i);
            if (Float.isNaN(expected)) assertTrue(Float.isNaN(got[i]), where); // NaN payloads may differ
            else assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got[i]), where);
        }
    }
}
