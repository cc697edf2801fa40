package dev.multiverse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generation_config.json read as transformers reads it. */
class GenerationDefaultsTest {
    @TempDir Path dir;

    GenerationDefaults with(String json) throws Exception {
        Files.writeString(dir.resolve("generation_config.json"), json);
        return GenerationDefaults.of(dir);
    }

    @Test
    void withoutTheFileTheEngineDefaultsApply() {
        assertEquals(GenerationDefaults.WITHOUT_FILE, GenerationDefaults.of(dir));
    }

    @Test
    void withoutDoSampleDecodingIsGreedy() throws Exception {
        GenerationDefaults g = with("{\"eos_token_id\": 2, \"temperature\": 0.7}");
        assertEquals(0.0, g.temperature());
        assertNull(g.maxNewTokens());
    }

    @Test
    void doSampleTakesTheFilesSettingsAndTransformersDefaults() throws Exception {
        GenerationDefaults qwen = with("{\"do_sample\": true, \"temperature\": 0.7, \"top_p\": 0.8, \"top_k\": 20,"
                + " \"repetition_penalty\": 1.05, \"max_new_tokens\": 2048}");
        assertEquals(new GenerationDefaults(0.7, 0.8, 20, 1.05, 2048), qwen);
        assertEquals(new GenerationDefaults(1.0, 1.0, 50, 1.0, null), with("{\"do_sample\": true}"));
    }

    @Test
    void aBrokenFileIsBadInput() throws Exception {
        Files.writeString(dir.resolve("generation_config.json"), "{not json");
        var e = assertThrows(BadInputException.class, () -> GenerationDefaults.of(dir));
        assertEquals(true, e.getMessage().contains("generation_config.json"));
    }
}
