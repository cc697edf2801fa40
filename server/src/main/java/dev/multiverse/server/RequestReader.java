package dev.multiverse.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.SamplingParams;
import dev.multiverse.tokenizer.Tokenizer;
import java.time.Duration;

/**
 * Turns a request body into an {@link ApiRequest}: every field the server honours is read with its
 * type and range checked, fields the engine cannot honour are refused, unknown fields are ignored
 * (as OpenAI does), and what is left out takes the server's defaults. Limits that depend on the
 * prompt (the model's context, the KV pool) are checked here too, so the engine never refuses a
 * request the server accepted.
 */
final class RequestReader {
    static final int MAX_TOP_LOGPROBS = 20;
    static final int MAX_STOP_STRINGS = 4;

    private final ServerConfig config;
    private final Prompts prompts;
    private final int contextLength;
    private final int kvSlots;

    RequestReader(ServerConfig config, Tokenizer tokenizer, int contextLength, int kvSlots) {
        this.config = config;
        this.prompts = new Prompts(tokenizer);
        this.contextLength = contextLength;
        this.kvSlots = kvSlots;
    }

    ApiRequest read(Endpoint endpoint, JsonNode body) {
        Fields f = Fields.of(body);
        refuseUnsupported(f, endpoint);
        String model = f.string("model", 256);
        if (model != null && !model.equals(config.modelId()))
            throw new ApiException(404, "invalid_request_error", "model", "model_not_found",
                    "the model '" + model + "' does not exist here; this server serves '" + config.modelId() + "'");
        Fields mv = f.object("multiverse");
        boolean instruction = flag(mv, "instruction", true);
        if (endpoint == Endpoint.COMPLETIONS && mv != null && mv.has("instruction"))
            throw ApiException.invalid("multiverse.instruction", "multiverse.instruction applies to chat only");
        int[] prompt = endpoint == Endpoint.CHAT ? prompts.chat(f, instruction) : prompts.completion(f);

        boolean stream = Boolean.TRUE.equals(f.bool("stream"));
        Fields streamOptions = f.object("stream_options");
        if (streamOptions != null && !stream)
            throw ApiException.invalid("stream_options", "stream_options is only allowed with stream: true");
        boolean includeUsage = streamOptions != null && Boolean.TRUE.equals(streamOptions.bool("include_usage"));
        int topLogprobs = logprobs(f, endpoint);
        if (topLogprobs >= 0 && stream)
            throw ApiException.invalid("logprobs", "logprobs are only returned by non-streaming requests here");
        boolean pathEvents = flag(mv, "path_events", false);
        if (pathEvents && !stream)
            throw ApiException.invalid("multiverse.path_events", "multiverse.path_events needs stream: true");

        return new ApiRequest(endpoint, prompt, sampling(f), budgets(f, mv, endpoint, prompt.length), stream,
                includeUsage, topLogprobs, pathEvents, flag(mv, "trace", false), f.string("user", 256));
    }

    private static boolean flag(Fields mv, String name, boolean absent) {
        Boolean b = mv == null ? null : mv.bool(name);
        return b == null ? absent : b;
    }

    /** Known OpenAI fields whose only values the engine can honour are their neutral ones. */
    private static void refuseUnsupported(Fields f, Endpoint endpoint) {
        f.onlyIf("n", "1", n -> n.isIntegralNumber() && n.longValue() == 1);
        f.onlyIf("best_of", "1", n -> n.isIntegralNumber() && n.longValue() == 1);
        f.onlyIf("echo", "false", n -> n.isBoolean() && !n.booleanValue());
        f.onlyIf("suffix", "an empty string", n -> n.isTextual() && n.textValue().isEmpty());
        f.onlyIf("presence_penalty", "0", n -> n.isNumber() && n.doubleValue() == 0);
        f.onlyIf("frequency_penalty", "0", n -> n.isNumber() && n.doubleValue() == 0);
        f.onlyIf("logit_bias", "an empty object", n -> n.isObject() && n.isEmpty());
        f.onlyIf("response_format", "{\"type\": \"text\"}", n -> "text".equals(n.path("type").asText()));
        f.onlyIf("tools", "an empty array", n -> n.isArray() && n.isEmpty());
        f.onlyIf("functions", "an empty array", n -> n.isArray() && n.isEmpty());
        f.onlyIf("tool_choice", "\"none\"", n -> "none".equals(n.asText()));
        f.onlyIf("function_call", "\"none\"", n -> "none".equals(n.asText()));
        f.onlyIf("modalities", "[\"text\"]", n -> n.isArray() && n.size() == 1 && "text".equals(n.get(0).asText()));
        if (endpoint == Endpoint.COMPLETIONS && f.has("messages"))
            throw ApiException.invalid("messages", "messages belongs to /v1/chat/completions; /v1/completions takes prompt");
        if (endpoint == Endpoint.CHAT && f.has("prompt"))
            throw ApiException.invalid("prompt", "prompt belongs to /v1/completions; /v1/chat/completions takes messages");
    }

