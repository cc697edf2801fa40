package dev.multiverse.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.ChoiceReference;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.TokenRule;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The device readout (log_sum_exp_rows, choose_tokens, readout_logprobs) against ChoiceReference
 * over random logits: odd vocabulary sizes, ties, top-k/top-p/min-p edges, penalties, banned ids,
 * choosable below the vocabulary, top-N, given tokens and row log-probs, several sequences at once.
 *
 * <p>Log-probs must agree within 1e-4. The token must be the reference's, except at a boundary:
 * the device sums in a different order, so where the reference's decision lies within rounding
 * of an edge the device may fall on the other side. Precisely, a different token is accepted only
 * if the reference gives it with the uniform nudged by ±1e-5, or with one of its filters' edges
 * nudged by 1e-5 relative (top-p P·(1 ± 1e-5), min-p m·(1 ± 1e-5)); such cases are counted and
 * must stay rare (at most 2% of the chosen rows).
 */
@AddLifecycleHook(RequiresGpu.class)
class GpuReadoutProperties {
    static Gpu gpu;
    static final AtomicInteger chosen = new AtomicInteger(), boundary = new AtomicInteger();

    @BeforeContainer
    static void open() {
        gpu = new Gpu();
    }

    @AfterContainer
    static void close() {
        System.out.printf("GpuReadoutProperties: %d chosen rows, %d decided at a rounding boundary%n", chosen.get(), boundary.get());
        if (gpu != null) gpu.close();
        assertTrue(boundary.get() <= Math.max(2, chosen.get() / 50), boundary.get() + " boundary cases of " + chosen.get());
    }

    @AfterTry
    void freeTry() {
        gpu.freeBuffers();
    }

    /** One sequence's readout request over random logits. */
    record Case(float[][] logits, int[] rowTokens, int[] seen, Readout readout) {}

    static Case randomCase(Random random, int vocab) {
        int rows = random.nextInt(4) == 0 ? 1 + random.nextInt(4) : 1;
        float scale = 0.5f + random.nextInt(8);
        float[][] logits = new float[rows][];
        for (int r = 0; r < rows; r++) {
            logits[r] = Gpu.gaussian(random, vocab, scale);
            for (int t = 0; t < random.nextInt(4); t++) logits[r][random.nextInt(vocab)] = logits[r][random.nextInt(vocab)]; // ties
            if (random.nextBoolean()) { // a tie at the top
                int best = 0;
                for (int i = 1; i < vocab; i++) if (logits[r][i] > logits[r][best]) best = i;
                logits[r][random.nextInt(vocab)] = logits[r][best];
            }
        }
        int[] context = random.ints(random.nextInt(40), 0, vocab).toArray(), rowTokens = random.ints(rows, 0, vocab).toArray();
        int[] seen = Arrays.copyOf(context, context.length + rows);
        System.arraycopy(rowTokens, 0, seen, context.length, rows);
        int choosable = random.nextBoolean() ? vocab : 1 + random.nextInt(vocab);
        int[] banned = random.nextInt(3) == 0 ? random.ints(1 + random.nextInt(5), 0, vocab + 3).toArray() : new int[0];
        long bannedBelow = Arrays.stream(banned).distinct().filter(b -> b < choosable).count();
        if (bannedBelow >= choosable) banned = new int[0];
        double temperature = random.nextInt(4) == 0 ? 0 : 0.2 + 1.5 * random.nextDouble();
        int topK = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(Math.min(vocab, random.nextBoolean() ? 40 : 3000));
        double topP = random.nextInt(3) == 0 ? 1 : 0.05 + 0.95 * random.nextDouble();
        double minP = random.nextInt(3) == 0 ? 0.3 * random.nextDouble() : 0;
        double penalty = random.nextBoolean() ? 1 : 0.8 + 0.6 * random.nextDouble();
        int[] scoreIds = random.ints(random.nextInt(4), 0, vocab).toArray();
        int topN = random.nextInt(3) == 0 ? 0 : random.nextInt(21);
        Pick pick = switch (random.nextInt(5)) {
            case 0 -> Pick.given(random.nextInt(vocab));
            case 1 -> random.nextBoolean() ? Pick.none() : Pick.chosen(TokenRule.greedy(choosable), 0);
            default -> Pick.chosen(new TokenRule(temperature, topK, topP, minP, penalty, choosable, banned), random.nextDouble());
        };
        if (pick.isNone()) topN = 0;
        return new Case(logits, rowTokens, seen, new Readout(random.nextBoolean(), pick, scoreIds, topN, false));
    }

