package dev.multiverse.cuda;

import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.RunTable;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.contract.StepRows;
import dev.multiverse.contract.TokenRule;

/**
 * One step's metadata as the device reads it, planned on the host from a batch that {@link
 * RunTable#begin} has checked: O(rows + chain runs + readout ids), never O(context).
 *
 * <ul>
 *   <li>rows: token, position, write slot, and the row's key list as (start, count) in the flat
 *       keySlots: every row of a sequence reads a prefix of its sequence's one list, which the
 *       device assembles from the chain's segments (gather_key_lists);
 *   <li>logit rows: which rows get logits (every row of a sequence wanting row log-probs or
 *       logits, else its last);
 *   <li>sequences: one {@code SequenceMeta} each (step_meta.cuh), {@value #SEQ_WORDS} words;
 *   <li>segments: (run handle, entries seen) per run of each chain;
 *   <li>ids: score ids and banned ids, referred to by the sequences;
 *   <li>results: where each sequence's readout lands, as doubles.
 * </ul>
 */
final class StepPlan {
    static final int SEQ_WORDS = 32;
    // Word offsets in a sequence record (SequenceMeta); doubles take two words, low word first.
    static final int SEG_START = 0, SEG_COUNT = 1, KEY_START = 2, CONTEXT_LENGTH = 3, FIRST_ROW = 4, ROWS = 5,
            FIRST_LOGIT_ROW = 6, LAST_LOGIT_ROW = 7, KIND = 8, TOKEN = 9, GREEDY = 10, TOP_K = 11, CHOOSABLE = 12,
            SCORE_START = 13, SCORE_COUNT = 14, BANNED_START = 15, BANNED_COUNT = 16, TOP_N = 17, ROW_LOGPROBS = 18,
            OUT_START = 19, TEMPERATURE = 20, TOP_P = 22, MIN_P = 24, PENALTY = 26, UNIFORM = 28;
    static final int PICK_NONE = 0, PICK_GIVEN = 1, PICK_CHOSEN = 2;
    /** The most top-N ids one readout may ask of the device (readout_logprobs takes one pass over the vocabulary each). */
    static final int MAX_TOP_N = 64;

    final int rows, logitRows, sequences, segments, ids, keys, longestContext, results;
    final int[] tokens, positions, writeSlots, keyStart, keyCount, logitRowIndex;
    /** {@code [sequences][SEQ_WORDS]}. */
    final int[] sequenceWords;
    /** {@code [segments][2]}: (run handle, entries seen). */
    final int[] segmentWords;
    final int[] idList;
    /** Whether any sequence wants a token, log-probs or scores: the readout kernels run. */
    final boolean readout;
    /** Whether any sequence wants its full logits: they are copied back. */
    final boolean logits;

