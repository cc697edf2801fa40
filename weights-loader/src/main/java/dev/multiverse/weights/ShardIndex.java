package dev.multiverse.weights;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model.safetensors.index.json}: a {@code "weight_map"} object from tensor name to shard file
 * name (relative to the model directory), and an optional {@code "metadata"} object. A shard path
 * must stay inside the directory: absolute paths and {@code ..} escapes are refused here, symbolic
 * links that lead out are refused when the shard is opened.
 */
record ShardIndex(Path indexFile, Map<String, Path> shardOf) {
    static final String FILE_NAME = "model.safetensors.index.json";

    /** Reads and checks {@code indexFile}; shard paths are resolved against its directory. */
    static ShardIndex read(Path indexFile) throws WeightsFormatException, IOException {
        JsonNode root;
        try {
            root = Json.parse(Files.readAllBytes(indexFile));
        } catch (Json.Malformed e) {
            throw new WeightsFormatException(indexFile, null, "index is " + e.getMessage(), e);
        }
        if (!root.isObject()) {
            throw new WeightsFormatException(indexFile, null, "index is not a JSON object");
        }
        JsonNode metadata = root.get("metadata");
        if (metadata != null && !metadata.isObject() && !metadata.isNull()) {
            throw new WeightsFormatException(indexFile, null, "\"metadata\" is not a JSON object");
        }
        JsonNode weightMap = root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new WeightsFormatException(indexFile, null, "\"weight_map\" is missing or not a JSON object");
        }
        if (weightMap.isEmpty()) {
            throw new WeightsFormatException(indexFile, null, "\"weight_map\" is empty");
        }
        Path dir = indexFile.toAbsolutePath().normalize().getParent();
        Map<String, Path> shardOf = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> kv : weightMap.properties()) {
            String tensor = kv.getKey();
            if (!kv.getValue().isTextual() || kv.getValue().textValue().isEmpty()) {
                throw new WeightsFormatException(indexFile, tensor, "weight_map value is not a file name");
            }
            shardOf.put(tensor, resolveInside(indexFile, dir, tensor, kv.getValue().textValue()));
        }
        return new ShardIndex(indexFile, java.util.Collections.unmodifiableMap(shardOf));
    }

    private static Path resolveInside(Path indexFile, Path dir, String tensor, String shardName)
            throws WeightsFormatException {
        Path relative;
        try {
            relative = Path.of(shardName);
        } catch (java.nio.file.InvalidPathException e) {
            throw new WeightsFormatException(indexFile, tensor, "shard path \"" + shardName + "\" is invalid", e);
        }
        Path resolved = dir.resolve(relative).normalize();
        if (relative.isAbsolute() || !resolved.startsWith(dir) || resolved.equals(dir)) {
            throw new WeightsFormatException(indexFile, tensor, "shard path \"" + shardName
                    + "\" leaves the model directory");
        }
        return resolved;
    }
}
