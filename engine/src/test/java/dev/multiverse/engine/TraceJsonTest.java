package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TraceJsonTest {
    @Test
    void traceHasTheTreeAndTheStats() throws Exception {
        var v = EngineHarness.VOCAB;
        String text = "<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n</Goal>\n<Path>\n1: x</Path>\n"
                + "<Path>\n2: yz</Path>\n<Conclusion>\n w";
        int[] full = EngineHarness.withPrompt(v.encodeTagged(text));
        GenerationResult r = new EngineHarness().engine.generate(Request.scripted(EngineHarness.PROMPT,
                TextFollower.of(full, EngineHarness.PROMPT.length, v), EngineHarness.roomy()));
        JsonNode json = new ObjectMapper().readTree(TraceJson.write(TraceJson.of(r)));
        assertEquals("end_of_script", json.get("finish_reason").asText());
        assertTrue(json.get("logprobs").get(0).isNull());
        assertTrue(json.get("logprobs").get(EngineHarness.PROMPT.length).isNumber());
        JsonNode block = json.get("trace").get("blocks").get(0);
        assertEquals("2", block.get("outline_ids").get(1).asText());
        JsonNode path2 = block.get("paths").get(1);
        assertEquals("/0:2", path2.get("key").asText());
        assertEquals("path_end", path2.get("end_reason").asText());
        assertEquals(v.encodeTagged("<Path>\n2: yz</Path>\n").length, path2.get("tokens").size());
        assertEquals(r.stats().criticalPath(), json.get("stats").get("critical_path").asInt());
        assertEquals(r.stats().parallelismRatio(), json.get("stats").get("parallelism_ratio").asDouble(), 1e-12);
        assertEquals(text, json.get("text").asText());
    }
}
