package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.reference.CpuBackend;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine against an outside oracle: Hugging Face transformers' log-probs of tagged texts under
 * the canonical layout, on tiny random Qwen2 checkpoints (conformance/src/test/resources/hf-goldens).
 * Each golden text is replayed through the engine (the chat prompt prefilled, then forks and joins
 * at its tags, every sequence advancing one token per step), and every generated token's log-prob
 * must match within 1e-4.
 */
class HfGoldenReplayTest {
    static final Path GOLDENS = Path.of("../conformance/src/test/resources/hf-goldens");

    static Stream<Path> models() throws Exception {
        assertTrue(Files.isDirectory(GOLDENS), "the HF goldens are missing at " + GOLDENS.toAbsolutePath());
        return Files.list(GOLDENS).filter(Files::isDirectory).sorted();
    }

    @ParameterizedTest
    @MethodSource("models")
    void replayMatchesTransformers(Path dir) throws Exception {
        JsonNode goldens = new ObjectMapper().readTree(dir.resolve("goldens.json").toFile());
        ModelConfig config = ModelConfig.load(dir.resolve("config.json"));
        Tokenizer tokenizer = Tokenizer.load(dir.resolve("tokenizer.json"));
        var vocabulary = new TokenizerVocabulary(tokenizer, config.eosTokenIds());
        try (var store = WeightStore.open(dir);
             var backend = new CpuBackend(new Qwen2(Qwen2Weights.from(store, config), 1), 4096, null)) {
            int cases = 0;
            for (JsonNode c : goldens.get("cases")) {
                int[] tokens = ints(c.get("tokens"));
                var engine = new Engine(backend, vocabulary, EngineConfig.defaults());
                GenerationResult r = engine.generate(Replay.request(tokens, vocabulary));
                int prompt = r.promptLength();
                assertTrue(tokenizer.decode(java.util.Arrays.copyOf(tokens, prompt)).endsWith("<|im_start|>assistant\n"));
                String name = dir.getFileName() + "/" + c.get("name").asText();
                int n = tokens.length;
                // The text ends with <|im_end|>: the engine ends the root there without keeping it.
                assertEquals(EndReason.EOS, r.finishReason(), name);
                assertArrayEquals(java.util.Arrays.copyOf(tokens, n - 1), r.tokens(), name);
                int[] positions = ints(c.get("positions"));
                assertArrayEquals(java.util.Arrays.copyOf(positions, n - 1), r.positions(), name + " positions");
                JsonNode logprobs = c.get("logprobs");
                double worst = 0;
                for (int j = prompt; j < n - 1; j++) {
                    double expected = logprobs.get(j).asDouble();
                    worst = Math.max(worst, Math.abs(expected - r.logprobs()[j]));
                    assertEquals(expected, r.logprobs()[j], 1e-4, name + " log-prob of token " + j);
                }
                assertTrue(worst < 1e-4);
                assertEquals(0, engine.pool().usedSlots());
                cases++;
            }
            assertTrue(cases >= 5, "cases replayed: " + cases);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
