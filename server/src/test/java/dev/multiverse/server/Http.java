package dev.multiverse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A small JSON-over-HTTP client for the tests, on the JDK's HttpClient. */
record Http(HttpClient client, int port) {
    static final ObjectMapper JSON = new ObjectMapper();

    static Http to(OpenAiServer server) {
        return new Http(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), server.port());
    }

    /** A reply: status, one header, the body parsed as JSON (null when it is not JSON). */
    record Reply(int status, String retryAfter, String contentType, String body, JsonNode json) {}

    /** One server-sent event: its name (null for unnamed), data, and when it arrived ({@link System#nanoTime()}). */
    record Event(String name, String data, long arrivedNanos) {
        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (Exception e) {
                throw new AssertionError("event data is not JSON: " + data, e);
            }
        }
    }

    Reply post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    Reply send(HttpRequest request) throws Exception {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = JSON.readTree(r.body());
        } catch (Exception notJson) {
            // metrics are text
        }
        return new Reply(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
                r.headers().firstValue("Content-Type").orElse(null), r.body(), json);
    }

    /** Posts a streaming request and reads every event up to the end of the stream. */
    List<Event> stream(String path, String body) throws Exception {
        HttpResponse<java.io.InputStream> r = client.send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200)
            throw new AssertionError("status " + r.statusCode() + ": " + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        return readEvents(new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)));
    }

    /** Parses server-sent events (comments skipped) until the stream ends. */
    static List<Event> readEvents(BufferedReader in) throws Exception {
        List<Event> events = new ArrayList<>();
        String name = null;
        StringBuilder data = null;
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (data != null) events.add(new Event(name, data.toString(), System.nanoTime()));
                name = null;
                data = null;
            } else if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
            } else if (!line.startsWith(":")) {
                throw new AssertionError("not a server-sent event line: " + line);
            }
        }
        return events;
    }

    /** A metric's value from {@code /metrics}. */
    long metric(String name) throws Exception {
        for (String line : get("/metrics").body().split("\n"))
            if (line.startsWith(name + " ")) return (long) Double.parseDouble(line.substring(name.length() + 1));
        throw new AssertionError("no metric " + name);
    }

    /** Waits (up to 10 s) until a metric reaches {@code value}. */
    void awaitMetric(String name, long value) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        long seen;
        while ((seen = metric(name)) != value) {
            if (System.nanoTime() > deadline) throw new AssertionError(name + " is " + seen + ", expected " + value);
            Thread.sleep(20);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
