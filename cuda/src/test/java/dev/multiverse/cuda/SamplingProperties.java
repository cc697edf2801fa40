package dev.multiverse.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The device sampler against the textbook nucleus rule computed here in double precision: sort
 * by probability, keep the fewest most likely tokens whose mass reaches top-p, and pick, in id
 * order over them, where the running sum passes u · mass. Greedy rows are the argmax (lowest id
 * on ties). fp32 sums on the device may move the nucleus edge or the pick by rounding, so the
 * device's token must lie in the nucleus of top-p + 1e-4, and its running-sum bracket there must
 * hold u · mass within 3e-4 (a tenth of a percent of the mass; a wrong rule misses by far more).
 */
@AddLifecycleHook(RequiresGpu.class)
class SamplingProperties {
    static Gpu gpu;

    @BeforeContainer
    static void open() {
        gpu = new Gpu();
    }

    @AfterContainer
    static void close() {
        if (gpu != null) gpu.close();
    }

    @AfterTry
    void freeTry() {
        gpu.freeBuffers();
    }

    @Property(tries = 60)
    void devicePicksTheNucleusTokenOfTheUniform(@ForAll @IntRange(min = 1, max = 6) int rows,
                                                @ForAll @IntRange(min = 1, max = 160_000) int vocab,
                                                @ForAll @DoubleRange(min = 0.05, max = 1.0) double topP,
                                                @ForAll boolean greedy, @ForAll long seed) {
        Random random = new Random(seed);
        float[] logits = Gpu.gaussian(random, rows * vocab, 1 + random.nextInt(6));
        if (random.nextBoolean()) logits[random.nextInt(rows * vocab)] = logits[0]; // ties happen
        float[] temperature = new float[rows], p = new float[rows], u = new float[rows];
        for (int r = 0; r < rows; r++) {
            temperature[r] = greedy && r % 2 == 0 ? 0f : 0.3f + random.nextFloat() * 1.2f;
            p[r] = (float) topP;
            u[r] = random.nextFloat();
        }
        DeviceBuffer dl = gpu.floats(logits), probs = gpu.zeros(4L * rows * vocab), dt = gpu.floats(temperature),
                dp = gpu.floats(p), du = gpu.floats(u), out = gpu.zeros(4L * rows);
        gpu.kernels.sampleTokens(dl.pointer(), probs.pointer(), rows, vocab, dt.pointer(), dp.pointer(), du.pointer(), out.pointer());
        int[] picked = out.downloadInts(rows);
        for (int r = 0; r < rows; r++) {
            float[] row = Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab);
            if (temperature[r] <= 0) {
                assertEquals(argmax(row), picked[r], "greedy row " + r);
                continue;
            }
            Nucleus n = Nucleus.of(row, temperature[r], p[r] + 1e-4);
            double target = u[r] * n.mass();
            int at = Arrays.binarySearch(n.ids(), picked[r]);
            assertTrue(at >= 0, "row " + r + ": token " + picked[r] + " is outside the nucleus");
            double before = at == 0 ? 0 : n.runningSum()[at - 1];
            assertTrue(before - 3e-4 <= target && target <= n.runningSum()[at] + 3e-4,
                    "row " + r + ": token " + picked[r] + " covers running sums [" + before + ", " + n.runningSum()[at]
                            + "], the target is " + target);
        }
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    /** The nucleus of top-p in id order, with the running sums of its probabilities. */
    record Nucleus(int[] ids, double[] runningSum) {
        double mass() {
            return runningSum[runningSum.length - 1];
        }

        static Nucleus of(float[] logits, float temperature, double topP) {
            double max = Double.NEGATIVE_INFINITY;
            for (float l : logits) max = Math.max(max, l);
            double[] prob = new double[logits.length];
            double z = 0;
            for (int i = 0; i < logits.length; i++) z += prob[i] = Math.exp((logits[i] - max) / temperature);
            for (int i = 0; i < prob.length; i++) prob[i] /= z;
            Integer[] byProbability = IntStream.range(0, prob.length).boxed().toArray(Integer[]::new);
            Arrays.sort(byProbability, Comparator.comparingDouble((Integer i) -> -prob[i]));
            double mass = 0, threshold = 0;
            for (int i : byProbability) {
                mass += prob[i];
                threshold = prob[i];
                if (mass >= topP) break;
            }
            final double t = threshold;
            int[] ids = IntStream.range(0, prob.length).filter(i -> prob[i] >= t).toArray();
            double[] running = new double[ids.length];
            double sum = 0;
            for (int i = 0; i < ids.length; i++) running[i] = sum += prob[ids[i]];
            return new Nucleus(ids, running);
        }
    }
}
