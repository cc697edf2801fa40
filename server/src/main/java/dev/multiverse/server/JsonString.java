package dev.multiverse.server;

/**
 * A Java string as a JSON string literal in UTF-8 (RFC 8259 section 7), written straight into a
 * {@link ByteSink}: quotes around it, {@code "} and {@code \} and the control characters
 * U+0000..U+001F escaped, everything else as its UTF-8 bytes. A lone surrogate (not valid
 * Unicode, but a Java string may hold one) is written as its {@code \}{@code uXXXX} escape, so
 * every Java string reads back, through any JSON parser, as exactly itself.
 */
final class JsonString {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private JsonString() {}

    /** Appends {@code s} as a quoted JSON string. */
    static void write(CharSequence s, ByteSink out) {
        out.ensureRoom(s.length() + 2);
        out.put('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c < 0x20) control(c, out);
                else if (c == '"' || c == '\\') out.put('\\').put(c);
                else out.put(c);
            } else if (c < 0x800) {
                out.put(0xc0 | c >> 6).put(0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put(0xf0 | cp >> 18).put(0x80 | cp >> 12 & 0x3f).put(0x80 | cp >> 6 & 0x3f).put(0x80 | cp & 0x3f);
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c, out);
            } else {
                out.put(0xe0 | c >> 12).put(0x80 | c >> 6 & 0x3f).put(0x80 | c & 0x3f);
            }
        }
        out.put('"');
    }

    /** The two-character escapes JSON has for five controls, {@code \}{@code u00XX} for the rest. */
    private static void control(char c, ByteSink out) {
        switch (c) {
            case '\n' -> out.put('\\').put('n');
            case '\r' -> out.put('\\').put('r');
            case '\t' -> out.put('\\').put('t');
            case '\b' -> out.put('\\').put('b');
            case '\f' -> out.put('\\').put('f');
            default -> unicodeEscape(c, out);
        }
    }

    private static void unicodeEscape(char c, ByteSink out) {
        out.put('\\').put('u').put(HEX[c >> 12]).put(HEX[c >> 8 & 0xf]).put(HEX[c >> 4 & 0xf]).put(HEX[c & 0xf]);
    }
}
