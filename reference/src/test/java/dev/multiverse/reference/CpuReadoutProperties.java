package dev.multiverse.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.multiverse.contract.ChoiceReference;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.SequenceResult;
import dev.multiverse.contract.TokenRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The fast readout ({@link CpuReadout}) against the double-precision statement of the rule and
 * the readout ({@link ChoiceReference#read}) over random logits built to find the edges: odd
 * vocabulary sizes, duplicated logit values (ties at the top-k and top-p edges), top-p set to the
 * exact mass share of a prefix, min-p set to an id's exact probability, repetition penalties over
 * positive and negative logits, banned ids, choosable below the vocabulary, greedy, top-N, given
 * tokens, row log-probs over several rows, score ids, several sequences at once over a thread team.
 *
 * <p>Log-probs must agree within 1e-5 (absolute). Tokens must be equal, except where the
 * reference's own decision is within rounding of a boundary, defined here: the fast token is
 * accepted as <em>near a boundary</em> when the reference chooses it under some nudge of the draw
 * u' ∈ [u − δ, u + δ] and of top-p P' ∈ {P(1 − δ), P, P(1 + δ)} (δ = 1e-6: the fast path's vector
 * sums are accurate to ~1e-7; see {@link #nearBoundary}), and only under the rules whose fast
 * path uses vector sums: top-p without top-k, and temperature alone. Under every other rule (greedy,
 * top-k, min-p without top-p) the fast path computes what the reference computes in the same order,
 * and the tokens must be equal. Such cases are counted ({@code token} statistics, and by rule) and must stay under 1%
 * of the chosen tokens (10% in the few tries over a full vocabulary, where one case is 2%).
 */
class CpuReadoutProperties {

    private static final ThreadTeam TEAM = new ThreadTeam(3);
    private static final double LOGPROB_TOLERANCE = 1e-5;
    private static final double NUDGE = 1e-6;
    /** A real model's vocabulary size: Qwen2.5's 151,680 ids. */
    private static final int QWEN_VOCAB = 151_680;

    @AfterContainer
    static void closeTeam() {
        TEAM.close();
    }

    @Provide
    Arbitrary<Integer> vocabSizes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 40)),
                net.jqwik.api.Tuple.of(10, Arbitraries.integers().between(1, 3000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(3000, 20000)));
    }

    @Property(tries = 2000)
    void agreesWithTheReference(@ForAll("vocabSizes") int vocab, @ForAll long seed) {
        checkBatch(vocab, new Random(seed));
        Statistics.label("token").coverage(c -> c.check("near a boundary").percentage(p -> p < 1.0));
    }

    @Property(tries = 25)
    void agreesWithTheReferenceOverAFullVocabulary(@ForAll long seed) {
        checkBatch(QWEN_VOCAB, new Random(seed));
        // Some 50 chosen tokens, so one near a boundary is already 2%. With temperature alone, 151,680
        // kept ids put a boundary every ~7e-6 of u on average: the fast sums' ~1e-7 error
        // may move the draw across one in a few percent of such draws (more at u = 1 − 2^-53).
        Statistics.label("token").coverage(c -> c.check("near a boundary").percentage(p -> p < 10.0));
    }

    @Example
    void aRuleThatAllowsNoIdIsRefusedByBoth() {
        float[][] logits = {{1, 2, 3, 4}};
        TokenRule rule = new TokenRule(0.7, 0, 1, 0, 1, 3, new int[] {0, 1, 2});
        Readout readout = Readout.of(Pick.chosen(rule, 0.5));
        assertThrows(IllegalArgumentException.class, () -> ChoiceReference.read(logits, new int[] {1}, new int[] {1}, readout));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CpuReadout(TEAM, 4).read(logits, new int[] {1}, new int[] {1}, readout));
        assertTrue(e.getMessage().contains("sequence 0") && e.getMessage().contains("no id may be chosen"), e.getMessage());
    }

    @Example
    void badInputIsRefusedWithWhatAndWhere() {
        CpuReadout readout = new CpuReadout(TEAM, 4);
        var shortRow = assertThrows(IllegalArgumentException.class,
                () -> readout.read(new float[][] {{1, 2, 3}}, new int[] {0}, new int[0], Readout.of(Pick.given(1))));
        assertTrue(shortRow.getMessage().contains("logits row 0 has 3 ids, the model has 4"), shortRow.getMessage());
        var given = assertThrows(IllegalArgumentException.class,
                () -> readout.read(new float[][] {{1, 2, 3, 4}}, new int[] {0}, new int[0], Readout.of(Pick.given(4))));
        assertTrue(given.getMessage().contains("given token 4 outside the vocabulary [0, 4)"), given.getMessage());
        var rows = assertThrows(IllegalArgumentException.class, () -> readout.read(new float[][] {{1, 2, 3, 4}},
                new int[] {0, 1}, new int[0], new Readout(true, Pick.none(), null, 0, false)));
        assertTrue(rows.getMessage().contains("row log-probs need the logits of all 2 rows, got 1"), rows.getMessage());
    }

    /** A batch of one to four random sequences over {@code vocab} ids, read at once, each checked against the reference. */
    private static void checkBatch(int vocab, Random random) {
        List<CpuReadout.Rows> inputs = new ArrayList<>();
        int sequences = 1 + random.nextInt(4);
        for (int s = 0; s < sequences; s++) inputs.add(RandomCase.of(vocab, random));
        List<SequenceResult> fast = new CpuReadout(TEAM, vocab).read(inputs);
        for (int s = 0; s < sequences; s++) {
            CpuReadout.Rows in = inputs.get(s);
            SequenceResult expected = ChoiceReference.read(in.logits(), in.rowTokens(), in.seen(), in.readout());
            compare(expected, fast.get(s), in, "sequence " + s + " of " + sequences + " over " + vocab + " ids");
        }
    }

    private static void compare(SequenceResult expected, SequenceResult actual, CpuReadout.Rows in, String where) {
        assertLogprobs(expected.rowLogprobs(), actual.rowLogprobs(), where + ", row log-probs");
        Pick pick = in.readout().pick();
        float[] last = in.logits()[in.logits().length - 1];
        if (pick.kind() == Pick.Kind.CHOSEN) {
            Statistics.label("rule").collect(RandomCase.describe(pick.rule()));
            if (actual.token() == expected.token()) {
                Statistics.label("token").collect("equal");
            } else {
                TokenRule rule = pick.rule();
                if (bitExact(rule))
                    fail(where + ": chose " + actual.token() + ", the reference " + expected.token() + ", under a rule decided bit for bit: "
                            + rule + " u=" + pick.uniform() + " banned=" + Arrays.toString(rule.banned()));
                if (!nearBoundary(last, rule, in.seen(), pick.uniform(), actual.token()))
                    fail(where + ": chose " + actual.token() + ", the reference " + expected.token() + ", not near a boundary, with "
                            + rule + " u=" + pick.uniform() + " banned=" + Arrays.toString(rule.banned()));
                Statistics.label("token").collect("near a boundary");
                Statistics.label("near a boundary, by rule").collect(RandomCase.describe(pick.rule()));
            }
        } else {
            assertEquals(expected.token(), actual.token(), where + ": token");
        }
        if (actual.token() >= 0)
            assertEquals(logProb(last, actual.token()), actual.tokenLogprob(), LOGPROB_TOLERANCE, where + ", token log-prob");
        else assertTrue(Double.isNaN(actual.tokenLogprob()), where + ": a log-prob without a token");
        assertLogprobs(expected.scoreLogprobs(), actual.scoreLogprobs(), where + ", score log-probs");
        assertArrayEquals(expected.topIds(), actual.topIds(), where + ": top ids");
        assertLogprobs(expected.topLogprobs(), actual.topLogprobs(), where + ", top log-probs");
        if (in.readout().logits()) assertSame(in.logits(), actual.logits(), where + ": logits");
        else assertNull(actual.logits(), where + ": logits not asked for");
    }

    /**
     * Whether the fast path decides {@code rule} as the reference does, to the bit ({@link
     * TokenChoice}): greedy, top-k, and min-p without top-p work on candidates that hold every kept
     * id, with the reference's arithmetic in its order. Only top-p without top-k (whose mass may
     * come from a vector pass) and temperature alone (a vector pass) may land near a boundary.
     */
    private static boolean bitExact(TokenRule rule) {
        return rule.isGreedy() || rule.topK() > 0 || (rule.topP() == 1 && rule.minP() > 0);
    }

    /**
     * Whether the reference chooses {@code token} under some nudge: for P' one of P(1 − δ), P,
     * P(1 + δ), the token is kept and its slice of the draw, [C_{j−1}, C_j] / S in id order (C the
     * running kept mass, S the total), meets [u − δ, u + δ]. Never for a greedy rule: its choice
     * has no boundary to be near.
     */
    private static boolean nearBoundary(float[] logits, TokenRule rule, int[] seen, double u, int token) {
        for (double dp : new double[] {-NUDGE, 0, NUDGE}) {
            double topP = rule.topP() == 1 ? 1 : Math.min(1, rule.topP() * (1 + dp));
            TokenRule nudged = new TokenRule(rule.temperature(), rule.topK(), topP, rule.minP(), rule.repetitionPenalty(),
                    rule.choosable(), rule.banned());
            double[] p = ChoiceReference.kept(logits, nudged, seen);
            if (p == null) return false;
            if (token < 0 || token >= p.length || p[token] == 0) continue;
            double total = 0, before = 0;
            for (int i = 0; i < p.length; i++) {
                total += p[i];
                if (i < token) before += p[i];
            }
            if ((before + p[token]) / total >= u - NUDGE && before / total <= u + NUDGE) return true;
        }
        return false;
    }

    /** log p(token) in plain double: log-softmax of the raw logits. */
    private static double logProb(float[] logits, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double sum = 0;
        for (float l : logits) sum += Math.exp(l - max);
        return logits[token] - max - Math.log(sum);
    }

    private static void assertLogprobs(double[] expected, double[] actual, String where) {
        assertEquals(expected.length, actual.length, where + ": count");
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], LOGPROB_TOLERANCE, where + " [" + i + "]");
    }
}
