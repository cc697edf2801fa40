package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.engine.EngineConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A full queue answers 429, a deadline passed in the queue 504, a deadline passed mid-answer ends it
 * with what it has, and a streaming client that disconnects has its request cancelled and its KV
 * slots freed. The engine runs one request at a time and each step takes at least 10 ms, so requests
 * can be caught in flight.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueCancelDeadlineTest {
    static Served served;
    static OpenAiServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        served = Served.start(model -> OpenAiServer.start(new SlowBackend(model.backend(8192), 10), model.vocabulary,
                new EngineConfig(4, 64, 1, true), ServerConfig.defaults(ArithModel.ID, 0).withMaxQueue(2)));
        server = served.server();
        http = served.http();
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    static String chat(String fields) {
        return Served.chat(ArithModel.QUESTION, fields);
    }

    @Test
    void fullQueueDeadlineInQueueAndDisconnect() throws Exception {
        String body = chat(",\"max_tokens\":400,\"stream\":true");
        try (var socket = new Socket("127.0.0.1", server.port())) {
            // A: a streaming request, running once its first text arrives.
            var out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int dataLines = 0;
            for (String line; dataLines < 2 && (line = in.readLine()) != null; ) if (line.startsWith("data: ")) dataLines++;
            assertEquals(2, dataLines, "A streams");

            // B: waits behind A for admission, and its deadline passes there.
            var waited = new AtomicReference<Http.Reply>();
            Thread b = Thread.startVirtualThread(() -> {
                try {
                    waited.set(http.post("/v1/chat/completions", chat(",\"max_tokens\":5,\"multiverse\":{\"timeout_seconds\":0.8}")));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            http.awaitMetric("multiverse_requests_in_flight", 2);
            http.awaitMetric("multiverse_queue_depth", 1);

            // C: the queue is full.
            Http.Reply full = http.post("/v1/chat/completions", chat(",\"max_tokens\":5"));
            assertEquals(429, full.status(), full.body());
            assertEquals("1", full.retryAfter());
            assertEquals("rate_limit_exceeded", full.json().get("error").get("type").asText());

            b.join();
            assertEquals(504, waited.get().status(), waited.get().body());
            assertEquals("timeout", waited.get().json().get("error").get("code").asText());
            assertTrue(http.metric("multiverse_kv_slots_used") > 0, "A still holds its slots");

            socket.setSoLinger(true, 0); // close with a reset, as a crashed client would
        }
        http.awaitMetric("multiverse_cancelled_total", 1);
        http.awaitMetric("multiverse_requests_in_flight", 0);
        http.awaitMetric("multiverse_kv_slots_used", 0);
        assertTrue(http.get("/metrics").body().contains("multiverse_requests_finished_total{reason=\"cancelled\"} 1"));
        Http.Reply after = http.post("/v1/chat/completions", chat(",\"max_tokens\":5"));
        assertEquals(200, after.status(), after.body());
    }

    @Test
    void deadlineMidAnswerEndsItWithWhatItHasStreamedOrNot() throws Exception {
        for (double seconds : new double[] {0.4, 0.9, 1.4}) {
            String fields = ",\"max_tokens\":400,\"temperature\":0,\"multiverse\":{\"timeout_seconds\":" + seconds + "}";
            Http.Reply whole = http.post("/v1/chat/completions", chat(fields));
            assertEquals(200, whole.status(), whole.body());
            JsonNode mv = whole.json().get("multiverse");
            assertEquals("deadline", mv.get("finish_reason").asText());
            assertEquals("length", whole.json().get("choices").get(0).get("finish_reason").asText());
            assertEquals(served.model().decode(mv.get("token_ids")), whole.json().get("choices").get(0).get("message").get("content").asText());

            var text = new StringBuilder();
            JsonNode last = null;
            for (Http.Event e : http.stream("/v1/chat/completions", chat(fields + ",\"stream\":true"))) {
                if (e.data().equals("[DONE]")) continue;
                JsonNode choice = e.json().get("choices").get(0);
                text.append(choice.get("delta").path("content").asText(""));
                last = e.json();
            }
            assertEquals("deadline", last.get("multiverse").get("finish_reason").asText());
            assertEquals(served.model().decode(last.get("multiverse").get("token_ids")), text.toString(),
                    "streamed text = final text when the deadline stops the request (" + seconds + " s)");
        }
        http.awaitMetric("multiverse_kv_slots_used", 0);
    }
}
