package dev.multiverse.conformance.kit;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.engine.TraceJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON side of the kit: building arrays of ids and log-probs, reading them back, writing files. */
public final class KitJson {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Objects indented, arrays on one line: a reader can open a vector and follow it. */
    private static final DefaultPrettyPrinter PRETTY =
            new DefaultPrettyPrinter().withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);

    private KitJson() {}

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static ArrayNode ints(int[] values) {
        ArrayNode out = JSON.createArrayNode();
        for (int v : values) out.add(v);
        return out;
    }

    /** Log-probs as JSON numbers, NaN (nothing predicts the token) as null. */
    public static ArrayNode logprobs(double[] values) {
        return TraceJson.logprobs(values);
    }

    /** An array of JSON numbers as ints. */
    public static int[] toInts(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    /** An array of JSON numbers as doubles, null as NaN. */
    public static double[] toDoubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).isNull() ? Double.NaN : array.get(i).asDouble();
        return out;
    }

    public static void write(Path file, JsonNode node) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writer(PRETTY).writeValue(file.toFile(), node);
    }

    /** Reads a kit file; a file that is not JSON is an {@link IOException} naming it. */
    public static JsonNode read(Path file) throws IOException {
        try {
            return JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
