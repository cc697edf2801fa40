package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.RunTable;
import dev.multiverse.contract.SequenceResult;
import dev.multiverse.contract.StepResult;
import dev.multiverse.layout.Layout;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The 26 Multiverse-32B traces (read in place from ../shared) replay through the engine: every
 * fork's inserted header, every closing newline and Conclusion opener agrees with the text's own
 * tokens, and the positions the engine gives equal the layout module's, computed from the text.
 * The model here is a stand-in (its logits are never read: the text chooses), and log-probs are
 * off, so the test measures the tree logic alone.
 */
class TracesReplayTest {

    /** Keeps the runs and answers every pick with its given token: enough for a replay with scoring off. */
    static final class NullBackend implements Backend {
        private final RunTable runs = new RunTable(1 << 16, 151_680);

        @Override
        public ModelConfig config() {
            return new ModelConfig(64, 64, 1, 1, 1, 64, 151_680, 1e-6f, 1e6, 1 << 20, true, DType.BF16,
                    OptionalInt.empty(), new int[] {151_645});
        }

        @Override
        public int slotCapacity() {
            return 1 << 16;
        }

        @Override
        public StepResult step(Batch batch) {
            runs.begin(batch);
            List<SequenceResult> out = new ArrayList<>();
            for (var s : batch.sequences()) {
                if (s.readout().rowLogprobs()) throw new AssertionError("scoring is off: no step needs row log-probs");
                if (s.readout().pick().kind() == Pick.Kind.CHOSEN) throw new AssertionError("a replay chooses nothing");
                out.add(new SequenceResult(new double[0], s.readout().pick().token(), 0, new double[s.readout().scoreIds().length],
                        new int[0], new double[0], null));
            }
            runs.end(batch);
            return new StepResult(out);
        }

        @Override
        public void close() {}
    }

    static Path shared(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) dir = dir.getParent();
        assertTrue(dir != null, "cannot find the repository root");
        Path p = dir.resolve("..").resolve("shared").resolve(relative).normalize();
        assertTrue(Files.exists(p), p + " is missing: this test needs ../shared beside the repository root");
        return p;
    }

    @Test
    void everyTraceReplaysAtTheLayoutsPositions() throws Exception {
        Tokenizer tokenizer = Tokenizer.load(shared("tokenizers/multiverse-qwen2.5/tokenizer.json"));
        var backend = new NullBackend();
        var vocabulary = new TokenizerVocabulary(tokenizer, backend.config().eosTokenIds());
        List<Path> traces;
        try (Stream<Path> files = Files.list(shared("multiverse-traces"))) {
            traces = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertEquals(26, traces.size(), "the traces folder holds 26 traces");
        int pathTag = vocabulary.tags().path();
        long totalSteps = 0, totalTokens = 0;
        for (Path trace : traces) {
            int[] tokens = tokenizer.encode(Files.readString(trace));
            var engine = new Engine(backend, vocabulary, EngineConfig.defaults().withMaxForkDepth(8).withScoreTokens(false));
            GenerationResult r = engine.generate(Replay.request(tokens, vocabulary));
            String name = trace.getFileName().toString();
            assertEquals(EndReason.END_OF_SCRIPT, r.finishReason(), name);
            assertArrayEquals(tokens, r.tokens(), name);
            assertArrayEquals(Layout.of(tokens, vocabulary.tags()).positions(), r.positions(), name + " positions");
            long paths = java.util.Arrays.stream(tokens).filter(t -> t == pathTag).count();
            assertEquals(paths, r.stats().paths(), name + ": every <Path> is a forked path");
            assertTrue(r.stats().steps() < tokens.length, name);
            assertEquals(0, engine.pool().usedSlots());
            totalSteps += r.stats().steps();
            totalTokens += tokens.length;
        }
        assertTrue(totalSteps < totalTokens);
    }
}
