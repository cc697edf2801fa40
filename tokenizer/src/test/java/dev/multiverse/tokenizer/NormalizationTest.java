package dev.multiverse.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    /** Backs the fast path of {@link Normalization.Form}: text below U+0300 is already NFC. */
    @Test
    void everyPairOfCharactersBelowU0300IsNfc() {
        int changed = 0;
        char[] pair = new char[2];
        for (char a = 0; a < 0x300; a++) {
            for (char b = 0; b < 0x300; b++) {
                pair[0] = a;
                pair[1] = b;
                String s = new String(pair);
                if (!Normalizer.isNormalized(s, Normalizer.Form.NFC)) changed++;
            }
        }
        assertEquals(0, changed);
    }

    @Test
    void composesWhatHuggingFaceComposesAndNotWhatItLacks() {
        Normalization nfc = new Normalization.Form(Normalizer.Form.NFC);
        assertEquals("é", nfc.apply("e\u0301"));
        assertEquals("\uD801\uDDD2\u0307", nfc.apply("\uD801\uDDD2\u0307")); // U+105D2 U+0307 stay apart
        assertEquals("\uD801\uDDC9", nfc.apply("\uD801\uDDC9")); // U+105C9 stays composed
        assertEquals("a\uD801\uDDD2\u0323\u0307é", nfc.apply("a\uD801\uDDD2\u0307\u0323e\u0301")); // marks still reorder
    }
}
