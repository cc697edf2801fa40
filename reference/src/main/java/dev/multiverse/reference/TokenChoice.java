package dev.multiverse.reference;

import dev.multiverse.contract.TokenRule;

/**
 * {@link TokenRule}'s choice on one row of logits, by selection instead of sorting: what
 * {@code ChoiceReference.choose} computes, at the cost of a pass or two over the row plus work on
 * the few ids the filters keep. Numbered steps refer to {@link TokenRule}'s javadoc.
 *
 * <p>Three ways, by rule:
 *
 * <ul>
 *   <li>Greedy (step 3): a top-1 selection; its ties come out in id order, the first is the answer.
 *   <li>With a filter (top-k, min-p or top-p): the filters keep the most likely ids, so they work
 *       on the candidates of a top-k selection that holds all they keep (see {@link
 *       #drawFromCandidates}). There every probability, every filter decision and the draw are
 *       computed as the reference computes them, in the same order: the same token bit for bit.
 *       The one exception: top-p without top-k and with a kept set reaching beyond the selection
 *       takes its mass M from a vector pass, so a cumulative mass within ~1e-7 of P·M may fall on
 *       the other side of the edge.
 *   <li>Temperature alone (no filter): every allowed id may be drawn; one vector pass writes the
 *       mass of each chunk of ids, the draw finds the chunk where the running mass crosses u·S and
 *       walks its ids in double. A draw within ~1e-7 of a boundary between ids may land on the
 *       neighbour.
 * </ul>
 *
 * <p>Per-thread: each instance owns its scratch.
 */
final class TokenChoice {
    /** The first k of a selection when top-k is off: the ids min-p and top-p keep rarely exceed it. */
    private static final int FIRST_K = 64;
    /** How much k grows when the kept ids may reach beyond a selection. */
    private static final int GROWTH = 4;

    private final RuleScores scores;
    private final TopSelection selection = new TopSelection();
    private final Candidates candidates = new Candidates();
    /** The mass of each chunk of ids, for a draw over the whole row. */
    private final double[] chunkMasses;
    /** Ids whose float probability is too close to min-p's edge to decide in float. */
    private final IdList nearFloor = new IdList();

    TokenChoice(int vocab) {
        scores = new RuleScores(vocab);
        chunkMasses = new double[VocabKernels.chunks(vocab)];
    }

    /**
     * The token {@code rule} chooses from the row {@code logits} (the whole vocabulary), for a
     * sequence that sees the tokens {@code seen} (read only for a repetition penalty), with the
     * uniform draw {@code u} in [0, 1) (unused when greedy).
     *
     * @throws IllegalArgumentException if the rule allows no id
     */
    int choose(float[] logits, TokenRule rule, int[] seen, double u) {
        scores.set(logits, rule, seen);
        try {
            if (rule.isGreedy()) {
                selection.select(scores, 1, candidates); // the ids tied at the maximum, in id order
                return candidates.id(0);
            }
            if (rule.topK() == 0 && rule.minP() == 0 && rule.topP() == 1) return drawFromAll(rule, u);
            return drawFromCandidates(rule, u);
        } finally {
            scores.clear();
        }
    }

    /**
     * Steps 4-7 on candidates that hold every id the filters keep. With top-k, the top-k selection
     * is exactly what top-k keeps. Without it, min-p and top-p keep the most likely ids, so the top
     * k holds them for k large enough: the selection grows (64, 256, ...) until it holds every
     * allowed id, or min-p drops its edge (then nothing beyond it survives), or, for top-p, its mass
     * reaches P·M, with M the mass min-p keeps over the whole row (one vector pass).
     */
    private int drawFromCandidates(TokenRule rule, double u) {
        double rowMass = Double.NaN; // M over the whole row, computed at most once
        for (int k = rule.topK() > 0 ? rule.topK() : FIRST_K; ; k = grow(k)) {
            double edge = selection.select(scores, k, candidates); // -inf: every allowed id
            double max = candidates.maxScore();
            setProbabilities(rule, max);
            boolean holdsAllKept = rule.topK() > 0 || edge == Double.NEGATIVE_INFINITY
                    || (rule.minP() > 0 && probability(edge, max, rule) < rule.minP());
            double mass = Double.NaN; // the mass top-p takes a share of; NaN: the candidates' own
            if (!holdsAllKept) {
                if (rule.topP() == 1) continue; // min-p alone keeps ids beyond the edge
                if (Double.isNaN(rowMass)) rowMass = massKeptByMinP(rule, max);
                if (descendingMass() < rule.topP() * rowMass) continue;
                mass = rowMass;
            }
            if (rule.topP() < 1) keepTopP(rule.topP(), mass);
            return draw(u);
        }
    }

    /** Step 4 and min-p (step 5): p = e^((s − max)/T) for each candidate, 0 where p < m. */
    private void setProbabilities(TokenRule rule, double max) {
        for (int j = 0; j < candidates.size(); j++) {
            double p = probability(candidates.score(j), max, rule);
            candidates.setProb(j, rule.minP() > 0 && p < rule.minP() ? 0 : p);
        }
    }

    /** Σ p over the candidates, most likely first (the reference's order). */
    private double descendingMass() {
        candidates.sortByScore();
        double mass = 0;
        for (int r = 0; r < candidates.size(); r++) mass += candidates.prob(candidates.ranked(r));
        return mass;
    }

