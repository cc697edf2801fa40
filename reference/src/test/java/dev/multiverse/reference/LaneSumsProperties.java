package dev.multiverse.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The folding tree of {@link LaneSums#sixteen} gives each vector's lane sum, wherever the vectors sit. */
class LaneSumsProperties {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    @Property(tries = 300)
    void eachSumIsItsVectorsLaneSum(@ForAll @IntRange(min = 0, max = 40) int from, @ForAll @IntRange(min = 0, max = 9) int to,
                                    @ForAll long seed) {
        Random random = new Random(seed);
        float[] vectors = new float[from + 16 * L + 3];
        for (int i = 0; i < vectors.length; i++) vectors[i] = (float) random.nextGaussian() * (1 << random.nextInt(8));
        float[] sums = new float[to + 16 + 2];
        sums[to + 16] = 42;
        LaneSums.sixteen(vectors, from, sums, to);
        for (int k = 0; k < 16; k++) {
            double expected = 0, magnitude = 0;
            for (int l = 0; l < L; l++) {
                expected += vectors[from + k * L + l];
                magnitude += Math.abs(vectors[from + k * L + l]);
            }
            assertEquals(expected, sums[to + k], 1e-6 * magnitude + 1e-7, "sum of vector " + k);
        }
        assertEquals(42, sums[to + 16], "wrote past the sixteen sums");
    }
}
