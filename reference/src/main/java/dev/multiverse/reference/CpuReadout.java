package dev.multiverse.reference;

import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.SequenceResult;
import dev.multiverse.contract.TokenRule;
import java.util.List;

/**
 * What each sequence of a step wants back from its rows' logits ({@link Readout}), computed on the
 * host: the fast counterpart of {@code ChoiceReference.read}, with the same results (see {@link
 * TokenChoice} for where rounding may differ).
 *
 * <p>Per row of V logits, one log-sum-exp, log Z = max + log Σ_i e^(l_i − max) (a max pass and a
 * sum pass, {@link VocabKernels}), gives every log-prob the row is asked for: log p(i) = l_i − log
 * Z. The last row also gives the pick ({@link TokenChoice}) and the top-N ids ({@link TopIds}).
 * Nothing is sorted beyond a few candidates, and nothing vocabulary-sized is allocated per call.
 *
 * <p>The work items are the rows: row r &lt; last of a sequence that wants row log-probs (one
 * log-prob), and each sequence's last row (the rest). They are spread over a {@link ThreadTeam};
 * each thread has its own scratch. Not thread-safe: one read at a time (the team's loop is not
 * reentrant), the same team as the model's is fine since the forward pass is over by then.
 */
public final class CpuReadout {

    /**
     * One sequence's input.
     *
     * @param logits the logits of every row ({@code [rows][V]}), or of the last row only ({@code
     *     [1][V]}) when the readout wants no row log-probs
     * @param rowTokens the tokens of the step's rows (row r + 1's token is what row r predicts)
     * @param seen every token the sequence sees, its rows included (read for a repetition penalty)
     * @param readout what the sequence wants back
     */
    public record Rows(float[][] logits, int[] rowTokens, int[] seen, Readout readout) {}

    /** One thread's scratch. */
    private record Worker(TokenChoice choice, TopIds top) {}

    private final ThreadTeam team;
    private final int vocab;
    private final Worker[] workers;

    /** A readout for a model of {@code vocab} ids whose work runs on {@code team}. */
    public CpuReadout(ThreadTeam team, int vocab) {
        if (vocab < 1) throw new IllegalArgumentException("a vocabulary has at least one id, got " + vocab);
        this.team = team;
        this.vocab = vocab;
        this.workers = new Worker[team.size()];
        for (int w = 0; w < workers.length; w++) workers[w] = new Worker(new TokenChoice(vocab), new TopIds(vocab));
    }

    /** One sequence's readout (its rows still spread over the team). */
    public SequenceResult read(float[][] logits, int[] rowTokens, int[] seen, Readout readout) {
        return read(List.of(new Rows(logits, rowTokens, seen, readout))).get(0);
    }

    /**
     * Every sequence's readout, in order.
     *
     * @throws IllegalArgumentException naming the sequence (its index in {@code sequences}) and the
     *     row or id, if a logits row is not V long, row log-probs lack their rows, a token or id is
     *     outside the vocabulary, or a rule allows no id
     */
    public List<SequenceResult> read(List<Rows> sequences) {
        int items = 0;
        for (int s = 0; s < sequences.size(); s++) {
            check(sequences.get(s), "sequence " + s);
            items += rowItems(sequences.get(s)) + 1;
        }
        // item i: row itemRow[i] of sequence itemSequence[i]; the last row of a sequence is its last item
        int[] itemSequence = new int[items], itemRow = new int[items];
        double[][] rowLogprobs = new double[sequences.size()][];
        int item = 0;
        for (int s = 0; s < sequences.size(); s++) {
            Rows in = sequences.get(s);
            rowLogprobs[s] = new double[rowItems(in)];
            for (int r = 0; r <= rowItems(in); r++, item++) {
                itemSequence[item] = s;
                itemRow[item] = r;
            }
        }
        SequenceResult[] results = new SequenceResult[sequences.size()];
        team.forRange(items, 1, (worker, from, to) -> {
            for (int i = from; i < to; i++) {
                int s = itemSequence[i], r = itemRow[i];
                Rows in = sequences.get(s);
                if (r < rowLogprobs[s].length) {
                    float[] row = in.logits()[r];
                    rowLogprobs[s][r] = row[in.rowTokens()[r + 1]] - VocabKernels.logSumExp(row);
                } else {
                    results[s] = lastRow(workers[worker], in, rowLogprobs[s]);
                }
            }
        });
        return List.of(results);
    }

