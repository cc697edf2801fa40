package dev.multiverse.weights;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one strict JSON reader of this module: a repeated key anywhere is an error (safetensors forbids
 * duplicates, and Jackson would otherwise keep the last silently), as is anything after the top-level
 * value, and bytes that are not well-formed UTF-8.
 */
final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** Why a document could not be read: {@link #problem} says what, for the caller to wrap. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String problem, Throwable cause) {
            super(problem, cause);
        }
    }

    /** Decodes {@code utf8} strictly and parses it as one JSON value. */
    static JsonNode parse(byte[] utf8) throws Malformed {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("not valid UTF-8", e);
        }
        return parse(text);
    }

    /** Parses {@code text} as one JSON value. */
    static JsonNode parse(String text) throws Malformed {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new Malformed("empty document", null);
            }
            return node;
        } catch (JacksonException e) {
            throw new Malformed("not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()), e);
        }
    }

    /** Whether {@code node} is a JSON integer that fits in a long (1.0 and 1e3 are not). */
    static boolean isLong(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong();
    }
}
