package dev.multiverse.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The text rules: newlines around tags, ids, the Answer. One mutation of a valid text per test. */
class GrammarTextRulesTest {
    private static final String VALID = String.join(" ",
            "<Think> NL Hi NL think NL <Parallel> NL <Goal> NL",
            "<Outline> NL 1: a NL </Outline> NL <Outline> NL 2: b NL </Outline> NL </Goal> NL",
            "<Path> NL 1: x </Path> NL",
            "<Path> NL 2: y NL <Parallel> NL <Goal> NL <Outline> NL 2.1: u NL </Outline> NL </Goal> NL",
            "<Path> NL 2.1: v </Path> NL <Conclusion> NL w NL </Conclusion> NL </Parallel> NL </Path> NL",
            "<Conclusion> NL c NL </Conclusion> NL </Parallel> NL end </Think> NL NL Answer: _ 42");

    private final FakeVocab vocab = new FakeVocab();

    private Layout check(String words, boolean answerRequired) {
        var options = GrammarOptions.withText(vocab::text);
        return Layout.of(vocab.tokens(words), FakeVocab.TAGS, answerRequired ? options : options.thinkSectionOnly());
    }

    /** Replaces the single occurrence of {@code from}; the break is expected at {@code at}'s first word. */
    private void assertOnlyBreak(String from, String to, String at, int occurrence, Rule rule) {
        assertEquals(1, VALID.split(java.util.regex.Pattern.quote(from), -1).length - 1, "pattern must be unique: " + from);
        String mutated = VALID.replace(from, to);
        Layout layout = check(mutated, true);
        int index = indexOf(mutated, at, occurrence);
        assertEquals(List.of(rule + "@" + index),
                layout.breaks().stream().map(b -> b.rule() + "@" + b.tokenIndex()).toList(), () -> layout.breaks().toString());
        assertTrue(Layout.of(vocab.tokens(mutated), FakeVocab.TAGS).isWellFormed(), "tag structure alone is intact");
    }

    /** Token index of the {@code occurrence}-th (0-based) word equal to {@code word}. */
    private static int indexOf(String words, String word, int occurrence) {
        List<String> list = Arrays.asList(words.strip().split("\\s+"));
        int seen = 0;
        for (int i = 0; i < list.size(); i++) if (list.get(i).equals(word) && seen++ == occurrence) return i;
        throw new AssertionError(word + " #" + occurrence + " not in " + words);
    }

    @Test
    void theValidResponseHasNoBreak() {
        assertEquals(List.of(), check(VALID, true).breaks());
    }

    /**
     * One mutation each: replace {@code from} (unique in the valid text) by {@code to}; the only
     * break must be {@code rule}, at the {@code occurrence}-th (0-based) word {@code at}.
     */
    record Mutation(String name, String from, String to, String at, int occurrence, Rule rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Mutation> mutations() {
        return List.of(
                new Mutation("a nested path id extends its parent's id", "<Path> NL 2.1: v", "<Path> NL 1.1: v",
                        "<Path>", 2, Rule.BAD_PATH_ID),
                new Mutation("outline ids count from 1", "<Outline> NL 2: b", "<Outline> NL 3: b",
                        "<Outline>", 1, Rule.BAD_OUTLINE_ID),
                new Mutation("an id needs a colon and a space", "<Path> NL 1: x", "<Path> NL 1 x",
                        "<Path>", 0, Rule.BAD_PATH_ID),
                new Mutation("a newline after </Path>", "x </Path> NL <Path>", "x </Path> <Path>",
                        "</Path>", 0, Rule.NEWLINE_MISSING_AFTER_TAG),
                new Mutation("only a newline between paths", "x </Path> NL <Path>", "x </Path> NL junk <Path>",
                        "NL", 13, Rule.TEXT_BETWEEN_TAGS),
                new Mutation("a newline before </Conclusion>", "c NL </Conclusion>", "c </Conclusion>",
                        "</Conclusion>", 1, Rule.NEWLINE_MISSING_BEFORE_TAG),
                new Mutation("a newline after <Parallel>", "think NL <Parallel> NL <Goal>", "think NL <Parallel> <Goal>",
                        "<Parallel>", 0, Rule.NEWLINE_MISSING_AFTER_TAG));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void eachTextRuleIsReportedAlone(Mutation m) {
        assertOnlyBreak(m.from(), m.to(), m.at(), m.occurrence(), m.rule());
    }

    @Test
    void answerFollowsThink() {
        String thinkOnly = VALID.substring(0, VALID.indexOf(" NL NL Answer:"));
        Layout required = check(thinkOnly, true);
        assertEquals(List.of(Rule.ANSWER_MISSING), required.breaks().stream().map(GrammarBreak::rule).toList());
        assertEquals(vocab.tokens(thinkOnly).length - 1, required.breaks().getFirst().tokenIndex());
        assertEquals(List.of(), check(thinkOnly, false).breaks(), "a Think section alone may end at </Think>");
        assertEquals(List.of(Rule.ANSWER_MISSING),
                check(thinkOnly + " NL Answer: _ 42", false).breaks().stream().map(GrammarBreak::rule).toList(),
                "text after </Think> must still be the Answer");
    }
}
