package dev.multiverse.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multiverse.contract.LogProbs;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.layout.Layout;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference transformer and the layout against Hugging Face: for every tiny random Qwen2 in
 * {@code src/test/resources/hf-goldens} (tied and untied, 4/2, 4/4, 8/1 and 2/1 heads, F32 and
 * BF16, single-file and sharded; made by {@code python/hf_goldens.py} with transformers' eager
 * attention in float64) and every text (no tags, one block, nesting to depth 3, six paths, two
 * blocks):
 *
 * <ul>
 *   <li>our tokenizer gives Hugging Face's ids, and our layout gives the positions (and the
 *       predecessors) of an independent Python implementation of the spec;
 *   <li>the single pass under the layout gives HF's log-probs within 1e-3, its top-k logits within
 *       2e-3, and its argmax wherever HF's top two logits are not a near-tie;
 *   <li>the layout matters: under plain causal attention the same model gives HF's causal
 *       log-probs instead, which differ from the layout's by far more than the tolerance.
 * </ul>
 */
class HfGoldenScoreTest {
    static final Path GOLDENS = Path.of("src/test/resources/hf-goldens");
    static final double LOGPROB_TOLERANCE = 1e-3;
    static final double LOGIT_TOLERANCE = 2e-3;
    static final double NEAR_TIE = 1e-3;

    record Case(Path modelDir, JsonNode golden) {
        @Override
        public String toString() {
            return modelDir.getFileName() + "/" + golden.get("name").asText();
        }
    }

    static Stream<Case> cases() throws Exception {
        assertTrue(Files.isDirectory(GOLDENS), "the HF goldens are missing at " + GOLDENS.toAbsolutePath());
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(GOLDENS)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                for (JsonNode c : new ObjectMapper().readTree(dir.resolve("goldens.json").toFile()).get("cases"))
                    cases.add(new Case(dir, c));
            }
        }
        assertEquals(20, cases.size(), "4 models x 5 texts");
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceAgreesWithTransformers(Case c) throws Exception {
        JsonNode g = c.golden();
        Tokenizer tokenizer = Tokenizer.load(c.modelDir().resolve("tokenizer.json"));
        int[] tokens = ints(g.get("tokens"));
        assertArrayEquals(tokens, tokenizer.encode(g.get("text").asText()), "token ids differ from HF tokenizers");

        Layout layout = Layout.of(tokens, tokenizer.tags());
        assertArrayEquals(ints(g.get("positions")), layout.positions(), "positions differ from the Python layout");
        assertArrayEquals(ints(g.get("predecessors")), layout.predecessors(), "visibility differs from the Python layout");

        ModelConfig config = ModelConfig.load(c.modelDir().resolve("config.json"));
        try (WeightStore store = WeightStore.open(c.modelDir());
                Qwen2 model = new Qwen2(Qwen2Weights.from(store, config), 2)) {
            float[][] logits = model.forward(tokens, layout.positions(), layout::sees);
            LogProbs.TokenScores scores = LogProbs.score(model::forward, tokens, layout.positions(), layout::sees);
            double worst = assertLogProbs(g.get("logprobs"), scores.logProbs(), "layout");
            assertTopK(g, logits, scores.argmax());

            int[] causalPositions = IntStream.range(0, tokens.length).toArray();
            double[] causal = LogProbs.score(model::forward, tokens, causalPositions, (i, j) -> j <= i).logProbs();
            assertLogProbs(g.get("causal_logprobs"), causal, "causal");
            if (layout.blocks().isEmpty()) {
                // Same computation twice; not bit-identical because the Vector API's reduceLanes(ADD)
                // may sum in another order once the JIT replaces its fallback with the intrinsic.
                assertEquals(0.0, maxDifference(scores.logProbs(), causal), 1e-5, "no tags: layout is plain causal");
            } else {
                assertTrue(maxDifference(scores.logProbs(), causal) > 0.5,
                        "the layout should change the log-probs of a tagged text by far more than the tolerance");
            }
            System.out.printf("%s: %d tokens, max |dlogp| vs HF %.2e%n", c, tokens.length, worst);
        }
    }

    /** Every log-prob within the tolerance (null in the golden = NaN here); returns the largest difference. */
    static double assertLogProbs(JsonNode expected, double[] actual, String what) {
        assertEquals(expected.size(), actual.length);
        double worst = 0;
        for (int j = 0; j < actual.length; j++) {
            if (expected.get(j).isNull()) {
                assertTrue(Double.isNaN(actual[j]), what + " token " + j + " should have no log-prob");
                continue;
            }
            double d = Math.abs(expected.get(j).asDouble() - actual[j]);
            assertTrue(d <= LOGPROB_TOLERANCE,
                    what + " token " + j + ": HF " + expected.get(j).asDouble() + ", ours " + actual[j]);
            worst = Math.max(worst, d);
        }
        return worst;
    }

    /** HF's top-k logits at HF's top-k ids, and the same argmax unless HF's top two are a near-tie. */
    static void assertTopK(JsonNode g, float[][] logits, int[] argmax) {
        JsonNode ids = g.get("topk_ids"), values = g.get("topk_logits");
        int nearTies = 0;
        for (int i = 0; i < logits.length; i++) {
            for (int k = 0; k < ids.get(i).size(); k++) {
                double expected = values.get(i).get(k).asDouble();
                double actual = logits[i][ids.get(i).get(k).asInt()];
                assertEquals(expected, actual, LOGIT_TOLERANCE, "row " + i + ", top-" + (k + 1) + " logit");
            }
            boolean nearTie = values.get(i).get(0).asDouble() - values.get(i).get(1).asDouble() < NEAR_TIE;
            if (nearTie) nearTies++;
            else assertEquals(g.get("argmax").get(i).asInt(), argmax[i], "argmax of row " + i);
        }
        assertTrue(nearTies < logits.length / 20, "too many near-ties for the argmax check to mean anything");
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).isNull() ? -1 : array.get(i).asInt();
        return out;
    }

    static double maxDifference(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) if (!Double.isNaN(a[i])) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        return worst;
    }
}
