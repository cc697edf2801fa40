package dev.multiverse.layout;

import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Checks the text the grammar (spec section 2) puts around the tags: the newline after each tag,
 * the newline before {@code </Outline>} and {@code </Conclusion>}, nothing but a newline between
 * tags that stand side by side, the ids {@code "1"}, {@code "2.1"} that open Outlines and paths,
 * and {@code "\n\nAnswer: "} after {@code </Think>}.
 *
 * <p>Text is decoded token by token and concatenated, so a newline merged into a token with other
 * characters (BPE does that: {@code ".\n"}) is found all the same. Only a few characters on either
 * side of a tag are decoded.
 */
final class TextGrammar {

    /** Tags the grammar writes next to each other with exactly one newline between them. */
    private static final Set<List<Tag>> ADJACENT = Set.of(
            List.of(Tag.PARALLEL, Tag.GOAL), List.of(Tag.GOAL, Tag.OUTLINE),
            List.of(Tag.OUTLINE_END, Tag.OUTLINE), List.of(Tag.OUTLINE_END, Tag.GOAL_END),
            List.of(Tag.GOAL_END, Tag.PATH), List.of(Tag.PATH_END, Tag.PATH),
            List.of(Tag.PATH_END, Tag.CONCLUSION), List.of(Tag.CONCLUSION_END, Tag.PARALLEL_END));

    private static final String ANSWER = "\n\nAnswer: ";
    private static final int SHOWN = 24;  // characters of offending text quoted in a message

    private final Structure structure;
    private final int[] tokens;
    private final IntFunction<String> tokenText;
    private final boolean answerRequired;
    private final TagGrammar tagGrammar;
    private final List<GrammarBreak> breaks;

    TextGrammar(Structure structure, int[] tokens, GrammarOptions options, TagGrammar tagGrammar,
            List<GrammarBreak> breaks) {
        this.structure = structure;
        this.tokens = tokens;
        this.tokenText = options.tokenText();
        this.answerRequired = options.answerRequired();
        this.tagGrammar = tagGrammar;
        this.breaks = breaks;
    }

    void check() {
        Tag[] tags = structure.tags();
        int n = tags.length;
        int previous = -1;
        for (int i = 0; i < n; i++) {
            if (tags[i] == null) continue;
            int next = i + 1;
            while (next < n && tags[next] == null) next++;
            checkTag(tags[i], i, previous, next);
            previous = i;
        }
    }

    /** {@code previous}, {@code next}: indices of the neighbouring tags (-1 and n at the ends). */
    private void checkTag(Tag tag, int i, int previous, int next) {
        String after = prefix(i + 1, next, SHOWN);
        boolean atEnd = i + 1 == tokens.length;
        switch (tag) {
            case OUTLINE -> {
                int block = tagGrammar.outlineBlock[i];
                if (block >= 0) checkId(i, after, idPrefix(block) + tagGrammar.outlineNumber[i], Rule.BAD_OUTLINE_ID);
                else newlineAfter(tag, i, after);
            }
            case PATH -> {
                int block = structure.blockAt()[i];
                if (block >= 0) checkId(i, after, idPrefix(block) + (pathNumber(block, i) + 1), Rule.BAD_PATH_ID);
                else newlineAfter(tag, i, after);
            }
            case THINK, PARALLEL, GOAL, CONCLUSION -> newlineAfter(tag, i, after);
            case OUTLINE_END, CONCLUSION_END -> {
                String before = suffix(previous + 1, i, 1);
                if (!before.endsWith("\n")) {
                    report(i, Rule.NEWLINE_MISSING_BEFORE_TAG, tag.text() + " at " + i + " is not preceded by a newline");
                }
                if (!atEnd) newlineAfter(tag, i, after);
            }
            case GOAL_END, PATH_END, PARALLEL_END -> {
                if (!atEnd) newlineAfter(tag, i, after);
            }
            case THINK_END -> {
                if (!after.startsWith(ANSWER) && (answerRequired || !atEnd)) {
                    report(i, Rule.ANSWER_MISSING, "</Think> at " + i + " is followed by " + quote(after)
                            + ", not " + quote(ANSWER));
                }
            }
        }
        if (previous >= 0 && ADJACENT.contains(List.of(structure.tags()[previous], tag))) {
            String between = prefix(previous + 1, i, 2);
            if (!between.isEmpty() && !between.equals("\n")) {
                report(previous + 1, Rule.TEXT_BETWEEN_TAGS, "between " + structure.tags()[previous].text() + " at "
                        + previous + " and " + tag.text() + " at " + i + " stands " + quote(prefix(previous + 1, i, SHOWN))
                        + " where only a newline may");
            }
        }
    }

    private void newlineAfter(Tag tag, int i, String after) {
        if (!after.startsWith("\n")) {
            report(i, Rule.NEWLINE_MISSING_AFTER_TAG, tag.text() + " at " + i + " is followed by " + quote(after)
                    + ", not a newline");
        }
    }

    private void checkId(int i, String after, String id, Rule rule) {
        String expected = "\n" + id + ": ";
        if (!after.startsWith(expected)) {
            String tag = structure.tags()[i].text();
            report(i, rule, tag + " at " + i + " should begin " + quote(expected) + " but begins " + quote(after));
        }
    }

    /** 0-based number of the path that the {@code <Path>} at {@code i} starts in {@code block}. */
    private int pathNumber(int block, int i) {
        List<PathSpan> paths = structure.blocks().get(block).paths();
        for (int k = 0; k < paths.size(); k++) if (paths.get(k).start() == i) return k;
        throw new IllegalStateException("<Path> at " + i + " starts no path of block " + block);
    }

    /**
     * The id prefix of a block's Outlines and paths: "" at the top level, "2." inside path "2",
     * "2.1." inside path "2.1". A block outside its parent's paths (a grammar break) takes the
     * prefix of the path around its parent.
     */
    private String idPrefix(int blockId) {
        Block b = structure.blocks().get(blockId);
        if (b.parent() < 0) return "";
        if (b.parentPath() < 0) return idPrefix(b.parent());
        return idPrefix(b.parent()) + (b.parentPath() + 1) + ".";
    }

    /** Text of tokens {@code [from, to)}, decoded until at least {@code chars} characters. */
    private String prefix(int from, int to, int chars) {
        var text = new StringBuilder();
        for (int t = from; t < to && text.length() < chars; t++) text.append(tokenText.apply(tokens[t]));
        return text.toString();
    }

    /** Text of tokens {@code [from, to)}, decoded backwards until at least {@code chars} characters. */
    private String suffix(int from, int to, int chars) {
        var text = new StringBuilder();
        for (int t = to - 1; t >= from && text.length() < chars; t--) text.insert(0, tokenText.apply(tokens[t]));
        return text.toString();
    }

    private static String quote(String s) {
        String shown = s.length() > SHOWN ? s.substring(0, SHOWN) + "..." : s;
        return '"' + shown.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + '"';
    }

    private void report(int index, Rule rule, String message) {
        breaks.add(new GrammarBreak(index, rule, message));
    }
}
