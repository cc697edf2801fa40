package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.LogProbs;
import java.time.Duration;

/** Runs scripted texts through an engine over {@link FakeBackend} and checks them against the single pass. */
final class EngineHarness {
    static final CharVocabulary VOCAB = new CharVocabulary();
    static final int[] PROMPT = VOCAB.encodeTagged(" what is it");

    final FakeBackend backend;
    final Engine engine;

    EngineHarness(int slots, EngineConfig config) {
        backend = new FakeBackend(CharVocabulary.SIZE, slots);
        engine = new Engine(backend, VOCAB, config);
    }

    EngineHarness() {
        this(8192, EngineConfig.defaults());
    }

    static Budgets roomy() {
        return new Budgets(100_000, 4000, 16, Duration.ofMinutes(1));
    }

    /** The prompt followed by {@code text}. */
    static int[] withPrompt(int[] text) {
        int[] full = new int[PROMPT.length + text.length];
        System.arraycopy(PROMPT, 0, full, 0, PROMPT.length);
        System.arraycopy(text, 0, full, PROMPT.length, text.length);
        return full;
    }

    /** A request that replays {@code text} (the generated part) after {@link #PROMPT}. */
    static Request replay(TaggedText text, Budgets budgets) {
        int[] full = withPrompt(text.tokenArray());
        var follower = TextFollower.of(full, PROMPT.length, VOCAB);
        var chooser = new EosInjector(follower, text.eosPaths, "", VOCAB.tags().pathEnd(), CharVocabulary.EOS);
        return Request.scripted(PROMPT, chooser, budgets);
    }

    /**
     * The lossless property: the result's positions are the canonical layout of its own tree, and
     * every generated token's log-prob equals the single pass's at its predecessor row.
     */
    void assertLossless(GenerationResult result) {
        var oracle = new TreeOracle(result.pathKeys());
        assertArrayEquals(oracle.positions, result.positions(), "positions follow the canonical layout");
        float[][] rows = backend.singlePass(result.tokens(), oracle.positions, oracle::visible);
        for (int j = result.promptLength(); j < result.tokens().length; j++) {
            int pred = oracle.predecessor(j);
            double expected = LogProbs.logProb(rows[pred], result.tokens()[j]);
            assertEquals(expected, result.logprobs()[j], 1e-9, "log-prob of token " + j);
        }
    }

    /** Nothing is left in the pool once every request has finished. */
    void assertPoolEmpty() {
        assertEquals(0, engine.pool().usedSlots(), "slots still held");
        assertEquals(0, engine.pool().reservedSlots(), "slots still promised");
        assertTrue(!engine.hasWork());
    }
}
