package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The engine's central property on the fake backend: a replayed tree reproduces its text, at the
 * canonical positions, with every log-prob equal to the single pass over the merged text; and
 * budget cuts leave a text for which the same holds.
 */
class LosslessProperties {

    @Property(tries = 80)
    void replayReproducesTheTextLosslessly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int depth,
                                           @ForAll @IntRange(min = 1, max = 8) int chunk) {
        var text = TaggedText.generate(seed, depth);
        var h = new EngineHarness(8192, EngineConfig.defaults().withPrefillChunk(chunk));
        GenerationResult result = h.engine.generate(EngineHarness.replay(text, EngineHarness.roomy()));
        assertEquals(EndReason.END_OF_SCRIPT, result.finishReason());
        assertArrayEquals(EngineHarness.withPrompt(text.tokenArray()), result.tokens(), "the merged text is the text");
        String[] expectedKeys = new String[result.tokens().length];
        java.util.Arrays.fill(expectedKeys, "");
        for (int i = 0; i < text.keys.size(); i++) expectedKeys[EngineHarness.PROMPT.length + i] = text.keys.get(i);
        assertArrayEquals(expectedKeys, result.pathKeys(), "every token belongs to the path that wrote it");
        h.assertLossless(result);
        h.assertPoolEmpty();
        Stats stats = result.stats();
        assertEquals(text.tokens.size(), stats.totalTokens());
        assertTrue(stats.criticalPath() <= stats.totalTokens());
    }

    @Property(tries = 60)
    void budgetCutsStayLossless(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int depth,
                                @ForAll @IntRange(min = 1, max = 120) int maxTokens,
                                @ForAll @IntRange(min = 1, max = 400) int maxTotal) {
        var text = TaggedText.generate(seed, depth);
        var h = new EngineHarness();
        var budgets = EngineHarness.roomy().withMaxTokens(maxTokens).withMaxTotalTokens(maxTotal);
        GenerationResult result = h.engine.generate(EngineHarness.replay(text, budgets));
        h.assertLossless(result);
        h.assertPoolEmpty();
        int largest = java.util.Arrays.stream(result.positions()).max().orElseThrow();
        assertTrue(largest <= EngineHarness.PROMPT.length + maxTokens - 1, "critical path within max_tokens");
        assertTrue(result.stats().totalTokens() <= maxTotal, "total within max_total_tokens");
        for (int j = result.promptLength(); j < result.tokens().length; j++)
            assertTrue(Double.isFinite(result.logprobs()[j]), "token " + j + " is scored");
    }
}
