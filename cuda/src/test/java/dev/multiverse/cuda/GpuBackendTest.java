package dev.multiverse.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.LogProbs;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.contract.StepResult;
import dev.multiverse.reference.CpuBackend;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.reference.TinyQwen2.Shape;
import dev.multiverse.reference.TinyQwen2;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GPU backend on tiny random Qwen2 models, through the Backend contract only, over a script
 * of a prefill with every row's logits, a fork into two paths at the same positions (shared
 * context slots), decode steps (replayed as CUDA graphs after the second of a shape) and a join
 * that attends to both paths: against itself fed one row at a time (structure), and against the
 * CPU backend (precision).
 */
@ExtendWith(RequiresGpu.class)
class GpuBackendTest {
    @TempDir
    static Path models;

    static Stream<Shape> shapes() {
        return Stream.of(new Shape(4, 2, true, DType.F32), new Shape(4, 4, false, DType.BF16),
                new Shape(8, 1, false, DType.F32), new Shape(2, 1, true, DType.BF16));
    }

    /** Log-probs are compared where the reference gives a token at least 1e-4. */
    static final double PLAUSIBLE = Math.log(1e-4), SAME_DEVICE = 0.02, ACROSS_DEVICES = 1.5, NEAR_TIE = 0.2;

    /** A script of batches: prefill, fork, decode, join. */
    static List<Batch> script() {
        List<Batch> steps = new ArrayList<>();
        int prompt = 20;
        int[] slots = IntStream.range(0, prompt).toArray();
        steps.add(Batch.of(new SequenceStep(IntStream.range(0, prompt).map(i -> (i * 37 + 11) % TinyQwen2.VOCAB).toArray(),
                IntStream.range(0, prompt).toArray(), slots, new int[0], true)));
        List<Integer> pathB = new ArrayList<>(), pathC = new ArrayList<>();
        int next = prompt;
        for (int t = 0; t < 7; t++) {
            int b = next++, c = next++;
            int[] contextB = concat(slots, pathB), contextC = concat(slots, pathC);
            steps.add(Batch.of(new SequenceStep(new int[] {(5 + 3 * t) % TinyQwen2.VOCAB}, new int[] {prompt + t}, new int[] {b},
                            contextB, false),
                    new SequenceStep(new int[] {(60 + 7 * t) % TinyQwen2.VOCAB}, new int[] {prompt + t}, new int[] {c}, contextC,
                            false)));
            pathB.add(b);
            pathC.add(c);
        }
        int[] joined = concat(concat(slots, pathB), pathC);
        steps.add(Batch.of(new SequenceStep(new int[] {1, 2, 3}, new int[] {prompt + 7, prompt + 8, prompt + 9},
                new int[] {next, next + 1, next + 2}, joined, true)));
        return steps;
    }

    private static int[] concat(int[] a, List<Integer> b) {
        int[] out = new int[a.length + b.size()];
        System.arraycopy(a, 0, out, 0, a.length);
        for (int i = 0; i < b.size(); i++) out[a.length + i] = b.get(i);
        return out;
    }

