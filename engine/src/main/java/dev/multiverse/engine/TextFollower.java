package dev.multiverse.engine;

import dev.multiverse.contract.Pick;
import dev.multiverse.tokenizer.MultiverseTags;
import java.util.ArrayList;
import java.util.List;

/**
 * A script that makes the engine reproduce a given tagged token sequence (the merged text):
 * each sequence "chooses" the next token of its own part of the text, and every token the engine
 * inserts itself is checked against the text. Used by replay and by the lossless tests.
 *
 * <p>When the engine forks, the children's parts are the block's path spans in the text: from
 * each sibling {@code <Path>} (counted at the block's own nesting level) up to the next one or
 * the block's {@code <Conclusion>}. After the join the parent goes on from the end of the last
 * span. A text whose tags disagree with what the engine does (an inserted token that differs, a
 * Goal with more Outlines than the block has paths) fails with {@link ReplayMismatchException}.
 */
public final class TextFollower implements TokenChooser {
    private final int[] text;
    private final int end;
    private final MultiverseTags tags;
    private final EngineVocabulary vocabulary;
    private final String who;
    private int cursor;
    /** The start of each sibling path span of the block this sequence forked, and the block's end. */
    private List<Integer> spanStarts = List.of();

    private TextFollower(int[] text, int start, int end, EngineVocabulary vocabulary, String who) {
        this.text = text;
        this.cursor = start;
        this.end = end;
        this.tags = vocabulary.tags();
        this.vocabulary = vocabulary;
        this.who = who;
    }

    /** Follows {@code text} from token {@code start} (the end of the prompt) to its end. */
    public static TextFollower of(int[] text, int start, EngineVocabulary vocabulary) {
        if (start < 1 || start > text.length)
            throw new IllegalArgumentException("the text starts at token " + start + " of " + text.length);
        return new TextFollower(text.clone(), start, text.length, vocabulary, "the root");
    }

    /** Where this sequence is in the text: the index of its next token. */
    public int cursor() {
        return cursor;
    }

    /** The text's next token for this sequence without taking it, or -1 at its end. */
    public int peek() {
        return cursor < end ? text[cursor] : -1;
    }

    @Override
    public Pick next(int choosable) {
        return cursor < end ? Pick.given(text[cursor]) : END;
    }

    @Override
    public void picked(int token) {
        cursor++;
    }

    @Override
    public void forced(int token) {
        if (cursor >= end || text[cursor] != token)
            throw new ReplayMismatchException("token " + cursor + " (" + who + "): the engine inserts "
                    + quote(token) + " but the text has " + (cursor >= end ? "nothing more here" : quote(text[cursor])));
        cursor++;
    }

    @Override
    public TokenChooser child(int index, String outlineId, String pathKey) {
        if (index == 0) spanStarts = siblingSpans(cursor);
        int paths = spanStarts.size() - 1;
        if (index >= paths)
            throw new ReplayMismatchException("token " + cursor + " (" + who + "): the Goal has more outlines than the "
                    + paths + " path(s) the text's block has");
        return new TextFollower(text, spanStarts.get(index), spanStarts.get(index + 1), vocabulary, "path " + outlineId);
    }

    @Override
    public void joined(List<TokenChooser> children) {
        var last = (TextFollower) children.get(children.size() - 1);
        cursor = last.cursor;
    }

    /**
     * The starts of the sibling path spans beginning at {@code first} (which must be a {@code
     * <Path>}), followed by the end of the last span: the block's {@code <Conclusion>}, or the
     * end of the text.
     */
    private List<Integer> siblingSpans(int first) {
        if (first >= end || text[first] != tags.path())
            throw new ReplayMismatchException("token " + first + " (" + who + "): the engine forks here but the text has "
                    + (first >= end ? "nothing more" : quote(text[first])) + " instead of <Path>");
        var starts = new ArrayList<Integer>();
        int depth = 0;
        int i = first;
        for (; i < end; i++) {
            int t = text[i];
            if (t == tags.path()) {
                if (depth == 0) starts.add(i);
                depth++;
            } else if (t == tags.pathEnd()) {
                depth = Math.max(0, depth - 1);
            } else if (t == tags.conclusion() && depth == 0) {
                break;
            }
        }
        starts.add(i);
        return starts;
    }

    private String quote(int token) {
        return "\"" + vocabulary.decode(new int[] {token}).replace("\n", "\\n") + "\" (id " + token + ")";
    }
}
