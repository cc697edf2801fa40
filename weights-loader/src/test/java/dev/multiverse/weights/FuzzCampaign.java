package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The long fuzz run: the same cases as {@link MutatedFileProperties}, as many as asked, from a fixed
 * seed (so any failure is reproducible from the printed case index). Not part of the normal suite
 * (the class name matches none of surefire's includes); run it with
 *
 * <pre>
 * ./mvnw -q -B -ntp -pl weights-loader verify -Dtest=FuzzCampaign \
 *     -Dweights.fuzz.files=100000 -Dweights.fuzz.indexes=20000 -Dweights.fuzz.seed=1
 * </pre>
 *
 * It prints the outcome counts and the time taken to standard output (in
 * {@code target/surefire-reports/dev.multiverse.weights.FuzzCampaign-output.txt}).
 */
class FuzzCampaign {

    @Test
    void run() throws Exception {
        long seed = Long.getLong("weights.fuzz.seed", 1);
        int files = Integer.getInteger("weights.fuzz.files", 20_000);
        int indexes = Integer.getInteger("weights.fuzz.indexes", 5_000);
        long start = System.nanoTime();
        Map<FuzzOracle.Outcome, Integer> fileOutcomes = campaign(seed, files, false);
        Map<FuzzOracle.Outcome, Integer> indexOutcomes = campaign(seed, indexes, true);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("fuzz seed %d: %d damaged files %s, %d damaged indexes %s, %.1f s%n",
                seed, files, fileOutcomes, indexes, indexOutcomes, seconds);
        assertEquals(files, fileOutcomes.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(indexes, indexOutcomes.values().stream().mapToInt(Integer::intValue).sum());
    }

    private static Map<FuzzOracle.Outcome, Integer> campaign(long seed, int count, boolean index) throws Exception {
        Map<FuzzOracle.Outcome, Integer> outcomes = new EnumMap<>(FuzzOracle.Outcome.class);
        for (int i = 0; i < count; i++) {
            Random r = new Random(seed * 1_000_003L + i);
            try {
                FuzzOracle.Outcome o = TempDirs.inFresh(
                        dir -> index ? IndexFuzzCase.random(r).run(dir) : FuzzCase.random(r).run(dir));
                outcomes.merge(o, 1, Integer::sum);
            } catch (AssertionError e) {
                throw new AssertionError("case " + i + " (seed " + seed + ", index=" + index + ")", e);
            }
        }
        return outcomes;
    }
}
