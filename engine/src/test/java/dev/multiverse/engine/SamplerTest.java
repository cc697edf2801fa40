package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.ChoiceReference;
import dev.multiverse.contract.LogProbs;
import dev.multiverse.contract.Pick;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {
    /** The token a sampler's next pick gives on LOGITS, after seeing {@code seen}. */
    static int draw(Sampler sampler, int choosable, int... seen) {
        Pick pick = sampler.next(choosable);
        return ChoiceReference.choose(LOGITS, pick.rule(), seen, pick.uniform());
    }

    static int draw(Sampler sampler) {
        return draw(sampler, LOGITS.length);
    }

    static final float[] LOGITS = {1.0f, 3.0f, 2.9f, -1.0f, 0.5f};

    static int[] histogram(SamplingParams p, String key, int draws) {
        var s = new Sampler(p, key);
        int[] h = new int[LOGITS.length];
        for (int i = 0; i < draws; i++) h[draw(s)]++;
        return h;
    }

    @Test
    void greedyIsTheArgmaxWithTiesToTheLowestId() {
        assertEquals(1, draw(new Sampler(SamplingParams.greedy(), "")));
        assertEquals(0, LogProbs.argmax(new float[] {2, 2, 1}));
    }

    @Test
    void temperatureSamplingFollowsTheSoftmax() {
        int n = 20000;
        int[] h = histogram(SamplingParams.sampled(1.0, 7), "", n);
        double z = 0;
        for (float l : LOGITS) z += Math.exp(l);
        for (int v = 0; v < LOGITS.length; v++) {
            double p = Math.exp(LOGITS[v]) / z;
            assertEquals(p, h[v] / (double) n, 4 * Math.sqrt(p * (1 - p) / n) + 1e-3, "token " + v);
        }
    }

    @Test
    void filtersKeepOnlyWhatTheyShould() {
        var topK2 = new SamplingParams(1.0, 2, 1, 0, 1, List.of(), 3);
        int[] h = histogram(topK2, "", 2000);
        assertEquals(0, h[0] + h[3] + h[4]);
        assertTrue(h[1] > 0 && h[2] > 0);
        // top-p 0.5: token 1 alone has p ~ 0.46 < 0.5, so tokens 1 and 2 are kept.
        int[] p = histogram(new SamplingParams(1.0, 0, 0.5, 0, 1, List.of(), 3), "", 2000);
        assertEquals(0, p[0] + p[3] + p[4]);
        assertTrue(p[2] > 0);
        int[] tiny = histogram(new SamplingParams(1.0, 0, 0.01, 0, 1, List.of(), 3), "", 500);
        assertEquals(500, tiny[1]);
        // min-p 0.5: exp(1 - 3) ~ 0.14 < 0.5 drops token 0; exp(-0.1) ~ 0.9 keeps token 2.
        int[] m = histogram(new SamplingParams(1.0, 0, 1, 0.5, 1, List.of(), 3), "", 2000);
        assertEquals(0, m[0] + m[3] + m[4]);
        assertTrue(m[2] > 0);
    }

    @Test
    void paddingIdsAreNeverChosen() {
        assertEquals(0, draw(new Sampler(SamplingParams.greedy(), ""), 1));
        assertEquals(0, draw(new Sampler(SamplingParams.sampled(2.0, 1), ""), 1));
        assertEquals(1, new Sampler(SamplingParams.sampled(2.0, 1), "").next(1).rule().choosable(), "the pick carries the limit");
    }

    @Test
    void repetitionPenaltyLowersSeenTokens() {
        var p = new SamplingParams(0, 0, 1, 0, 2.0, List.of(), 0);
        assertEquals(1, draw(new Sampler(p, "")));
        assertEquals(2, draw(new Sampler(p, ""), LOGITS.length, 1, 1, 4));
    }

    @Test
    void streamsDependOnSeedAndPathKeyOnly() {
        var p = SamplingParams.sampled(1.0, 11);
        assertEquals(java.util.Arrays.toString(histogram(p, "/0:1", 300)), java.util.Arrays.toString(histogram(p, "/0:1", 300)));
        var a = new Sampler(p, "/0:1");
        var b = new Sampler(p, "/0:2");
        var sa = new StringBuilder();
        var sb = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            sa.append(draw(a));
            sb.append(draw(b));
        }
        assertNotEquals(sa.toString(), sb.toString());
        assertNotEquals(Sampler.streamSeed(11, "/0:1"), Sampler.streamSeed(12, "/0:1"));
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(-1, 0, 1, 0, 1, List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, -1, 1, 0, 1, List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, 0, 0, 1, List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, 1, 1, 1, List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, 1, 0, 0, List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, 1, 0, 1, List.of(""), 0));
        assertThrows(IllegalArgumentException.class, () -> Budgets.defaults().withMaxTokens(0));
        assertThrows(IllegalArgumentException.class, () -> Budgets.defaults().withTimeout(java.time.Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.defaults().withMaxForkDepth(-1));
    }
}
