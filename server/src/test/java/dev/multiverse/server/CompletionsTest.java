package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.SamplingParams;
import dev.multiverse.engine.TokenEntry;
import dev.multiverse.tokenizer.ChatFormat;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Legacy completions: prompt as text or token ids, log-probs in OpenAI's legacy shape and by id. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompletionsTest {
    static final int MAX_TOKENS = 400;
    static Served served;
    static ArithModel model;
    static Http http;
    static int[] prompt;
    static GenerationResult greedy;

    @BeforeAll
    static void start() throws Exception {
        served = Served.start();
        model = served.model();
        http = served.http();
        prompt = model.chatPrompt(ArithModel.QUESTION);
        greedy = model.direct(prompt, SamplingParams.greedy(), ChatCompletionsTest.budgets(MAX_TOKENS));
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    static String request(String promptJson, String extra) {
        return "{\"prompt\":" + promptJson + ",\"max_tokens\":" + MAX_TOKENS + ",\"temperature\":0" + extra + "}";
    }

    static String idsJson() {
        return Arrays.stream(prompt).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void promptAsTextOrAsTokenIdsGivesTheEnginesAnswer() throws Exception {
        String text = Http.JSON.writeValueAsString(ChatFormat.qwen25().multiversePrompt(ArithModel.QUESTION));
        for (String p : List.of(text, idsJson(), "[" + text + "]", "[" + idsJson() + "]")) {
            Http.Reply r = http.post("/v1/completions", request(p, ""));
            assertEquals(200, r.status(), r.body());
            assertEquals("text_completion", r.json().get("object").asText());
            assertEquals(greedy.text(), r.json().get("choices").get(0).get("text").asText(), "prompt " + p);
            assertEquals(prompt.length, r.json().get("usage").get("prompt_tokens").asInt());
        }
    }

    @Test
    void logprobsAreTheEnginesInFinalOrderWithTheirAlternatives() throws Exception {
        Http.Reply r = http.post("/v1/completions", request(idsJson(), ",\"logprobs\":3"));
        assertEquals(200, r.status(), r.body());
        JsonNode lp = r.json().get("choices").get(0).get("logprobs");
        JsonNode topIds = r.json().get("multiverse").get("top_logprobs");
        int[] generated = greedy.generatedTokens();
        assertEquals(generated.length, lp.get("tokens").size());
        assertEquals(generated.length, topIds.size());
        int forced = 0;
        for (int i = 0; i < generated.length; i++) {
            int j = greedy.promptLength() + i;
            assertEquals(model.tokenizer.decode(new int[] {generated[i]}), lp.get("tokens").get(i).asText());
            double logprob = lp.get("token_logprobs").get(i).asDouble();
            // Another run of the same model: equal up to float rounding (batch shapes change summation order).
            assertEquals(greedy.logprobs()[j], logprob, 1e-5, "token " + i);
            assertEquals(model.tokenizer.decode(Arrays.copyOf(generated, i)).length(), lp.get("text_offset").get(i).asInt());
            JsonNode top = lp.get("top_logprobs").get(i);
            if (greedy.origins()[j] == TokenEntry.Origin.FORCED) {
                assertTrue(top.isEmpty() && topIds.get(i).isEmpty(), "no alternatives for an engine-inserted token");
                forced++;
                continue;
            }
            assertEquals(3, topIds.get(i).size());
            assertEquals(generated[i], topIds.get(i).get(0).get(0).asInt(), "greedy picks the most likely token");
            assertEquals(logprob, topIds.get(i).get(0).get(1).asDouble(), 1e-12, "the same logits, token " + i);
            assertTrue(topIds.get(i).get(1).get(1).asDouble() <= topIds.get(i).get(0).get(1).asDouble());
            assertEquals(logprob, top.get(lp.get("tokens").get(i).asText()).asDouble(), 1e-12);
        }
        assertTrue(forced > 0, "the answer has engine-inserted tokens (path headers)");
    }

    @Test
    void chatLogprobsListEveryTokenWithItsBytes() throws Exception {
        Http.Reply r = http.post("/v1/chat/completions", Served.chat(ArithModel.QUESTION,
                ",\"max_tokens\":" + MAX_TOKENS + ",\"temperature\":0,\"logprobs\":true,\"top_logprobs\":2"));
        assertEquals(200, r.status(), r.body());
        JsonNode content = r.json().get("choices").get(0).get("logprobs").get("content");
        assertEquals(greedy.generatedTokens().length, content.size());
        JsonNode first = content.get(0);
        assertEquals(greedy.logprobs()[greedy.promptLength()], first.get("logprob").asDouble(), 1e-5);
        byte[] bytes = model.tokenizer.decodeBytes(new int[] {greedy.generatedTokens()[0]});
        assertEquals(bytes.length, first.get("bytes").size());
        assertEquals(2, first.get("top_logprobs").size());
        assertEquals(first.get("token").asText(), first.get("top_logprobs").get(0).get("token").asText());
    }
}
