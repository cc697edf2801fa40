package dev.multiverse.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events on a response body: {@code data: JSON} frames, named events, comments. Frames
 * are assembled as bytes until {@link #flush()}, which writes them in one go; a write to a client
 * that went away throws IOException. The frequent frame, a piece of streamed text, is written from
 * a {@link TextChunkTemplate}; the others are serialized by Jackson.
 */
final class SseWriter {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final TextChunkTemplate textChunk;
    private final ByteSink pending = new ByteSink();

    SseWriter(OutputStream out, TextChunkTemplate textChunk) {
        this.out = out;
        this.textChunk = textChunk;
    }

    /** An unnamed event: what OpenAI clients read. */
    void data(JsonNode json) throws IOException {
        pending.put(DATA).put(HttpReplies.JSON.writeValueAsBytes(json)).put(END);
    }

    /** A text chunk after the first: {@code data:} with the chunk that carries {@code text}. */
    void text(CharSequence text) {
        pending.put(DATA);
        textChunk.write(text, pending);
        pending.put(END);
    }

    /** A named event (clients that read only unnamed events skip it). */
    void event(String name, JsonNode json) throws IOException {
        pending.put(("event: " + name + "\n").getBytes(StandardCharsets.UTF_8));
        data(json);
    }

    /** A comment line: keeps the connection alive and finds out whether the client is still there. */
    void comment(String text) {
        pending.put((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The end of an OpenAI stream. */
    void done() {
        pending.put(DONE);
    }

    void flush() throws IOException {
        if (pending.isEmpty()) return;
        pending.drainTo(out);
        out.flush();
    }
}
