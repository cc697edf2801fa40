package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Once the engine thread has stopped, a request is answered 503 (engine_stopped), not 429 and not a hang. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineStoppedTest {

    @Test
    void aStoppedEngineAnswers503() throws Exception {
        try (Served served = Served.start()) {
            served.server().engineLoop().close();
            Http.Reply r = served.http().post("/v1/chat/completions", Served.chat(ArithModel.QUESTION, ""));
            JsonNode error = BadRequestsTest.refused(r, 503, null);
            assertEquals("engine_stopped", error.get("code").asText(), r.body());
            assertEquals(null, r.retryAfter(), "a stopped engine promises no retry: " + r.body());
        }
    }
}
