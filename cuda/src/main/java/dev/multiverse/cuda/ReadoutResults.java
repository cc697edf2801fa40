package dev.multiverse.cuda;

import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.SequenceResult;
import dev.multiverse.contract.SequenceStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the readout's doubles, copied back in one piece, into each sequence's {@link
 * SequenceResult}. Sequence q's values start at its record's {@code outStart}: [token, log p(token),
 * score log-probs…, top ids…, top log-probs…, row log-probs…] (readout_logprobs.cu).
 */
final class ReadoutResults {
    private ReadoutResults() {}

    /**
     * @param results the result doubles ({@code plan.results} of them)
     * @param logits the step's logit rows ({@code [plan.logitRows][V]}), or null when no readout asked for logits
     */
    static List<SequenceResult> decode(Batch batch, StepPlan plan, double[] results, float[][] logits) {
        List<SequenceResult> out = new ArrayList<>(plan.sequences);
        for (int q = 0; q < plan.sequences; q++) {
            SequenceStep step = batch.sequences().get(q);
            Readout readout = step.readout();
            int at = plan.sequenceWord(q, StepPlan.OUT_START);
            int scores = plan.sequenceWord(q, StepPlan.SCORE_COUNT), topN = plan.sequenceWord(q, StepPlan.TOP_N);
            int rowCount = plan.sequenceWord(q, StepPlan.ROW_LOGPROBS);
            boolean picked = plan.sequenceWord(q, StepPlan.KIND) != StepPlan.PICK_NONE;
            int token = picked ? (int) results[at] : -1;
            double tokenLogprob = picked ? results[at + 1] : Double.NaN;
            double[] scoreLogprobs = Arrays.copyOfRange(results, at + 2, at + 2 + scores);
            int[] topIds = new int[topN];
            for (int i = 0; i < topN; i++) topIds[i] = (int) results[at + 2 + scores + i];
            double[] topLogprobs = Arrays.copyOfRange(results, at + 2 + scores + topN, at + 2 + scores + 2 * topN);
            int rowStart = at + 2 + scores + 2 * topN;
            double[] rowLogprobs = readout.rowLogprobs() ? Arrays.copyOfRange(results, rowStart, rowStart + rowCount) : new double[0];
            float[][] own = null;
            if (readout.logits()) {
                int first = plan.sequenceWord(q, StepPlan.FIRST_LOGIT_ROW), last = plan.sequenceWord(q, StepPlan.LAST_LOGIT_ROW);
                own = Arrays.copyOfRange(logits, first, last + 1);
            }
            out.add(new SequenceResult(rowLogprobs, token, tokenLogprob, scoreLogprobs, topIds, topLogprobs, own));
        }
        return out;
    }
}
