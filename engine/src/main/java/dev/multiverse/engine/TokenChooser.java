package dev.multiverse.engine;

import dev.multiverse.contract.Pick;
import java.util.List;

/**
 * What decides a sequence's next token: a {@link Sampler} during generation (the backend chooses
 * under its rule, with a uniform draw from the sequence's own stream), or a script that follows a
 * given text during replay and tests (the backend only scores the script's token). The engine
 * treats a token the same way whoever picked it: it appends it, records its log-prob and reacts
 * to its tags.
 *
 * <p>One chooser belongs to one sequence; {@link #child} makes the chooser of each forked child.
 */
public interface TokenChooser {

    /** Returned by {@link #next} to end the sequence without another token. */
    Pick END = Pick.none();

    /**
     * How the next token is to be picked, asked once per step that completes the sequence's
     * pending tokens: {@link Pick#given} (a script), {@link Pick#chosen} (sampling), or {@link #END}.
     *
     * @param choosable ids at or beyond this may not be chosen (the tokenizer's vocabulary, which
     *     a model may pad)
     */
    Pick next(int choosable);

    /** The token this chooser's last {@link #next} led to was appended. */
    default void picked(int token) {}

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
}
