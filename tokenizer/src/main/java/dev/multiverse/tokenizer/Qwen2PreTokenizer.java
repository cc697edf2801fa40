package dev.multiverse.tokenizer;

/**
 * Splits text into the pieces Qwen2's Split pre-tokenizer produces, without a regex engine. The
 * pattern (behaviour "Isolated": every match is a piece, and the alternatives cover every
 * character, so matches tile the text) is
 *
 * <pre>
 *   (?i:'s|'t|'re|'ve|'m|'ll|'d)          1. an English contraction, any case
 * | [^\r\n\p{L}\p{N}]?\p{L}+              2. a run of letters, with at most one non-letter, non-digit, non-newline before it
 * | \p{N}                                 3. one digit (numbers split into single digits)
 * |  ?[^\s\p{L}\p{N}]+[\r\n]*             4. a run of symbols, optionally after one space, with the newlines after it
 * | \s*[\r\n]+                            5. whitespace up to and including its last newline
 * | \s+(?!\S)                             6. whitespace but its last character, when a non-space follows
 * | \s+                                   7. whitespace
 * </pre>
 *
 * <p>The scanner tries the alternatives in this order at each position, as a backtracking engine
 * (Oniguruma, used by Hugging Face tokenizers) does; the backtracking of 5 and 6 is resolved in
 * closed form. Character classes: {@code \p{L}} is the general category L*, {@code \p{N}} is N*,
 * {@code \s} is the Unicode White_Space property; all work on code points.
 */
final class Qwen2PreTokenizer {
    private Qwen2PreTokenizer() {}

    /** The Split pattern of Qwen2's tokenizer.json, the only one this scanner implements. */
    static final String PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final byte OTHER = 0;
    private static final byte LETTER = 1;
    private static final byte NUMBER = 2;
    private static final byte SPACE = 3;
    private static final byte SURROGATE = 4;

    /** Class of every BMP code point; surrogates are resolved by {@link #classAt}. */
    private static final byte[] BMP_CLASS = new byte[0x10000];

    static {
        for (int cp = 0; cp < 0x10000; cp++) {
            BMP_CLASS[cp] = Character.isSurrogate((char) cp) ? SURROGATE : classOf(cp);
        }
    }

    private static byte classOf(int cp) {
        if (isWhiteSpace(cp)) return SPACE;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }

    /** The Unicode White_Space property (what {@code \s} matches in Oniguruma and Rust's regex). */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /**
     * The end of the piece that starts at {@code i} in {@code text[i, end)}; {@code end} acts as the
     * end of the text (the piece boundaries of a segment between added tokens do not look past it).
     *
     * @throws IllegalArgumentException at an unpaired surrogate, which has no UTF-8 form
     */
    static int pieceEnd(String text, int i, int end) {
        char ch = text.charAt(i);
        int cls = classAt(text, i, end);
        int next = i + width(text, i);
        if (ch == '\'') {
            int contraction = contractionEnd(text, next, end);
            if (contraction > 0) return contraction;
        }
        if (cls == LETTER) return runEnd(text, next, end, LETTER);
        if (cls != NUMBER && ch != '\r' && ch != '\n' && next < end && classAt(text, next, end) == LETTER) {
            return runEnd(text, next, end, LETTER);
        }
        if (cls == NUMBER) return next;
        if (cls == OTHER) return newlinesEnd(text, runEnd(text, next, end, OTHER), end);
        // From here on text[i] is white space.
        if (ch == ' ' && next < end && classAt(text, next, end) == OTHER) {
            return newlinesEnd(text, runEnd(text, next, end, OTHER), end);
        }
        int spaceEnd = runEnd(text, next, end, SPACE);
        for (int k = spaceEnd - 1; k >= i; k--) {
            char c = text.charAt(k);
            if (c == '\r' || c == '\n') return k + 1; // 5.
        }
        if (spaceEnd == end) return spaceEnd; // 6., nothing follows
        if (spaceEnd - i > 1) return spaceEnd - 1; // 6., white space is never a surrogate pair
        return spaceEnd; // 7.
    }

    /** End of {@code 's 't 're 've 'm 'll 'd} (any case) whose letters start at {@code i}, or -1. */
    private static int contractionEnd(String text, int i, int end) {
        if (i >= end) return -1;
        char a = Character.toLowerCase(text.charAt(i));
        if (a == 's' || a == '\u017F' || a == 't' || a == 'm' || a == 'd') return i + 1;
        if (i + 1 >= end) return -1;
        char b = Character.toLowerCase(text.charAt(i + 1));
        if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return i + 2;
        return -1;
    }

    private static int runEnd(String text, int i, int end, byte cls) {
        while (i < end && classAt(text, i, end) == cls) i += width(text, i);
        return i;
    }

    private static int newlinesEnd(String text, int i, int end) {
        while (i < end && (text.charAt(i) == '\r' || text.charAt(i) == '\n')) i++;
        return i;
    }

    private static int classAt(String text, int i, int end) {
        byte cls = BMP_CLASS[text.charAt(i)];
        if (cls != SURROGATE) return cls;
        char high = text.charAt(i);
        if (Character.isHighSurrogate(high) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
            return classOf(Character.toCodePoint(high, text.charAt(i + 1)));
        }
        throw new IllegalArgumentException("unpaired surrogate U+" + Integer.toHexString(high).toUpperCase()
                + " at char index " + i + ": the text has no UTF-8 form");
    }

    /** UTF-16 width of the code point at {@code i}, which {@link #classAt} has already checked. */
    private static int width(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) ? 2 : 1;
    }
}
