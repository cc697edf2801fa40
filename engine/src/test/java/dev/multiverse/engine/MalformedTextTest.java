package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Spec section 5: every malformed structure ends cleanly, with the behaviour the engine documents,
 * and the result is still lossless for the text it produced.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MalformedTextTest {
    static final CharVocabulary V = EngineHarness.VOCAB;

    /** Replays {@code text} and checks the merged text is exactly it and lossless. */
    private static GenerationResult replay(String text, EngineConfig config, Budgets budgets) {
        var h = new EngineHarness(8192, config);
        int[] full = EngineHarness.withPrompt(V.encodeTagged(text));
        GenerationResult r = h.engine.generate(Request.scripted(EngineHarness.PROMPT,
                TextFollower.of(full, EngineHarness.PROMPT.length, V), budgets));
        assertArrayEquals(full, r.tokens());
        h.assertLossless(r);
        h.assertPoolEmpty();
        return r;
    }

    private static GenerationResult replay(String text) {
        return replay(text, EngineConfig.defaults(), EngineHarness.roomy());
    }

    private static boolean sequential(GenerationResult r) {
        return Arrays.stream(r.pathKeys()).allMatch(String::isEmpty) && r.trace().root().blocks().isEmpty();
    }

    private static String notes(GenerationResult r) {
        return String.join("|", r.trace().root().notes());
    }

    @Test
    void goalWithoutOutlineDoesNotFork() {
        var r = replay(" x\n<Parallel>\n<Goal>\n no plan\n</Goal>\n<Path>\n1: a</Path>\n done");
        assertTrue(sequential(r));
        assertTrue(notes(r).contains("malformed Goal") && notes(r).contains("no <Outline>"), notes(r));
        assertEquals(EndReason.END_OF_SCRIPT, r.finishReason());
    }

    @Test
    void outlineWithoutIdDoesNotFork() {
        var r = replay(" x\n<Goal>\n<Outline>\nfirst: a\n</Outline>\n</Goal>\n more");
        assertTrue(sequential(r));
        assertTrue(notes(r).contains("not numbers joined by dots"), notes(r));
        var r2 = replay(" x\n<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n1: b\n</Outline>\n</Goal>\n more");
        assertTrue(sequential(r2));
        assertTrue(notes(r2).contains("repeats the id 1"), notes(r2));
    }

    @Test
    void goalEndWithoutGoalDoesNotFork() {
        var r = replay(" abc</Goal>\n def");
        assertTrue(sequential(r));
        assertTrue(notes(r).contains("</Goal> without <Goal>"), notes(r));
    }

    @Test
    void pathEndAndConclusionEndOutOfPlaceAreText() {
        var r = replay(" abc</Path>\n de</Conclusion>\n f");
        assertTrue(sequential(r));
        assertTrue(notes(r).contains("</Path> outside any path"), notes(r));
        assertTrue(notes(r).contains("</Conclusion> with no open Conclusion"), notes(r));
        // Inside a path, a stray </Conclusion> does not end the path.
        var r2 = replay("<Goal>\n<Outline>\n1: a\n</Outline>\n</Goal>\n<Path>\n1: b</Conclusion> c</Path>\n"
                + "<Conclusion>\n d\n</Conclusion>\n e");
        Trace.Path path = r2.trace().root().blocks().get(0).paths().get(0);
        assertEquals("path_end", path.endReason());
        assertTrue(String.join("|", path.notes()).contains("</Conclusion> with no open Conclusion"));
    }

    @Test
    void moreOutlinesThanTheCapForkUpToTheCap() {
        String text = "<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n<Outline>\n3: c\n</Outline>\n"
                + "</Goal>\n<Path>\n1: x</Path>\n<Path>\n2: yy</Path>\n<Conclusion>\n z";
        var r = replay(text, EngineConfig.defaults(), EngineHarness.roomy().withMaxPathsPerBlock(2));
        Trace.Block block = r.trace().root().blocks().get(0);
        assertEquals(List.of("1", "2"), block.outlineIds());
        assertTrue(String.join("|", block.notes()).contains("3 outlines, capped to 2 paths; not forked: [3]"));
    }

    @Test
    void nestingBeyondTheDepthLimitStaysInThePath() {
        String text = "<Goal>\n<Outline>\n1: a\n</Outline>\n</Goal>\n<Path>\n1: b<Goal>\n<Outline>\n1.1: c\n</Outline>\n"
                + "</Goal>\n<Path>\n1.1: d</Path>\n<Conclusion>\n e\n</Conclusion>\n</Path>\n<Conclusion>\n f";
        var r = replay(text, EngineConfig.defaults().withMaxForkDepth(1), EngineHarness.roomy());
        Trace.Path path = r.trace().root().blocks().get(0).paths().get(0);
        assertTrue(path.blocks().isEmpty());
        assertTrue(String.join("|", path.notes()).contains("nesting limit is 1: no fork"), path.notes().toString());
        // The inner </Path> ends the outer path: the engine reads it as that path's end.
        assertEquals("path_end", path.endReason());
        var deeper = replay(text, EngineConfig.defaults().withMaxForkDepth(2), EngineHarness.roomy());
        assertEquals(1, deeper.trace().root().blocks().get(0).paths().get(0).blocks().size());
    }

    @Test
    void eosInsidePathIsClosedByTheEngine() {
        var h = new EngineHarness();
        String text = "<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n</Goal>\n<Path>\n1: xy</Path>\n"
                + "<Path>\n2: z</Path>\n<Conclusion>\n w";
        int[] full = EngineHarness.withPrompt(V.encodeTagged(text));
        var chooser = new EosInjector(TextFollower.of(full, EngineHarness.PROMPT.length, V), java.util.Set.of("/0:1"), "",
                V.tags().pathEnd(), CharVocabulary.EOS);
        GenerationResult r = h.engine.generate(Request.scripted(EngineHarness.PROMPT, chooser, EngineHarness.roomy()));
        assertArrayEquals(full, r.tokens(), "the engine wrote </Path>\\n where the model ended the path");
        Trace.Path path1 = r.trace().root().blocks().get(0).paths().get(0);
        assertEquals("eos", path1.endReason());
        int closing = EngineHarness.PROMPT.length + V.encodeTagged(text.substring(0, text.indexOf("</Path>"))).length;
        assertEquals(TokenEntry.Origin.FORCED, r.origins()[closing]);
        h.assertLossless(r);
        h.assertPoolEmpty();
    }

    @Test
    void maxTokensInsidePathEndsTheRequestAfterTheJoin() {
        String text = "<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n</Goal>\n<Path>\n1: x</Path>\n"
                + "<Path>\n2: long long long long</Path>\n<Conclusion>\n w";
        var h = new EngineHarness();
        int[] full = EngineHarness.withPrompt(V.encodeTagged(text));
        int pathStart = V.encodeTagged("<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n</Goal>\n").length;
        var budgets = EngineHarness.roomy().withMaxTokens(pathStart + 12);
        GenerationResult r = h.engine.generate(Request.scripted(EngineHarness.PROMPT,
                TextFollower.of(full, EngineHarness.PROMPT.length, V), budgets));
        assertEquals(EndReason.MAX_TOKENS, r.finishReason());
        var paths = r.trace().root().blocks().get(0).paths();
        assertEquals("path_end", paths.get(0).endReason());
        assertEquals("max_tokens", paths.get(1).endReason());
        assertEquals(12, paths.get(1).tokens().length);
        h.assertLossless(r);
        h.assertPoolEmpty();
    }

    @Test
    void replayOfATextThatStopsInsideABlockFailsClearly() {
        // The text stops inside path 2: the path's script runs out, the block joins, and the Conclusion the
        // engine inserts has no counterpart in the text: a clear error, not a made-up answer.
        var h = new EngineHarness();
        int[] full = EngineHarness.withPrompt(V.encodeTagged(
                "<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n</Goal>\n<Path>\n1: x</Path>\n<Path>\n2: y"));
        RequestHandle handle = h.engine.submit(Request.scripted(EngineHarness.PROMPT,
                TextFollower.of(full, EngineHarness.PROMPT.length, V), EngineHarness.roomy()));
        h.engine.runUntilIdle();
        var error = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                () -> handle.result().join());
        assertTrue(error.getCause() instanceof RequestFailedException);
        assertTrue(error.getMessage().contains("the engine inserts \"<Conclusion>\" (id 11) but the text has nothing more"),
                error.getMessage());
        h.assertPoolEmpty();
    }
}
