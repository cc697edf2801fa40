package dev.multiverse.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerApiTest {
    private final Tokenizer tokenizer = Fixtures.ours();

    @Test
    void vocabularyAndTags() {
        assertEquals(151677, tokenizer.vocabSize());
        MultiverseTags tags = tokenizer.tags();
        assertArrayEquals(new int[] {151665, 151666, 151667, 151668, 151669, 151670, 151671, 151672, 151673,
                151674, 151675, 151676}, tags.ids());
        for (int id : tags.ids()) assertTrue(tokenizer.isSpecial(id), "tag " + id + " is special");
        assertEquals(OptionalInt.of(151644), tokenizer.idOf("<|im_start|>"));
        assertTrue(tokenizer.isSpecial(151645));
        assertFalse(tokenizer.isSpecial(151657), "<tool_call> is added but not special");
        assertFalse(tokenizer.isSpecial(1879));
        assertEquals("Ġworld", tokenizer.tokenText(1879));
        assertEquals(OptionalInt.of(1879), tokenizer.idOf("Ġworld"));
        assertEquals(OptionalInt.empty(), tokenizer.idOf("no such token at all"));
        assertEquals("<Think>", tokenizer.tokenText(tags.think()));
    }

    @Test
    void tagsAreSingleIdsInText() {
        MultiverseTags tags = tokenizer.tags();
        int[] ids = tokenizer.encode("<Think>\nx</Think>");
        assertEquals(tags.think(), ids[0]);
        assertEquals(tags.thinkEnd(), ids[ids.length - 1]);
    }

    @Test
    void invalidUtf8NamesTheOffset() {
        assertOffset(3, new byte[] {'a', 'b', 'c', (byte) 0xC0, (byte) 0x80}); // overlong
        assertOffset(1, new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}); // surrogate U+D800
        assertOffset(2, new byte[] {'a', 'b', (byte) 0xE4, (byte) 0xBD}); // cut off at the end
        assertOffset(0, new byte[] {(byte) 0x80}); // lone continuation byte
        assertOffset(1, new byte[] {'x', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}); // above U+10FFFF
        InvalidUtf8Exception e = assertThrows(InvalidUtf8Exception.class,
                () -> tokenizer.encodeUtf8(new byte[] {'a', 'b', 'c', (byte) 0xFF}));
        assertTrue(e.getMessage().contains("byte offset 3"), e.getMessage());
    }

    private void assertOffset(long offset, byte[] bytes) {
        assertEquals(offset, assertThrows(InvalidUtf8Exception.class, () -> tokenizer.encodeUtf8(bytes)).byteOffset());
    }

    @Test
    void unpairedSurrogateIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("ab\uD800c"));
        assertTrue(e.getMessage().contains("char index 2"), e.getMessage());
    }

    @Test
    void badIdsAreNamedByIndex() {
        var e = assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {1, 2, 151677}));
        assertTrue(e.getMessage().contains("token index 2") && e.getMessage().contains("151677"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenText(200_000));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.newStreamingDecoder().accept(-5));
    }

    @Test
    void decodeBytesKeepsPartialCharacters() {
        int[] ids = tokenizer.encode("é");
        byte[] bytes = tokenizer.decodeBytes(ids);
        assertArrayEquals("é".getBytes(StandardCharsets.UTF_8), bytes);
        int byteC3 = tokenizer.idOf(String.valueOf(ByteLevel.BYTE_TO_CHAR[0xC3])).getAsInt();
        assertArrayEquals(new byte[] {(byte) 0xC3}, tokenizer.decodeBytes(new int[] {byteC3}));
        assertEquals("\uFFFD", tokenizer.decode(new int[] {byteC3}));
        StreamingDecoder stream = tokenizer.newStreamingDecoder();
        assertEquals("", stream.accept(byteC3));
        assertEquals("\uFFFD", stream.flush());
    }

    /** Threads share the tokenizer (and its word cache) and still get the single-threaded ids. */
    @Test
    void concurrentEncodingGivesTheSameIds() throws Exception {
        Tokenizer fresh = Tokenizer.load(Fixtures.resource());
        String[] texts = new String[8];
        int[][] expected = new int[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = Corpus.generate(100 + i, 20_000);
            expected[i] = tokenizer.encode(texts[i]);
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<int[]>>();
            for (int round = 0; round < 3; round++) {
                for (String text : texts) results.add(pool.submit(() -> fresh.encode(text)));
            }
            for (int k = 0; k < results.size(); k++) {
                assertArrayEquals(expected[k % texts.length], results.get(k).get(), "text " + (k % texts.length));
            }
        }
    }

    @Test
    void emptyText() {
        assertArrayEquals(new int[0], tokenizer.encode(""));
        assertEquals("", tokenizer.decode(new int[0]));
    }

    @Test
    void loadsPlainAndGzipFilesAlike(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("tokenizer.json");
        Files.writeString(plain, Fixtures.json());
        Path gz = dir.resolve("tokenizer.json.gz");
        try (var in = Fixtures.resource()) {
            Files.copy(in, gz);
        }
        String text = "Hello <Think> 世界 it's 42";
        assertArrayEquals(tokenizer.encode(text), Tokenizer.load(plain).encode(text));
        assertArrayEquals(tokenizer.encode(text), Tokenizer.load(gz).encode(text));
        assertThrows(IOException.class, () -> Tokenizer.load(dir.resolve("missing.json")));
    }
}
