package dev.multiverse.tokenizer;

import java.text.Normalizer;
import java.util.List;

/**
 * The {@code normalizer} of a tokenizer.json: none, one of the four Unicode normalization forms,
 * or a sequence of them applied in order.
 */
sealed interface Normalization {

    String apply(String text);

    /** No normalizer: text passes unchanged. */
    record None() implements Normalization {
        @Override
        public String apply(String text) {
            return text;
        }
    }

    /** One Unicode normalization form (NFC for Qwen2.5), as Hugging Face computes it. */
    record Form(Normalizer.Form form) implements Normalization {
        @Override
        public String apply(String text) {
            if (form == Normalizer.Form.NFC && belowCombiningMarks(text)) return text;
            return MissingCompositions.normalize(text, form);
        }

        /**
         * True when every char is below U+0300, the first combining mark. Such text is already NFC:
         * each of those characters is its own NFC form and no two of them compose (checked over all
         * pairs by NormalizationTest).
         */
        private static boolean belowCombiningMarks(String text) {
            for (int i = 0; i < text.length(); i++) if (text.charAt(i) >= 0x300) return false;
            return true;
        }
    }

    /** Several normalizers applied one after the other. */
    record Sequence(List<Normalization> steps) implements Normalization {
        @Override
        public String apply(String text) {
            for (Normalization step : steps) text = step.apply(text);
            return text;
        }
    }
}
