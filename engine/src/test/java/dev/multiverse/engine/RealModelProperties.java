package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.LogProbs;
import dev.multiverse.layout.Layout;
import java.nio.file.Files;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The lossless property on a real (tiny, random) Qwen2 on the CPU backend: for random trees, the
 * engine's log-probs equal the single forward pass over the merged text under the canonical layout
 * (the layout module's {@link Layout} for positions, the tree for the mask) within 1e-4, and greedy
 * tokens are the single pass's argmax.
 */
class RealModelProperties {
    static RandomQwen2 qwen;

    @BeforeContainer
    static void writeModel() throws Exception {
        qwen = RandomQwen2.write(Files.createTempDirectory("engine-qwen2-"), 20261123);
    }

    @AfterContainer
    static void closeModel() throws Exception {
        qwen.close();
    }

    /** Single-pass logits of a result's merged text, under its tree's mask and positions. */
    static float[][] singlePass(GenerationResult r, TreeOracle oracle) {
        return qwen.model.forward(r.tokens(), oracle.positions, oracle::visible);
    }

    @Property(tries = 12)
    void replayedTreesScoreLikeTheSinglePass(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int depth) {
        var text = TaggedText.generate(seed, depth);
        var engine = new Engine(qwen.backend(4096), EngineHarness.VOCAB, EngineConfig.defaults().withPrefillChunk(5));
        GenerationResult r = engine.generate(EngineHarness.replay(text, EngineHarness.roomy()));
        assertArrayEquals(EngineHarness.withPrompt(text.tokenArray()), r.tokens());
        // The layout module, from the text alone, gives the positions the engine used.
        assertArrayEquals(Layout.of(r.tokens(), EngineHarness.VOCAB.tags()).positions(), r.positions());
        var oracle = new TreeOracle(r.pathKeys());
        float[][] rows = singlePass(r, oracle);
        for (int j = r.promptLength(); j < r.tokens().length; j++) {
            int pred = oracle.predecessor(j);
            assertEquals(LogProbs.logProb(rows[pred], r.tokens()[j]), r.logprobs()[j], 1e-4,
                    "log-prob of token " + j);
        }
        assertEquals(0, engine.pool().usedSlots());
    }

    @Property(tries = 6)
    void budgetCutTreesScoreLikeTheSinglePass(@ForAll long seed, @ForAll @IntRange(min = 20, max = 120) int maxTokens,
                                              @ForAll @IntRange(min = 20, max = 300) int maxTotal) {
        var text = TaggedText.generate(seed, 2);
        var engine = new Engine(qwen.backend(4096), EngineHarness.VOCAB, EngineConfig.defaults());
        var budgets = EngineHarness.roomy().withMaxTokens(maxTokens).withMaxTotalTokens(maxTotal);
        GenerationResult r = engine.generate(EngineHarness.replay(text, budgets));
        var oracle = new TreeOracle(r.pathKeys());
        assertArrayEquals(oracle.positions, r.positions());
        float[][] rows = singlePass(r, oracle);
        for (int j = r.promptLength(); j < r.tokens().length; j++)
            assertEquals(LogProbs.logProb(rows[oracle.predecessor(j)], r.tokens()[j]), r.logprobs()[j], 1e-4, "token " + j);
        assertTrue(r.stats().totalTokens() <= maxTotal);
        assertEquals(0, engine.pool().usedSlots());
    }

    @Property(tries = 6)
    void greedyTokensAreTheSinglePassArgmax(@ForAll @IntRange(min = 60, max = 110) int maxTokens) {
        var engine = new Engine(qwen.backend(4096), EngineHarness.VOCAB, EngineConfig.defaults());
        var chooser = new PrefixThenSample(EngineHarness.VOCAB.encodeTagged(EngineTest.GOAL), SamplingParams.greedy());
        GenerationResult r = engine.generate(Request.scripted(EngineHarness.PROMPT, chooser,
                EngineHarness.roomy().withMaxTokens(maxTokens)));
        var oracle = new TreeOracle(r.pathKeys());
        float[][] rows = singlePass(r, oracle);
        int checked = 0;
        for (int j = r.promptLength(); j < r.tokens().length; j++) {
            if (r.origins()[j] != TokenEntry.Origin.SAMPLED || r.pathKeys()[j].isEmpty()) continue;
            float[] logits = rows[oracle.predecessor(j)];
            int best = LogProbs.argmax(logits);
            // Equal, or a near-tie that float rounding between batched and single-pass may flip.
            assertTrue(best == r.tokens()[j] || logits[best] - logits[r.tokens()[j]] < 1e-4, "token " + j);
            assertEquals(LogProbs.logProb(logits, r.tokens()[j]), r.logprobs()[j], 1e-4);
            checked++;
        }
        assertTrue(checked >= 3, "greedy tokens checked: " + checked);
        assertEquals(0, engine.pool().usedSlots());
    }

    @Property(tries = 4)
    void sampledTokensDoNotDependOnTheBatch(@ForAll @IntRange(min = 0, max = 1000) int seed) {
        var params = new SamplingParams(1.0, 0, 0.9, 0, 1.05, java.util.List.of(), seed);
        java.util.function.Supplier<Request> mine = () -> Request.scripted(EngineHarness.PROMPT,
                new PrefixThenSample(EngineHarness.VOCAB.encodeTagged(EngineTest.GOAL), params),
                EngineHarness.roomy().withMaxTokens(80));
        GenerationResult alone = new Engine(qwen.backend(4096), EngineHarness.VOCAB, EngineConfig.defaults()).generate(mine.get());

        var engine = new Engine(qwen.backend(4096), EngineHarness.VOCAB, EngineConfig.defaults());
        engine.submit(Request.scripted(EngineHarness.VOCAB.encodeTagged(" another question"),
                new PrefixThenSample(EngineHarness.VOCAB.encodeTagged(EngineTest.GOAL), SamplingParams.sampled(0.8, seed + 1)),
                EngineHarness.roomy().withMaxTokens(90)));
        engine.step();
        RequestHandle handle = engine.submit(mine.get());
        engine.submit(Request.sampled(EngineHarness.VOCAB.encodeTagged(" third"), SamplingParams.sampled(1.2, 3),
                EngineHarness.roomy().withMaxTokens(50)));
        engine.runUntilIdle();
        GenerationResult beside = handle.result().join();
        assertArrayEquals(alone.tokens(), beside.tokens());
        assertArrayEquals(alone.positions(), beside.positions());
        for (int j = alone.promptLength(); j < alone.tokens().length; j++)
            assertEquals(alone.logprobs()[j], beside.logprobs()[j], 1e-5, "log-prob of token " + j);
        assertEquals(0, engine.pool().usedSlots());
    }
}
