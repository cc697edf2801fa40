package dev.multiverse.contract;

import java.util.Arrays;
import java.util.BitSet;

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
     * The rows of a batch, sequence after sequence: row r of a sequence sees its context slots then
     * its write slots up to r. Checks every slot id against {@code capacity}, every token against
     * {@code vocab}, that no slot is written twice, and that no slot is both written and read as
     * context in the same step.
     */
    public static StepRows of(Batch batch, int capacity, int vocab) {
        if (batch.sequences().isEmpty()) throw new IllegalArgumentException("empty batch");
        int total = 0, logits = 0;
        for (SequenceStep s : batch.sequences()) {
            total += s.rows();
            logits += s.logitRows();
        }
        int[] tokens = new int[total], positions = new int[total], writeSlots = new int[total];
        int[][] keySlots = new int[total][];
        int[] logitRows = new int[logits];
        BitSet written = new BitSet(capacity);
        int row = 0, logit = 0;
        for (int s = 0; s < batch.sequences().size(); s++) {
            SequenceStep step = batch.sequences().get(s);
            for (int c = 0; c < step.contextSlots().length; c++)
                checkSlot(step.contextSlots()[c], capacity, "sequence " + s + " contextSlots[" + c + "]");
            for (int r = 0; r < step.rows(); r++, row++) {
                String where = "sequence " + s + " row " + r;
                checkSlot(step.writeSlots()[r], capacity, where + " writeSlots");
                if (written.get(step.writeSlots()[r]))
                    throw new IllegalArgumentException(where + ": slot " + step.writeSlots()[r] + " is written twice in one step");
                written.set(step.writeSlots()[r]);
                checkTokenAndPosition(step.tokens()[r], step.positions()[r], vocab, where);
                tokens[row] = step.tokens()[r];
                positions[row] = step.positions()[r];
                writeSlots[row] = step.writeSlots()[r];
                int[] keys = Arrays.copyOf(step.contextSlots(), step.contextSlots().length + r + 1);
                System.arraycopy(step.writeSlots(), 0, keys, step.contextSlots().length, r + 1);
                keySlots[row] = keys;
                if (step.allLogits() || r == step.rows() - 1) logitRows[logit++] = row;
            }
        }
        for (int s = 0; s < batch.sequences().size(); s++) {
            int[] context = batch.sequences().get(s).contextSlots();
            for (int c = 0; c < context.length; c++) {
                if (written.get(context[c]))
                    throw new IllegalArgumentException("sequence " + s + " contextSlots[" + c + "]: slot " + context[c]
                            + " is written in this same step");
            }
        }
        return new StepRows(tokens, positions, writeSlots, keySlots, logitRows);
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

    private static void checkSlot(int slot, int capacity, String where) {
        if (slot < 0 || slot >= capacity)
            throw new IllegalArgumentException(where + ": slot " + slot + " outside [0, " + capacity + ")");
    }
}