    /**
     * Step 6: keeps the p ≥ t for the largest t at which the running mass, most likely first,
     * reaches P · M ({@code mass} = M, or NaN for the candidates' own mass); ties at t all stay.
     */
    private void keepTopP(double topP, double mass) {
        double target = topP * (Double.isNaN(mass) ? descendingMass() : mass);
        double cumulative = 0, t = 0;
        for (int r = 0; r < candidates.size(); r++) {
            double p = candidates.prob(candidates.ranked(r));
            if (p == 0) continue; // dropped by min-p (or underflowed): the end of the order
            t = p; // if rounding never reaches the target, t is the smallest kept p
            cumulative += p;
            if (cumulative >= target) break;
        }
        for (int j = 0; j < candidates.size(); j++) if (candidates.prob(j) < t) candidates.setProb(j, 0);
    }

    /**
     * Step 7: the first kept candidate, in id order, at which the running mass exceeds u · S (S the
     * kept mass), the last kept one if rounding leaves none.
     */
    private int draw(double u) {
        double total = 0;
        for (int j = 0; j < candidates.size(); j++) total += candidates.prob(j);
        double target = u * total, running = 0;
        int last = -1;
        for (int j = 0; j < candidates.size(); j++) {
            double p = candidates.prob(j);
            if (p == 0) continue;
            last = j;
            running += p;
            if (running > target) return candidates.id(j);
        }
        return candidates.id(last);
    }

    /**
     * Steps 4 and 7 without a filter: a vector pass writes the mass of each chunk of 64 ids
     * (penalised ids added at their chunk), the running sum over chunks finds the one where it
     * crosses u · S, and that chunk's ids are walked in double.
     */
    private int drawFromAll(TokenRule rule, double u) {
        selection.select(scores, 1, candidates);
        double max = candidates.score(0);
        int n = scores.n(), chunks = VocabKernels.chunks(n);
        VocabKernels.expSum(scores.logits(), n, (float) max, inverse(rule.temperature()), 0f, scores.excluded, chunkMasses, null);
        for (int j = 0; j < scores.penalised(); j++)
            chunkMasses[scores.penalisedId(j) / VocabKernels.CHUNK] += probability(scores.penalisedScore(j), max, rule);
        double total = 0;
        for (int c = 0; c < chunks; c++) total += chunkMasses[c];
        double target = u * total, running = 0;
        for (int c = 0; c < chunks; c++) {
            if (running + chunkMasses[c] <= target) {
                running += chunkMasses[c];
                continue;
            }
            for (int id = c * VocabKernels.CHUNK, end = Math.min(n, id + VocabKernels.CHUNK); id < end; id++) {
                running += exactProbability(id, max, rule);
                if (running > target) return id;
            }
            // the exact walk fell short of the chunk's vector sum (rounding): go on with the next
        }
        return lastKept(chunks, n, max, rule);
    }

    /** The largest id with p > 0: the draw's answer when rounding leaves no crossing. */
    private int lastKept(int chunks, int n, double max, TokenRule rule) {
        for (int c = chunks - 1; c >= 0; c--) {
            if (chunkMasses[c] == 0) continue;
            for (int id = Math.min(n, (c + 1) * VocabKernels.CHUNK) - 1; id >= c * VocabKernels.CHUNK; id--)
                if (exactProbability(id, max, rule) > 0) return id;
        }
        return candidates.id(0); // the most likely id; unreachable while its p = 1 is in the sums
    }

    /** p of {@code id} in double, 0 for a banned id. */
    private double exactProbability(int id, double max, TokenRule rule) {
        double s = scores.score(id);
        return Double.isNaN(s) ? 0 : probability(s, max, rule);
    }

    /** The reference's p = e^((s − max)/T), to the bit. */
    private static double probability(double s, double max, TokenRule rule) {
        return Math.exp((s - max) / rule.temperature());
    }

    /**
     * M for top-p when the kept ids reach beyond the candidates: Σ p over every allowed id that
     * min-p keeps, by a vector pass over the raw logits, with the ids near min-p's edge and the
     * penalised ids decided and added in double.
     */
    private double massKeptByMinP(TokenRule rule, double max) {
        float[] x = scores.logits();
        nearFloor.clear();
        double mass = VocabKernels.expSum(x, scores.n(), (float) max, inverse(rule.temperature()), (float) rule.minP(),
                scores.excluded, null, nearFloor);
        for (int j = 0; j < nearFloor.size(); j++) {
            double p = probability(x[nearFloor.get(j)], max, rule);
            if (p >= rule.minP()) mass += p;
        }
        for (int j = 0; j < scores.penalised(); j++) {
            double p = probability(scores.penalisedScore(j), max, rule);
            if (p >= rule.minP()) mass += p;
        }
        return mass;
    }

    /** 1/T as a float multiplier; a T so small that 1/T overflows takes the largest float (0 · ∞ would be NaN). */
    private static float inverse(double temperature) {
        return (float) Math.min(1 / temperature, Float.MAX_VALUE);
    }

    /** The next k of a widening selection; past the allowed count it takes every id. */
    private int grow(int k) {
        return (int) Math.min((long) k * GROWTH, scores.allowed() + 1L);
    }
}
