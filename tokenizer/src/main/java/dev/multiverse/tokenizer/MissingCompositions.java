package dev.multiverse.tokenizer;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.Set;

/**
 * Canonical compositions that Java performs and Hugging Face's normalizer (Rust's
 * unicode-normalization, older Unicode data) does not: mostly scripts new in Unicode 16 (Todhri,
 * Tulu-Tigalari, Gurung Khema, Kirat Rai) and Dives Akuru's U+11938. Found by
 * CodePointClassTest, which runs every code point through both tokenizers.
 *
 * <p>Hugging Face leaves these composites unchanged and never forms them from their parts. To do
 * the same, the text is cut after each composite and after each character that can start one;
 * each such character ends its segment, so no composition spans it, and a lone composite is left
 * as it is. The cut is exact: in Rust's view those characters are starters that compose with
 * nothing, and normalization never reaches across such a starter.
 */
final class MissingCompositions {
    private MissingCompositions() {}

    private static final int[] COMPOSITES = {
        0x105C9, 0x105E4, 0x11383, 0x11385, 0x1138E, 0x11391, 0x113C5, 0x113C7, 0x113C8, 0x11938,
        0x16121, 0x16122, 0x16123, 0x16124, 0x16125, 0x16126, 0x16127, 0x16128, 0x16D68, 0x16D69, 0x16D6A,
    };

    /** The composites, and every character that begins a composition towards one (first parts and intermediates). */
    private static final Set<Integer> CUT_AFTER = new HashSet<>();

    static {
        for (int composite : COMPOSITES) {
            CUT_AFTER.add(composite);
            int[] parts = Normalizer.normalize(Character.toString(composite), Normalizer.Form.NFD).codePoints().toArray();
            for (int k = 1; k < parts.length; k++) {
                String prefix = Normalizer.normalize(new String(parts, 0, k), Normalizer.Form.NFC);
                if (prefix.codePointCount(0, prefix.length()) == 1) CUT_AFTER.add(prefix.codePointAt(0));
            }
        }
    }

    /** {@code text} in normalization form {@code form}, without the compositions listed here. */
    static String normalize(String text, Normalizer.Form form) {
        int segmentStart = 0;
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (cp >= 0x10000 && CUT_AFTER.contains(cp)) {
                if (out == null) out = new StringBuilder(text.length());
                out.append(Normalizer.normalize(text.substring(segmentStart, i), form));
                if (isComposite(cp)) out.appendCodePoint(cp);
                else out.append(Normalizer.normalize(text.substring(i, next), form));
                segmentStart = next;
            }
            i = next;
        }
        if (out == null) return Normalizer.normalize(text, form);
        return out.append(Normalizer.normalize(text.substring(segmentStart), form)).toString();
    }

    private static boolean isComposite(int cp) {
        for (int c : COMPOSITES) if (c == cp) return true;
        return false;
    }
}
