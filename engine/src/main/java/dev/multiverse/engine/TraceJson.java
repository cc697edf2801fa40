package dev.multiverse.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A finished request as JSON: {@code finish_reason}, {@code text}, the merged {@code tokens} with
 * their {@code positions}, {@code logprobs} (null for prompt tokens) and {@code paths} (the key of
 * the sequence that wrote each token), the {@code trace} tree and the {@code stats}. Field names
 * are snake_case.
 */
public final class TraceJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private TraceJson() {}

    public static ObjectNode of(GenerationResult r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("request_id", r.requestId());
        root.put("finish_reason", r.finishReason().label());
        root.put("text", r.text());
        root.put("prompt_tokens", r.promptLength());
        ArrayNode tokens = root.putArray("tokens");
        for (int t : r.tokens()) tokens.add(t);
        ArrayNode positions = root.putArray("positions");
        for (int p : r.positions()) positions.add(p);
        root.set("logprobs", logprobs(r.logprobs()));
        ArrayNode keys = root.putArray("paths");
        for (String k : r.pathKeys()) keys.add(k);
        root.set("trace", JSON.valueToTree(r.trace().root()));
        root.set("stats", JSON.valueToTree(r.stats()));
        return root;
    }

    /** Log-probs as a JSON array, NaN (nothing predicts the token) as null. */
    public static ArrayNode logprobs(double[] values) {
        ArrayNode out = JSON.createArrayNode();
        for (double v : values) {
            if (Double.isNaN(v)) out.addNull();
            else out.add(v);
        }
        return out;
    }

    /** Compact JSON text of {@code node}. */
    public static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
