package dev.multiverse.conformance.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each check of {@link VectorCheck} on a hand-made vector: a root token, two one-token paths at the
 * same position, then two root tokens after the join.
 */
class VectorCheckTest {
    static final EngineVector V = new EngineVector("v", "m", new int[] {1, 2}, 16, 32, 16,
            new int[] {10, 11, 12, 13, 14}, new double[] {-1, -2, -3, -4, -5}, new int[] {2, 3, 3, 4, 5},
            new String[] {"", "/0:1", "/0:2", "", ""}, "eos", Map.of("", "eos", "/0:1", "path_end", "/0:2", "path_end"));

    static JsonNode trace(int secondPathPosition, String secondPathEnd) throws Exception {
        return new ObjectMapper().readTree("""
                {"key": "", "positions": [0, 1, 2, 4, 5], "end_reason": "eos", "blocks": [{"paths": [
                  {"key": "/0:1", "positions": [3], "end_reason": "path_end", "blocks": []},
                  {"key": "/0:2", "positions": [%d], "end_reason": "%s", "blocks": []}]}]}
                """.formatted(secondPathPosition, secondPathEnd));
    }

    static String diff(int[] tokens, double[] logprobs, String finish, String engineFinish, JsonNode trace) {
        CaseResult r = VectorCheck.compare(V, new Completion(tokens, logprobs, finish, engineFinish, trace), 1e-3, id -> "id " + id);
        assertEquals(r.firstDifference().isEmpty(), r.passed());
        return r.firstDifference();
    }

    static final int[] TOKENS = {10, 11, 12, 13, 14};
    static final double[] LOGPROBS = {-1, -2, -3, -4, -5};

    @Test
    void theExpectedAnswerPassesAndLogProbsWithinTheTolerance() throws Exception {
        assertEquals("", diff(TOKENS, LOGPROBS, "stop", "eos", trace(3, "path_end")));
        assertEquals("", diff(TOKENS, new double[] {-1, -2, -3.0009, -4, -5}, "stop", null, null));
        CaseResult r = VectorCheck.compare(V, new Completion(TOKENS, new double[] {-1, -2, -3.0005, -4, -5}, "stop", null, null),
                1e-3, id -> "id " + id);
        assertEquals(5e-4, r.worstLogprobDiff(), 1e-9);
    }

    @Test
    void eachKindOfDifferenceIsNamed() throws Exception {
        assertEquals("generated token 2: expected id 12, got id 99", diff(new int[] {10, 11, 99, 13, 14}, LOGPROBS, "stop", "eos", null));
        assertEquals("the server stopped after 4 tokens; expected 5, next id 14",
                diff(new int[] {10, 11, 12, 13}, LOGPROBS, "stop", "eos", null));
        assertEquals("the server generated 6 tokens; expected 5, extra id 15",
                diff(new int[] {10, 11, 12, 13, 14, 15}, LOGPROBS, "stop", "eos", null));
        assertEquals("the server returned 0 log-probs for 5 tokens", diff(TOKENS, new double[0], "stop", "eos", null));
        assertTrue(diff(TOKENS, new double[] {-1, -2, -3, -4.002, -5}, "stop", "eos", null)
                .startsWith("log-prob of generated token 3 (id 13): expected -4.0, got -4.002"));
        assertEquals("finish reason: expected eos, got max_tokens", diff(TOKENS, LOGPROBS, "length", "max_tokens", null));
        assertEquals("finish_reason: expected stop, got length", diff(TOKENS, LOGPROBS, "length", null, null));
        assertTrue(diff(TOKENS, LOGPROBS, "stop", "eos", trace(3, "eos")).startsWith("sequences (path key = end reason)"));
        assertEquals("position of generated token 0 of sequence \"/0:2\": expected 3, got 4",
                diff(TOKENS, LOGPROBS, "stop", "eos", trace(4, "path_end")));
    }

    @Test
    void aRepliesFieldsAreReadFromTheWireFormat() {
        Completion c = CompletionsClient.parse("""
                {"choices": [{"text": "x", "finish_reason": "length", "logprobs": {"token_logprobs": [-0.5, null]}}],
                 "multiverse": {"finish_reason": "max_tokens", "token_ids": [7, 8]}}
                """);
        assertEquals(2, c.tokenIds().length);
        assertEquals(8, c.tokenIds()[1]);
        assertTrue(Double.isNaN(c.tokenLogprobs()[1]));
        assertEquals("length", c.finishReason());
        assertEquals("max_tokens", c.engineFinishReason());
        Completion vllm = CompletionsClient.parse("""
                {"choices": [{"finish_reason": "stop", "logprobs": {"tokens": ["token_id:5", "token_id:6"],
                  "token_logprobs": [-1.0, -2.0]}}]}
                """);
        assertEquals(6, vllm.tokenIds()[1]);
        assertEquals(null, vllm.engineFinishReason());
        assertThrows(CheckerException.class, () -> CompletionsClient.parse(
                "{\"choices\": [{\"logprobs\": {\"tokens\": [\"a\"], \"token_logprobs\": [-1]}}]}"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(CheckerException.class,
                () -> CompletionsClient.parse("{\"choices\": [{\"text\": \"x\"}]}"));
        assertTrue(e.getMessage().contains("no multiverse.token_ids"), e.getMessage());
    }
}