    /**
     * The script's batched steps (multi-row prefill, two sequences per step, graph replays) against
     * the same rows fed one at a time, each its own one-row step, on the same kind of device: the
     * only difference left is the summation order of different batch shapes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void batchedStepsMatchOneRowAtATime(Shape shape) throws Exception {
        try (WeightStore store = openTiny("rows-" + shape, shape, 11)) {
            Qwen2Weights weights = weights(store);
            try (CudaBackend batched = CudaBackend.upload(weights, 0, 64, null); CudaBackend single = CudaBackend.upload(weights, 0, 64, null)) {
                double worst = 0;
                for (Batch batch : script()) {
                    StepResult together = batched.step(batch);
                    for (int s = 0; s < batch.sequences().size(); s++) {
                        SequenceStep seq = batch.sequences().get(s);
                        for (int r = 0; r < seq.rows(); r++) {
                            int[] context = java.util.Arrays.copyOf(seq.contextSlots(), seq.contextSlots().length + r);
                            System.arraycopy(seq.writeSlots(), 0, context, seq.contextSlots().length, r);
                            float[] alone = single.step(Batch.of(new SequenceStep(new int[] {seq.tokens()[r]},
                                    new int[] {seq.positions()[r]}, new int[] {seq.writeSlots()[r]}, context, false))).lastLogits(0);
                            boolean returned = seq.allLogits() || r == seq.rows() - 1;
                            if (!returned) continue;
                            float[] inBatch = together.logits(s)[seq.allLogits() ? r : 0];
                            double[] e = LogProbs.logSoftmax(alone), a = LogProbs.logSoftmax(inBatch);
                            for (int v = 0; v < e.length; v++) if (e[v] > PLAUSIBLE) worst = Math.max(worst, Math.abs(e[v] - a[v]));
                        }
                    }
                }
                System.out.printf("GPU batched vs one row at a time, %s: max |dlogp| %.2e%n", shape, worst);
                assertTrue(worst <= SAME_DEVICE, "max |dlogp| " + worst + " over " + SAME_DEVICE);
            }
        }
    }

    /**
     * Against the CPU backend's fp32: the same argmax off near-ties, and plausible tokens' log-probs
     * within {@code ACROSS_DEVICES}. These tiny models are built with large weights (peaked
     * attention), which amplifies bf16 rounding: measured on an H100, 0.23 to 0.92 nats at worst
     * over 37 rows (0.04 to 0.07 on the HF golden models, 4e-3 on the trained shipped model).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void stepsMatchTheCpuBackend(Shape shape) throws Exception {
        try (WeightStore store = openTiny(shape.toString(), shape, 11)) {
            Qwen2Weights weights = weights(store);
            try (Backend cpu = new CpuBackend(new Qwen2(weights, 2), 64, null);
                    CudaBackend gpu = CudaBackend.upload(weights, 0, 64, null)) {
                double worst = 0;
                int rows = 0, nearTies = 0;
                for (Batch batch : script()) {
                    StepResult expected = cpu.step(batch), actual = gpu.step(batch);
                    for (int s = 0; s < batch.sequences().size(); s++) {
                        for (int r = 0; r < expected.logits(s).length; r++, rows++) {
                            double[] e = LogProbs.logSoftmax(expected.logits(s)[r]), a = LogProbs.logSoftmax(actual.logits(s)[r]);
                            for (int v = 0; v < e.length; v++)
                                if (e[v] > PLAUSIBLE) worst = Math.max(worst, Math.abs(e[v] - a[v]));
                            int best = LogProbs.argmax(expected.logits(s)[r]);
                            if (e[best] - secondLargest(e, best) < NEAR_TIE) nearTies++;
                            else assertEquals(best, LogProbs.argmax(actual.logits(s)[r]), "argmax of a row of sequence " + s);
                        }
                    }
                }
                System.out.printf("GPU vs CPU, %s: %d rows, max |dlogp| %.2e, %d near-ties, graph replays/captures %s%n", shape,
                        rows, worst, nearTies, java.util.Arrays.toString(gpu.graphCounts()));
                assertTrue(worst <= ACROSS_DEVICES, "max |dlogp| " + worst + " over " + ACROSS_DEVICES);
                assertTrue(nearTies <= rows / 4, nearTies + " near-ties of " + rows + " rows: the argmax check means little");
                assertTrue(gpu.graphCounts()[0] >= 4, "decode steps of one shape should replay a captured graph");
            }
        }
    }

    /** A tiny random model written under {@code name} and opened (close the store). */
    private static WeightStore openTiny(String name, Shape shape, long seed) throws Exception {
        Path dir = TinyQwen2.write(java.nio.file.Files.createDirectories(models.resolve(name.replace(' ', '_').replace('/', '-'))),
                shape, TinyQwen2.VOCAB, seed);
        return WeightStore.open(dir);
    }

    private static Qwen2Weights weights(WeightStore store) throws Exception {
        return Qwen2Weights.from(store, ModelConfig.load(store.directory().resolve("config.json")));
    }

    private static double secondLargest(double[] v, int except) {
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) if (i != except) best = Math.max(best, v[i]);
        return best;
    }

    @Test
    void aReplayedGraphGivesTheEagerStepsLogits() throws Exception {
        Shape shape = new Shape(4, 2, false, DType.BF16);
        try (WeightStore store = openTiny("replay", shape, 3);
                CudaBackend gpu = CudaBackend.upload(weights(store), 0, 64, null)) {
            gpu.step(script().getFirst());
            Batch decode = Batch.of(new SequenceStep(new int[] {9}, new int[] {20}, new int[] {30}, IntStream.range(0, 20).toArray(), false));
            float[] eager = gpu.step(decode).lastLogits(0);
            gpu.step(decode); // captured
            float[] replayed = gpu.step(decode).lastLogits(0);
            assertTrue(gpu.graphCounts()[0] >= 1, "the third step of a shape is a graph replay");
            for (int v = 0; v < eager.length; v++) assertEquals(eager[v], replayed[v], 1e-6, "logit " + v);
            int[] greedy = gpu.stepAndSample(decode, new float[] {0f}, new float[] {1f}, new float[] {0.5f});
            assertEquals(LogProbs.argmax(eager), greedy[0], "device greedy pick");
        }
    }

    @Test
    void malformedBatchesAreRefusedBeforeTheyReachTheDevice() throws Exception {
        Shape shape = new Shape(2, 1, true, DType.BF16);
        try (WeightStore store = openTiny("malformed", shape, 5);
                CudaBackend gpu = CudaBackend.upload(weights(store), 0, 16, null)) {
            var outOfRange = assertThrows(IllegalArgumentException.class, () -> gpu.step(Batch.of(
                    new SequenceStep(new int[] {1}, new int[] {0}, new int[] {16}, new int[0], false))));
            assertTrue(outOfRange.getMessage().contains("16"), outOfRange.getMessage());
            assertThrows(IllegalArgumentException.class, () -> gpu.step(Batch.of(
                    new SequenceStep(new int[] {TinyQwen2.VOCAB}, new int[] {0}, new int[] {0}, new int[0], false))));
            // the backend still works after a refused batch
            gpu.step(Batch.of(new SequenceStep(new int[] {1}, new int[] {0}, new int[] {0}, new int[0], false)));
        }
    }
}
