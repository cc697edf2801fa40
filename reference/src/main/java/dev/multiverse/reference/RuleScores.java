package dev.multiverse.reference;

import dev.multiverse.contract.TokenRule;
import java.util.Arrays;

/**
 * The scores s_i of one row under a {@link TokenRule}, over the ids {@code i < n} with n = min(C,
 * V): s_i = l_i (the raw logit) for most ids; banned ids have none; the penalised ids (the distinct
 * tokens the sequence sees, when ρ ≠ 1) have s_i = l_i / ρ if l_i > 0, else l_i · ρ, held apart in
 * double, as {@code ChoiceReference} computes them.
 *
 * <p>So the vector passes read the raw logits and skip the {@link #excluded} ids (banned ∪
 * penalised), and the few penalised ids are handled one by one. Per-thread scratch: {@link #set}
 * fills it for a row in O(|banned| + |seen|), {@link #clear} empties it the same way.
 */
final class RuleScores {
    /** Banned ∪ penalised ids below n: what the passes over the raw logits skip. */
    final IdBitmap excluded;
    private float[] logits;
    private int n;
    private int allowed;
    private static final int[] NONE = new int[0];
    private int[] banned = NONE;
    private int[] penalisedIds = new int[16];
    private double[] penalisedScores = new double[16];
    private int penalised;

    RuleScores(int vocab) {
        excluded = new IdBitmap(vocab);
    }

    /**
     * The scores of {@code logits} (one row of the whole vocabulary) under {@code rule} for a
     * sequence that sees the tokens {@code seen} (duplicates and ids outside {@code [0, n)} are
     * skipped). The previous row must have been {@link #clear}ed.
     *
     * @throws IllegalArgumentException if every id below C is banned
     */
    void set(float[] logits, TokenRule rule, int[] seen) {
        this.logits = logits;
        this.n = Math.min(rule.choosable(), logits.length);
        this.banned = rule.banned(); // sorted and distinct
        int bannedBelowN = 0;
        while (bannedBelowN < banned.length && banned[bannedBelowN] < n) bannedBelowN++;
        allowed = n - bannedBelowN;
        if (allowed == 0) throw new IllegalArgumentException("no id may be chosen: all " + n + " ids below choosable are banned");
        for (int b = 0; b < bannedBelowN; b++) excluded.add(banned[b]);
        penalised = 0;
        double rho = rule.repetitionPenalty();
        if (rho != 1) {
            for (int t : seen) {
                if (t < 0 || t >= n || !excluded.add(t)) continue; // outside, already seen, or banned
                if (penalised == penalisedIds.length) {
                    penalisedIds = Arrays.copyOf(penalisedIds, 2 * penalised);
                    penalisedScores = Arrays.copyOf(penalisedScores, 2 * penalised);
                }
                penalisedIds[penalised++] = t;
            }
            Arrays.sort(penalisedIds, 0, penalised);
            for (int j = 0; j < penalised; j++) {
                double l = logits[penalisedIds[j]];
                penalisedScores[j] = l > 0 ? l / rho : l * rho;
            }
        }
    }

    /** The raw logits of the ids below {@code limit}, none excluded (a readout's top-N list). */
    void setRaw(float[] logits, int limit) {
        this.logits = logits;
        this.n = Math.min(limit, logits.length);
        this.allowed = n;
        this.banned = NONE;
        this.penalised = 0;
    }

    /** Empties the scratch for the next row. */
    void clear() {
        for (int b = 0; b < banned.length && banned[b] < n; b++) excluded.remove(banned[b]);
        for (int j = 0; j < penalised; j++) excluded.remove(penalisedIds[j]);
        penalised = 0;
        banned = NONE;
        logits = null;
    }

    /** The raw logits of the row. */
    float[] logits() {
        return logits;
    }

    /** The ids scored are {@code [0, n)}. */
    int n() {
        return n;
    }

    /** How many ids below n are not banned (at least one). */
    int allowed() {
        return allowed;
    }

    /** How many penalised ids there are. */
    int penalised() {
        return penalised;
    }

    /** The j-th penalised id, in increasing id order. */
    int penalisedId(int j) {
        return penalisedIds[j];
    }

    /** The score of the j-th penalised id. */
    double penalisedScore(int j) {
        return penalisedScores[j];
    }

    /** s_id, or NaN if {@code id} (below n) is banned. */
    double score(int id) {
        if (!excluded.contains(id)) return logits[id];
        int j = Arrays.binarySearch(penalisedIds, 0, penalised, id);
        return j >= 0 ? penalisedScores[j] : Double.NaN;
    }
}
