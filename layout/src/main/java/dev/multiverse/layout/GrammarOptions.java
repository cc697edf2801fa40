package dev.multiverse.layout;

import java.util.function.IntFunction;

/**
 * What the grammar checker looks at besides the tags.
 *
 * @param tokenText      text of one token id, or {@code null} to check the tag structure only;
 *                       with it the checker also checks newlines, ids and the Answer
 * @param answerRequired whether {@code </Think>} must be followed by {@code "\n\nAnswer: "};
 *                       when false, the text may also end right after {@code </Think>} (a trace
 *                       of the Think section alone)
 */
public record GrammarOptions(IntFunction<String> tokenText, boolean answerRequired) {

    /** Tag structure only. */
    public static GrammarOptions tagsOnly() {
        return new GrammarOptions(null, true);
    }

    /** Tags and text of a full response, Answer included. */
    public static GrammarOptions withText(IntFunction<String> tokenText) {
        return new GrammarOptions(tokenText, true);
    }

    /** The same checks, but the text may stop right after {@code </Think>}. */
    public GrammarOptions thinkSectionOnly() {
        return new GrammarOptions(tokenText, false);
    }

    boolean checksText() {
        return tokenText != null;
    }
}
