package dev.multiverse.conformance.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.conformance.kit.KitJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A greedy engine vector of the kit, as the checker reads it back from {@code engine/NAME.json}.
 *
 * @param name              the case
 * @param model             the kit model it runs on
 * @param prompt            the prompt's token ids
 * @param maxTokens         the critical-path budget
 * @param maxTotalTokens    the budget over all paths
 * @param maxPathsPerBlock  the paths cap
 * @param tokens            the expected generated ids, final order
 * @param logprobs          their expected log-probs
 * @param positions         their expected positions
 * @param pathKeys          the key of the sequence that wrote each
 * @param finishReason      the engine's expected finish reason ({@code eos}, {@code max_tokens}, ...)
 * @param endReasons        expected end reason of every sequence, by path key
 */
public record EngineVector(String name, String model, int[] prompt, int maxTokens, int maxTotalTokens, int maxPathsPerBlock,
                           int[] tokens, double[] logprobs, int[] positions, String[] pathKeys, String finishReason,
                           Map<String, String> endReasons) {

    public static EngineVector read(Path file) throws IOException {
        JsonNode v = KitJson.read(file);
        JsonNode req = v.path("request"), exp = v.path("expected");
        if (!req.isObject() || !exp.isObject()) throw new IOException(file + ": not an engine vector (no request/expected)");
        Map<String, String> ends = new LinkedHashMap<>();
        for (JsonNode s : exp.path("sequences")) ends.put(s.get("key").asText(), s.path("end_reason").asText(null));
        String[] keys = new String[exp.get("path_keys").size()];
        for (int i = 0; i < keys.length; i++) keys[i] = exp.get("path_keys").get(i).asText();
        return new EngineVector(v.get("name").asText(), v.get("model").asText(), KitJson.toInts(req.get("prompt")),
                req.get("max_tokens").asInt(), req.get("max_total_tokens").asInt(), req.get("max_paths_per_block").asInt(),
                KitJson.toInts(exp.get("tokens")), KitJson.toDoubles(exp.get("logprobs")), KitJson.toInts(exp.get("positions")),
                keys, exp.get("finish_reason").asText(), ends);
    }

    /** The expected positions of each sequence's own generated tokens, in order, by path key. */
    public Map<String, List<Integer>> positionsByKey() {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < pathKeys.length; i++) out.computeIfAbsent(pathKeys[i], k -> new ArrayList<>()).add(positions[i]);
        return out;
    }

    /** OpenAI's finish reason for the engine's: {@code stop} for EOS or a stop string, {@code length} for a budget. */
    public String openAiFinishReason() {
        return switch (finishReason) {
            case "eos", "stop_string" -> "stop";
            default -> "length";
        };
    }
}
