package dev.multiverse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sampling defaults a model ships in {@code generation_config.json}, read as Hugging Face
 * transformers reads them: without {@code do_sample: true} decoding is greedy; with it,
 * temperature, top_p and top_k default to 1.0, 1.0 and 50 unless the file sets them.
 * {@code max_new_tokens}, when present, is the default critical-path budget.
 *
 * @param temperature 0 for greedy
 */
record GenerationDefaults(double temperature, double topP, int topK, double repetitionPenalty, Integer maxNewTokens) {

    /** For a model directory without the file: the engine's own defaults. */
    static final GenerationDefaults WITHOUT_FILE = new GenerationDefaults(0.6, 0.95, 0, 1.0, null);

    static GenerationDefaults of(Path modelDir) {
        Path file = modelDir.resolve("generation_config.json");
        if (!Files.isRegularFile(file)) return WITHOUT_FILE;
        JsonNode g;
        try {
            g = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new BadInputException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        Integer maxNew = g.path("max_new_tokens").isInt() ? g.get("max_new_tokens").asInt() : null;
        double repetition = g.path("repetition_penalty").asDouble(1.0);
        if (!g.path("do_sample").asBoolean(false)) return new GenerationDefaults(0, 1.0, 0, repetition, maxNew);
        return new GenerationDefaults(g.path("temperature").asDouble(1.0), g.path("top_p").asDouble(1.0),
                g.path("top_k").asInt(50), repetition, maxNew);
    }
}
