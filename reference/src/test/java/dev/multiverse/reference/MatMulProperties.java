package dev.multiverse.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.multiverse.weights.DType;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterAll;

/**
 * The fused form of {@link MatMul#matmul(ThreadTeam, float[], int, MatMul.Product...)}: several
 * products of one input in one parallel loop, F32, F16 and BF16 mixed (BF16 reads the activations
 * split into even and odd halves, interleaved in groups of four rows; the others read them as they
 * are), against a double-precision formula. Small shapes reach every short block and column tail;
 * tall ones give each thread chunks of more than one run of blocks per strand.
 */
class MatMulProperties {

    private static final ThreadTeam TEAM = new ThreadTeam(3);

    @AfterAll
    static void closeTeam() {
        TEAM.close();
    }

    @Property(tries = 60)
    void fusedProductsOfMixedTypesMatchTheFormula(
            @ForAll @IntRange(min = 1, max = 40) int rows,
            @ForAll @IntRange(min = 1, max = 140) int cols,
            @ForAll @IntRange(min = 1, max = 13) int batch,
            @ForAll long seed) {
        checkFusedProducts(rows, cols, batch, seed);
    }

    @Property(tries = 8)
    void tallProductsMatchTheFormula(
            @ForAll @IntRange(min = 400, max = 900) int rows,
            @ForAll @IntRange(min = 32, max = 70) int cols,
            @ForAll @IntRange(min = 1, max = 9) int batch,
            @ForAll long seed) {
        checkFusedProducts(rows, cols, batch, seed);
    }

    private static void checkFusedProducts(int rows, int cols, int batch, long seed) {
        Random random = new Random(seed);
        DType[] types = {DType.BF16, DType.F32, DType.F16, DType.BF16};
        TestMatrices.Encoded[] w = new TestMatrices.Encoded[types.length];
        MatMul.Product[] products = new MatMul.Product[types.length];
        for (int p = 0; p < types.length; p++) {
            int r = rows + 3 * p; // different row counts, one width
            w[p] = TestMatrices.random(types[p], r, cols, random);
            products[p] = new MatMul.Product(w[p].matrix(), null, new float[batch * r + 1]);
        }
        float[] x = TestMatrices.gaussian(batch * cols, random);

        MatMul.matmul(TEAM, x, batch, products);

        for (int p = 0; p < types.length; p++) {
            int r = w[p].matrix().rows();
            float[] out = products[p].out();
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < r; i++) {
                    double expected = 0, magnitude = 0;
                    for (int k = 0; k < cols; k++) {
                        double term = (double) w[p].values()[i * cols + k] * x[b * cols + k];
                        expected += term;
                        magnitude += Math.abs(term);
                    }
                    assertEquals(expected, out[b * r + i], 1e-5 * magnitude + 1e-6,
                            "product " + p + " (" + types[p] + " [" + r + "][" + cols + "]), out[" + b + "][" + i + "], batch " + batch);
                }
            }
            assertEquals(0f, out[batch * r], "product " + p + " wrote past its output");
        }
    }

    @Example
    void productsOfOneInputMustShareTheirWidth() {
        Random random = new Random(1);
        float[] x = new float[2 * 33];
        MatMul.Product a = new MatMul.Product(TestMatrices.random(DType.BF16, 4, 33, random).matrix(), null, new float[8]);
        MatMul.Product b = new MatMul.Product(TestMatrices.random(DType.BF16, 4, 32, random).matrix(), null, new float[8]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatMul.matmul(TEAM, x, 2, a, b));
        assertEquals(true, e.getMessage().contains("one width"), e.getMessage());
    }
}
