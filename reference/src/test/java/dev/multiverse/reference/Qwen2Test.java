package dev.multiverse.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.AttentionMask;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.ChoiceReference;
import dev.multiverse.contract.LogProbs;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.SequenceResult;
import dev.multiverse.contract.StepResult;
import dev.multiverse.contract.TokenRule;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model end to end on tiny random checkpoints: the batched step over slots, the single pass
 * under a mask, and an independent double-precision implementation must all agree.
 */
class Qwen2Test {

    @TempDir static Path models;

    static Stream<TinyQwen2.Shape> shapes() {
        return Stream.of(
                new TinyQwen2.Shape(4, 2, true, DType.F32),
                new TinyQwen2.Shape(4, 4, false, DType.BF16),
                new TinyQwen2.Shape(8, 1, true, DType.BF16),
                new TinyQwen2.Shape(4, 2, false, DType.F16),
                new TinyQwen2.Shape(8, 1, false, DType.F32));
    }

    /** (a) Chunked prefill then decode over scattered slots gives the logits of one causal pass. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void chunkedPrefillAndDecodeOverSlotsEqualOneCausalPass(TinyQwen2.Shape shape) throws Exception {
        Random random = new Random(1);
        int[] tokens = TinyQwen2.randomTokens(random, 23);
        int[] positions = IntStream.range(0, tokens.length).toArray();
        try (Fixture f = Fixture.open(shape, 7, 40)) {
            Qwen2 model = f.model();
            CpuBackend backend = f.backend();
            float[][] expected = model.forward(tokens, positions, AttentionMask.causal());
            int[] slotOf = shuffledSlots(40, random);
            int[] chunkEnds = {5, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23};
            int from = 0;
            for (int to : chunkEnds) {
                StepResult result = backend.step(rows(tokens, positions, slotOf, from, to, Readout.logitsOnly()));
                for (int i = from; i < to; i++) assertClose(expected[i], result.logits(0)[i - from], "token " + i);
                from = to;
            }
        }
    }

    /**
     * The readout over the backend's rows equals the reference readout over the logits of one causal
     * pass: row log-probs, a chosen token (greedy and sampled with a penalty over the context), a
     * given token, score ids, top-N; and a readout that asks for no logits returns none.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void readoutOfTheRowsEqualsTheReferenceOverACausalPass(TinyQwen2.Shape shape) throws Exception {
        Random random = new Random(2);
        int[] tokens = TinyQwen2.randomTokens(random, 9);
        int[] positions = IntStream.range(0, tokens.length).toArray();
        try (Fixture f = Fixture.open(shape, 8, 40)) {
            float[][] expected = f.model().forward(tokens, positions, AttentionMask.causal());
            float[][] prefill = Arrays.copyOfRange(expected, 5, 9);
            int[] prefillTokens = Arrays.copyOfRange(tokens, 5, 9);
            List<Readout> readouts = List.of(
                    new Readout(true, Pick.chosen(TokenRule.greedy(TinyQwen2.VOCAB), 0), new int[] {3, 50}, 4, false),
                    new Readout(true, Pick.chosen(new TokenRule(0.8, 6, 0.9, 0.01, 1.3, TinyQwen2.VOCAB - 7, new int[] {2}), 0.37),
                            null, 3, false),
                    new Readout(false, Pick.given(11), new int[] {0, 96}, 2, false));
            int slot = 0;
            int[] slotOf = new int[9];
            for (Readout readout : readouts) {
                for (int i = 0; i < 9; i++) slotOf[i] = slot++;
                f.backend().step(rows(tokens, positions, slotOf, 0, 5, Readout.nothing()));
                SequenceResult got = f.backend().step(rows(tokens, positions, slotOf, 5, 9, readout)).get(0);
                SequenceResult want = ChoiceReference.read(prefill, prefillTokens, tokens, readout);
                assertEquals(want.token(), got.token(), readout + ": token");
                assertEquals(want.tokenLogprob(), got.tokenLogprob(), 1e-4, readout + ": token log-prob");
                assertArrayEquals(want.topIds(), got.topIds(), readout + ": top ids");
                assertNull(got.logits(), "no logits asked for");
                double[][] pairs = {want.rowLogprobs(), got.rowLogprobs(), want.scoreLogprobs(), got.scoreLogprobs(),
                        want.topLogprobs(), got.topLogprobs()};
                for (int k = 0; k < pairs.length; k += 2) {
                    assertEquals(pairs[k].length, pairs[k + 1].length, readout + ": log-prob count");
                    for (int i = 0; i < pairs[k].length; i++) assertEquals(pairs[k][i], pairs[k + 1][i], 1e-4, readout + ": log-prob " + i);
                }
            }
        }
    }

    /** (b) Two sequences forked from one prefix's slots, stepped together, each equal its own causal pass. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void forkedSequencesSharingPrefixSlotsEqualEachRunAlone(TinyQwen2.Shape shape) throws Exception {
        Random random = new Random(3);
        int[] prefix = TinyQwen2.randomTokens(random, 9);
        int[] a = concat(prefix, TinyQwen2.randomTokens(random, 6));
        int[] b = concat(prefix, TinyQwen2.randomTokens(random, 5));
        try (Fixture f = Fixture.open(shape, 9, 32)) {
            Qwen2 model = f.model();
            CpuBackend backend = f.backend();
            float[][] aloneA = model.forward(a, IntStream.range(0, a.length).toArray(), AttentionMask.causal());
            float[][] aloneB = model.forward(b, IntStream.range(0, b.length).toArray(), AttentionMask.causal());
            int[] slots = shuffledSlots(32, random);
            int[] slotsA = concat(Arrays.copyOf(slots, 9), Arrays.copyOfRange(slots, 9, 15));
            int[] slotsB = concat(Arrays.copyOf(slots, 9), Arrays.copyOfRange(slots, 15, 20));
            int[] posA = IntStream.range(0, a.length).toArray(), posB = IntStream.range(0, b.length).toArray();

            backend.step(rows(prefix, posA, slotsA, 0, 9, Readout.nothing()));
            // A prefills three tokens while B prefills two, in one step, then both decode together.
            int endA = 12, endB = 11;
            StepResult first = backend.step(rows(rows(Batch.builder(), a, posA, slotsA, 9, endA, Readout.logitsOnly()),
                    b, posB, slotsB, 9, endB, Readout.logitsOnly()).build());
            for (int i = 9; i < endA; i++) assertClose(aloneA[i], first.logits(0)[i - 9], "A token " + i);
            for (int i = 9; i < endB; i++) assertClose(aloneB[i], first.logits(1)[i - 9], "B token " + i);
            for (; endA < a.length; endA++, endB++) {
                Batch.Builder step = rows(Batch.builder(), a, posA, slotsA, endA, endA + 1, Readout.logitsOnly());
                if (endB < b.length) rows(step, b, posB, slotsB, endB, endB + 1, Readout.logitsOnly());
                StepResult r = backend.step(step.build());
                assertClose(aloneA[endA], r.lastLogits(0), "A token " + endA);
                if (endB < b.length) assertClose(aloneB[endB], r.lastLogits(1), "B token " + endB);
            }
        }
    }

    /**
     * (c) The Multiverse idea at model level: in one pass over prefix, path A, path B (positions
     * restarting, A and B blind to each other) and a conclusion, each path equals that path run
     * alone after the prefix, and the conclusion equals the engine's join over the slots.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void siblingPathsInOnePassEqualEachBranchAloneAndTheJoin(TinyQwen2.Shape shape) throws Exception {
        Random random = new Random(4);
        Siblings t = Siblings.random(random, 8, 5, 7, 4);
        try (Fixture f = Fixture.open(shape, 10, 30)) {
            Qwen2 model = f.model();
            CpuBackend backend = f.backend();
            float[][] merged = model.forward(t.tokens, t.positions, t::visible);
            int[] pathA = concat(t.slice(0, t.pathB), null), pathB = concat(t.slice(0, t.pathA), t.slice(t.pathB, t.conclusion));
            float[][] aloneA = model.forward(pathA, IntStream.range(0, pathA.length).toArray(), AttentionMask.causal());
            float[][] aloneB = model.forward(pathB, IntStream.range(0, pathB.length).toArray(), AttentionMask.causal());
            for (int i = t.pathA; i < t.pathB; i++) assertClose(aloneA[i], merged[i], "path A token " + i);
            for (int i = t.pathB; i < t.conclusion; i++)
                assertClose(aloneB[i - t.pathB + t.pathA], merged[i], "path B token " + i);

            // The engine: prefix, fork (both paths in one batch), join by concatenating slot lists.
            int[] slot = shuffledSlots(30, random);
            backend.step(rows(t.tokens, t.positions, slot, 0, t.pathA, Readout.nothing()));
            int[] prefixSlots = Arrays.copyOf(slot, t.pathA), prefixTokens = t.slice(0, t.pathA);
            backend.step(Batch.builder()
                    .sequence(prefixSlots, prefixTokens, t.slice(t.pathA, t.pathB), Arrays.copyOfRange(t.positions, t.pathA, t.pathB),
                            Arrays.copyOfRange(slot, t.pathA, t.pathB), Readout.nothing())
                    .sequence(prefixSlots, prefixTokens, t.slice(t.pathB, t.conclusion),
                            Arrays.copyOfRange(t.positions, t.pathB, t.conclusion), Arrays.copyOfRange(slot, t.pathB, t.conclusion),
                            Readout.nothing())
                    .build());
            StepResult join = backend.step(rows(t.tokens, t.positions, slot, t.conclusion, t.tokens.length, Readout.logitsOnly()));
            for (int i = t.conclusion; i < t.tokens.length; i++)
                assertClose(merged[i], join.logits(0)[i - t.conclusion], "conclusion token " + i);
        }
    }

    /** (d) An independent double-precision implementation agrees on log-probs within 1e-4. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void agreesWithNaiveDoublePrecisionQwen2(TinyQwen2.Shape shape) throws Exception {
        Random random = new Random(5);
        Siblings t = Siblings.random(random, 5, 4, 3, 3);
        try (WeightStore store = WeightStore.open(TinyQwen2.write(models, shape, 11));
                Qwen2 model = TinyQwen2.open(store, shape)) {
            float[][] logits = model.forward(t.tokens, t.positions, t::visible);
            boolean[][] visible = new boolean[t.tokens.length][t.tokens.length];
            for (int i = 0; i < visible.length; i++) for (int j = 0; j <= i; j++) visible[i][j] = t.visible(i, j);
            double[][] naive = new NaiveQwen2(TinyQwen2.config(shape), store).logits(t.tokens, t.positions, visible);
            double spread = 0;
            for (int i = 0; i < logits.length; i++) {
                double[] got = LogProbs.logSoftmax(logits[i]);
                double max = Arrays.stream(naive[i]).max().orElseThrow();
                double z = max + Math.log(Arrays.stream(naive[i]).map(v -> Math.exp(v - max)).sum());
                for (int v = 0; v < got.length; v++) {
                    assertEquals(naive[i][v] - z, got[v], 1e-4, "log p(" + v + ") at token " + i);
                    spread = Math.max(spread, Math.abs(naive[i][v] - z));
                }
            }
            assertTrue(spread > 3, "random model too flat to test anything: log-probs within " + spread);
        }
    }

    /** A tiny model written with {@code seed}, opened twice: as a single-pass model and as a backend of {@code slots} slots. */
    private record Fixture(WeightStore store, Qwen2 model, CpuBackend backend) implements AutoCloseable {
        static Fixture open(TinyQwen2.Shape shape, long seed, int slots) throws Exception {
            WeightStore store = WeightStore.open(TinyQwen2.write(models, shape, seed));
            return new Fixture(store, TinyQwen2.open(store, shape), new CpuBackend(TinyQwen2.open(store, shape), slots, store));
        }

