package dev.multiverse.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The tiny random Qwen2 checkpoints the kit ships: the models of the Hugging Face goldens
 * ({@code python/hf_goldens.py}), carried in this module's jar and copied out at export time.
 * Together they cover tied and untied embeddings, 4/2, 4/4, 8/1 and 2/1 query/KV heads, F32 and
 * BF16, single-file and sharded weights.
 */
public final class KitModels {
    /** The models, by directory name. */
    public static final List<String> NAMES =
            List.of("tied-h2kv1-bf16", "tied-h4kv2-f32", "untied-h4kv4-bf16-sharded", "untied-h8kv1-f32-sharded");

    /** The model the scripted engine vectors run on. */
    public static final String ENGINE_MODEL = "tied-h4kv2-f32";

    private static final String ROOT = "hf-goldens/";

    private KitModels() {}

    /** The Hugging Face goldens of one model ({@code goldens.json}: texts, tokens, positions, log-probs). */
    static JsonNode goldens(String name) throws IOException {
        try (InputStream in = open(name, "goldens.json")) {
            return KitJson.JSON.readTree(in);
        }
    }

    /** Copies model {@code name} (config, generation config, tokenizer, weights) into {@code dir}; returns the files written. */
    static List<String> copy(String name, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> files = new ArrayList<>(List.of("config.json", "generation_config.json", "tokenizer.json"));
        JsonNode index = null;
        try (InputStream in = KitModels.class.getResourceAsStream(ROOT + name + "/model.safetensors.index.json")) {
            if (in != null) index = KitJson.JSON.readTree(in);
        }
        if (index == null) {
            files.add("model.safetensors");
        } else {
            files.add("model.safetensors.index.json");
            var shards = new TreeSet<String>();
            index.get("weight_map").forEach(shard -> shards.add(shard.asText()));
            files.addAll(shards);
        }
        for (String file : files) {
            try (InputStream in = open(name, file)) {
                Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return files;
    }

    private static InputStream open(String name, String file) {
        InputStream in = KitModels.class.getResourceAsStream(ROOT + name + "/" + file);
        if (in == null)
            throw new UncheckedIOException(new IOException("resource " + ROOT + name + "/" + file
                    + " is missing from the conformance jar (built from conformance/src/test/resources/hf-goldens)"));
        return in;
    }
}
