package dev.multiverse.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kit's manifest lists every file truthfully, and its tokenizer vectors are Hugging Face's ids. */
class KitManifestTest {

    @Test
    void manifestListsEveryFileWithItsSizeAndDigest() throws Exception {
        Path kit = ExportedKit.dir();
        JsonNode manifest = ExportedKit.json("kit.json");
        assertEquals(KitExporter.FORMAT_VERSION, manifest.get("format_version").asInt());
        List<String> listed = new ArrayList<>();
        for (JsonNode f : manifest.get("files")) {
            Path p = kit.resolve(f.get("path").asText());
            assertEquals(f.get("bytes").asLong(), Files.size(p), f.toString());
            assertEquals(f.get("sha256").asText(), KitFiles.sha256(p), f.toString());
            listed.add(f.get("path").asText());
        }
        List<String> present = new ArrayList<>(KitFiles.files(kit));
        present.remove("kit.json");
        assertEquals(present, listed, "kit.json lists exactly the kit's other files");
        for (String dir : List.of("tokenizer/", "layout/", "model/", "engine/"))
            assertTrue(listed.stream().anyMatch(f -> f.startsWith(dir)), dir);
        assertTrue(listed.contains("README.md"));
        JsonNode counts = manifest.get("counts");
        assertEquals(ExportedKit.summary.engineCases(), counts.get("engine").asInt());
        assertEquals(listed.stream().filter(f -> f.startsWith("engine/")).count(), counts.get("engine").asLong());
        assertEquals(listed.stream().filter(f -> f.startsWith("layout/")).count(), counts.get("layout").asLong());
        System.out.printf("kit: %d files, %d bytes%n", ExportedKit.summary.files(), ExportedKit.summary.bytes());
    }

    @Test
    void tokenizerVectorsAreHuggingFacesIds() throws Exception {
        JsonNode vectors = ExportedKit.json("tokenizer/multiverse-qwen2.5.json");
        assertEquals(KitFiles.sha256(ExportedKit.tokenizer()), vectors.get("tokenizer_sha256").asText());
        assertEquals(151665, vectors.get("tags").get("<Think>").asInt());
        assertEquals(151676, vectors.get("tags").get("</Conclusion>").asInt());
        var options = Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false",
                "modelMaxLength", String.valueOf(Integer.MAX_VALUE));
        int cases = 0;
        try (var hf = HuggingFaceTokenizer.newInstance(ExportedKit.tokenizer(), options)) {
            for (JsonNode c : vectors.get("cases")) {
                String text = c.get("text").asText();
                int[] expected = KitJson.toInts(c.get("ids"));
                if (text.isEmpty()) {
                    assertEquals(0, expected.length);
                    continue;
                }
                long[] ids = hf.encode(text).getIds();
                int[] hfIds = new int[ids.length];
                for (int i = 0; i < ids.length; i++) hfIds[i] = Math.toIntExact(ids[i]);
                assertArrayEquals(hfIds, expected, c.get("name").asText());
                cases++;
            }
        }
        assertTrue(cases >= 12, "cases: " + cases);
    }

    @Test
    void exportRefusesADirectoryThatIsNotEmpty() throws Exception {
        Path dir = Files.createTempDirectory("kit-not-empty");
        Files.writeString(dir.resolve("something"), "x");
        var e = assertThrows(java.io.IOException.class, () -> KitExporter.export(
                new KitExporter.Options(dir, ExportedKit.tokenizer(), ExportedKit.repoRoot().resolve("models/multiverse-arith"), 1)));
        assertTrue(e.getMessage().contains("must be empty"), e.getMessage());
    }
}
