package dev.multiverse.reference;

import static dev.multiverse.reference.Qwen2Test.assertClose;
import static dev.multiverse.reference.Qwen2Test.concat;

import dev.multiverse.contract.AttentionMask;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.RunAppend;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.contract.StepResult;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs across steps: a prefix run, two sibling runs chained after it and stepped together, then a
 * join whose chain links all three. Every step's logits equal those of the same context given as
 * one explicit run (a {@link Batch#builder()} batch naming the slots), and sibling A's equal a
 * causal pass over prefix + A.
 */
class CpuBackendRunsTest {

    private static final TinyQwen2.Shape SHAPE = new TinyQwen2.Shape(4, 2, true, DType.BF16);
    private static final long PREFIX = 1, A = 2, B = 3, JOIN = 4;

    @TempDir static Path models;

    /** Slots from 32 on hold the explicit runs' rows, one fresh slot per row. */
    private int nextExplicitSlot = 32;

    @Test
    void aChainOfRunsSharedByTwoSequencesGivesTheLogitsOfOneExplicitRun() throws Exception {
        Random random = new Random(6);
        int[] prefix = TinyQwen2.randomTokens(random, 6), a = TinyQwen2.randomTokens(random, 4), b = TinyQwen2.randomTokens(random, 3);
        int[] conclusion = TinyQwen2.randomTokens(random, 2);
        try (WeightStore store = WeightStore.open(TinyQwen2.write(models, SHAPE, 12));
                Qwen2 model = TinyQwen2.open(store, SHAPE);
                CpuBackend backend = new CpuBackend(TinyQwen2.open(store, SHAPE), 64, null)) {
            int[] prefixSlots = IntStream.range(0, 6).toArray();
            int[] slotsA = {6, 7, 9, 11}, slotsB = {8, 10, 12}, slotsJoin = {13, 14};
            backend.step(new Batch(List.of(new RunAppend(PREFIX, 0, prefixSlots, prefix)),
                    List.of(new SequenceStep(new long[] {PREFIX}, 6, IntStream.range(0, 6).toArray(), Readout.nothing())),
                    new long[0], new long[0]));

            // the fork: A prefills two tokens while B decodes one, then both decode together
            int[][] rowsA = {{0, 2}, {2, 3}, {3, 4}}, rowsB = {{0, 1}, {1, 2}, {2, 3}};
            float[][] causalA = model.forward(concat(prefix, a), IntStream.range(0, 10).toArray(), AttentionMask.causal());
            for (int step = 0; step < rowsA.length; step++) {
                int fromA = rowsA[step][0], toA = rowsA[step][1], fromB = rowsB[step][0], toB = rowsB[step][1];
                StepResult chained = backend.step(new Batch(
                        List.of(new RunAppend(A, fromA, Arrays.copyOfRange(slotsA, fromA, toA), Arrays.copyOfRange(a, fromA, toA)),
                                new RunAppend(B, fromB, Arrays.copyOfRange(slotsB, fromB, toB), Arrays.copyOfRange(b, fromB, toB))),
                        List.of(new SequenceStep(new long[] {PREFIX, A}, toA, range(6 + fromA, 6 + toA), Readout.logitsOnly()),
                                new SequenceStep(new long[] {PREFIX, B}, toB, range(6 + fromB, 6 + toB), Readout.logitsOnly())),
                        new long[0], new long[0]));
                StepResult explicit = backend.step(Batch.builder()
                        .sequence(concat(prefixSlots, Arrays.copyOf(slotsA, fromA)), concat(prefix, Arrays.copyOf(a, fromA)),
                                Arrays.copyOfRange(a, fromA, toA), range(6 + fromA, 6 + toA), freshSlots(toA - fromA), Readout.logitsOnly())
                        .sequence(concat(prefixSlots, Arrays.copyOf(slotsB, fromB)), concat(prefix, Arrays.copyOf(b, fromB)),
                                Arrays.copyOfRange(b, fromB, toB), range(6 + fromB, 6 + toB), freshSlots(toB - fromB), Readout.logitsOnly())
                        .build());
                for (int r = 0; r < toA - fromA; r++) {
                    assertClose(explicit.logits(0)[r], chained.logits(0)[r], "A token " + (fromA + r) + " against one run");
                    assertClose(causalA[6 + fromA + r], chained.logits(0)[r], "A token " + (fromA + r) + " against a causal pass");
                }
                for (int r = 0; r < toB - fromB; r++)
                    assertClose(explicit.logits(1)[r], chained.logits(1)[r], "B token " + (fromB + r) + " against one run");
            }

            // the join: its chain links the prefix and both siblings (read whole), positions after the longer path
            int[] joinPositions = range(10, 12);
            StepResult joined = backend.step(new Batch(List.of(new RunAppend(JOIN, 0, slotsJoin, conclusion)),
                    List.of(new SequenceStep(new long[] {PREFIX, A, B, JOIN}, 2, joinPositions, Readout.logitsOnly())),
                    new long[0], new long[0]));
            StepResult explicitJoin = backend.step(Batch.builder()
                    .sequence(concat(concat(prefixSlots, slotsA), slotsB), concat(concat(prefix, a), b), conclusion, joinPositions,
                            freshSlots(2), Readout.logitsOnly())
                    .build());
            for (int r = 0; r < 2; r++) assertClose(explicitJoin.logits(0)[r], joined.logits(0)[r], "conclusion token " + r);

            // forgetting the siblings and the join frees their slots: a new sibling may write slot 6 again
            backend.step(new Batch(List.of(new RunAppend(5, 0, new int[] {6}, new int[] {a[0]})),
                    List.of(new SequenceStep(new long[] {PREFIX, 5}, 1, new int[] {6}, Readout.logitsOnly())),
                    new long[] {A, B, JOIN}, new long[0]));
        }
    }

    private int[] freshSlots(int n) {
        int[] slots = range(nextExplicitSlot, nextExplicitSlot + n);
        nextExplicitSlot += n;
        return slots;
    }

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }
}
