package dev.multiverse.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.contract.LogProbs;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.layout.Layout;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The kit's {@code model/} vectors: for one tiny model (already copied into {@code dir}), every
 * golden text with its tokens, canonical positions, predecessors and the per-token log-probs of
 * one forward pass of the reference under the layout. The export fails unless those log-probs
 * agree with Hugging Face transformers' (the goldens) within {@link #HF_TOLERANCE}.
 */
final class ModelVectors {
    /** Largest |reference - transformers| accepted for a log-prob (the goldens are float64, ours float32). */
    static final double HF_TOLERANCE = 1e-3;

    private ModelVectors() {}

    static ObjectNode build(String name, Path dir, int threads) throws Exception {
        JsonNode goldens = KitModels.goldens(name);
        Tokenizer tokenizer = Tokenizer.load(dir.resolve("tokenizer.json"));
        ModelConfig config = ModelConfig.load(dir.resolve("config.json"));
        ObjectNode root = KitJson.object();
        root.put("model", name);
        root.put("hf_tolerance", HF_TOLERANCE);
        root.put("hf_generator", goldens.get("generator").asText() + " (transformers " + goldens.get("transformers").asText()
                + ", torch " + goldens.get("torch").asText() + ", eager attention, float64)");
        ArrayNode cases = root.putArray("cases");
        try (WeightStore store = WeightStore.open(dir); Qwen2 model = new Qwen2(Qwen2Weights.from(store, config), threads)) {
            for (JsonNode golden : goldens.get("cases")) cases.add(caseOf(name, golden, tokenizer, model));
        }
        return root;
    }

    private static ObjectNode caseOf(String model, JsonNode golden, Tokenizer tokenizer, Qwen2 qwen) {
        String where = model + "/" + golden.get("name").asText();
        String text = golden.get("text").asText();
        int[] tokens = tokenizer.encode(text);
        if (!Arrays.equals(tokens, KitJson.toInts(golden.get("tokens"))))
            throw new IllegalStateException(where + ": our tokenizer disagrees with the golden's token ids");
        Layout layout = Layout.of(tokens, tokenizer.tags());
        if (!Arrays.equals(layout.positions(), KitJson.toInts(golden.get("positions"))))
            throw new IllegalStateException(where + ": our layout disagrees with the golden's positions");
        LogProbs.TokenScores scores = LogProbs.score(qwen::forward, tokens, layout.positions(), layout::sees);
        double[] hf = KitJson.toDoubles(golden.get("logprobs"));
        double worst = 0;
        for (int j = 0; j < tokens.length; j++) {
            if (Double.isNaN(hf[j]) != Double.isNaN(scores.logProbs()[j]))
                throw new IllegalStateException(where + ": token " + j + " has a log-prob on one side only");
            if (Double.isNaN(hf[j])) continue;
            double d = Math.abs(hf[j] - scores.logProbs()[j]);
            if (!(d <= HF_TOLERANCE))
                throw new IllegalStateException(where + ": log-prob of token " + j + " is " + scores.logProbs()[j]
                        + ", transformers gives " + hf[j] + " (tolerance " + HF_TOLERANCE + ")");
            worst = Math.max(worst, d);
        }
        ObjectNode c = KitJson.object();
        c.put("name", golden.get("name").asText()).put("text", text);
        c.set("tokens", KitJson.ints(tokens));
        c.set("positions", KitJson.ints(layout.positions()));
        c.set("predecessors", KitJson.ints(layout.predecessors()));
        c.set("logprobs", KitJson.logprobs(scores.logProbs()));
        c.set("argmax", KitJson.ints(scores.argmax()));
        c.set("hf_logprobs", KitJson.logprobs(hf));
        c.put("max_abs_diff_vs_hf", worst);
        return c;
    }
}
