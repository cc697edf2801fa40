package dev.multiverse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One streamed chat completion as the raw bytes of its HTTP/1.1 response, checked in full: status
 * 200, {@code text/event-stream}, a well-formed chunked body, and in it a well-formed OpenAI
 * stream (every event {@code data: JSON} with the request's one id, or a comment line; a first chunk naming the role,
 * text chunks, one final chunk with {@code finish_reason} and {@code usage}, then {@code [DONE]}
 * and nothing after). Any departure throws IllegalStateException naming it.
 *
 * @param text the concatenated {@code delta.content}: the answer in final merged order
 * @param completionTokens {@code usage.completion_tokens} of the final chunk
 * @param finishReason the final chunk's {@code finish_reason}
 */
record StreamTranscript(String text, long completionTokens, String finishReason) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A chunked body ends with an empty chunk and no trailers: the previous chunk's CRLF, then {@code 0\r\n\r\n}. */
    private static final byte[] LAST_CHUNK = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether {@code bytes[0, length)} ends like a complete chunked response: a cheap test on the
     * last few bytes, made after every read while the clock runs. No data chunk can end this way:
     * chunk sizes are written without leading zeros and an SSE frame ends with a blank line.
     */
    static boolean endsLikeACompleteResponse(byte[] bytes, int length) {
        if (length < LAST_CHUNK.length) return false;
        return Arrays.equals(bytes, length - LAST_CHUNK.length, length, LAST_CHUNK, 0, LAST_CHUNK.length);
    }

    /** Parses and checks one whole response. */
    static StreamTranscript parse(byte[] raw, int length) throws IOException {
        int headEnd = indexOf(raw, 0, length, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headEnd < 0) throw new IllegalStateException("no end of the response head");
        String head = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 200 ")) throw new IllegalStateException("status line: " + lines[0]);
        String lower = head.toLowerCase(java.util.Locale.ROOT);
        if (!lower.contains("\r\ntransfer-encoding: chunked")) throw new IllegalStateException("not chunked: " + head);
        if (!lower.contains("\r\ncontent-type: text/event-stream")) throw new IllegalStateException("not an event stream: " + head);
        String body = new String(dechunk(raw, headEnd + 4, length), StandardCharsets.UTF_8);
        return events(body);
    }

    /** The body of a chunked transfer coding from {@code at} to exactly {@code end}. */
    private static byte[] dechunk(byte[] raw, int at, int end) {
        var out = new java.io.ByteArrayOutputStream();
        while (true) {
            int lineEnd = indexOf(raw, at, end, new byte[] {'\r', '\n'});
            if (lineEnd < 0) throw new IllegalStateException("a chunk size line without its end at byte " + at);
            int size = Integer.parseInt(new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII), 16);
            at = lineEnd + 2;
            if (size == 0) {
                if (at + 2 != end || raw[at] != '\r' || raw[at + 1] != '\n')
                    throw new IllegalStateException("bytes after the last chunk, or trailers");
                return out.toByteArray();
            }
            if (at + size + 2 > end || raw[at + size] != '\r' || raw[at + size + 1] != '\n')
                throw new IllegalStateException("a chunk of " + size + " bytes at byte " + at + " is cut short");
            out.write(raw, at, size);
            at += size + 2;
        }
    }

    /** The SSE events of an OpenAI chat stream, checked in order. */
    private static StreamTranscript events(String body) throws IOException {
        if (!body.endsWith("\n\n")) throw new IllegalStateException("the stream does not end with a blank line");
        String[] events = body.substring(0, body.length() - 2).split("\n\n", -1);
        if (events.length < 3 || !events[events.length - 1].equals("data: [DONE]"))
            throw new IllegalStateException("the stream does not end with [DONE]: " + events[events.length - 1]);
        var text = new StringBuilder();
        String id = null, finish = null;
        long completion = -1;
        for (int i = 0; i < events.length - 1; i++) {
            String event = events[i];
            if (event.startsWith(":") && event.indexOf('\n') < 0) continue; // a comment: the server's keep-alive
            if (!event.startsWith("data: {") || event.indexOf('\n') >= 0) throw new IllegalStateException("event " + i + ": " + event);
            JsonNode chunk = JSON.readTree(event.substring(6));
            if (id != null && !chunk.get("id").asText().equals(id)) throw new IllegalStateException("event " + i + " has another id");
            if (!chunk.get("object").asText().equals("chat.completion.chunk")) throw new IllegalStateException("event " + i + ": object");
            JsonNode choice = chunk.get("choices").get(0);
            JsonNode delta = choice.get("delta");
            if (id == null && !delta.path("role").asText().equals("assistant")) throw new IllegalStateException("no role first");
            if (finish != null) throw new IllegalStateException("event " + i + " follows the final chunk");
            if (!choice.get("finish_reason").isNull()) {
                finish = choice.get("finish_reason").asText();
                completion = chunk.get("usage").get("completion_tokens").asLong();
                if (delta.has("content")) throw new IllegalStateException("the final chunk carries text");
            } else {
                text.append(delta.get("content").asText());
            }
            if (id == null) id = chunk.get("id").asText();
        }
        if (finish == null) throw new IllegalStateException("no final chunk");
        return new StreamTranscript(text.toString(), completion, finish);
    }

    private static int indexOf(byte[] in, int from, int to, byte[] part) {
        outer:
        for (int i = from; i <= to - part.length; i++) {
            for (int k = 0; k < part.length; k++) if (in[i + k] != part[k]) continue outer;
            return i;
        }
        return -1;
    }
}
