package dev.multiverse.layout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs the tag checks, and the text checks when token texts are given; breaks in text order. */
final class GrammarChecker {
    private GrammarChecker() {}

    static List<GrammarBreak> check(Structure structure, int[] tokens, GrammarOptions options) {
        List<GrammarBreak> breaks = new ArrayList<>();
        var tagGrammar = new TagGrammar(structure, breaks);
        tagGrammar.check();
        if (options.checksText()) new TextGrammar(structure, tokens, options, tagGrammar, breaks).check();
        breaks.sort(Comparator.comparingInt(GrammarBreak::tokenIndex));  // stable: same index keeps order
        return List.copyOf(breaks);
    }
}
