package dev.multiverse.engine;

import dev.multiverse.tokenizer.MultiverseTags;

/**
 * What the engine must know of the tokenizer: the tag ids it reacts to, which ids end a sequence,
 * and how to turn plain text into tokens (for the text it inserts) and back (to read Outline ids
 * and match stop strings).
 */
public interface EngineVocabulary {

    /**
     * How many ids the tokenizer has; a model's vocabulary may be padded beyond it, and the engine
     * never lets a sequence choose a padding id.
     */
    int size();

    /** The ids of the twelve control tags. */
    MultiverseTags tags();

    /** Whether {@code token} ends a sequence (EOS, {@code <|im_end|>}, ...). */
    boolean isEndOfSequence(int token);

    /** Tokens of {@code text}, which contains no special tokens. */
    int[] encodePlain(String text);

    /** The text of {@code tokens}; tags decode to their own text. */
    String decode(int[] tokens);
}
