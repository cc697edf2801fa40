package dev.multiverse.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every Unicode scalar value, in contexts where its class (letter, digit, white space, other)
 * decides the pre-tokenizer's pieces, tokenizes as Hugging Face does. This pins our character
 * tables (Java's Unicode data) to Oniguruma's and the normalizer to Rust's.
 */
class CodePointClassTest {
    private static final int CHUNK = 4096;

    /**
     * Contexts that give different pieces for each class: {@code X's} separates symbols from letters
     * and digits; {@code aXb} and {@code XX} separate letters from the rest; {@code 'X} catches case
     * folding in the contractions; {@code X\t\n } separates white space; the canonical decomposition
     * of X checks composition by NFC.
     */
    private static void appendContexts(StringBuilder text, int cp) {
        String c = Character.toString(cp);
        text.append(c).append("'s a").append(c).append("b ").append(c).append(c).append("1'").append(c)
                .append("\t\n'").append(c).append("x ").append(c).append(c).append(" \n").append(c).append('x')
                .append(java.text.Normalizer.normalize(c, java.text.Normalizer.Form.NFD)).append(' ');
    }

    @Test
    void everyCodePointInContextMatchesHuggingFace() {
        List<String> differing = new ArrayList<>();
        for (int first = 0; first <= 0x10FFFF; first += CHUNK) {
            StringBuilder text = new StringBuilder();
            for (int cp = first; cp < first + CHUNK; cp++) if (tested(cp)) appendContexts(text, cp);
            if (same(text.toString())) continue;
            for (int cp = first; cp < first + CHUNK; cp++) {
                if (!tested(cp)) continue;
                StringBuilder one = new StringBuilder();
                appendContexts(one, cp);
                if (!same(one.toString())) differing.add(String.format("U+%04X (Java type %d)", cp, Character.getType(cp)));
            }
        }
        assertEquals(List.of(), differing, "code points tokenized differently from Hugging Face");
    }

    /**
     * All assigned code points except surrogates; of the unassigned and private-use ones (all
     * symbols to both sides) every 64th, to keep the test fast.
     */
    private static boolean tested(int cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;
        int type = Character.getType(cp);
        return (type != Character.UNASSIGNED && type != Character.PRIVATE_USE) || cp % 64 == 0;
    }

    private static boolean same(String text) {
        return Arrays.equals(Fixtures.hfEncode(text), Fixtures.ours().encode(text));
    }
}
