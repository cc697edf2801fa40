package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The JSON string escaper: any Java string, once written, reads back through Jackson as itself. */
class JsonStringTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static byte[] written(String s) {
        var sink = new ByteSink();
        JsonString.write(s, sink);
        return sink.toByteArray();
    }

    /**
     * Strings mixing what an escaper gets wrong: controls, quotes, backslashes, characters of every
     * UTF-8 length, characters outside the BMP (surrogate pairs) and lone surrogates.
     */
    @Provide
    static Arbitrary<String> awkwardText() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\u007f').map(String::valueOf),
                Arbitraries.chars().all().map(String::valueOf),
                Arbitraries.integers().between(0x10000, 0x10ffff).map(Character::toString),
                Arbitraries.of("\"", "\\", "\\u0041", "\n", "\r\n", "\u2028", "\u007f", "\ud800", "\udfff", "é", "€", "😀"));
        return piece.list().ofMaxSize(40).map(list -> String.join("", list));
    }

    /** {@code s} without its lone surrogates: text that is valid Unicode. */
    static String validUnicode(String s) {
        return s.codePoints().filter(cp -> cp > 0xffff || !Character.isSurrogate((char) cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    @Property(tries = 2000)
    void readsBackThroughJacksonAsItself(@ForAll("awkwardText") String s) throws IOException {
        assertEquals(s, JSON.readValue(written(s), String.class));
    }

    @Property(tries = 500)
    void agreesWithJacksonOnValidUnicode(@ForAll("awkwardText") String s) throws IOException {
        // Where the text is valid Unicode, it reads as what Jackson writes; the bytes are Jackson's
        // where nothing needs an escape of choice (Jackson writes controls as six-character escapes and characters
        // outside the BMP as escaped surrogate pairs; this writes the latter as UTF-8).
        String valid = validUnicode(s);
        assertEquals(JSON.readTree(JSON.writeValueAsBytes(valid)), JSON.readTree(written(valid)));
        byte[] ours = written(valid), theirs = JSON.writeValueAsBytes(valid);
        if (valid.chars().allMatch(c -> c >= 0x20 && !Character.isSurrogate((char) c))) assertArrayEquals(theirs, ours, valid);
    }

    @Property(tries = 500)
    void neverWritesALineBreakOrAControlByte(@ForAll("awkwardText") String s) {
        // A raw line break inside "data:" would end the server-sent event early.
        for (byte b : written(s)) assertTrue((b & 0xff) >= 0x20, () -> "raw control byte in " + s);
    }

    @Example
    void escapesAsJsonSays() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\u00e9\"",
                new String(written("a\"b\\c\n\t\u0001\u001f\u00e9"), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {'"', (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, '"'}, written("😀"));
        assertEquals("\"\\ud800x\\udc00\"", new String(written("\ud800x\udc00"), StandardCharsets.UTF_8));
    }
}
