package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.SamplingParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chat completions against the engine called directly: whole, streamed, with per-path events, concurrent. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatCompletionsTest {
    static final int MAX_TOKENS = 400;
    static Served served;
    static ArithModel model;
    static Http http;
    static GenerationResult greedy;

    @BeforeAll
    static void start() throws Exception {
        served = Served.start();
        model = served.model();
        http = served.http();
        greedy = model.direct(model.chatPrompt(ArithModel.QUESTION), SamplingParams.greedy(), budgets(MAX_TOKENS));
        assertTrue(greedy.stats().paths() >= 2, "the question makes the model fork: " + greedy.text());
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    static Budgets budgets(int maxTokens) {
        return new Budgets(maxTokens, 2 * maxTokens, 16, Duration.ofMinutes(10));
    }

    static String chat(String extra) {
        return Served.chat(ArithModel.QUESTION, ",\"model\":\"" + ArithModel.ID + "\",\"max_tokens\":" + MAX_TOKENS + extra);
    }

    @Test
    void wholeAnswerIsTheEnginesOwn() throws Exception {
        Http.Reply r = http.post("/v1/chat/completions", chat(",\"temperature\":0,\"multiverse\":{\"trace\":true}"));
        assertEquals(200, r.status(), r.body());
        JsonNode choice = r.json().get("choices").get(0);
        assertEquals("assistant", choice.get("message").get("role").asText());
        assertEquals(greedy.text(), choice.get("message").get("content").asText());
        assertEquals("stop", choice.get("finish_reason").asText());
        assertEquals("chat.completion", r.json().get("object").asText());
        JsonNode usage = r.json().get("usage");
        assertEquals(greedy.stats().totalTokens(), usage.get("completion_tokens").asInt(), "usage counts every path's tokens");
        assertEquals(greedy.promptLength(), usage.get("prompt_tokens").asInt());
        JsonNode mv = r.json().get("multiverse");
        assertEquals(greedy.stats().criticalPath(), mv.get("critical_path").asInt());
        assertEquals(greedy.stats().parallelismRatio(), mv.get("parallelism_ratio").asDouble(), 1e-12);
        assertTrue(mv.get("parallelism_ratio").asDouble() > 1);
        assertEquals(greedy.stats().paths(), mv.get("paths").asInt());
        assertEquals(List.of(box(greedy.generatedTokens())), List.of(ids(mv.get("token_ids"))));
        assertEquals(greedy.stats().paths(), countPaths(mv.get("trace")), "the trace holds every path");
    }

    @Test
    void seededSamplingReproducesTheEngineWhateverSharesTheBatch() throws Exception {
        GenerationResult expected = model.direct(model.chatPrompt(ArithModel.QUESTION), SamplingParams.sampled(0.9, 1234),
                budgets(MAX_TOKENS));
        String body = chat(",\"temperature\":0.9,\"seed\":1234");
        List<Thread> others = new ArrayList<>();
        Map<Integer, String> texts = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < 3; i++) {
            int k = i;
            others.add(Thread.startVirtualThread(() -> {
                try {
                    texts.put(k, http.post("/v1/chat/completions", k == 0 ? body : chat(",\"temperature\":1.0,\"seed\":" + k))
                            .json().get("choices").get(0).get("message").get("content").asText());
                } catch (Exception e) {
                    texts.put(k, "failed: " + e);
                }
            }));
        }
        for (Thread t : others) t.join();
        assertEquals(expected.text(), texts.get(0));
    }

    @Test
    void twoConcurrentRequestsAreDecodedInTheSameSteps() throws Exception {
        long before = engineSteps();
        List<JsonNode> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread a = Thread.startVirtualThread(() -> replies.add(post(chat(",\"temperature\":0"))));
        Thread b = Thread.startVirtualThread(() -> replies.add(post(chat(",\"temperature\":0.7,\"seed\":5"))));
        a.join();
        b.join();
        long steps = engineSteps() - before;
        long separate = 0;
        for (JsonNode r : replies) separate += r.get("multiverse").get("steps").asLong();
        assertTrue(steps < separate * 0.8, "two requests took " + steps + " engine steps together, " + separate + " apart");
    }

    @Test
    void streamRebuildsTheTextAndPathEventsFollowTheTree() throws Exception {
        List<Http.Event> events = http.stream("/v1/chat/completions",
                chat(",\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"multiverse\":{\"path_events\":true}"));
        assertEquals("[DONE]", events.getLast().data());
        var text = new StringBuilder();
        Map<String, StringBuilder> pathText = new HashMap<>();
        int forks = 0, joins = 0, ends = 0;
        JsonNode finalChunk = null, usageChunk = null;
        for (Http.Event e : events.subList(0, events.size() - 1)) {
            JsonNode j = e.json();
            if ("multiverse.path".equals(e.name())) {
                switch (j.get("type").asText()) {
                    case "delta" -> pathText.computeIfAbsent(j.get("path").asText(), k -> new StringBuilder())
                            .append(j.get("text").asText());
                    case "fork" -> forks += j.get("children").size();
                    case "join" -> joins++;
                    case "path_end" -> ends++;
                    default -> throw new AssertionError("unknown path event " + j);
                }
                continue;
            }
            assertNotNull(e.data());
            assertEquals("chat.completion.chunk", j.get("object").asText());
            if (j.get("choices").isEmpty()) {
                usageChunk = j;
                continue;
            }
            JsonNode choice = j.get("choices").get(0);
            if (choice.hasNonNull("finish_reason")) finalChunk = j;
            if (choice.get("delta").has("content")) text.append(choice.get("delta").get("content").asText());
        }
        assertEquals(greedy.text(), text.toString(), "the final-order deltas rebuild the text");
        assertNotNull(finalChunk);
        assertEquals("stop", finalChunk.get("choices").get(0).get("finish_reason").asText());
        assertEquals(greedy.stats().parallelismRatio(), finalChunk.get("multiverse").get("parallelism_ratio").asDouble(), 1e-12);
        assertNotNull(usageChunk);
        assertEquals(greedy.stats().totalTokens(), usageChunk.get("usage").get("completion_tokens").asInt());
        assertEquals(greedy.stats().paths(), forks, "one fork entry per path");
        assertTrue(joins >= 1 && ends == forks + 1, joins + " joins, " + ends + " path ends");
        int pathChars = 0;
        for (var e : pathText.entrySet()) pathChars += e.getValue().length();
        assertEquals(greedy.text().length(), pathChars, "every generated character arrives in exactly one path's deltas");
        assertTrue(greedy.text().contains(pathText.get("/0:1").toString()), "path 1's text is part of the final text");
    }

    static JsonNode post(String body) {
        try {
            return http.post("/v1/chat/completions", body).json();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static long engineSteps() throws Exception {
        for (String line : http.get("/metrics").body().split("\n"))
            if (line.startsWith("multiverse_engine_steps_total ")) return Long.parseLong(line.split(" ")[1]);
        throw new AssertionError("no step counter in /metrics");
    }

    static int countPaths(JsonNode path) {
        int n = 0;
        for (JsonNode block : path.get("blocks"))
            for (JsonNode child : block.get("paths")) n += 1 + countPaths(child);
        return n;
    }

    static Integer[] box(int[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Integer[]::new);
    }

    static Integer[] ids(JsonNode array) {
        Integer[] out = new Integer[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
