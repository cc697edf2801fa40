package dev.multiverse.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading a bounded request body and writing JSON replies, OpenAI's error format included. */
final class HttpReplies {
    static final ObjectMapper JSON = new ObjectMapper();

    private HttpReplies() {}

    /**
     * How much of an oversized body is read and thrown away before the 413 goes out. A client that is still
     * sending when the server closes the connection sees a reset instead of the reply, so bodies up to this size
     * are drained; larger ones get the reply and a closed connection.
     */
    static final long DRAIN_LIMIT = 64L << 20;

    /** The request body parsed as JSON; 413 past {@code maxBytes}, 400 when it is not JSON. */
    static JsonNode readJson(HttpExchange exchange, int maxBytes) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid(null, "Content-Length is not a number: " + declared);
            }
            if (length > maxBytes) {
                if (length <= DRAIN_LIMIT) discard(exchange.getRequestBody(), length);
                throw tooLarge(maxBytes);
            }
        }
        byte[] body = readAtMost(exchange.getRequestBody(), maxBytes);
        if (body.length == 0) throw ApiException.invalid(null, "the request body is empty; send a JSON object");
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw ApiException.invalid(null, "the body is not valid JSON"
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage());
        }
    }

    private static byte[] readAtMost(InputStream in, int maxBytes) throws IOException {
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            if (out.size() + n > maxBytes) {
                discard(in, DRAIN_LIMIT);
                throw tooLarge(maxBytes);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads and drops up to {@code limit} bytes, so that the client gets to read the reply. */
    private static void discard(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[65536];
        for (long left = limit, n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; )
            left -= n;
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(413, "invalid_request_error", null, "request_too_large",
                "the request body is larger than " + maxBytes + " bytes");
    }

    /** Sends {@code body} as JSON with {@code status}. */
    static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        sendText(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    static void sendText(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** OpenAI's error object for {@code e}. */
    static ObjectNode errorBody(ApiException e) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", e.type());
        error.put("param", e.param());
        error.put("code", e.code());
        return root;
    }

    /** Sends {@code e} with its status. */
    static void error(HttpExchange exchange, ApiException e) throws IOException {
        send(exchange, e.status(), errorBody(e));
    }
}
