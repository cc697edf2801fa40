package dev.multiverse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clients of {@link ServerBenchmark}, in a JVM of their own: {@code clients} threads, each
 * streaming chat completions of the first {@code count} held-out questions, one after another
 * (a closed loop). Prints {@code {"seconds", "tokens", "latency_ms": [...]}} on standard output.
 *
 * <p>Usage: {@code ServerClients port=P model=DIR count=N clients=C max_tokens=M}
 */
public final class ServerClients {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerClients() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(ReplayBenchmark.arg(args, "port", "8000"));
        Path model = Path.of(ReplayBenchmark.arg(args, "model", "models/multiverse-arith"));
        int count = Integer.parseInt(ReplayBenchmark.arg(args, "count", "64"));
        int clients = Integer.parseInt(ReplayBenchmark.arg(args, "clients", "8"));
        int maxTokens = Integer.parseInt(ReplayBenchmark.arg(args, "max_tokens", "96"));
        List<String> questions = new ArrayList<>();
        for (String line : Files.readAllLines(model.resolve("heldout.jsonl"))) {
            if (questions.size() == count) break;
            questions.add(JSON.readTree(line).get("question").asText());
        }
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var next = new AtomicInteger();
        double[] latency = new double[questions.size()];
        long tokens = 0;
        long t0 = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                results.add(pool.submit(() -> {
                    long mine = 0;
                    for (int q; (q = next.getAndIncrement()) < questions.size(); ) {
                        long start = System.nanoTime();
                        mine += stream(http, port, questions.get(q), maxTokens);
                        latency[q] = (System.nanoTime() - start) / 1e6;
                    }
                    return mine;
                }));
            }
            for (Future<Long> f : results) tokens += f.get();
        }
        ObjectNode out = JSON.createObjectNode().put("seconds", (System.nanoTime() - t0) / 1e9).put("tokens", tokens);
        ArrayNode ms = out.putArray("latency_ms");
        for (double v : latency) ms.add(v);
        System.out.println(JSON.writeValueAsString(out));
    }

    /** One streamed chat completion, read to its end; returns its completion tokens (from the usage). */
    private static long stream(HttpClient http, int port, String question, int maxTokens) throws Exception {
        var body = JSON.createObjectNode().put("max_tokens", maxTokens).put("stream", true);
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long completion = -1;
        try (var in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            // Every event is read; only the one with the usage is parsed.
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("data: {") || !line.contains("\"usage\"")) continue;
                JsonNode chunk = JSON.readTree(line.substring(6));
                completion = chunk.get("usage").get("completion_tokens").asLong();
            }
        }
        if (r.statusCode() != 200 || completion < 0) throw new IllegalStateException("request failed: status " + r.statusCode());
        return completion;
    }
}
