package dev.multiverse.conformance.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A minimal client of the OpenAI completions API ({@code POST /v1/completions}) as the checker
 * uses it: a prompt of token ids, greedy decoding, log-probs of the chosen tokens, and the
 * Multiverse extensions of {@code docs/server.md} ({@code max_total_tokens}, {@code
 * multiverse.max_paths_per_block}, {@code multiverse.trace}; a server that ignores them is still
 * checked on what it returns). The generated ids are read from {@code multiverse.token_ids}, or
 * from {@code logprobs.tokens} written as {@code "token_id:N"} (vLLM's {@code
 * return_tokens_as_token_ids}, which the request also asks for).
 */
public final class CompletionsClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final URI completions;
    private final Duration timeout;

    /** {@code endpoint}: the server's base URL, with or without a trailing {@code /v1}. */
    public CompletionsClient(URI endpoint, Duration timeout) {
        String base = endpoint.toString().replaceAll("/+$", "");
        if (!base.startsWith("http://") && !base.startsWith("https://"))
            throw new IllegalArgumentException("the endpoint must be an http:// or https:// URL, got " + endpoint);
        this.completions = URI.create((base.endsWith("/v1") ? base : base + "/v1") + "/completions");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.timeout = timeout;
    }

    public URI url() {
        return completions;
    }

    /** One greedy completion of {@code prompt} (token ids). */
    public Completion complete(String model, int[] prompt, int maxTokens, int maxTotalTokens, int maxPathsPerBlock) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        var ids = body.putArray("prompt");
        for (int t : prompt) ids.add(t);
        body.put("max_tokens", maxTokens).put("temperature", 0).put("logprobs", 1).put("max_total_tokens", maxTotalTokens);
        body.putObject("multiverse").put("max_paths_per_block", maxPathsPerBlock).put("trace", true);
        body.put("return_tokens_as_token_ids", true);  // vLLM's way to name ids in the log-probs; others ignore it
        HttpRequest request = HttpRequest.newBuilder(completions).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CheckerException("POST " + completions + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckerException("interrupted while waiting for " + completions, e);
        }
        if (response.statusCode() != 200)
            throw new CheckerException("POST " + completions + " answered HTTP " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        return parse(response.body());
    }

    /** Reads the fields the checker needs from a completions response body. */
    static Completion parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new CheckerException("the server's reply is not JSON: " + abbreviate(body), e);
        }
        JsonNode choice = root.path("choices").path(0);
        JsonNode mv = root.path("multiverse");
        int[] tokens = tokenIds(mv.path("token_ids"), choice.path("logprobs").path("tokens"));
        if (tokens == null)
            throw new CheckerException("the reply has no multiverse.token_ids (the generated ids in final order) and no"
                    + " logprobs.tokens of the form \"token_id:N\": " + abbreviate(body));
        JsonNode lp = choice.path("logprobs").path("token_logprobs");
        double[] logprobs = new double[lp.isArray() ? lp.size() : 0];
        for (int i = 0; i < logprobs.length; i++) logprobs[i] = lp.get(i).isNull() ? Double.NaN : lp.get(i).asDouble();
        String engineReason = mv.path("finish_reason").isTextual() ? mv.get("finish_reason").asText() : null;
        JsonNode trace = mv.path("trace").isObject() ? mv.get("trace") : null;
        return new Completion(tokens, logprobs, choice.path("finish_reason").asText(null), engineReason, trace);
    }

    /**
     * The generated ids: {@code multiverse.token_ids}, else the legacy log-probs' {@code tokens}
     * when every one reads {@code "token_id:N"} (vLLM with {@code return_tokens_as_token_ids});
     * null when neither is there.
     */
    private static int[] tokenIds(JsonNode multiverseIds, JsonNode logprobTokens) {
        if (multiverseIds.isArray()) {
            int[] out = new int[multiverseIds.size()];
            for (int i = 0; i < out.length; i++) out[i] = multiverseIds.get(i).asInt();
            return out;
        }
        if (!logprobTokens.isArray()) return null;
        int[] out = new int[logprobTokens.size()];
        for (int i = 0; i < out.length; i++) {
            String t = logprobTokens.get(i).asText("");
            if (!t.matches("token_id:[0-9]+")) return null;
            out[i] = Integer.parseInt(t.substring("token_id:".length()));
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "...";
    }
}