    private StepPlan(Batch batch, RunTable table, RunArena arena, int vocab) {
        int s = batch.sequences().size(), n = 0, l = 0, g = 0, e = 0;
        for (SequenceStep step : batch.sequences()) {
            n += step.rows();
            l += StepRows.wantsEveryRow(step) ? step.rows() : 1;
            g += step.runs().length;
            e += step.readout().scoreIds().length + bannedOf(step.readout().pick()).length;
        }
        rows = n;
        logitRows = l;
        sequences = s;
        segments = g;
        ids = e;
        tokens = new int[n];
        positions = new int[n];
        writeSlots = new int[n];
        keyStart = new int[n];
        keyCount = new int[n];
        logitRowIndex = new int[l];
        sequenceWords = new int[s * SEQ_WORDS];
        segmentWords = new int[2 * g];
        idList = new int[e];
        int row = 0, logit = 0, segment = 0, id = 0, key = 0, out = 0, longest = 0;
        boolean anyReadout = false, anyLogits = false;
        for (int q = 0; q < s; q++) {
            SequenceStep step = batch.sequences().get(q);
            Readout readout = step.readout();
            Pick pick = readout.pick();
            int w = q * SEQ_WORDS;
            long[] chain = step.runs();
            int context = 0;
            sequenceWords[w + SEG_START] = segment;
            for (int i = 0; i < chain.length; i++, segment++) {
                int count = i == chain.length - 1 ? step.end() : table.run(chain[i]).length();
                segmentWords[2 * segment] = arena.handle(chain[i]);
                segmentWords[2 * segment + 1] = count;
                context += count;
            }
            sequenceWords[w + SEG_COUNT] = chain.length;
            sequenceWords[w + KEY_START] = key;
            sequenceWords[w + CONTEXT_LENGTH] = context;
            longest = Math.max(longest, context);
            // rows: entries end - rows .. end - 1 of the last run
            RunTable.Run last = table.run(step.lastRun());
            int first = step.end() - step.rows();
            boolean every = StepRows.wantsEveryRow(step);
            sequenceWords[w + FIRST_ROW] = row;
            sequenceWords[w + ROWS] = step.rows();
            sequenceWords[w + FIRST_LOGIT_ROW] = logit;
            for (int r = 0; r < step.rows(); r++, row++) {
                tokens[row] = last.tokens()[first + r];
                positions[row] = step.positions()[r];
                writeSlots[row] = last.slots()[first + r];
                keyStart[row] = key;
                keyCount[row] = context - step.rows() + r + 1;
                if (every || r == step.rows() - 1) logitRowIndex[logit++] = row;
            }
            sequenceWords[w + LAST_LOGIT_ROW] = logit - 1;
            key += context;
            // readout
            int kind = switch (pick.kind()) {
                case NONE -> PICK_NONE;
                case GIVEN -> PICK_GIVEN;
                case CHOSEN -> PICK_CHOSEN;
            };
            TokenRule rule = pick.rule();
            int choosable = kind == PICK_CHOSEN ? rule.choosable() : vocab;
            int topN = Math.min(readout.topN(), choosable);
            if (topN > MAX_TOP_N)
                throw new IllegalArgumentException("sequence " + q + ": " + readout.topN() + " top log-probs asked; the CUDA backend"
                        + " returns at most " + MAX_TOP_N);
            if (kind == PICK_CHOSEN) checkSomeIdAllowed(rule, q);
            int rowLogprobs = readout.rowLogprobs() && step.rows() > 1 ? step.rows() - 1 : 0;
            sequenceWords[w + KIND] = kind;
            sequenceWords[w + TOKEN] = kind == PICK_GIVEN ? pick.token() : -1;
            sequenceWords[w + CHOOSABLE] = choosable;
            sequenceWords[w + TOP_N] = topN;
            sequenceWords[w + ROW_LOGPROBS] = rowLogprobs;
            sequenceWords[w + SCORE_START] = id;
            sequenceWords[w + SCORE_COUNT] = readout.scoreIds().length;
            for (int x : readout.scoreIds()) idList[id++] = x;
            int[] banned = bannedOf(pick);
            sequenceWords[w + BANNED_START] = id;
            sequenceWords[w + BANNED_COUNT] = banned.length;
            for (int x : banned) idList[id++] = x;
            if (kind == PICK_CHOSEN) {
                sequenceWords[w + GREEDY] = rule.isGreedy() ? 1 : 0;
                sequenceWords[w + TOP_K] = rule.topK();
                putDouble(w + TEMPERATURE, rule.temperature());
                putDouble(w + TOP_P, rule.topP());
                putDouble(w + MIN_P, rule.minP());
                putDouble(w + PENALTY, rule.repetitionPenalty());
                putDouble(w + UNIFORM, pick.uniform());
            } else {
                putDouble(w + TEMPERATURE, 0);
                putDouble(w + TOP_P, 1);
                putDouble(w + MIN_P, 0);
                putDouble(w + PENALTY, 1);
                putDouble(w + UNIFORM, 0);
            }
            sequenceWords[w + OUT_START] = out;
            out += resultCount(readout.scoreIds().length, topN, rowLogprobs);
            anyReadout |= kind != PICK_NONE || rowLogprobs > 0 || readout.scoreIds().length > 0;
            anyLogits |= readout.logits();
        }
        keys = key;
        longestContext = longest;
        results = out;
        readout = anyReadout;
        logits = anyLogits;
    }

    /** Plans {@code batch}; refuses, naming the sequence, a readout the device cannot serve or a rule that allows no id. */
    static StepPlan of(Batch batch, RunTable table, RunArena arena, int vocab) {
        return new StepPlan(batch, table, arena, vocab);
    }

    /** Doubles one sequence's readout takes: token, its log-prob, score log-probs, top ids and log-probs, row log-probs. */
    static int resultCount(int scoreIds, int topN, int rowLogprobs) {
        return 2 + scoreIds + 2 * topN + rowLogprobs;
    }

    private static int[] bannedOf(Pick pick) {
        return pick.kind() == Pick.Kind.CHOSEN ? pick.rule().banned() : new int[0];
    }

    private static void checkSomeIdAllowed(TokenRule rule, int q) {
        int bannedBelow = 0;
        for (int b : rule.banned()) if (b < rule.choosable()) bannedBelow++;
        if (bannedBelow >= rule.choosable())
            throw new IllegalArgumentException("sequence " + q + ": no id may be chosen (all " + rule.choosable()
                    + " choosable ids are banned)");
    }

    private void putDouble(int word, double value) {
        long bits = Double.doubleToRawLongBits(value);
        sequenceWords[word] = (int) bits;
        sequenceWords[word + 1] = (int) (bits >>> 32);
    }

    /** Word {@code word} of sequence {@code q}'s record. */
    int sequenceWord(int q, int word) {
        return sequenceWords[q * SEQ_WORDS + word];
    }

    double sequenceDouble(int q, int word) {
        int w = q * SEQ_WORDS + word;
        return Double.longBitsToDouble((sequenceWords[w] & 0xffffffffL) | ((long) sequenceWords[w + 1] << 32));
    }
}
