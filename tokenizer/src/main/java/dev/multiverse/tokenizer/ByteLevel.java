package dev.multiverse.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level alphabet: each of the 256 byte values is written as one printable character,
 * so that a BPE vocabulary over strings is really a vocabulary over byte sequences.
 *
 * <p>Bytes {@code '!'..'~'}, {@code 0xA1..0xAC} and {@code 0xAE..0xFF} stand for themselves; the
 * other 68 bytes, in increasing order, take the characters U+0100, U+0101, ... (so a space, 0x20,
 * is {@code 'Ġ'} = U+0120).
 */
final class ByteLevel {
    private ByteLevel() {}

    /** {@code BYTE_TO_CHAR[b]} is the character standing for byte {@code b} (0..255). */
    static final char[] BYTE_TO_CHAR = new char[256];

    /** {@code CHAR_TO_BYTE[c]} is the byte for alphabet character {@code c}, or -1; length 0x144. */
    private static final int[] CHAR_TO_BYTE = new int[0x144];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    /** The byte that alphabet character {@code c} stands for, or -1 when {@code c} is not in the alphabet. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /**
     * The bytes a token decodes to, as Hugging Face's ByteLevel decoder does: when every character of
     * the token is in the alphabet, the bytes they stand for; otherwise (an added token such as
     * {@code "é"} written in plain text) the token's own UTF-8 encoding.
     */
    static byte[] decodeToken(String token) {
        byte[] bytes = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            int b = byteOf(token.charAt(i));
            if (b < 0) return token.getBytes(StandardCharsets.UTF_8);
            bytes[i] = (byte) b;
        }
        return bytes;
    }

    /** The alphabet string for some bytes: the inverse of {@link #decodeToken} on alphabet strings. */
    static String encodeBytes(byte[] bytes, int from, int to) {
        char[] chars = new char[to - from];
        for (int i = from; i < to; i++) chars[i - from] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(chars);
    }
}
