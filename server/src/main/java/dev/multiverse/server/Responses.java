package dev.multiverse.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.engine.EndReason;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.Stats;
import dev.multiverse.engine.TraceJson;
import java.util.List;

/**
 * The JSON of an answer, whole or streamed, in OpenAI's shapes for the request's endpoint, with
 * the {@code multiverse} object added (docs/server.md).
 *
 * @param request what was asked
 * @param id the answer's id ({@code chatcmpl-N} or {@code cmpl-N})
 * @param created Unix seconds
 * @param model the served model id
 * @param logprobs how log-probs are written (null when none were asked for)
 */
record Responses(ApiRequest request, String id, long created, String model, LogprobsJson logprobs) {

    /** OpenAI's finish reason: the engine's budgets and deadline are "length", everything else "stop". */
    static String finishReason(EndReason reason) {
        return switch (reason) {
            case MAX_TOKENS, MAX_TOTAL_TOKENS, DEADLINE -> "length";
            default -> "stop";
        };
    }

    /**
     * The whole answer of a non-streaming request; {@code stepBatch} is the request's sequences
     * that sampled, per step (null without {@code multiverse.trace}).
     */
    ObjectNode complete(GenerationResult r, List<TopLogprobs.Alternatives> alternatives, int[] stepBatch) {
        ObjectNode root = envelope(request.endpoint().object);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (request.endpoint() == Endpoint.CHAT) choice.putObject("message").put("role", "assistant").put("content", r.text());
        else choice.put("text", r.text());
        if (logprobs == null) choice.putNull("logprobs");
        else choice.set("logprobs", logprobs.of(r, alternatives));
        choice.put("finish_reason", finishReason(r.finishReason()));
        root.set("usage", usage(r.stats()));
        root.set("multiverse", multiverse(r, alternatives, stepBatch));
        return root;
    }

    /** A streamed piece of the final-order text (the chat's first chunk also names the role). */
    ObjectNode chunk(String text, boolean first) {
        ObjectNode root = envelope(request.endpoint().chunkObject());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (request.endpoint() == Endpoint.CHAT) {
            ObjectNode delta = choice.putObject("delta");
            if (first) delta.put("role", "assistant");
            delta.put("content", text);
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return root;
    }

    /** The last chunk with a choice: empty text, the finish reason, usage and the multiverse object. */
    ObjectNode finalChunk(GenerationResult r, int[] stepBatch) {
        ObjectNode root = chunk("", false);
        ObjectNode choice = (ObjectNode) root.get("choices").get(0);
        if (request.endpoint() == Endpoint.CHAT) choice.set("delta", HttpReplies.JSON.createObjectNode());
        choice.put("finish_reason", finishReason(r.finishReason()));
        root.set("usage", usage(r.stats()));
        root.set("multiverse", multiverse(r, List.of(), stepBatch));
        return root;
    }

    /** {@code stream_options.include_usage}: no choices, just the usage. */
    ObjectNode usageChunk(GenerationResult r) {
        ObjectNode root = envelope(request.endpoint().chunkObject());
        root.putArray("choices");
        root.set("usage", usage(r.stats()));
        return root;
    }

    private ObjectNode envelope(String object) {
        return HttpReplies.JSON.createObjectNode().put("id", id).put("object", object).put("created", created)
                .put("model", model);
    }

    /** Completion tokens count every generated token on every path. */
    static ObjectNode usage(Stats s) {
        return HttpReplies.JSON.createObjectNode().put("prompt_tokens", s.promptTokens())
                .put("completion_tokens", s.totalTokens()).put("total_tokens", s.promptTokens() + s.totalTokens());
    }

    ObjectNode multiverse(GenerationResult r, List<TopLogprobs.Alternatives> alternatives, int[] stepBatch) {
        Stats s = r.stats();
        ObjectNode m = HttpReplies.JSON.createObjectNode();
        m.put("finish_reason", r.finishReason().label());
        m.put("critical_path", s.criticalPath());
        m.put("parallelism_ratio", s.parallelismRatio());
        m.put("generated_tokens", s.totalTokens());
        m.put("paths", s.paths());
        m.put("steps", s.steps());
        m.put("wall_ms", s.wallMs());
        ArrayNode ids = m.putArray("token_ids");
        for (int t : r.generatedTokens()) ids.add(t);
        if (request.topLogprobs() > 0 && !alternatives.isEmpty()) {
            ArrayNode top = m.putArray("top_logprobs");
            for (TopLogprobs.Alternatives a : alternatives) {
                ArrayNode pairs = top.addArray();
                for (int k = 0; k < a.ids().length; k++) pairs.addArray().add(a.ids()[k]).add(a.logprobs()[k]);
            }
        }
        if (request.trace()) {
            ObjectNode full = TraceJson.of(r);
            m.set("trace", full.get("trace"));
            m.set("stats", full.get("stats"));
            if (stepBatch != null) {
                ArrayNode batch = m.putArray("step_batch");
                for (int n : stepBatch) batch.add(n);
            }
        }
        return m;
    }
}
