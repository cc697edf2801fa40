package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.SamplingParams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A text chunk written from the template, framed by SseWriter, is the chunk Jackson would write, on both endpoints. */
class TextChunkTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Responses responses(Endpoint endpoint, String model) {
        var request = new ApiRequest(endpoint, new int[] {1}, SamplingParams.greedy(),
                new Budgets(8, 16, 4, Duration.ofSeconds(5)), true, false, -1, false, false, null);
        return new Responses(request, endpoint.idPrefix + 7, 1_700_000_000L, model, null);
    }

    @Provide
    Arbitrary<String> awkwardText() {
        return JsonStringTest.awkwardText();
    }

    @Property(tries = 300)
    void framesTheChunkJacksonWouldWrite(@ForAll("awkwardText") String text, @ForAll("awkwardText") String model)
            throws IOException {
        for (Endpoint endpoint : Endpoint.values()) {
            // A model id is valid Unicode (Jackson refuses to write a lone surrogate); the text may be anything.
            Responses responses = responses(endpoint, JsonStringTest.validUnicode(model));
            var bytes = new ByteArrayOutputStream();
            var sse = new SseWriter(bytes, new TextChunkTemplate(responses));
            sse.text(text);
            sse.flush();
            String frame = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(frame.startsWith("data: ") && frame.endsWith("\n\n"), frame);
            String json = frame.substring(6, frame.length() - 2);
            assertTrue(json.indexOf('\n') < 0 && json.indexOf('\r') < 0, "one line: " + frame);
            // Through Jackson's own bytes, so that numbers compare as parsed numbers on both sides.
            assertEquals(JSON.readTree(JSON.writeValueAsBytes(responses.chunk(text, false))),
                    JSON.readTree(bytes.toByteArray(), 6, bytes.size() - 8));
        }
    }
}
