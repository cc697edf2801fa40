package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.LogProbs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link EngineListener#onLogits} hands over the distribution each sampled token is chosen from and scored against. */
class ListenerLogitsTest {
    static final CharVocabulary V = EngineHarness.VOCAB;

    @Test
    void everySampledTokenFollowsTheLogitsItsPathWasJustShown() {
        String goal = " so.\n<Parallel>\n<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n</Goal>";
        var request = Request.scripted(V.encodeTagged(" hi"),
                new PrefixThenSample(V.encodeTagged(goal), SamplingParams.greedy()), EngineHarness.roomy().withMaxTokens(70));
        Map<String, float[]> shown = new HashMap<>();
        Map<String, List<Double>> scoredByPath = new HashMap<>();
        var listener = new EngineListener() {
            @Override
            public void onLogits(long id, String pathKey, float[] logits) {
                shown.put(pathKey, logits.clone());
            }

            @Override
            public void onToken(long id, String pathKey, int token, TokenEntry.Origin origin) {
                if (origin != TokenEntry.Origin.SAMPLED) return;
                float[] logits = shown.remove(pathKey);
                assertNotNull(logits, "logits shown before sampled token " + token + " of " + pathKey);
                scoredByPath.computeIfAbsent(pathKey, k -> new ArrayList<>()).add(LogProbs.logProb(logits, token));
            }
        };
        GenerationResult r = new EngineHarness().engine.generate(request.withListener(listener));
        assertTrue(r.stats().paths() == 2, "the request forked");
        Map<String, Integer> seen = new HashMap<>();
        int sampled = 0;
        for (int j = r.promptLength(); j < r.tokens().length; j++) {
            if (r.origins()[j] != TokenEntry.Origin.SAMPLED) continue;
            String key = r.pathKeys()[j];
            int k = seen.merge(key, 1, Integer::sum) - 1;
            assertEquals(r.logprobs()[j], scoredByPath.get(key).get(k), 1e-12, "token " + j + " of " + key);
            sampled++;
        }
        assertEquals(sampled, scoredByPath.values().stream().mapToInt(List::size).sum(), "one logits call per sampled token kept");
    }
}
