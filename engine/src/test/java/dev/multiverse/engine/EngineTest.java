package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.LogProbs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Greedy decoding, batching, and the statistics, on the fake backend. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EngineTest {
    static final CharVocabulary V = EngineHarness.VOCAB;
    static final String GOAL = " so.\n<Parallel>\n<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n"
            + "<Outline>\n3: c\n</Outline>\n</Goal>";

    @Test
    void greedyTokensAreTheArgmaxOfTheSinglePass() {
        for (int maxTokens : new int[] {60, 75, 90}) {
            var h = new EngineHarness();
            var chooser = new PrefixThenSample(V.encodeTagged(GOAL), SamplingParams.greedy());
            var budgets = EngineHarness.roomy().withMaxTokens(maxTokens);
            GenerationResult result = h.engine.generate(Request.scripted(EngineHarness.PROMPT, chooser, budgets));
            assertTrue(result.stats().paths() >= 3, "the block forked");
            h.assertLossless(result);
            var oracle = new TreeOracle(result.pathKeys());
            float[][] rows = h.backend.singlePass(result.tokens(), oracle.positions, oracle::visible);
            int sampled = 0;
            for (int j = result.promptLength(); j < result.tokens().length; j++) {
                if (!isSampledAfterPrefix(result, j)) continue;
                assertEquals(LogProbs.argmax(rows[oracle.predecessor(j)]), result.tokens()[j], "token " + j);
                sampled++;
            }
            assertTrue(sampled > 20, "enough greedy tokens checked: " + sampled);
            h.assertPoolEmpty();
        }
    }

    /** Tokens the children sampled greedily (the root's prefix is scripted, forced tokens are not chosen). */
    private static boolean isSampledAfterPrefix(GenerationResult r, int j) {
        return !r.pathKeys()[j].isEmpty() && r.origins()[j] == TokenEntry.Origin.SAMPLED;
    }

    @Test
    void sampledRequestGivesTheSameTokensAloneAndBesideOthers() {
        var params = new SamplingParams(1.0, 20, 0.95, 0.01, 1.1, List.of(), 1234);
        GenerationResult alone = new EngineHarness().engine.generate(forking(params, 60));

        var h = new EngineHarness();
        List<RequestHandle> others = new ArrayList<>();
        others.add(h.engine.submit(forking(new SamplingParams(0.7, 0, 1, 0, 1, List.of(), 99), 70)));
        h.engine.step();
        h.engine.step();
        RequestHandle mine = h.engine.submit(forking(params, 60));
        h.engine.step();
        others.add(h.engine.submit(Request.sampled(V.encodeTagged(" other"), SamplingParams.sampled(1.3, 5),
                EngineHarness.roomy().withMaxTokens(40))));
        h.engine.runUntilIdle();
        GenerationResult beside = mine.result().join();
        assertArrayEquals(alone.tokens(), beside.tokens());
        assertArrayEquals(alone.positions(), beside.positions());
        assertArrayEquals(alone.pathKeys(), beside.pathKeys());
        for (var o : others) assertTrue(o.result().join().stats().totalTokens() > 0);
        assertTrue(h.backend.batchSizes.stream().mapToInt(Integer::intValue).max().orElseThrow() >= 5,
                "paths of several requests shared steps");
        h.assertPoolEmpty();
    }

    private static Request forking(SamplingParams params, int maxTokens) {
        return Request.scripted(EngineHarness.PROMPT, new PrefixThenSample(V.encodeTagged(GOAL), params),
                EngineHarness.roomy().withMaxTokens(maxTokens));
    }

    @Test
    void statisticsCountTheTree() {
        String text = GOAL + "\n<Path>\n1: ab</Path>\n<Path>\n2: abcdef</Path>\n<Path>\n3:</Path>\n"
                + "<Conclusion>\n x\n</Conclusion>\n</Parallel>\n done";
        var h = new EngineHarness();
        int[] full = EngineHarness.withPrompt(V.encodeTagged(text));
        GenerationResult r = h.engine.generate(Request.scripted(EngineHarness.PROMPT,
                TextFollower.of(full, EngineHarness.PROMPT.length, V), EngineHarness.roomy()));
        Stats s = r.stats();
        int generated = full.length - EngineHarness.PROMPT.length;
        assertEquals(generated, s.totalTokens());
        // Paths 1, 2, 3 have 7, 11 and 5 tokens with their closing newline; the longest counts.
        int path1 = V.encodeTagged("<Path>\n1: ab</Path>\n").length;
        int path2 = V.encodeTagged("<Path>\n2: abcdef</Path>\n").length;
        int path3 = V.encodeTagged("<Path>\n3:</Path>\n").length;
        assertEquals(generated - path1 - path3, s.criticalPath());
        assertEquals((double) generated / (generated - path1 - path3), s.parallelismRatio(), 1e-12);
        assertEquals(3, s.paths());
        Trace.Block block = r.trace().root().blocks().get(0);
        assertEquals(List.of("1", "2", "3"), block.outlineIds());
        assertEquals("path_end", block.paths().get(1).endReason());
        assertEquals(path2, block.paths().get(1).tokens().length);
        // Fewer steps than tokens: the paths advanced together.
        assertTrue(s.steps() < generated - path1 - path3 + 1, "steps " + s.steps());
        h.assertLossless(r);
    }
}
