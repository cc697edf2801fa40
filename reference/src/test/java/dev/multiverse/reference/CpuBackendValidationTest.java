package dev.multiverse.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.AttentionMask;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.RunAppend;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.contract.TokenRule;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.SafeTensorsWriter;
import dev.multiverse.weights.WeightStore;
import dev.multiverse.weights.WeightsFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A malformed batch, mask or checkpoint is refused with a message that names what and where: the
 * run table's rules (see {@code RunTable}) through {@code Backend.step}, each on a fresh backend of
 * 8 slots over a 97-id model.
 */
class CpuBackendValidationTest {

    private static final TinyQwen2.Shape SHAPE = new TinyQwen2.Shape(4, 2, true, DType.F32);

    @TempDir static Path models;
    private static WeightStore store;
    private CpuBackend backend;

    @BeforeAll
    static void open() throws Exception {
        store = WeightStore.open(TinyQwen2.write(models, SHAPE, 3));
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @BeforeEach
    void freshBackend() throws Exception {
        backend = new CpuBackend(TinyQwen2.open(store, SHAPE), 8, null);
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    /** Entries [from, from + slots.length) of run {@code run}, token 0 in each. */
    private static RunAppend append(long run, int from, int... slots) {
        return new RunAppend(run, from, slots, new int[slots.length]);
    }

    /** A sequence over the chain {@code runs} seeing {@code end} entries of the last, its last {@code rows} new. */
    private static SequenceStep sequence(long[] runs, int end, int rows) {
        int[] positions = new int[rows];
        for (int r = 0; r < rows; r++) positions[r] = end - rows + r;
        return new SequenceStep(runs, end, positions, Readout.logitsOnly());
    }

    private static Batch batch(List<RunAppend> appends, List<SequenceStep> sequences, long... forget) {
        return new Batch(appends, sequences, forget, new long[0]);
    }

    /** Step 1 of several tests: run 1 holds slots 0, 1 (its sequence steps both), kept. */
    private void runOneHoldsSlotsZeroAndOne() {
        backend.step(batch(List.of(append(1, 0, 0, 1)), List.of(sequence(new long[] {1}, 2, 2))));
    }

    private static void assertRefused(Executable call, String... fragments) {
        var e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message \"" + e.getMessage() + "\" lacks \"" + f + "\"");
    }

    @Test
    void unknownRunIsRefused() {
        assertRefused(() -> backend.step(batch(List.of(), List.of(sequence(new long[] {42}, 1, 1)))),
                "sequence 0", "run 42 is not held by this backend");
        runOneHoldsSlotsZeroAndOne();
        assertRefused(() -> backend.step(batch(List.of(append(2, 0, 2)), List.of(sequence(new long[] {7, 2}, 1, 1)))),
                "sequence 0", "run 7 is not held by this backend");
    }

    @Test
    void appendNotAtTheRunsLengthIsRefusedAndAppliesNothing() {
        runOneHoldsSlotsZeroAndOne();
        assertRefused(() -> backend.step(batch(List.of(append(1, 0, 2)), List.of(sequence(new long[] {1}, 3, 1)))),
                "append to run 1", "entries start at 0 but the run holds 2");
        assertRefused(() -> backend.step(batch(List.of(append(1, 3, 2)), List.of(sequence(new long[] {1}, 3, 1)))),
                "append to run 1", "entries start at 3 but the run holds 2");
        assertRefused(() -> backend.step(batch(List.of(append(5, 1, 2)), List.of(sequence(new long[] {5}, 1, 1)))),
                "append to run 5", "entries start at 1 but the run holds 0");
        // nothing of the refused batches was applied: run 1 still holds 2 entries and slot 2 is free
        backend.step(batch(List.of(append(1, 2, 2)), List.of(sequence(new long[] {1}, 3, 1))));
    }

    @Test
    void appendingToASealedRunOrSteppingInItIsRefused() {
        runOneHoldsSlotsZeroAndOne();
        backend.step(batch(List.of(append(2, 0, 2)), List.of(sequence(new long[] {1, 2}, 1, 1)))); // run 1 is read whole: sealed
        assertRefused(() -> backend.step(batch(List.of(append(1, 2, 3)), List.of(sequence(new long[] {1}, 3, 1)))),
                "append to run 1", "the run is sealed");
        assertRefused(() -> backend.step(batch(List.of(), List.of(sequence(new long[] {1}, 2, 1)))),
                "sequence 0", "run 1 is sealed", "no rows step in it");
    }

    @Test
    void slotOutOfRangeIsRefused() {
        assertRefused(() -> backend.step(batch(List.of(append(1, 0, 0, 8)), List.of(sequence(new long[] {1}, 2, 1)))),
                "append to run 1, entry 1", "slot 8 outside [0, 8)");
        assertRefused(() -> backend.step(batch(List.of(append(1, 0, -1)), List.of(sequence(new long[] {1}, 1, 1)))),
                "append to run 1, entry 0", "slot -1");
    }

    @Test
    void tokenOutsideTheVocabularyIsRefused() {
        RunAppend bad = new RunAppend(1, 0, new int[] {0, 1}, new int[] {5, TinyQwen2.VOCAB});
        assertRefused(() -> backend.step(batch(List.of(bad), List.of(sequence(new long[] {1}, 2, 2)))),
                "append to run 1, entry 1", "token id 97", "[0, 97)");
        assertRefused(() -> backend.step(batch(List.of(append(1, 0, 0)),
                List.of(new SequenceStep(new long[] {1}, 1, new int[] {0}, Readout.of(Pick.given(TinyQwen2.VOCAB)))))),
                "sequence 0", "given token 97 outside the vocabulary");
        assertRefused(() -> backend.step(batch(List.of(append(2, 0, 1)),
                List.of(new SequenceStep(new long[] {2}, 1, new int[] {0}, new Readout(false, Pick.none(), new int[] {200}, 0, false))))),
                "sequence 0", "score id 200");
    }

    @Test
    void slotWrittenTwiceInOneStepIsRefused() {
        backend.step(batch(List.of(append(1, 0, 0)), List.of(sequence(new long[] {1}, 1, 1))));
        // two sequences stepping the same entry of run 2 would both write slot 1
        assertRefused(() -> backend.step(batch(List.of(append(2, 0, 1)),
                        List.of(sequence(new long[] {2}, 1, 1), sequence(new long[] {2}, 1, 1)))),
                "sequence 1 row 0", "slot 1 is written twice in one step");
    }

    @Test
    void writtenSlotAnotherRunHoldsIsRefused() {
        runOneHoldsSlotsZeroAndOne();
        assertRefused(() -> backend.step(batch(List.of(append(2, 0, 1)), List.of(sequence(new long[] {2}, 1, 1)))),
                "sequence 0 row 0", "slot 1 is written but 1 other run entry holds it");
        // one step's two runs holding the same slot
        assertRefused(() -> backend.step(batch(List.of(append(3, 0, 4), append(4, 0, 4)),
                        List.of(sequence(new long[] {3}, 1, 1)))),
                "sequence 0 row 0", "slot 4 is written but 1 other run entry holds it");
        // a refused sequence leaves its batch's appends applied (RunTable's rule): run 2 holds slot 1
        // too; once runs 1 and 2 are forgotten, slot 1 is free again
        backend.step(batch(List.of(append(5, 0, 1)), List.of(sequence(new long[] {5}, 1, 1)), 1, 2));
    }

    @Test
    void forgetOfAnUnknownRunIsRefused() {
        assertRefused(() -> backend.step(batch(List.of(append(1, 0, 0)), List.of(sequence(new long[] {1}, 1, 1)), 99)),
                "forget: run 99 is not held by this backend");
        runOneHoldsSlotsZeroAndOne();
        assertRefused(() -> backend.step(batch(List.of(append(2, 0, 2)), List.of(sequence(new long[] {2}, 1, 1)), 1, 1)),
                "forget: run 1 is listed twice");
        assertRefused(() -> backend.step(new Batch(List.of(append(3, 0, 3)), List.of(sequence(new long[] {3}, 1, 1)),
                new long[0], new long[] {77})), "forgetAfter: run 77 is not held by this backend");
    }

    @Test
    void negativePositionAndARuleThatAllowsNoIdAreRefused() {
        assertRefused(() -> backend.step(batch(List.of(append(1, 0, 0)),
                List.of(new SequenceStep(new long[] {1}, 1, new int[] {-3}, Readout.nothing())))), "sequence 0 row 0", "negative position -3");
        TokenRule allBanned = new TokenRule(0.7, 0, 1, 0, 1, 2, new int[] {0, 1});
        assertRefused(() -> backend.step(batch(List.of(append(2, 0, 1)),
                        List.of(new SequenceStep(new long[] {2}, 1, new int[] {0}, Readout.of(Pick.chosen(allBanned, 0.5)))))),
                "sequence 0", "no id may be chosen");
    }

    @Test
    void mismatchedLengthsAndEmptyStepsAreRefused() {
        assertRefused(() -> new RunAppend(1, 0, new int[2], new int[1]), "run 1: 2 slots for 1 tokens");
        assertRefused(() -> new RunAppend(1, -1, new int[1], new int[1]), "run 1: entries appended from -1");
        assertRefused(() -> new SequenceStep(new long[0], 1, new int[1], Readout.nothing()), "at least one run");
        assertRefused(() -> new SequenceStep(new long[] {1}, 1, new int[0], Readout.nothing()), "at least one new row");
        assertRefused(() -> new SequenceStep(new long[] {1}, 1, new int[2], Readout.nothing()), "2 new rows but the last run ends at entry 1");
        assertEquals(0, backend.step(batch(List.of(), List.of())).perSequence().size(), "a batch of forgets alone computes nothing");
        assertRefused(() -> Batch.builder().sequence(new int[2], new int[1], new int[1], new int[1], new int[1], Readout.nothing()),
                "2 context slots but 1 context tokens");
        assertRefused(() -> backend.step(batch(List.of(append(1, 0, 0), append(1, 1, 1)), List.of(sequence(new long[] {1}, 2, 1)))),
                "append to run 1", "a run is appended once per batch");
    }

    @Test
    void singlePassRefusesBadInputWithTheTokenIndex() throws Exception {
        try (Qwen2 model = TinyQwen2.open(store, SHAPE)) {
            assertRefused(() -> model.forward(new int[] {1, 2}, new int[] {0}, AttentionMask.causal()), "1 positions for 2 tokens");
            assertRefused(() -> model.forward(new int[] {1, 200}, new int[] {0, 1}, AttentionMask.causal()), "token 1", "token id 200");
            assertRefused(() -> model.forward(new int[] {1, 2}, new int[] {0, 1}, (q, k) -> k < q), "token 0 does not see itself");
        }
    }

    @Test
    void aValidStepStillWorksAfterRefusals() {
        assertRefused(() -> backend.step(batch(List.of(append(1, 0, 9)), List.of(sequence(new long[] {1}, 1, 1)))), "slot 9");
        var result = backend.step(Batch.builder().sequence(new int[0], new int[] {4, 5}, new int[] {0, 1}, new int[] {5, 6},
                Readout.logitsOnly()).build());
        assertEquals(2, result.logits(0).length);
        assertEquals(TinyQwen2.VOCAB, result.lastLogits(0).length);
    }

    @Test
    void missingOrMisshapenTensorIsNamed(@TempDir Path dir) throws Exception {
        var config = TinyQwen2.config(SHAPE);
        new SafeTensorsWriter().add("model.embed_tokens.weight", DType.F32, new long[] {TinyQwen2.VOCAB, 40}, new float[TinyQwen2.VOCAB * 40])
                .write(dir.resolve("model.safetensors"));
        try (WeightStore partial = WeightStore.open(dir)) {
            var e = assertThrows(WeightsFormatException.class, () -> Qwen2Weights.from(partial, config));
            assertTrue(e.getMessage().contains("model.layers.0.input_layernorm.weight"), e.getMessage());
        }
        Path other = Files.createDirectory(dir.resolve("other"));
        new SafeTensorsWriter().add("model.layers.0.input_layernorm.weight", DType.F32, new long[] {39}, new float[39])
                .write(other.resolve("model.safetensors"));
        try (WeightStore wrong = WeightStore.open(other)) {
            var e = assertThrows(WeightsFormatException.class, () -> Qwen2Weights.from(wrong, config));
            assertTrue(e.getMessage().contains("model.layers.0.input_layernorm.weight") && e.getMessage().contains("[39]")
                    && e.getMessage().contains("[40]"), e.getMessage());
        }
    }
}
