package dev.multiverse.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in text the way Hugging Face's AddedVocabulary does: leftmost-longest,
 * non-overlapping matches scanned left to right; then per token the single-word test and the
 * lstrip/rstrip widening. Matching is a walk in a character trie from each candidate start.
 */
final class AddedTokenMatcher {
    /** One trie node: children by char, and the token that ends here (or null). */
    private static final class Node {
        final Map<Character, Node> children = new HashMap<>();
        AddedToken token;
    }

    private final Node root = new Node();
    private final boolean[] asciiStarts = new boolean[128];
    private final boolean nonAsciiStarts;
    private final boolean empty;

    /** @param patterns each token with the text to look for (its content, normalized if it is matched after normalization) */
    AddedTokenMatcher(List<Map.Entry<String, AddedToken>> patterns) {
        boolean nonAscii = false;
        for (var p : patterns) {
            String text = p.getKey();
            if (text.isEmpty()) continue;
            Node node = root;
            for (int i = 0; i < text.length(); i++) node = node.children.computeIfAbsent(text.charAt(i), c -> new Node());
            node.token = p.getValue();
            char first = text.charAt(0);
            if (first < 128) asciiStarts[first] = true;
            else nonAscii = true;
        }
        nonAsciiStarts = nonAscii;
        empty = root.children.isEmpty();
    }

    /** A run of plain text {@code [from, to)} when {@code token} is null, else an added token found there. */
    record Segment(int from, int to, AddedToken token) {}

    /** Cuts {@code text} into plain runs and added tokens, in order; the segments cover the text. */
    List<Segment> split(String text) {
        int length = text.length();
        if (empty) return List.of(new Segment(0, length, null));
        List<Segment> out = new java.util.ArrayList<>();
        int plainStart = 0; // Hugging Face's start_offset: end of the previous token match
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            if (c < 128 ? !asciiStarts[c] : !nonAsciiStarts) {
                i++;
                continue;
            }
            Match match = longestMatch(text, i);
            if (match == null) {
                i++;
                continue;
            }
            AddedToken token = match.token();
            int matchEnd = match.end();
            int start = i;
            int stop = matchEnd;
            i = matchEnd; // the next search resumes after the raw match, as Aho-Corasick's iterator does
            if (token.singleWord() && (endsWithWordChar(text, start) || startsWithWordChar(text, stop))) continue;
            if (token.lstrip()) start = Math.max(whiteSpaceStartBefore(text, start), plainStart);
            if (token.rstrip()) stop = whiteSpaceEndAfter(text, stop);
            if (plainStart < start) out.add(new Segment(plainStart, start, null));
            out.add(new Segment(start, stop, token));
            plainStart = stop;
        }
        if (plainStart < length) out.add(new Segment(plainStart, length, null));
        return out;
    }

    private record Match(AddedToken token, int end) {}

    /** The longest token starting at {@code i}, or null. */
    private Match longestMatch(String text, int i) {
        Node node = root;
        Match longest = null;
        for (int j = i; j < text.length(); j++) {
            node = node.children.get(text.charAt(j));
            if (node == null) break;
            if (node.token != null) longest = new Match(node.token, j + 1);
        }
        return longest;
    }

    private static boolean endsWithWordChar(String text, int end) {
        return end > 0 && isWordChar(text.codePointBefore(end));
    }

    private static boolean startsWithWordChar(String text, int start) {
        return start < text.length() && isWordChar(text.codePointAt(start));
    }

    /** Unicode {@code \w} as Rust's regex defines it: Alphabetic, Mark, Decimal_Number, Connector_Punctuation, Join_Control. */
    static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp)) return true;
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER, Character.CONNECTOR_PUNCTUATION -> true;
            default -> cp == 0x200C || cp == 0x200D;
        };
    }

    private static int whiteSpaceStartBefore(String text, int end) {
        int i = end;
        while (i > 0 && Qwen2PreTokenizer.isWhiteSpace(text.charAt(i - 1))) i--;
        return i;
    }

    private static int whiteSpaceEndAfter(String text, int start) {
        int i = start;
        while (i < text.length() && Qwen2PreTokenizer.isWhiteSpace(text.charAt(i))) i++;
        return i;
    }
}
