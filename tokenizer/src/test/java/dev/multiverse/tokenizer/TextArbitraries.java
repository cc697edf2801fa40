package dev.multiverse.tokenizer;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Generated text weighted toward what breaks tokenizers: contractions, digits, white space runs,
 * CJK, Arabic and Hebrew, combining marks, emoji with ZWJ and skin tones, added tokens, and any
 * code point at all. Avoids the handful of Unicode 16 characters listed in MissingCompositions,
 * whose handling CodePointClassTest checks one by one.
 */
final class TextArbitraries {
    private TextArbitraries() {}

    private static Arbitrary<String> range(int from, int to, int maxLength) {
        return Arbitraries.integers().between(from, to).list().ofMinSize(1).ofMaxSize(maxLength)
                .map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    cps.forEach(sb::appendCodePoint);
                    return sb.toString();
                });
    }

    private static Arbitrary<String> fragment() {
        Arbitrary<String> words = Arbitraries.of("the", "The", "THE", "don", "it", "we", "you", "can", "cat", "x",
                "hello", "Hello", "world", "Multiverse", "parallel", "naïve", "Straße", "ſ", "K");
        Arbitrary<String> contractions = Arbitraries.of("'s", "'S", "'t", "'T", "'re", "'RE", "'rE", "'ve", "'Ve",
                "'m", "'M", "'ll", "'LL", "'lL", "'d", "'D", "'", "''", "'x", "'ſ");
        Arbitrary<String> spaces = Arbitraries.of(" ", "  ", "   ", "\t", "\n", "\r\n", "\r", "\n\n", " \n", "\n ",
                "\u00A0", "\u3000", "\u2028", "\u0085", "\u000B", "\u2009", "\u200B", "\u180E", "\u001F");
        Arbitrary<String> tokens = Arbitraries.of(MultiverseTags.TEXTS.toArray(String[]::new));
        Arbitrary<String> chatml = Arbitraries.of("<|im_start|>", "<|im_end|>", "<|endoftext|>", "<tool_call>",
                "<|fim_middle|>", "<|im_start", "<Think", "|>", "<", ">", "</");
        Arbitrary<String> emoji = Arbitraries.of("👨‍👩‍👧‍👦", "👍🏽", "🏳️‍🌈", "🇯🇵", "1️⃣", "👩🏿‍💻", "❤️‍🔥", "😀",
                "\u200D", "\uFE0F", "🏻");
        return Arbitraries.frequencyOf(
                Tuple.of(6, words),
                Tuple.of(4, contractions),
                Tuple.of(6, spaces),
                Tuple.of(3, range('0', '9', 6)),
                Tuple.of(4, range(0x20, 0x7E, 8)),
                Tuple.of(2, tokens),
                Tuple.of(2, chatml),
                Tuple.of(2, range(0x4E00, 0x9FFF, 6)),
                Tuple.of(1, range(0xAC00, 0xD7A3, 4)),
                Tuple.of(1, range(0x3040, 0x30FF, 4)),
                Tuple.of(2, range(0x0600, 0x06FF, 6)),
                Tuple.of(2, range(0x0590, 0x05FF, 6)),
                Tuple.of(3, range(0x0300, 0x036F, 3)),
                Tuple.of(1, range(0x1100, 0x11FF, 3)),
                Tuple.of(2, emoji),
                Tuple.of(1, range(0x1F300, 0x1FAFF, 3)),
                Tuple.of(2, range(0xA0, 0x2FF, 4)),
                Tuple.of(1, range(0x2000, 0x2BFF, 4)),
                Tuple.of(1, range(0xE000, 0xFFFD, 2)),
                Tuple.of(1, range(0x10000, 0x104FF, 2)),
                Tuple.of(1, range(0x1D400, 0x1D7FF, 3)));
    }

    /** Texts of 0 to 40 fragments. */
    static Arbitrary<String> texts() {
        return fragment().list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    /** Token ids, weighted toward single-byte tokens so that characters are split across ids. */
    static Arbitrary<List<Integer>> idSequences(Tokenizer tokenizer) {
        Arbitrary<Integer> byteTokens = Arbitraries.integers().between(0, 255)
                .map(b -> tokenizer.idOf(String.valueOf(ByteLevel.BYTE_TO_CHAR[b])).getAsInt());
        Arbitrary<Integer> anyToken = Arbitraries.integers().between(0, tokenizer.vocabSize() - 1);
        return Arbitraries.frequencyOf(Tuple.of(3, byteTokens), Tuple.of(2, anyToken)).list().ofMaxSize(60);
    }
}
