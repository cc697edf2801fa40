package dev.multiverse.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.weights.DType;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterAll;

/** The vectorised, threaded matmul against a scalar double-precision product, over random shapes. */
class MatMulProperties {

    private static final ThreadTeam TEAM = new ThreadTeam(3);

    @AfterAll
    static void closeTeam() {
        TEAM.close();
    }

    @Provide
    Arbitrary<DType> floatTypes() {
        return TestMatrices.floatTypes();
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
