package dev.multiverse.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.AttentionMask;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.SafeTensorsWriter;
import dev.multiverse.weights.WeightStore;
import dev.multiverse.weights.WeightsFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A malformed batch, mask or checkpoint is refused with a message that names what and where. */
class CpuBackendValidationTest {

    private static final TinyQwen2.Shape SHAPE = new TinyQwen2.Shape(4, 2, true, DType.F32);

    @TempDir static Path models;
    private static WeightStore store;
    private static CpuBackend backend;

    @BeforeAll
    static void open() throws Exception {
        store = WeightStore.open(TinyQwen2.write(models, SHAPE, 3));
        backend = new CpuBackend(TinyQwen2.open(store, SHAPE), 8, store);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static SequenceStep step(int[] writeSlots, int[] context) {
        return new SequenceStep(new int[writeSlots.length], new int[writeSlots.length], writeSlots, context, false);
    }

    private static void assertRefused(Executable call, String... fragments) {
        var e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message \"" + e.getMessage() + "\" lacks \"" + f + "\"");
    }

    @Test
    void slotOutsideTheCacheIsRefused() {
        assertRefused(() -> backend.step(Batch.of(step(new int[] {8}, new int[0]))), "sequence 0 row 0", "slot 8", "[0, 8)");
        assertRefused(() -> backend.step(Batch.of(step(new int[] {-1}, new int[0]))), "slot -1");
        assertRefused(() -> backend.step(Batch.of(step(new int[] {0}, new int[] {1, 9}))), "contextSlots[1]", "slot 9");
    }

    @Test
    void slotWrittenTwiceInOneStepIsRefused() {
        assertRefused(() -> backend.step(Batch.of(step(new int[] {2, 2}, new int[0]))), "slot 2 is written twice");
        assertRefused(() -> backend.step(Batch.of(step(new int[] {1}, new int[0]), step(new int[] {1}, new int[0]))),
                "sequence 1 row 0", "slot 1 is written twice");
    }

    @Test
    void slotWrittenAndReadAsContextInOneStepIsRefused() {
        assertRefused(() -> backend.step(Batch.of(step(new int[] {3}, new int[0]), step(new int[] {4}, new int[] {3}))),
                "sequence 1 contextSlots[0]", "slot 3 is written in this same step");
    }

    @Test
    void tokenOutsideTheVocabularyAndNegativePositionAreRefused() {
        assertRefused(() -> backend.step(Batch.of(new SequenceStep(new int[] {TinyQwen2.VOCAB}, new int[] {0}, new int[] {0}, new int[0], false))),
                "token id 97", "[0, 97)");
        assertRefused(() -> backend.step(Batch.of(new SequenceStep(new int[] {1}, new int[] {-3}, new int[] {0}, new int[0], false))),
                "negative position -3");
    }

    @Test
    void mismatchedLengthsAndEmptyStepsAreRefused() {
        assertRefused(() -> new SequenceStep(new int[2], new int[1], new int[2], new int[0], false), "positions has 1 entries for 2 tokens");
        assertRefused(() -> new SequenceStep(new int[2], new int[2], new int[3], new int[0], false), "writeSlots has 3 entries for 2 tokens");
        assertRefused(() -> new SequenceStep(new int[0], new int[0], new int[0], new int[0], false), "at least one token");
        assertRefused(() -> backend.step(new Batch(List.of())), "empty batch");
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
        var result = backend.step(Batch.of(step(new int[] {5, 6}, new int[0])));
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
