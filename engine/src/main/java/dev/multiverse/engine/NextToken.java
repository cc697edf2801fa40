package dev.multiverse.engine;

import dev.multiverse.contract.Readout;
import dev.multiverse.contract.SequenceResult;

/**
 * What the backend read from a sequence's last computed row: the token it picked (if any) and the
 * log-probs of the ids the engine may insert there, kept until the sequence's next token is
 * appended. A child starts from its parent's, a joined parent from its last child's.
 */
record NextToken(SequenceResult result, int[] scoreIds) {

    static NextToken of(SequenceResult result, Readout readout) {
        return new NextToken(result, readout.scoreIds());
    }

    /** {@code log p(token)} here, NaN if the readout did not ask for it. */
    double logprob(int token) {
        return result.logprobOf(token, scoreIds);
    }
}
