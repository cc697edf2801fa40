package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every malformed or unserviceable request gets a 4xx in OpenAI's error format, and nothing else is disturbed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadRequestsTest {
    static Served served;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        served = Served.start();
        http = served.http();
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    static String chat(String fields) {
        return Served.chat("What is 1 + 2?", fields);
    }

    /** Asserts the status, OpenAI's error object, and the field it names. */
    static JsonNode refused(Http.Reply r, int status, String param) {
        assertEquals(status, r.status(), r.body());
        JsonNode error = r.json().get("error");
        assertTrue(error != null && error.get("message").isTextual() && !error.get("message").asText().isEmpty(), r.body());
        assertTrue(error.has("type") && error.has("param") && error.has("code"), r.body());
        if (param != null) assertEquals(param, error.get("param").asText(), r.body());
        return error;
    }

    @Test
    void badJsonAndWrongShapes() throws Exception {
        assertTrue(refused(http.post("/v1/chat/completions", "{\"messages\": ["), 400, null).get("message").asText()
                .contains("not valid JSON"));
        refused(http.post("/v1/chat/completions", "[1, 2]"), 400, null);
        refused(http.post("/v1/chat/completions", ""), 400, null);
        refused(http.post("/v1/chat/completions", "{}"), 400, "messages");
        refused(http.post("/v1/chat/completions", "{\"messages\": \"hi\"}"), 400, "messages");
        refused(http.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]}"), 400,
                "messages[0].role");
        refused(http.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}"), 400,
                "messages[0].content");
        refused(http.post("/v1/completions", "{\"prompt\": {\"a\": 1}}"), 400, "prompt");
        refused(http.post("/v1/completions", "{\"prompt\": []}"), 400, "prompt");
        refused(http.post("/v1/completions", "{\"prompt\": [1, 99999]}"), 400, "prompt");
        refused(http.post("/v1/completions", "{\"prompt\": [\"a\", \"b\"]}"), 400, "prompt");
    }

    @Test
    void wrongTypesAndRanges() throws Exception {
        refused(http.post("/v1/chat/completions", chat(",\"temperature\":\"hot\"")), 400, "temperature");
        refused(http.post("/v1/chat/completions", chat(",\"temperature\":3")), 400, "temperature");
        refused(http.post("/v1/chat/completions", chat(",\"top_p\":0")), 400, "top_p");
        refused(http.post("/v1/chat/completions", chat(",\"max_tokens\":1.5")), 400, "max_tokens");
        refused(http.post("/v1/chat/completions", chat(",\"max_tokens\":-5")), 400, "max_tokens");
        refused(http.post("/v1/chat/completions", chat(",\"max_tokens\":0")), 400, "max_tokens");
        refused(http.post("/v1/chat/completions", chat(",\"max_tokens\":1000000000000")), 400, "max_tokens");
        refused(http.post("/v1/chat/completions", chat(",\"max_tokens\":100000")), 400, "max_tokens");
        refused(http.post("/v1/chat/completions", chat(",\"seed\":\"x\"")), 400, "seed");
        refused(http.post("/v1/chat/completions", chat(",\"stream\":\"yes\"")), 400, "stream");
        refused(http.post("/v1/chat/completions", chat(",\"stop\":[1]")), 400, "stop");
        refused(http.post("/v1/chat/completions", chat(",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]")), 400, "stop");
        refused(http.post("/v1/chat/completions", chat(",\"user\":7")), 400, "user");
        refused(http.post("/v1/chat/completions", chat(",\"multiverse\":{\"trace\":1}")), 400, "multiverse.trace");
        refused(http.post("/v1/chat/completions", chat(",\"multiverse\":{\"timeout_seconds\":-1}")), 400,
                "multiverse.timeout_seconds");
    }

    @Test
    void unsupportedFieldsAreRefusedAndUnknownOnesIgnored() throws Exception {
        refused(http.post("/v1/chat/completions", chat(",\"n\":2")), 400, "n");
        refused(http.post("/v1/chat/completions", chat(",\"tools\":[{\"type\":\"function\"}]")), 400, "tools");
        refused(http.post("/v1/chat/completions", chat(",\"presence_penalty\":0.5")), 400, "presence_penalty");
        refused(http.post("/v1/chat/completions", chat(",\"logprobs\":true,\"stream\":true")), 400, "logprobs");
        refused(http.post("/v1/chat/completions", chat(",\"multiverse\":{\"path_events\":true}")), 400,
                "multiverse.path_events");
        refused(http.post("/v1/completions", "{\"prompt\":\"a\",\"echo\":true}"), 400, "echo");
        Http.Reply ok = http.post("/v1/chat/completions", chat(",\"max_tokens\":4,\"frobnicate\":{\"x\":[1]},\"n\":1,"
                + "\"presence_penalty\":0,\"user\":\"alice\",\"logit_bias\":{}"));
        assertEquals(200, ok.status(), ok.body());
        assertEquals(4, ok.json().get("multiverse").get("critical_path").asInt());
        assertEquals("length", ok.json().get("choices").get(0).get("finish_reason").asText());
    }

    @Test
    void tooLongPromptsOversizedBodiesUnknownModelsAndRoutes() throws Exception {
        String ids = IntStream.range(0, 5000).mapToObj(i -> "17").collect(Collectors.joining(",", "[", "]"));
        assertEquals("context_length_exceeded", refused(http.post("/v1/completions", "{\"prompt\":" + ids + "}"), 400,
                "prompt").get("code").asText());
        String fits = IntStream.range(0, 4000).mapToObj(i -> "17").collect(Collectors.joining(",", "[", "]"));
        assertEquals("context_length_exceeded", refused(http.post("/v1/completions",
                "{\"prompt\":" + fits + ",\"max_tokens\":200}"), 400, "max_tokens").get("code").asText());
        String huge = "{\"prompt\":\"" + "x".repeat(2 << 20) + "\"}";
        for (int i = 0; i < 5; i++) refused(http.post("/v1/completions", huge), 413, null);
        var chunked = java.net.http.HttpRequest.newBuilder(http.uri("/v1/completions")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge.getBytes()))).build();
        refused(http.send(chunked), 413, null);
        assertEquals("model_not_found", refused(http.post("/v1/chat/completions", chat(",\"model\":\"gpt-9\"")), 404,
                "model").get("code").asText());
        refused(http.get("/v1/nothing"), 404, null);
        refused(http.get("/v1/chat/completions"), 405, null);
        refused(http.post("/v1/models", "{}"), 405, null);
    }

    @Test
    void theServerIsUndisturbedAfterwards() throws Exception {
        badJsonAndWrongShapes();
        Http.Reply health = http.get("/health");
        assertEquals(200, health.status());
        assertEquals(0, health.json().get("in_flight").asInt());
        Http.Reply models = http.get("/v1/models");
        assertEquals(ArithModel.ID, models.json().get("data").get(0).get("id").asText());
        Http.Reply ok = http.post("/v1/chat/completions", chat(",\"max_tokens\":3"));
        assertEquals(200, ok.status(), ok.body());
        String metrics = http.get("/metrics").body();
        assertTrue(metrics.contains("multiverse_requests_total{endpoint=\"/v1/chat/completions\",status=\"400\"}"), metrics);
        assertTrue(metrics.contains("multiverse_kv_slots_used 0\n"), metrics);
    }
}
