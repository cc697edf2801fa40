package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model directories: one file, shards with an index, and what is missing from either. */
class WeightStoreTest {
    @TempDir
    Path dir;

    private static SafeTensorsWriter threeTensors() {
        return new SafeTensorsWriter()
                .add("model.embed_tokens.weight", DType.BF16, new long[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6})
                .add("model.norm.weight", DType.F32, new long[] {2}, new float[] {0.5f, -0.25f})
                .add("lm_head.weight", DType.F16, new long[] {3, 2}, new float[] {-1, -2, -3, -4, -5, -6})
                .metadata("format", "pt");
    }

    @Test
    void opensASingleFileDirectory() throws Exception {
        threeTensors().write(dir.resolve("model.safetensors"));
        try (WeightStore store = WeightStore.open(dir)) {
            assertEquals(Set.of("model.embed_tokens.weight", "model.norm.weight", "lm_head.weight"), store.names());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, store.tensor("model.embed_tokens.weight").toFloatArray());
            assertArrayEquals(new long[] {3, 2}, store.tensor("lm_head.weight").shape());
            assertEquals(-0.25f, store.tensor("model.norm.weight").getFloat(1));
            assertTrue(store.find("lm_head.weight").isPresent());
            assertFalse(store.find("nope").isPresent());
        }
    }

    @Test
    void opensShardsThroughTheIndex() throws Exception {
        threeTensors().writeSharded(dir, 12); // 12 data bytes per shard: three shards
        List<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors", "model.safetensors.index.json"), files);
        try (WeightStore store = WeightStore.open(dir)) {
            assertEquals(3, store.names().size());
            assertArrayEquals(new float[] {-1, -2, -3, -4, -5, -6}, store.tensor("lm_head.weight").toFloatArray());
            assertArrayEquals(new float[] {0.5f, -0.25f}, store.tensor("model.norm.weight").toFloatArray());
        }
    }

    @Test
    void aMissingTensorNamesItAndTheDirectory() throws Exception {
        threeTensors().write(dir.resolve("model.safetensors"));
        try (WeightStore store = WeightStore.open(dir)) {
            WeightsFormatException e = assertThrows(WeightsFormatException.class,
                    () -> store.tensor("model.layers.0.mlp.up_proj.weight"));
            assertEquals(dir, e.file());
            assertEquals("model.layers.0.mlp.up_proj.weight", e.tensor());
            assertTrue(e.getMessage().startsWith(dir + ": tensor model.layers.0.mlp.up_proj.weight: "), e.getMessage());
        }
    }

    @Test
    void anEmptyDirectoryIsRefused() {
        WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> WeightStore.open(dir));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void aSingleFileWinsOverAnIndexAsInTransformers() throws Exception {
        threeTensors().writeSharded(dir, 1);
        new SafeTensorsWriter().add("only", DType.F32, new long[] {1}, new float[] {9f})
                .write(dir.resolve("model.safetensors"));
        try (WeightStore store = WeightStore.open(dir)) {
            assertEquals(Set.of("only"), store.names());
        }
    }
}
