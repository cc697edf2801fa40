package dev.multiverse.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events on a response body: {@code data: JSON} frames, named events, comments. Frames
 * are buffered until {@link #flush()}; a write to a client that went away throws IOException.
 */
final class SseWriter {
    private final OutputStream out;
    private final StringBuilder pending = new StringBuilder();

    SseWriter(OutputStream out) {
        this.out = out;
    }

    /** An unnamed event: what OpenAI clients read. */
    void data(JsonNode json) throws IOException {
        pending.append("data: ").append(HttpReplies.JSON.writeValueAsString(json)).append("\n\n");
    }

    /** A named event (clients that read only unnamed events skip it). */
    void event(String name, JsonNode json) throws IOException {
        pending.append("event: ").append(name).append('\n');
        data(json);
    }

    /** A comment line: keeps the connection alive and finds out whether the client is still there. */
    void comment(String text) {
        pending.append(": ").append(text).append("\n\n");
    }

    /** The end of an OpenAI stream. */
    void done() {
        pending.append("data: [DONE]\n\n");
    }

    void flush() throws IOException {
        if (pending.isEmpty()) return;
        out.write(pending.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        pending.setLength(0);
    }
}
