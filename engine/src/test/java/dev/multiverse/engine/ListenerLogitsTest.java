package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.ChoiceReference;
import dev.multiverse.contract.LogProbs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineListener#onAlternatives} hands over, before each sampled token, the most likely ids
 * of the distribution that token was drawn from and scored against: checked against the single
 * pass over the merged text.
 */
class ListenerLogitsTest {
    static final CharVocabulary V = EngineHarness.VOCAB;

    @Test
    void everySampledTokenComesWithTheTopAlternativesOfItsDistribution() {
        String goal = " so.\n<Parallel>\n<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n</Goal>";
        var request = Request.scripted(V.encodeTagged(" hi"),
                new PrefixThenSample(V.encodeTagged(goal), SamplingParams.sampled(0.8, 5)), EngineHarness.roomy().withMaxTokens(70));
        Map<String, int[]> shownIds = new HashMap<>();
        Map<String, double[]> shownLogprobs = new HashMap<>();
        Map<String, List<int[]>> idsByPath = new HashMap<>();
        Map<String, List<double[]>> logprobsByPath = new HashMap<>();
        var listener = new EngineListener() {
            @Override
            public int topLogprobs() {
                return 3;
            }

            @Override
            public void onAlternatives(long id, String pathKey, int[] ids, double[] logprobs) {
                shownIds.put(pathKey, ids.clone());
                shownLogprobs.put(pathKey, logprobs.clone());
            }

            @Override
            public void onToken(long id, String pathKey, int token, TokenEntry.Origin origin) {
                if (origin != TokenEntry.Origin.SAMPLED) return;
                int[] ids = shownIds.remove(pathKey);
                if (ids == null) return; // a prefix token: given, not chosen
                idsByPath.computeIfAbsent(pathKey, k -> new ArrayList<>()).add(ids);
                logprobsByPath.computeIfAbsent(pathKey, k -> new ArrayList<>()).add(shownLogprobs.remove(pathKey));
            }
        };
        var h = new EngineHarness();
        GenerationResult r = h.engine.generate(request.withListener(listener));
        assertTrue(r.stats().paths() == 2, "the request forked");
        h.assertLossless(r);
        var oracle = new TreeOracle(r.pathKeys());
        float[][] rows = h.backend.singlePass(r.tokens(), oracle.positions, oracle::visible);
        Map<String, Integer> seen = new HashMap<>();
        int checked = 0;
        for (int j = r.promptLength(); j < r.tokens().length; j++) {
            String key = r.pathKeys()[j];
            if (r.origins()[j] != TokenEntry.Origin.SAMPLED || !idsByPath.containsKey(key)) continue;
            int k = seen.merge(key, 1, Integer::sum) - 1;
            if (k >= idsByPath.get(key).size()) continue;
            float[] logits = rows[oracle.predecessor(j)];
            int[] want = ChoiceReference.top(logits, 3, logits.length);
            assertArrayEquals(want, idsByPath.get(key).get(k), "alternatives of token " + j + " of " + key);
            for (int a = 0; a < 3; a++)
                assertEquals(LogProbs.logProb(logits, want[a]), logprobsByPath.get(key).get(k)[a], 1e-9, "token " + j);
            assertNotNull(idsByPath.get(key));
            checked++;
        }
        assertTrue(checked > 10, "sampled tokens checked: " + checked);
    }
}
