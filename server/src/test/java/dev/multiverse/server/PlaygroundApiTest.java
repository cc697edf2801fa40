package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.SamplingParams;
import dev.multiverse.engine.TokenEntry;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the playground needs from the server: its files, {@code POST /v1/layout}, and {@code step_batch}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlaygroundApiTest {
    static final int MAX_TOKENS = 400;
    static Served served;
    static Http http;
    static GenerationResult greedy;

    @BeforeAll
    static void start() throws Exception {
        served = Served.start();
        http = served.http();
        ArithModel model = served.model();
        greedy = model.direct(model.chatPrompt(ArithModel.QUESTION), SamplingParams.greedy(),
                ChatCompletionsTest.budgets(MAX_TOKENS));
        assertTrue(greedy.stats().paths() >= 2, "the question makes the model fork: " + greedy.text());
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    @Test
    void servesThePageItsScriptAndItsStyle() throws Exception {
        Http.Reply page = http.get("/");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.contentType());
        assertTrue(page.body().contains("<script src=\"playground.js\">"), page.body());
        assertTrue(page.body().contains("href=\"playground.css\""), page.body());
        Http.Reply script = http.get("/playground.js");
        assertEquals("text/javascript; charset=utf-8", script.contentType());
        assertTrue(script.body().contains("multiverse.path") && script.body().contains("/v1/layout"));
        assertEquals("text/css; charset=utf-8", http.get("/playground.css").contentType());
        Http.Reply missing = http.get("/playground.png");
        assertEquals(404, missing.status());
        assertEquals("not_found", missing.json().get("error").get("code").asText());
        assertEquals(405, http.post("/", "{}").status());
    }

    @Test
    void layoutAgreesWithTheEnginesPositionsAndHidesSiblingPaths() throws Exception {
        Http.Reply r = http.post("/v1/layout", "{\"tokens\":" + Arrays.toString(greedy.tokens())
                + ",\"prompt_tokens\":" + greedy.promptLength() + "}");
        assertEquals(200, r.status(), r.body());
        JsonNode layout = r.json();
        int n = greedy.tokens().length;
        assertEquals(n, layout.get("length").asInt());
        assertArrayEquals(greedy.positions(), ints(layout.get("positions")), "Layout and the engine place every token alike");
        assertEquals(greedy.promptLength() + greedy.stats().criticalPath(), layout.get("critical_path").asInt());
        assertEquals(0, layout.get("breaks").size(), "the model's answer is well formed: " + layout.get("breaks"));
        assertEquals(served.model().tokenizer.decode(new int[] {greedy.tokens()[n - 1]}), layout.get("texts").get(n - 1).asText());
        int hidden = 0;
        for (int i = 0; i < n; i++) {
            boolean[] seen = new boolean[n];
            JsonNode runs = layout.get("visible").get(i);
            for (int k = 0; k < runs.size(); k += 2)
                for (int j = runs.get(k).asInt(); j < runs.get(k + 1).asInt(); j++) seen[j] = true;
            for (int j = 0; j < n; j++) {
                boolean expected = j <= i && !siblings(greedy.pathKeys()[i], greedy.pathKeys()[j]);
                assertEquals(expected, seen[j], "does token " + i + " see token " + j + "?");
                if (j < i && !expected) hidden++;
            }
        }
        assertTrue(hidden > 0, "some earlier tokens are hidden from a sibling path");
    }

    @Test
    void layoutChecksTheGrammarAfterThePromptAndCountsFromTheFirstToken() throws Exception {
        int p = greedy.promptLength();
        int[] all = greedy.tokens();
        int[] withoutThink = new int[all.length - 1]; // the answer's first token, <Think>, left out
        System.arraycopy(all, 0, withoutThink, 0, p);
        System.arraycopy(all, p + 1, withoutThink, p, all.length - p - 1);
        JsonNode breaks = http.post("/v1/layout", "{\"tokens\":" + Arrays.toString(withoutThink) + ",\"prompt_tokens\":" + p + "}")
                .json().get("breaks");
        assertEquals("THINK_MISSING", breaks.get(0).get("rule").asText(), breaks.toString());
        assertEquals(p, breaks.get(0).get("token_index").asInt(), "counted from the first token, prompt included");

        JsonNode whole = http.post("/v1/layout", "{\"tokens\":" + Arrays.toString(all) + "}").json().get("breaks");
        assertEquals("THINK_MISSING", whole.get(0).get("rule").asText(), "without prompt_tokens the prompt is checked too");
        assertEquals(0, whole.get(0).get("token_index").asInt());

        Http.Reply tooLong = http.post("/v1/layout", "{\"tokens\":[1,2],\"prompt_tokens\":3}");
        assertEquals(400, tooLong.status());
        assertEquals("prompt_tokens", tooLong.json().get("error").get("param").asText());
    }

    /**
     * Whether two sequences (by engine path key, "/0:1/0:1.2") lie in different paths of one block:
     * the first segment where their keys differ names the same block in both.
     */
    private static boolean siblings(String a, String b) {
        String[] x = a.split("/"), y = b.split("/");
        for (int k = 0; k < Math.min(x.length, y.length); k++)
            if (!x[k].equals(y[k])) return x[k].split(":")[0].equals(y[k].split(":")[0]);
        return false;
    }

    @Test
    void layoutRefusesWhatIsNotAListOfTokenIds() throws Exception {
        Http.Reply notIds = http.post("/v1/layout", "{\"tokens\":[1, \"two\"]}");
        assertEquals(400, notIds.status());
        assertEquals("tokens", notIds.json().get("error").get("param").asText());
        assertTrue(notIds.json().get("error").get("message").asText().contains("tokens[1]"), notIds.body());
        assertEquals(400, http.post("/v1/layout", "{\"tokens\":[999999999]}").status());
        assertEquals(400, http.post("/v1/layout", "{\"tokens\":\"text\"}").status());
        assertEquals(400, http.post("/v1/layout", "{}").status());
        int[] tooMany = new int[LayoutHandler.MAX_TOKENS + 1];
        Http.Reply big = http.post("/v1/layout", "{\"tokens\":" + Arrays.toString(tooMany) + "}");
        assertEquals(400, big.status());
        assertTrue(big.json().get("error").get("message").asText().contains("at most " + LayoutHandler.MAX_TOKENS), big.body());
        assertEquals(405, http.get("/v1/layout").status());
    }

    @Test
    void stepBatchCountsEverySampledTokenStepByStep() throws Exception {
        Http.Reply r = http.post("/v1/chat/completions", Served.chat(ArithModel.QUESTION,
                ",\"max_tokens\":" + MAX_TOKENS + ",\"temperature\":0,\"multiverse\":{\"trace\":true}"));
        assertEquals(200, r.status(), r.body());
        JsonNode mv = r.json().get("multiverse");
        int[] batch = ints(mv.get("step_batch"));
        long sampled = Arrays.stream(greedy.origins()).filter(o -> o == TokenEntry.Origin.SAMPLED).count();
        assertEquals(sampled, Arrays.stream(batch).sum(), "one count per sampled token");
        assertTrue(batch.length <= mv.get("steps").asInt(), batch.length + " steps of samples, " + mv.get("steps") + " in all");
        assertEquals(greedy.stats().paths(), Arrays.stream(batch).max().orElseThrow(),
                "while the block runs, each of its paths samples in every step");
        assertEquals(1, batch[0], "the root alone samples first");

        JsonNode plain = http.post("/v1/chat/completions", Served.chat(ArithModel.QUESTION, ",\"max_tokens\":8")).json();
        assertFalse(plain.get("multiverse").has("step_batch"), "step_batch comes with the trace only");
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