    /** -1 for none, else the number of alternatives (completions: {@code logprobs: N}; chat: {@code top_logprobs}). */
    private static int logprobs(Fields f, Endpoint endpoint) {
        if (endpoint == Endpoint.COMPLETIONS) {
            Integer n = f.intIn("logprobs", 0, MAX_TOP_LOGPROBS);
            return n == null ? -1 : n;
        }
        Integer top = f.intIn("top_logprobs", 0, MAX_TOP_LOGPROBS);
        boolean on = Boolean.TRUE.equals(f.bool("logprobs"));
        if (top != null && !on) throw ApiException.invalid("top_logprobs", "top_logprobs needs logprobs: true");
        return on ? (top == null ? 0 : top) : -1;
    }

    private SamplingParams sampling(Fields f) {
        SamplingParams d = config.sampling();
        Double temperature = f.number("temperature", 0, false, 2);
        Double topP = f.number("top_p", 0, true, 1);
        Integer topK = f.intIn("top_k", 0, Integer.MAX_VALUE);
        Double minP = f.number("min_p", 0, false, Math.nextDown(1.0));
        Double repetition = f.number("repetition_penalty", 0, true, 100);
        Long seed = f.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        return new SamplingParams(temperature != null ? temperature : d.temperature(), topK != null ? topK : d.topK(),
                topP != null ? topP : d.topP(), minP != null ? minP : d.minP(),
                repetition != null ? repetition : d.repetitionPenalty(), f.strings("stop", MAX_STOP_STRINGS),
                seed != null ? seed : d.seed());
    }

    private Budgets budgets(Fields f, Fields mv, Endpoint endpoint, int promptLength) {
        Budgets server = config.budgets();
        int room = contextLength - promptLength;
        if (room < 1)
            throw ApiException.tooLong(endpoint == Endpoint.CHAT ? "messages" : "prompt", "the prompt has "
                    + promptLength + " tokens; this model's maximum context length is " + contextLength + " tokens");
        String maxName = endpoint == Endpoint.CHAT && f.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        Integer maxTokens = f.intIn(maxName, 1, Integer.MAX_VALUE);
        if (maxTokens == null) {
            maxTokens = Math.min(server.maxTokens(), room);
        } else if (maxTokens > server.maxTokens()) {
            throw ApiException.invalid(maxName, maxName + " is " + maxTokens + "; this server allows at most "
                    + server.maxTokens());
        } else if (maxTokens > room) {
            throw ApiException.tooLong(maxName, "this model's maximum context length is " + contextLength
                    + " tokens; the prompt has " + promptLength + " and " + maxName + " asks for " + maxTokens);
        }
        int slotsLeft = kvSlots - promptLength;
        Integer total = f.intIn("max_total_tokens", 1, Integer.MAX_VALUE);
        if (total == null) {
            total = (int) Math.min(Math.min(2L * maxTokens, server.maxTotalTokens()), slotsLeft);
            if (total < 1)
                throw ApiException.tooLong("prompt", "the prompt has " + promptLength + " tokens; the KV pool holds "
                        + kvSlots + " in all");
        } else if (total > server.maxTotalTokens()) {
            throw ApiException.invalid("max_total_tokens", "max_total_tokens is " + total + "; this server allows at most "
                    + server.maxTotalTokens());
        } else if (total > slotsLeft) {
            throw ApiException.tooLong("max_total_tokens", "the prompt (" + promptLength + " tokens) and max_total_tokens ("
                    + total + ") need more KV slots than the pool holds (" + kvSlots + ")");
        }
        Integer paths = mv == null ? null : mv.intIn("max_paths_per_block", 1, 1024);
        Double seconds = mv == null ? null : mv.number("timeout_seconds", 0, true, server.timeout().toMillis() / 1000.0);
        Duration timeout = seconds == null ? server.timeout() : Duration.ofNanos(Math.max(1, (long) (seconds * 1e9)));
        return new Budgets(maxTokens, total, paths != null ? paths : server.maxPathsPerBlock(), timeout);
    }
}
