package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.Pick;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deadlines, cancellation, the KV pool's admission, stop strings, and that one request never harms another. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LimitsTest {
    static final CharVocabulary V = EngineHarness.VOCAB;

    /** A script that never ends: always the letter a. */
    static final TokenChooser FOREVER = new TokenChooser() {
        @Override
        public Pick next(int choosable) {
            return Pick.given(CharVocabulary.id('a'));
        }

        @Override
        public TokenChooser child(int index, String outlineId, String pathKey) {
            return this;
        }
    };

    @Test
    void deadlineEndsARequestThatWouldRunOn() {
        var h = new EngineHarness();
        var budgets = new Budgets(1_000_000, 1_000_000, 16, Duration.ofMillis(150));
        var h2 = new EngineHarness(2_000_000, EngineConfig.defaults());
        long submitted = System.nanoTime();
        GenerationResult r = h2.engine.generate(Request.scripted(EngineHarness.PROMPT, FOREVER, budgets));
        double sinceSubmission = (System.nanoTime() - submitted) / 1e6;
        assertEquals(EndReason.DEADLINE, r.finishReason());
        // The deadline counts from submission; the stats' wall time from admission, a little later.
        assertTrue(sinceSubmission >= 150, "ended " + sinceSubmission + " ms after submission");
        assertTrue(r.stats().wallMs() <= sinceSubmission, r.stats().wallMs() + " ms since admission");
        h2.assertPoolEmpty();
        h.assertPoolEmpty();
    }

    @Test
    void cancelStopsAForkedRequestAndLeavesTheOtherUntouched() {
        String goal = " so.\n<Parallel>\n<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n</Goal>";
        var params = SamplingParams.sampled(1.0, 42);
        java.util.function.Supplier<Request> other = () -> Request.scripted(V.encodeTagged(" hi"),
                new PrefixThenSample(V.encodeTagged(goal), params), EngineHarness.roomy().withMaxTokens(70));
        GenerationResult alone = new EngineHarness().engine.generate(other.get());

        var h = new EngineHarness();
        RequestHandle victim = h.engine.submit(Request.scripted(EngineHarness.PROMPT,
                new PrefixThenSample(V.encodeTagged(goal), params), EngineHarness.roomy().withMaxTokens(500)));
        RequestHandle kept = h.engine.submit(other.get());
        for (int i = 0; i < 45; i++) h.engine.step();
        victim.cancel();
        h.engine.runUntilIdle();
        GenerationResult cancelled = victim.result().join();
        assertEquals(EndReason.CANCELLED, cancelled.finishReason());
        assertTrue(cancelled.stats().paths() == 2, "cancelled while forked");
        h.assertLossless(cancelled);
        assertArrayEquals(alone.tokens(), kept.result().join().tokens());
        h.assertPoolEmpty();
    }

    @Test
    void requestLargerThanThePoolFailsAtOnceWithAClearMessage() {
        var h = new EngineHarness(100, EngineConfig.defaults());
        RequestHandle handle = h.engine.submit(Request.scripted(EngineHarness.PROMPT, FOREVER,
                EngineHarness.roomy().withMaxTotalTokens(200)));
        h.engine.runUntilIdle();
        var e = assertThrows(CompletionException.class, () -> handle.result().join());
        assertTrue(e.getMessage().contains("needs up to " + (EngineHarness.PROMPT.length + 200)
                + " KV slots (prompt 11 + max_total_tokens 200) but the pool holds 100"), e.getMessage());
        h.assertPoolEmpty();
    }

    @Test
    void admissionWaitsForSlotsThenServesEveryRequest() {
        var h = new EngineHarness(100, EngineConfig.defaults());
        var budgets = EngineHarness.roomy().withMaxTotalTokens(60);
        RequestHandle first = h.engine.submit(Request.scripted(EngineHarness.PROMPT, FOREVER, budgets));
        RequestHandle second = h.engine.submit(Request.scripted(EngineHarness.PROMPT, FOREVER, budgets));
        h.engine.step();
        assertTrue(h.engine.pool().reservedSlots() == 71, "only the first fits");
        h.engine.runUntilIdle();
        assertEquals(EndReason.MAX_TOTAL_TOKENS, first.result().join().finishReason());
        assertEquals(EndReason.MAX_TOTAL_TOKENS, second.result().join().finishReason());
        assertEquals(60, second.result().join().stats().totalTokens());
        assertTrue(h.backend.batchSizes.stream().allMatch(n -> n == 1), "never ran together");
        h.assertPoolEmpty();
    }

    @Test
    void deadlineWhileWaitingForAdmissionFails() {
        var h = new EngineHarness(100, EngineConfig.defaults());
        h.engine.submit(Request.scripted(EngineHarness.PROMPT, FOREVER, EngineHarness.roomy().withMaxTotalTokens(80)));
        RequestHandle late = h.engine.submit(Request.scripted(EngineHarness.PROMPT, FOREVER,
                EngineHarness.roomy().withMaxTotalTokens(80).withTimeout(Duration.ofNanos(1))));
        h.engine.runUntilIdle();
        var e = assertThrows(CompletionException.class, () -> late.result().join());
        assertTrue(e.getMessage().contains("deadline before admission"), e.getMessage());
        h.assertPoolEmpty();
    }

    @Test
    void stopStringEndsTheRootAndClosesAPath() {
        var h = new EngineHarness();
        String text = " so<Goal>\n<Outline>\n1: a\n</Outline>\n</Goal>\n<Path>\n1: x stop y</Path>\n<Conclusion>\n z stop w";
        int[] full = EngineHarness.withPrompt(V.encodeTagged(text));
        var params = SamplingParams.greedy().withStopStrings(List.of("stop"));
        var request = new Request(EngineHarness.PROMPT, params, EngineHarness.roomy(),
                TextFollower.of(full, EngineHarness.PROMPT.length, V), null);
        // The path stops at "stop": the engine closes it, so the text no longer matches: replay reports it.
        RequestHandle handle = h.engine.submit(request);
        h.engine.runUntilIdle();
        var e = assertThrows(CompletionException.class, () -> handle.result().join());
        assertTrue(e.getMessage().contains("the engine inserts \"</Path>\""), e.getMessage());
        // In the root a stop string finishes the request with the tokens that completed it.
        int[] plain = EngineHarness.withPrompt(V.encodeTagged(" one stop two"));
        var root = new Request(EngineHarness.PROMPT, params, EngineHarness.roomy(),
                TextFollower.of(plain, EngineHarness.PROMPT.length, V), null);
        GenerationResult r = h.engine.generate(root);
        assertEquals(EndReason.STOP_STRING, r.finishReason());
        assertEquals(" one stop", r.text());
        h.assertPoolEmpty();
    }
}
