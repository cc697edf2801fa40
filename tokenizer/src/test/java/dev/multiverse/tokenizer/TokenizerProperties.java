package dev.multiverse.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Properties over generated text, bytes and ids, with Hugging Face tokenizers as the oracle. */
class TokenizerProperties {
    private final Tokenizer tokenizer = Fixtures.ours();

    @Provide
    Arbitrary<String> texts() {
        return TextArbitraries.texts();
    }

    @Property(tries = 400)
    void idsEqualHuggingFace(@ForAll("texts") String text) {
        Mismatch.assertSameIds("generated text " + Mismatch.quote(text), text);
    }

    /** Added tokens are matched in the raw text, so NFC applies to each run between them. */
    private static final Pattern ADDED = Pattern.compile(
            "<\\|(?:im_start|im_end|endoftext|fim_middle)\\|>|<tool_call>|</?(?:Think|Parallel|Goal|Outline|Path|Conclusion)>");

    @Property(tries = 400)
    void decodeOfEncodeIsTheNfcText(@ForAll("texts") String text) {
        StringBuilder expected = new StringBuilder();
        Matcher m = ADDED.matcher(text);
        int at = 0;
        while (m.find()) {
            expected.append(Normalizer.normalize(text.substring(at, m.start()), Normalizer.Form.NFC)).append(m.group());
            at = m.end();
        }
        expected.append(Normalizer.normalize(text.substring(at), Normalizer.Form.NFC));
        assertEquals(Mismatch.quote(expected.toString()), Mismatch.quote(tokenizer.decode(tokenizer.encode(text))));
    }

    @Provide
    Arbitrary<byte[]> byteArrays() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> mutatedText = Arbitraries.lazy(TextArbitraries::texts)
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .flatMap(b -> Arbitraries.integers().between(0, Math.max(0, b.length - 1))
                        .flatMap(at -> Arbitraries.integers().between(0, 255).flatMap(v -> Arbitraries.integers().between(0, 2)
                                .map(kind -> mutate(b, at, (byte) (int) v, kind)))));
        return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(3, mutatedText));
    }

    /** Replaces (kind 0), inserts (1) or truncates at (2) one byte. */
    private static byte[] mutate(byte[] b, int at, byte value, int kind) {
        if (b.length == 0) return new byte[] {value};
        return switch (kind) {
            case 0 -> {
                byte[] c = b.clone();
                c[at] = value;
                yield c;
            }
            case 1 -> {
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = value;
                System.arraycopy(b, at, c, at + 1, b.length - at);
                yield c;
            }
            default -> java.util.Arrays.copyOf(b, at);
        };
    }

    @Property(tries = 400)
    void bytesAreTokenizedAsHuggingFaceOrRejectedAtTheRightOffset(@ForAll("byteArrays") byte[] bytes) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        String text;
        try {
            text = strict.decode(in).toString();
        } catch (MalformedInputException e) {
            InvalidUtf8Exception thrown = assertThrows(InvalidUtf8Exception.class, () -> tokenizer.encodeUtf8(bytes));
            assertEquals(in.position(), thrown.byteOffset(), thrown.getMessage());
            return;
        } catch (CharacterCodingException e) {
            throw new AssertionError(e);
        }
        assertArrayEquals(Fixtures.hfEncode(text), tokenizer.encodeUtf8(bytes));
    }

    @Provide
    Arbitrary<List<Integer>> idSequences() {
        return TextArbitraries.idSequences(tokenizer);
    }

    @Property(tries = 400)
    void decodeEqualsHuggingFaceAndStreamingConcatenatesToIt(@ForAll("idSequences") List<Integer> idList) {
        int[] ids = idList.stream().mapToInt(Integer::intValue).toArray();
        String decoded = tokenizer.decode(ids);
        assertEquals(Mismatch.quote(Fixtures.hfDecode(ids)), Mismatch.quote(decoded));
        StreamingDecoder stream = tokenizer.newStreamingDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            String piece = stream.accept(id);
            assertEquals(-1, piece.isEmpty() ? -1 : indexOfUnpairedSurrogate(piece), "a piece splits a character");
            streamed.append(piece);
        }
        streamed.append(stream.flush());
        assertEquals(Mismatch.quote(decoded), Mismatch.quote(streamed.toString()));
    }

    private static int indexOfUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else if (Character.isSurrogate(c)) return i;
        }
        return -1;
    }
}
