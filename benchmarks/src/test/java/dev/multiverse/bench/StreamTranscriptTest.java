package dev.multiverse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark clients' check of a raw streamed response: what it accepts and what it refuses. */
class StreamTranscriptTest {
    static final String HEAD = "HTTP/1.1 200 OK\r\nDate: x\r\nTransfer-encoding: chunked\r\n"
            + "Content-type: text/event-stream; charset=utf-8\r\n\r\n";
    static final String ROLE = "data: {\"id\":\"c-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n";
    static final String FINAL = "data: {\"id\":\"c-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"completion_tokens\":3}}\n\n";

    static String text(String content) {
        return "data: {\"id\":\"c-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";
    }

    /** The response with its body cut into chunks of at most {@code size} bytes, as a server might. */
    static byte[] response(String body, int size) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        var bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes(HEAD.getBytes(StandardCharsets.ISO_8859_1));
        for (int at = 0; at < b.length; at += size) {
            int n = Math.min(size, b.length - at);
            bytes.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            bytes.write(b, at, n);
            bytes.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        bytes.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return bytes.toByteArray();
    }

    static StreamTranscript parse(byte[] raw) throws Exception {
        return StreamTranscript.parse(raw, raw.length);
    }

    @Test
    void readsTheTextTokensAndFinishWhateverTheChunking() throws Exception {
        String body = ROLE + ": keep-alive\n\n" + text("1 + 2") + text(" = 3\\n\u00e9") + FINAL + "data: [DONE]\n\n";
        for (int size : List.of(1, 7, 64, 4096)) {
            byte[] raw = response(body, size);
            assertTrue(StreamTranscript.endsLikeACompleteResponse(raw, raw.length));
            assertFalse(StreamTranscript.endsLikeACompleteResponse(raw, raw.length - 1));
            assertEquals(new StreamTranscript("1 + 2 = 3\n\u00e9", 3, "stop"), parse(raw));
        }
    }

    @Test
    void refusesWhatAWellBehavedServerWouldNotSend() {
        String ok = ROLE + text("a") + FINAL + "data: [DONE]\n\n";
        assertThrows(IllegalStateException.class, () -> parse(response(ROLE + text("a") + FINAL, 64)), "no [DONE]");
        assertThrows(IllegalStateException.class, () -> parse(response(ROLE + text("a") + "data: [DONE]\n\n", 64)), "no final chunk");
        assertThrows(IllegalStateException.class, () -> parse(response(text("a") + FINAL + "data: [DONE]\n\n", 64)), "no role first");
        assertThrows(IllegalStateException.class, () -> parse(response(ROLE + FINAL + text("a") + "data: [DONE]\n\n", 64)),
                "text after the final chunk");
        assertThrows(IllegalStateException.class, () -> parse(response(ROLE + text("a").replace("c-1", "c-2") + FINAL
                + "data: [DONE]\n\n", 64)), "another id");
        assertThrows(Exception.class, () -> parse(response(ROLE + text("a").replace("\"a\"", "\"a") + FINAL + "data: [DONE]\n\n", 64)),
                "broken JSON");
        byte[] good = response(ok, 64);
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 9);
        assertThrows(IllegalStateException.class, () -> StreamTranscript.parse(cut, cut.length), "a cut body");
        byte[] error = new String(good, StandardCharsets.ISO_8859_1).replace("200 OK", "429 Too Many Requests")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(IllegalStateException.class, () -> parse(error), "not 200");
    }
}
