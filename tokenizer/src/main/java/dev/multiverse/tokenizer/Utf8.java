package dev.multiverse.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 as Rust's {@code str} defines it (Unicode Table 3-7: no overlong forms, no surrogates,
 * nothing above U+10FFFF): strict decoding that names the offending byte, and lossy decoding that
 * replaces each maximal ill-formed subpart by one U+FFFD, exactly as {@code String::from_utf8_lossy}.
 */
final class Utf8 {
    private Utf8() {}

    static final char REPLACEMENT = '\uFFFD';

    /**
     * Classifies the bytes at {@code i} (with {@code i < end}): {@code n > 0} when a well-formed
     * sequence of n bytes starts there; {@code -k} when they are ill-formed and the maximal subpart
     * (the longest prefix that could have started a character) is k bytes long; {@code 0} when they
     * are a well-formed prefix cut off by {@code end}.
     */
    static int sequenceLength(byte[] b, int i, int end) {
        int lead = b[i] & 0xFF;
        if (lead < 0x80) return 1;
        int continuations;
        int lo = 0x80;
        int hi = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            continuations = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            continuations = 2;
            if (lead == 0xE0) lo = 0xA0; // below: overlong
            if (lead == 0xED) hi = 0x9F; // above: surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            continuations = 3;
            if (lead == 0xF0) lo = 0x90; // below: overlong
            if (lead == 0xF4) hi = 0x8F; // above: beyond U+10FFFF
        } else {
            return -1;
        }
        for (int k = 1; k <= continuations; k++) {
            if (i + k >= end) return 0;
            int c = b[i + k] & 0xFF;
            if (c < lo || c > hi) return -k;
            lo = 0x80;
            hi = 0xBF;
        }
        return continuations + 1;
    }

    /** Decodes well-formed UTF-8 or throws {@link InvalidUtf8Exception} naming the first bad byte. */
    static String decodeStrict(byte[] b) {
        int i = 0;
        while (i < b.length) {
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int n = sequenceLength(b, i, b.length);
            if (n > 0) {
                i += n;
            } else if (n == 0) {
                throw new InvalidUtf8Exception(i, String.format(
                        "the sequence starting with byte 0x%02X is cut off by the end of the input", b[i] & 0xFF));
            } else if (n == -1) {
                throw new InvalidUtf8Exception(i, String.format("byte 0x%02X cannot start a character", b[i] & 0xFF));
            } else {
                throw new InvalidUtf8Exception(i, String.format(
                        "byte 0x%02X at offset %d cannot continue the sequence starting with byte 0x%02X",
                        b[i - n] & 0xFF, i - n, b[i] & 0xFF));
            }
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Appends the characters of {@code b[from, to)} to {@code out}, each maximal ill-formed subpart
     * as one U+FFFD. When {@code atEnd} is false a well-formed prefix cut off by {@code to} is left
     * undecoded (more bytes may complete it). Returns the index of the first byte not consumed.
     */
    static int decodeLossy(byte[] b, int from, int to, boolean atEnd, StringBuilder out) {
        int runStart = from;
        int i = from;
        while (i < to) {
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int n = sequenceLength(b, i, to);
            if (n > 0) {
                i += n;
                continue;
            }
            out.append(new String(b, runStart, i - runStart, StandardCharsets.UTF_8));
            if (n == 0 && !atEnd) return i;
            out.append(REPLACEMENT);
            i += n == 0 ? to - i : -n;
            runStart = i;
        }
        out.append(new String(b, runStart, i - runStart, StandardCharsets.UTF_8));
        return i;
    }
}