        @Override
        public void close() {
            model.close();
            backend.close(); // closes the store too
        }
    }

    /** A prefix, two sibling paths (positions restart after the prefix) and a conclusion. */
    record Siblings(int[] tokens, int[] positions, int pathA, int pathB, int conclusion) {
        static Siblings random(Random random, int prefix, int a, int b, int c) {
            int n = prefix + a + b + c;
            int[] positions = new int[n];
            for (int i = 0; i < n; i++) {
                if (i < prefix + a) positions[i] = i;
                else if (i < prefix + a + b) positions[i] = i - a;
                else positions[i] = i - a - b + Math.max(a, b);
            }
            return new Siblings(TinyQwen2.randomTokens(random, n), positions, prefix, prefix + a, prefix + a + b);
        }

        boolean visible(int i, int j) {
            boolean iInB = i >= pathB && i < conclusion, jInA = j >= pathA && j < pathB;
            return j <= i && !(iInB && jInA);
        }

        int[] slice(int from, int to) {
            return Arrays.copyOfRange(tokens, from, to);
        }
    }

    /**
     * Adds to {@code batch} the rows [from, to) of a text whose token i lives in slot slotOf[i]:
     * they see every earlier token's slot, as one explicit run.
     */
    static Batch.Builder rows(Batch.Builder batch, int[] tokens, int[] positions, int[] slotOf, int from, int to, Readout readout) {
        return batch.sequence(Arrays.copyOf(slotOf, from), Arrays.copyOf(tokens, from), Arrays.copyOfRange(tokens, from, to),
                Arrays.copyOfRange(positions, from, to), Arrays.copyOfRange(slotOf, from, to), readout);
    }

    /** A one-sequence batch of the rows [from, to) of such a text. */
    static Batch rows(int[] tokens, int[] positions, int[] slotOf, int from, int to, Readout readout) {
        return rows(Batch.builder(), tokens, positions, slotOf, from, to, readout).build();
    }

    static int[] shuffledSlots(int capacity, Random random) {
        List<Integer> slots = new ArrayList<>(IntStream.range(0, capacity).boxed().toList());
        Collections.shuffle(slots, random);
        return slots.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] identity(int n) {
        return IntStream.range(0, n).toArray();
    }

    static int[] concat(int[] a, int[] b) {
        if (b == null) return a.clone();
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Logits agree to float rounding: 1e-5 of the largest logit's magnitude (plus 1e-5). */
    static void assertClose(float[] expected, float[] actual, String where) {
        assertEquals(expected.length, actual.length, where + ": vocabulary size");
        float scale = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int v = 0; v < expected.length; v++)
            assertEquals(expected[v], actual[v], 1e-5 * (1 + scale), where + ", logit " + v);
    }
}
