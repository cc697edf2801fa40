package dev.multiverse.engine;

import java.util.List;

/**
 * What decides a sequence's next token: a {@link Sampler} during generation, or a script that
 * follows a given text during replay and tests. The engine treats a chosen token the same way
 * whoever chose it: it appends it, scores it against the logits and reacts to its tags.
 *
 * <p>One chooser belongs to one sequence; {@link #child} makes the chooser of each forked child.
 */
public interface TokenChooser {

    /** Returned by {@link #next} to end the sequence without appending a token. */
    int END = -1;

    /**
     * The next token after the sequence's last one.
     *
     * @param logits the model's logits for the next token, {@code [model vocab]}; read only
     * @param sequence the tokens the sequence sees, for penalties
     * @return a token id, or {@link #END}
     */
    int next(float[] logits, SequenceView sequence);

    /** The engine appended {@code token} to this sequence on its own (a header, a newline, ...). */
    default void forced(int token) {}

    /**
     * The chooser of a child forked from this sequence.
     *
     * @param index the child's place in outline order, from 0
     * @param outlineId the child's Outline id as the Goal wrote it ("2.1")
     * @param pathKey the child's unique key in the request tree (see {@link Sequence#pathKey()})
     */
    TokenChooser child(int index, String outlineId, String pathKey);

    /** The children forked from this sequence have ended and their tokens were joined, in order. */
    default void joined(List<TokenChooser> children) {}

    /** Read access to the tokens a sequence sees, in order. */
    interface SequenceView {
        int size();

        int token(int index);

        /**
         * How many ids may be chosen: the tokenizer's vocabulary, which a model may pad (ids at or
         * beyond it have logits but no text).
         */
        int choosableIds();
    }
}
