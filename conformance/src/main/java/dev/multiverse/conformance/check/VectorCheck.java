package dev.multiverse.conformance.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Compares a server's completion with an engine vector, in this order, and reports the first
 * difference: the generated token ids (exactly, final order), their log-probs (within the
 * tolerance), the finish reason (the engine's when the server sends it, else OpenAI's), and, when
 * the server sends a trace, every sequence's path key and end reason and the positions of its
 * generated tokens.
 */
public final class VectorCheck {
    private VectorCheck() {}

    /** {@code tokenText} names a token for the report ({@code id 42 "+"}). */
    public static CaseResult compare(EngineVector v, Completion c, double tolerance, IntFunction<String> tokenText) {
        int[] want = v.tokens(), got = c.tokenIds();
        int common = Math.min(want.length, got.length);
        double worst = Double.NaN;
        for (int i = 0; i < common && i < c.tokenLogprobs().length; i++) {
            if (want[i] != got[i]) break;
            double d = Math.abs(v.logprobs()[i] - c.tokenLogprobs()[i]);
            worst = Double.isNaN(worst) ? d : Math.max(worst, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
        }
        String diff = firstDifference(v, c, tolerance, tokenText);
        return new CaseResult(v.name(), diff.isEmpty(), got.length, worst, diff);
    }

    private static String firstDifference(EngineVector v, Completion c, double tolerance, IntFunction<String> text) {
        int[] want = v.tokens(), got = c.tokenIds();
        for (int i = 0; i < Math.min(want.length, got.length); i++) {
            if (want[i] != got[i])
                return "generated token " + i + ": expected " + text.apply(want[i]) + ", got " + text.apply(got[i]);
        }
        if (want.length != got.length)
            return want.length > got.length
                    ? "the server stopped after " + got.length + " tokens; expected " + want.length + ", next " + text.apply(want[got.length])
                    : "the server generated " + got.length + " tokens; expected " + want.length + ", extra " + text.apply(got[want.length]);
        if (c.tokenLogprobs().length != want.length)
            return "the server returned " + c.tokenLogprobs().length + " log-probs for " + want.length + " tokens";
        for (int i = 0; i < want.length; i++) {
            double e = v.logprobs()[i], s = c.tokenLogprobs()[i];
            if (!(Math.abs(e - s) <= tolerance))
                return "log-prob of generated token " + i + " (" + text.apply(want[i]) + "): expected " + e + ", got " + s
                        + " (tolerance " + tolerance + ")";
        }
        if (c.engineFinishReason() != null && !c.engineFinishReason().equals(v.finishReason()))
            return "finish reason: expected " + v.finishReason() + ", got " + c.engineFinishReason();
        if (c.engineFinishReason() == null && !v.openAiFinishReason().equals(c.finishReason()))
            return "finish_reason: expected " + v.openAiFinishReason() + ", got " + c.finishReason();
        return c.trace() == null ? "" : traceDifference(v, c.trace());
    }

    /** The first difference between the vector's sequences and a served trace: end reasons, then positions. */
    private static String traceDifference(EngineVector v, JsonNode trace) {
        Map<String, String> ends = new LinkedHashMap<>();
        collectEnds(trace, ends);
        if (!ends.equals(v.endReasons()))
            return "sequences (path key = end reason): expected " + v.endReasons() + ", got " + ends;
        Map<String, List<Integer>> served = new LinkedHashMap<>();
        collectPositions(trace, v.prompt().length, served);
        Map<String, List<Integer>> expected = v.positionsByKey();
        var keys = new LinkedHashSet<>(expected.keySet());
        keys.addAll(served.keySet());
        for (String key : keys) {
            List<Integer> want = expected.getOrDefault(key, List.of()), got = served.getOrDefault(key, List.of());
            for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
                Integer w = i < want.size() ? want.get(i) : null, g = i < got.size() ? got.get(i) : null;
                if (!Objects.equals(w, g))
                    return "position of generated token " + i + " of sequence \"" + key + "\": expected " + w + ", got " + g;
            }
        }
        return "";
    }

    /** The positions of each traced sequence's own generated tokens (the root's prompt left out), by key. */
    private static void collectPositions(JsonNode node, int prompt, Map<String, List<Integer>> out) {
        if (node.isObject() && node.has("key") && node.path("positions").isArray()) {
            String key = node.get("key").asText();
            List<Integer> list = new ArrayList<>();
            JsonNode p = node.get("positions");
            for (int i = key.isEmpty() ? prompt : 0; i < p.size(); i++) list.add(p.get(i).asInt());
            out.put(key, list);
        }
        for (JsonNode child : node) if (child.isContainerNode()) collectPositions(child, prompt, out);
    }

    /** Every object in the trace with a {@code key} and an {@code end_reason}: one per sequence. */
    private static void collectEnds(JsonNode node, Map<String, String> out) {
        if (node.isObject() && node.has("key") && node.has("end_reason"))
            out.put(node.get("key").asText(), node.get("end_reason").isNull() ? null : node.get("end_reason").asText());
        for (JsonNode child : node) if (child.isContainerNode()) collectEnds(child, out);
    }
}
