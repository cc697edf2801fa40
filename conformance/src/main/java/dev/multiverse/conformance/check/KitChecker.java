package dev.multiverse.conformance.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.conformance.kit.KitExporter;
import dev.multiverse.conformance.kit.KitFiles;
import dev.multiverse.conformance.kit.KitJson;
import dev.multiverse.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs the kit's greedy engine vectors for one model against an OpenAI-compatible server: for each,
 * the vector's prompt (token ids), greedy, its budgets, then {@link VectorCheck}. A case whose
 * request fails (HTTP error, malformed reply) fails with that error; the others still run.
 */
public final class KitChecker {
    private final Path kit;
    private final CompletionsClient client;
    private final double tolerance;

    public KitChecker(Path kit, CompletionsClient client, double tolerance) {
        this.kit = kit;
        this.client = client;
        this.tolerance = tolerance;
    }

    /** The greedy vectors of {@code kitModel}, in name order; checks the kit's format version first. */
    public List<EngineVector> vectors(String kitModel) throws IOException {
        Path manifest = kit.resolve("kit.json");
        if (!Files.isRegularFile(manifest))
            throw new IOException(kit + ": not a conformance kit (no kit.json); write one with `multiverse conformance export`");
        int version = KitJson.read(manifest).path("format_version").asInt(-1);
        if (version != KitExporter.FORMAT_VERSION)
            throw new IOException(manifest + ": kit format version " + version + ", this checker reads version "
                    + KitExporter.FORMAT_VERSION + "; export the kit again");
        List<EngineVector> out = new ArrayList<>();
        List<String> models = new ArrayList<>();
        for (String f : KitFiles.files(kit)) {
            if (!f.startsWith("engine/") || !f.endsWith(".json")) continue;
            JsonNode v = KitJson.read(kit.resolve(f));
            models.add(v.path("model").asText());
            if (v.path("kind").asText().equals("greedy") && v.path("model").asText().equals(kitModel))
                out.add(EngineVector.read(kit.resolve(f)));
        }
        if (out.isEmpty())
            throw new IOException(kit + ": no greedy engine vector for model " + kitModel + "; the kit's greedy vectors are for "
                    + models.stream().distinct().sorted().toList());
        return out;
    }

    /** Checks every greedy vector of {@code kitModel}, asking the server for model {@code servedModel}. */
    public List<CaseResult> check(String servedModel, String kitModel) throws IOException {
        IntFunction<String> text = tokenNamer(kit.resolve("model/" + kitModel + "/tokenizer.json"));
        List<CaseResult> results = new ArrayList<>();
        for (EngineVector v : vectors(kitModel)) {
            try {
                Completion c = client.complete(servedModel, v.prompt(), v.maxTokens(), v.maxTotalTokens(), v.maxPathsPerBlock());
                results.add(VectorCheck.compare(v, c, tolerance, text));
            } catch (CheckerException e) {
                results.add(new CaseResult(v.name(), false, -1, Double.NaN, e.getMessage()));
            }
        }
        return results;
    }

    /** {@code id 42 "+"} when the kit has the model's tokenizer, else {@code id 42}. */
    private static IntFunction<String> tokenNamer(Path tokenizerJson) {
        try {
            Tokenizer t = Tokenizer.load(tokenizerJson);
            return id -> "id " + id + (id >= 0 && id < t.vocabSize() ? " " + quote(t.decode(new int[] {id})) : "");
        } catch (Exception e) {
            return id -> "id " + id;
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + "\"";
    }
}
