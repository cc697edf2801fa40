package dev.multiverse.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The JSON of a streamed text chunk ({@link Responses#chunk(String, boolean)} after the first) as
 * two byte runs around the text: {@code {...,"content":} + the text as a JSON string + {@code
 * },...}}. Both runs are cut once per request from Jackson's own serialization of that chunk, so a
 * chunk written here is byte for byte the one Jackson would write (up to how a string is escaped),
 * without building and serializing a tree for every token. {@link SseWriter} frames it.
 */
final class TextChunkTemplate {
    /** A text no id or model holds (controls 1, 2, 3): Jackson writes it as three six-character escapes. */
    private static final String MARK = "\u0001\u0002\u0003";
    private static final byte[] MARK_JSON = "\"\\u0001\\u0002\\u0003\"".getBytes(StandardCharsets.US_ASCII);

    private final byte[] prefix;
    private final byte[] suffix;

    TextChunkTemplate(Responses responses) {
        byte[] json;
        try {
            json = HttpReplies.JSON.writeValueAsBytes(responses.chunk(MARK, false));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a chunk", e);
        }
        int at = lastIndexOf(json, MARK_JSON);
        if (at < 0) throw new IllegalStateException("the chunk's text is not where it was put: " + new String(json, StandardCharsets.UTF_8));
        prefix = Arrays.copyOf(json, at);
        suffix = Arrays.copyOfRange(json, at + MARK_JSON.length, json.length);
    }

    /** Appends the JSON of a chunk carrying {@code text}. */
    void write(CharSequence text, ByteSink out) {
        out.put(prefix);
        JsonString.write(text, out);
        out.put(suffix);
    }

    private static int lastIndexOf(byte[] in, byte[] part) {
        outer:
        for (int i = in.length - part.length; i >= 0; i--) {
            for (int k = 0; k < part.length; k++) if (in[i + k] != part[k]) continue outer;
            return i;
        }
        return -1;
    }
}
