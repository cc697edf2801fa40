package dev.multiverse.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The token-choice rule of {@link TokenRule} and the rest of a {@link Readout}, computed plainly in
 * double precision: the statement every backend's fast path is checked against, not a fast path
 * itself (it sorts and allocates).
 */
public final class ChoiceReference {
    private ChoiceReference() {}

    /**
     * What a backend returns for one sequence.
     *
     * @param logits the logits of every row ({@code [rows][V]}), or of the last row only ({@code
     *     [1][V]}) when the readout wants neither row log-probs nor logits
     * @param rowTokens the tokens of the step's rows
     * @param seen every token the sequence sees, its rows included (for the repetition penalty)
     */
    public static SequenceResult read(float[][] logits, int[] rowTokens, int[] seen, Readout readout) {
        float[] last = logits[logits.length - 1];
        double[] rowLogprobs = new double[readout.rowLogprobs() ? rowTokens.length - 1 : 0];
        for (int r = 0; r < rowLogprobs.length; r++) rowLogprobs[r] = LogProbs.logProb(logits[r], rowTokens[r + 1]);
        Pick pick = readout.pick();
        int token = switch (pick.kind()) {
            case NONE -> -1;
            case GIVEN -> pick.token();
            case CHOSEN -> choose(last, pick.rule(), seen, pick.uniform());
        };
        double tokenLogprob = token < 0 ? Double.NaN : LogProbs.logProb(last, token);
        double[] scored = new double[readout.scoreIds().length];
        for (int i = 0; i < scored.length; i++) scored[i] = LogProbs.logProb(last, readout.scoreIds()[i]);
        int choosable = pick.kind() == Pick.Kind.CHOSEN ? pick.rule().choosable() : last.length;
        int[] topIds = top(last, readout.topN(), choosable);
        double[] topLogprobs = new double[topIds.length];
        for (int i = 0; i < topIds.length; i++) topLogprobs[i] = LogProbs.logProb(last, topIds[i]);
        return new SequenceResult(rowLogprobs, token, tokenLogprob, scored, topIds, topLogprobs,
                readout.logits() ? logits : null);
    }

    /**
     * Every sequence's readout, as {@link #read} states it, from the logits of the rows {@code
     * rows.logitRows()} lists, in that order ({@link StepRows#of} lists every row of a sequence
     * that needs them all, else its last).
     */
    public static StepResult readAll(Batch batch, RunTable table, StepRows rows, float[][] listedLogits) {
        List<SequenceResult> out = new ArrayList<>(batch.sequences().size());
        int row = 0, listed = 0;
        for (SequenceStep step : batch.sequences()) {
            int n = StepRows.wantsEveryRow(step) ? step.rows() : 1;
            float[][] logits = Arrays.copyOfRange(listedLogits, listed, listed + n);
            int[] rowTokens = Arrays.copyOfRange(rows.tokens(), row, row + step.rows());
            listed += n;
            row += step.rows();
            boolean penalty = step.readout().pick().kind() == Pick.Kind.CHOSEN && step.readout().pick().rule().repetitionPenalty() != 1;
            out.add(read(logits, rowTokens, penalty ? table.flatten(step, true) : rowTokens, step.readout()));
        }
        return new StepResult(out);
    }

    /** The {@code n} ids below {@code choosable} with the largest logits, largest first, the lowest id first on ties. */
    public static int[] top(float[] logits, int n, int choosable) {
        int limit = Math.min(choosable, logits.length);
        Integer[] ids = new Integer[limit];
        for (int i = 0; i < limit; i++) ids[i] = i;
        Arrays.sort(ids, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        int[] out = new int[Math.min(n, limit)];
        for (int i = 0; i < out.length; i++) out[i] = ids[i];
        return out;
    }

    /** The scores after the repetition penalty; NaN marks an id that may not be chosen. */
    public static double[] scores(float[] logits, TokenRule rule, int[] seen) {
        int n = Math.min(rule.choosable(), logits.length);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = rule.allows(i) ? logits[i] : Double.NaN;
        if (rule.repetitionPenalty() != 1) {
            boolean[] done = new boolean[n];
            for (int t : seen) {
                if (t < 0 || t >= n || done[t] || Double.isNaN(s[t])) continue;
                done[t] = true;
                s[t] = s[t] > 0 ? s[t] / rule.repetitionPenalty() : s[t] * rule.repetitionPenalty();
            }
        }
        return s;
    }

    /**
     * The kept probabilities before the draw (unnormalised; 0 for what the filters drop), or null
     * when the rule is greedy.
     */
    public static double[] kept(float[] logits, TokenRule rule, int[] seen) {
        if (rule.isGreedy()) return null;
        double[] s = scores(logits, rule, seen);
        double max = Double.NEGATIVE_INFINITY;
        for (double x : s) if (!Double.isNaN(x)) max = Math.max(max, x);
        if (max == Double.NEGATIVE_INFINITY) throw new IllegalArgumentException("no id may be chosen");
        double[] p = new double[s.length];
        for (int i = 0; i < s.length; i++) p[i] = Double.isNaN(s[i]) ? 0 : Math.exp((s[i] - max) / rule.temperature());
        if (rule.topK() > 0) {
            double[] sorted = Arrays.stream(s).filter(x -> !Double.isNaN(x)).sorted().toArray();
            double kth = sorted[Math.max(0, sorted.length - rule.topK())];
            for (int i = 0; i < s.length; i++) if (!(s[i] >= kth)) p[i] = 0;
        }
        if (rule.minP() > 0) {
            double floor = rule.minP(); // the most likely id has p = 1 before normalising
            for (int i = 0; i < p.length; i++) if (p[i] < floor) p[i] = 0;
        }
        if (rule.topP() < 1) {
            double[] desc = Arrays.stream(p).filter(x -> x > 0).map(x -> -x).sorted().map(x -> -x).toArray();
            double mass = 0;
            for (double x : desc) mass += x;
            double cumulative = 0, t = desc[desc.length - 1];
            for (double x : desc) {
                cumulative += x;
                if (cumulative >= rule.topP() * mass) {
                    t = x;
                    break;
                }
            }
            for (int i = 0; i < p.length; i++) if (p[i] < t) p[i] = 0;
        }
        return p;
    }

    /** The token the rule chooses with uniform draw {@code u}. */
    public static int choose(float[] logits, TokenRule rule, int[] seen, double u) {
        if (rule.isGreedy()) {
            double[] s = scores(logits, rule, seen);
            int best = -1;
            for (int i = 0; i < s.length; i++) if (!Double.isNaN(s[i]) && (best < 0 || s[i] > s[best])) best = i;
            if (best < 0) throw new IllegalArgumentException("no id may be chosen");
            return best;
        }
        double[] p = kept(logits, rule, seen);
        double total = 0;
        for (double x : p) total += x;
        double target = u * total, running = 0;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) continue;
            last = i;
            running += p[i];
            if (running > target) return i;
        }
        return last;
    }
}
