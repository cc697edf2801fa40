package dev.multiverse.contract;

import java.util.Arrays;

/**
 * The rows of one forward step, the single form both the batched step and the single pass take:
 * row i is token {@code tokens[i]} at {@code positions[i]}; its K/V go to {@code writeSlots[i]};
 * it attends to {@code keySlots[i]}, in order (which already contains {@code writeSlots[i]}).
 * Logits are produced for the rows listed in {@code logitRows}, in that order.
 */
public record StepRows(int[] tokens, int[] positions, int[] writeSlots, int[][] keySlots, int[] logitRows) {

    public int size() {
        return tokens.length;
    }

    public int longestKeyList() {
        int longest = 0;
        for (int[] keys : keySlots) longest = Math.max(longest, keys.length);
        return longest;
    }

    /**
     * The rows of a batch whose runs {@code table} already holds ({@link RunTable#begin} has
     * checked the batch), sequence after sequence: row r of a sequence sees its chain's entries
     * up to and including its own. Logits are listed for every row of a sequence whose readout
     * wants row log-probs or logits, else for its last row.
     */
    public static StepRows of(Batch batch, RunTable table) {
        int total = 0, logits = 0;
        for (SequenceStep s : batch.sequences()) {
            total += s.rows();
            logits += wantsEveryRow(s) ? s.rows() : 1;
        }
        int[] tokens = new int[total], positions = new int[total], writeSlots = new int[total];
        int[][] keySlots = new int[total][];
        int[] logitRows = new int[logits];
        int row = 0, logit = 0;
        for (SequenceStep step : batch.sequences()) {
            int[] seen = table.flatten(step, false);
            RunTable.Run last = table.run(step.lastRun());
            int first = step.end() - step.rows(), before = seen.length - step.rows();
            boolean every = wantsEveryRow(step);
            for (int r = 0; r < step.rows(); r++, row++) {
                tokens[row] = last.tokens()[first + r];
                positions[row] = step.positions()[r];
                writeSlots[row] = last.slots()[first + r];
                keySlots[row] = r == step.rows() - 1 ? seen : Arrays.copyOf(seen, before + r + 1);
                if (every || r == step.rows() - 1) logitRows[logit++] = row;
            }
        }
        return new StepRows(tokens, positions, writeSlots, keySlots, logitRows);
    }

    /** Whether a sequence's readout needs the logits of every row, not only the last. */
    public static boolean wantsEveryRow(SequenceStep s) {
        return s.readout().logits() || (s.readout().rowLogprobs() && s.rows() > 1);
    }

    /**
     * Rows {@code [from, to)} of a single pass over a whole text: token i is written to slot i and
     * attends to every slot j ≤ i with {@code mask.visible(i, j)}; every row yields logits.
     */
    public static StepRows ofSinglePass(int[] tokens, int[] positions, AttentionMask mask, int from, int to) {
        int n = to - from;
        int[] writeSlots = new int[n], logitRows = new int[n];
        int[][] keySlots = new int[n][];
        int[] scratch = new int[to];
        for (int r = 0; r < n; r++) {
            int i = from + r;
            if (!mask.visible(i, i)) throw new IllegalArgumentException("mask: token " + i + " does not see itself");
            int count = 0;
            for (int j = 0; j <= i; j++) if (mask.visible(i, j)) scratch[count++] = j;
            keySlots[r] = Arrays.copyOf(scratch, count);
            writeSlots[r] = i;
            logitRows[r] = r;
        }
        return new StepRows(
                Arrays.copyOfRange(tokens, from, to), Arrays.copyOfRange(positions, from, to), writeSlots, keySlots, logitRows);
    }

    public static void checkTokenAndPosition(int token, int position, int vocab, String where) {
        if (token < 0 || token >= vocab)
            throw new IllegalArgumentException(where + ": token id " + token + " outside the vocabulary [0, " + vocab + ")");
        if (position < 0) throw new IllegalArgumentException(where + ": negative position " + position);
    }

}
