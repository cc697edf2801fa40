package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.engine.SamplingParams;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 32 concurrent streaming clients on loopback, three waves: every response complete and well-formed,
 * the greedy ones equal to the engine's own answer; throughput and latency percentiles printed; the
 * KV pool empty after each wave, and the heap not growing wave after wave. A leak held per request
 * grows the heap by about the same amount every wave; other work in the same test JVM (earlier
 * test classes' threads winding down) can move it once, so the heap must not have grown by more
 * than {@link #HEAP_SLACK} across both of the later waves.
 */
class LoadTest {
    static final int CLIENTS = 32;
    static final int MAX_TOKENS = 24;
    static final int WAVES = 3;
    static final long HEAP_SLACK = 16_000_000;

    /** One client's stream: its text, final chunk, and times (ms from its start) to the first text and the end. */
    record Outcome(String text, JsonNode last, double firstTextMs, double totalMs) {}

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void thirtyTwoStreamingClientsInWaves() throws Exception {
        try (var model = ArithModel.open(); var server = model.serve()) {
            Http http = Http.to(server);
            String greedy = model.direct(model.chatPrompt(ArithModel.QUESTION), SamplingParams.greedy(),
                    ChatCompletionsTest.budgets(MAX_TOKENS)).text();
            long[] heap = new long[WAVES + 1];
            for (int wave = 1; wave <= WAVES; wave++) {
                long t0 = System.nanoTime();
                List<Outcome> outcomes = wave(http);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long tokens = 0;
                for (int c = 0; c < CLIENTS; c++) {
                    Outcome o = outcomes.get(c);
                    JsonNode mv = o.last().get("multiverse");
                    assertNotNull(mv, "client " + c + " got the final chunk");
                    assertEquals(model.decode(mv.get("token_ids")), o.text(), "client " + c + " rebuilt the text");
                    if (c % 2 == 0) assertEquals(greedy, o.text(), "greedy client " + c);
                    tokens += o.last().get("usage").get("completion_tokens").asLong();
                }
                System.out.printf("wave %d: %d streaming clients, max_tokens %d: %.2f s, %.1f requests/s, %.0f tokens/s;"
                                + " latency p50 %.0f ms, p95 %.0f ms, p99 %.0f ms; first text p50 %.0f ms, p95 %.0f ms%n",
                        wave, CLIENTS, MAX_TOKENS, seconds, CLIENTS / seconds, tokens / seconds,
                        percentile(outcomes, Outcome::totalMs, 50), percentile(outcomes, Outcome::totalMs, 95),
                        percentile(outcomes, Outcome::totalMs, 99), percentile(outcomes, Outcome::firstTextMs, 50),
                        percentile(outcomes, Outcome::firstTextMs, 95));
                http.awaitMetric("multiverse_requests_in_flight", 0);
                http.awaitMetric("multiverse_queue_depth", 0);
                http.awaitMetric("multiverse_kv_slots_used", 0);
                heap[wave] = usedHeapAfterGc();
                System.out.printf("wave %d: heap used after GC %.1f MB%n", wave, heap[wave] / 1e6);
            }
            boolean grewEveryWave = true;
            for (int wave = 2; wave <= WAVES; wave++) grewEveryWave &= heap[wave] > heap[wave - 1] + HEAP_SLACK;
            assertTrue(!grewEveryWave, "the heap grew by more than " + HEAP_SLACK + " bytes in every wave after the first: "
                    + Arrays.toString(Arrays.copyOfRange(heap, 1, WAVES + 1)));
        }
    }

    private static List<Outcome> wave(Http http) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String sampling = c % 2 == 0 ? "\"temperature\":0" : "\"temperature\":0.9,\"seed\":" + c;
                String body = Served.chat(ArithModel.QUESTION, ",\"max_tokens\":" + MAX_TOKENS + "," + sampling + ",\"stream\":true");
                futures.add(pool.submit((Callable<Outcome>) () -> client(http, body)));
            }
            List<Outcome> out = new ArrayList<>();
            for (Future<Outcome> f : futures) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        }
    }

    private static Outcome client(Http http, String body) throws Exception {
        long t0 = System.nanoTime();
        List<Http.Event> events = http.stream("/v1/chat/completions", body);
        double total = (System.nanoTime() - t0) / 1e6;
        assertEquals("[DONE]", events.getLast().data(), "the stream ends with [DONE]");
        var text = new StringBuilder();
        JsonNode last = null;
        double firstText = Double.NaN;
        for (Http.Event e : events.subList(0, events.size() - 1)) {
            JsonNode j = e.json();
            assertEquals("chat.completion.chunk", j.get("object").asText(), e.data());
            String piece = j.get("choices").get(0).get("delta").path("content").asText("");
            if (!piece.isEmpty() && Double.isNaN(firstText)) firstText = (e.arrivedNanos() - t0) / 1e6;
            text.append(piece);
            last = j;
        }
        return new Outcome(text.toString(), last, firstText, total);
    }


    static double percentile(List<Outcome> outcomes, java.util.function.ToDoubleFunction<Outcome> f, int p) {
        double[] v = outcomes.stream().mapToDouble(f).sorted().toArray();
        return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
