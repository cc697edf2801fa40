package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken sharded model directories: each is a {@link WeightsFormatException} naming file and tensor. */
class ShardedIndexTest {
    private static final String INDEX = "model.safetensors.index.json";

    @TempDir
    Path root;
    Path model;

    @BeforeEach
    void twoShards() throws Exception {
        model = root.resolve("model");
        new SafeTensorsWriter()
                .add("a", DType.F32, new long[] {2}, new float[] {1, 2})
                .add("b", DType.F32, new long[] {2}, new float[] {3, 4})
                .writeSharded(model, 8);
    }

    private void writeIndex(String json) throws Exception {
        Files.writeString(model.resolve(INDEX), json);
    }

    private WeightsFormatException refused(Path expectedFile, String expectedTensor, String fragment) {
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> WeightStore.open(model));
        assertEquals(expectedFile, e.file(), e.getMessage());
        assertEquals(expectedTensor, e.tensor(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
        return e;
    }

    @Test
    void theWrittenIndexOpens() throws Exception {
        try (WeightStore store = WeightStore.open(model)) {
            assertEquals(4f, store.tensor("b").getFloat(1));
        }
    }

    @Test
    void indexThatIsNotJsonOrLacksWeightMap() throws Exception {
        writeIndex("{\"weight_map\": ");
        refused(model.resolve(INDEX), null, "not valid JSON");
        writeIndex("{\"metadata\": {}}");
        refused(model.resolve(INDEX), null, "\"weight_map\" is missing");
        writeIndex("{\"weight_map\": []}");
        refused(model.resolve(INDEX), null, "\"weight_map\" is missing or not a JSON object");
        writeIndex("{\"weight_map\": {\"a\": 3}}");
        refused(model.resolve(INDEX), "a", "not a file name");
        writeIndex("{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", "
                + "\"a\": \"model-00002-of-00002.safetensors\"}}");
        refused(model.resolve(INDEX), null, "Duplicate field 'a'");
    }

    @Test
    void missingShardFile() throws Exception {
        writeIndex("{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"gone.safetensors\"}}");
        refused(model.resolve(INDEX), "b", "does not exist");
    }

    @Test
    void tensorListedButAbsentFromItsShard() throws Exception {
        writeIndex("{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", "
                + "\"b\": \"model-00002-of-00002.safetensors\", \"c\": \"model-00002-of-00002.safetensors\"}}");
        refused(model.resolve("model-00002-of-00002.safetensors").toAbsolutePath().normalize(), "c",
                "absent from this shard");
    }

    @Test
    void tensorInAShardButNotMappedThere() throws Exception {
        // A shard the index uses must not hold tensors the index places elsewhere or nowhere.
        new SafeTensorsWriter()
                .add("a", DType.F32, new long[] {2}, new float[] {1, 2})
                .add("b", DType.F32, new long[] {2}, new float[] {3, 4})
                .write(model.resolve("both.safetensors"));
        writeIndex("{\"weight_map\": {\"a\": \"both.safetensors\"}}");
        refused(model.resolve("both.safetensors").toAbsolutePath().normalize(), "b", "does not map it here");
        writeIndex("{\"weight_map\": {\"a\": \"both.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"}}");
        refused(model.resolve("both.safetensors").toAbsolutePath().normalize(), "b", "does not map it here");
    }

    @Test
    void shardPathsThatLeaveTheDirectory() throws Exception {
        Files.copy(model.resolve("model-00002-of-00002.safetensors"), root.resolve("outside.safetensors"));
        writeIndex("{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"../outside.safetensors\"}}");
        refused(model.resolve(INDEX), "b", "leaves the model directory");
        writeIndex("{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \""
                + root.resolve("outside.safetensors").toAbsolutePath() + "\"}}");
        refused(model.resolve(INDEX), "b", "leaves the model directory");
        writeIndex("{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"sub/../../outside.safetensors\"}}");
        refused(model.resolve(INDEX), "b", "leaves the model directory");
    }

    @Test
    void aSymlinkLeadingOutOfTheDirectoryIsRefused() throws Exception {
        Files.copy(model.resolve("model-00002-of-00002.safetensors"), root.resolve("outside.safetensors"));
        Files.createSymbolicLink(model.resolve("link.safetensors"), root.resolve("outside.safetensors"));
        writeIndex("{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"link.safetensors\"}}");
        refused(model.resolve(INDEX), "b", "outside the model directory");
    }

    @Test
    void aBrokenShardNamesTheShard() throws Exception {
        Path shard = model.resolve("model-00002-of-00002.safetensors");
        byte[] bytes = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        refused(shard.toAbsolutePath().normalize(), "b", "reach beyond the data section");
    }
}