    @Property(tries = 120)
    void theDeviceReadoutIsTheReferences(@ForAll @IntRange(min = 1, max = 5) int sequences,
                                         @ForAll @IntRange(min = 1, max = 160_000) int vocabSize, @ForAll long seed) {
        Random random = new Random(seed);
        int vocab = random.nextBoolean() ? vocabSize : 1 + vocabSize % 300; // small vocabularies often
        Case[] cases = new Case[sequences];
        for (int s = 0; s < sequences; s++) cases[s] = randomCase(random, vocab);
        dev.multiverse.contract.SequenceResult[] results = ReadoutHarness.run(gpu, vocab, cases);
        for (int s = 0; s < sequences; s++) {
            Case c = cases[s];
            var expected = ChoiceReference.read(wanted(c), c.rowTokens(), c.seen(), c.readout());
            var actual = results[s];
            String where = "sequence " + s + " of vocab " + vocab + ", " + c.readout();
            if (c.readout().pick().kind() == Pick.Kind.CHOSEN) {
                chosen.incrementAndGet();
                if (expected.token() != actual.token()) {
                    assertTrue(atBoundary(c, actual.token()), where + ": token " + actual.token() + ", the reference's "
                            + expected.token() + ", and no nudge of u or of an edge gives it");
                    boundary.incrementAndGet();
                }
            } else {
                assertEquals(expected.token(), actual.token(), where + ": token");
            }
            int token = actual.token();
            float[] last = c.logits()[c.logits().length - 1];
            if (token >= 0) assertEquals(dev.multiverse.contract.LogProbs.logProb(last, token), actual.tokenLogprob(), 1e-4, where);
            assertArrayEquals(expected.topIds(), actual.topIds(), where + ": top ids");
            for (int i = 0; i < expected.topIds().length; i++)
                assertEquals(expected.topLogprobs()[i], actual.topLogprobs()[i], 1e-4, where + ": top log-prob " + i);
            for (int i = 0; i < expected.scoreLogprobs().length; i++)
                assertEquals(expected.scoreLogprobs()[i], actual.scoreLogprobs()[i], 1e-4, where + ": score " + i);
            assertEquals(expected.rowLogprobs().length, actual.rowLogprobs().length, where + ": row log-probs");
            for (int i = 0; i < expected.rowLogprobs().length; i++)
                assertEquals(expected.rowLogprobs()[i], actual.rowLogprobs()[i], 1e-4, where + ": row log-prob " + i);
        }
    }

    /** The rows ChoiceReference sees: every row when row log-probs are asked, else the last. */
    static float[][] wanted(Case c) {
        boolean every = c.readout().rowLogprobs() && c.logits().length > 1;
        return every ? c.logits() : new float[][] {c.logits()[c.logits().length - 1]};
    }

    /** Whether the reference gives {@code token} with u nudged by ±1e-5 or an edge nudged by 1e-5 relative. */
    static boolean atBoundary(Case c, int token) {
        Pick pick = c.readout().pick();
        TokenRule r = pick.rule();
        float[] last = c.logits()[c.logits().length - 1];
        double u = pick.uniform();
        for (double du : new double[] {-1e-5, 1e-5})
            if (ChoiceReference.choose(last, r, c.seen(), Math.clamp(u + du, 0, Math.nextDown(1.0))) == token) return true;
        for (double f : new double[] {1 - 1e-5, 1 + 1e-5}) {
            TokenRule nudged = new TokenRule(r.temperature(), r.topK(), Math.min(1, r.topP() * f), Math.min(Math.nextDown(1.0), r.minP() * f),
                    r.repetitionPenalty(), r.choosable(), r.banned());
            if (ChoiceReference.choose(last, nudged, c.seen(), u) == token) return true;
        }
        return false;
    }
}
