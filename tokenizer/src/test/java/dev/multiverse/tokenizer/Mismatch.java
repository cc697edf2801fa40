package dev.multiverse.tokenizer;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

/** Compares our ids with Hugging Face's and fails with the first difference in context. */
final class Mismatch {
    private Mismatch() {}

    /** Fails unless our ids for {@code text} equal Hugging Face's; {@code where} names the text's origin. */
    static void assertSameIds(String where, String text) {
        int[] expected = Fixtures.hfEncode(text);
        int[] actual = Fixtures.ours().encode(text);
        if (Arrays.equals(expected, actual)) return;
        int i = 0;
        while (i < expected.length && i < actual.length && expected[i] == actual[i]) i++;
        Tokenizer t = Fixtures.ours();
        String prefix = t.decode(Arrays.copyOf(expected, i));
        String context = prefix.substring(Math.max(0, prefix.length() - 40));
        fail(where + ": first difference at token index " + i + " after text " + quote(context)
                + "\n  HF:   " + window(t, expected, i) + "\n  ours: " + window(t, actual, i)
                + "\n  text near there: " + quote(text.substring(Math.max(0, prefix.length() - 20),
                        Math.min(text.length(), prefix.length() + 40))));
    }

    private static String window(Tokenizer t, int[] ids, int from) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < Math.min(ids.length, from + 6); k++) {
            sb.append(ids[k]).append('=').append(quote(t.tokenText(ids[k]))).append(' ');
        }
        return sb.toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.NON_SPACING_MARK) {
                sb.append(String.format("\\u{%X}", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }
}
