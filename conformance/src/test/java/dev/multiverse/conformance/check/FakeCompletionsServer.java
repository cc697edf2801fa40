package dev.multiverse.conformance.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A stand-in OpenAI completions endpoint on an ephemeral loopback port: it answers each request
 * with the expected result of the engine vector whose prompt it was sent, in the wire format of
 * docs/server.md, after passing the token ids through {@code alter} (identity for an honest
 * server). A prompt it does not know gets HTTP 400.
 */
public final class FakeCompletionsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;

    public FakeCompletionsServer(List<EngineVector> vectors, UnaryOperator<int[]> alter) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/completions", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            int[] prompt = new int[body.get("prompt").size()];
            for (int i = 0; i < prompt.length; i++) prompt[i] = body.get("prompt").get(i).asInt();
            EngineVector match = vectors.stream().filter(v -> Arrays.equals(v.prompt(), prompt)
                    && v.maxTokens() == body.get("max_tokens").asInt()).findFirst().orElse(null);
            byte[] reply;
            int status = 200;
            if (match == null) {
                status = 400;
                reply = "{\"error\":{\"message\":\"unknown prompt\",\"type\":\"invalid_request_error\"}}".getBytes(StandardCharsets.UTF_8);
            } else {
                reply = answer(match, alter.apply(match.tokens().clone())).toString().getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    private static ObjectNode answer(EngineVector v, int[] tokens) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "text_completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("text", "").put("finish_reason", v.openAiFinishReason());
        var lp = choice.putObject("logprobs").putArray("token_logprobs");
        for (double d : v.logprobs()) lp.add(d);
        ObjectNode mv = root.putObject("multiverse");
        mv.put("finish_reason", v.finishReason());
        var ids = mv.putArray("token_ids");
        for (int t : tokens) ids.add(t);
        return root;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