    /** The row log-probs a sequence wants: one per row but the last. */
    private static int rowItems(Rows in) {
        return in.readout().rowLogprobs() ? in.rowTokens().length - 1 : 0;
    }

    /** The pick, the score ids, the top-N and the logits of a sequence, from its last row. */
    private SequenceResult lastRow(Worker worker, Rows in, double[] rowLogprobs) {
        Readout readout = in.readout();
        float[] last = in.logits()[in.logits().length - 1];
        Pick pick = readout.pick();
        boolean wantsLogprobs = !pick.isNone() || readout.scoreIds().length > 0;
        double logZ = wantsLogprobs ? VocabKernels.logSumExp(last) : Double.NaN;
        int token = switch (pick.kind()) {
            case NONE -> -1;
            case GIVEN -> pick.token();
            case CHOSEN -> worker.choice().choose(last, pick.rule(), in.seen(), pick.uniform());
        };
        double tokenLogprob = token < 0 ? Double.NaN : last[token] - logZ;
        int[] scoreIds = readout.scoreIds();
        double[] scored = new double[scoreIds.length];
        for (int i = 0; i < scored.length; i++) scored[i] = last[scoreIds[i]] - logZ;
        int limit = pick.kind() == Pick.Kind.CHOSEN ? pick.rule().choosable() : vocab;
        int[] topIds = worker.top().top(last, readout.topN(), limit);
        double[] topLogprobs = new double[topIds.length];
        for (int i = 0; i < topIds.length; i++) topLogprobs[i] = last[topIds[i]] - logZ;
        return new SequenceResult(rowLogprobs, token, tokenLogprob, scored, topIds, topLogprobs,
                readout.logits() ? in.logits() : null);
    }

    private void check(Rows in, String where) {
        Readout readout = in.readout();
        int rows = in.rowTokens().length;
        if (rows == 0) throw new IllegalArgumentException(where + ": no rows");
        if (in.logits().length == 0) throw new IllegalArgumentException(where + ": no logits");
        if (readout.rowLogprobs() && in.logits().length != rows)
            throw new IllegalArgumentException(where + ": row log-probs need the logits of all " + rows + " rows, got "
                    + in.logits().length);
        for (int r = 0; r < in.logits().length; r++)
            if (in.logits()[r].length != vocab)
                throw new IllegalArgumentException(where + ": logits row " + r + " has " + in.logits()[r].length
                        + " ids, the model has " + vocab);
        if (readout.rowLogprobs())
            for (int r = 1; r < rows; r++) checkId(in.rowTokens()[r], "row " + r + "'s token", where);
        if (readout.pick().kind() == Pick.Kind.GIVEN) checkId(readout.pick().token(), "given token", where);
        for (int id : readout.scoreIds()) checkId(id, "score id", where);
        if (readout.pick().kind() == Pick.Kind.CHOSEN) checkChoosable(readout.pick().rule(), vocab, where);
    }

    private void checkId(int id, String what, String where) {
        if (id < 0 || id >= vocab)
            throw new IllegalArgumentException(where + ": " + what + " " + id + " outside the vocabulary [0, " + vocab + ")");
    }

    /**
     * Refuses a rule under which no id of a {@code vocab}-id model may be chosen (every id below
     * min(C, V) banned), naming {@code where}: a backend checks it before its forward pass.
     */
    public static void checkChoosable(TokenRule rule, int vocab, String where) {
        int n = Math.min(rule.choosable(), vocab), banned = 0;
        for (int b : rule.banned()) if (b < n) banned++;
        if (banned == n)
            throw new IllegalArgumentException(where + ": no id may be chosen: all " + n + " ids below choosable are banned");
    }
}
