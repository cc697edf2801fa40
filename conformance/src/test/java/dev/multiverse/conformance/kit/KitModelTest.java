package dev.multiverse.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The model vectors read back against the goldens as they lie in this module's test resources
 * (not the copies in the jar): the model files are byte-identical, the tokens and positions are
 * the goldens', and every log-prob is within the tolerance of Hugging Face's.
 */
class KitModelTest {
    static final Path GOLDENS = Path.of("src/test/resources/hf-goldens");

    @Test
    void modelsAreTheGoldensModelsAndTheirLogProbsAgreeWithTransformers() throws Exception {
        int cases = 0;
        for (String name : KitModels.NAMES) {
            Path kitModel = ExportedKit.dir().resolve("model/" + name);
            for (String file : KitFiles.files(kitModel)) {
                if (file.equals("cases.json")) continue;
                assertEquals(KitFiles.sha256(GOLDENS.resolve(name).resolve(file)), KitFiles.sha256(kitModel.resolve(file)), name + "/" + file);
            }
            assertTrue(Files.exists(kitModel.resolve("config.json")) && Files.exists(kitModel.resolve("tokenizer.json")));
            JsonNode goldens = KitJson.read(GOLDENS.resolve(name).resolve("goldens.json"));
            JsonNode kit = KitJson.read(kitModel.resolve("cases.json"));
            assertEquals(goldens.get("cases").size(), kit.get("cases").size());
            for (int i = 0; i < kit.get("cases").size(); i++) {
                JsonNode g = goldens.get("cases").get(i), c = kit.get("cases").get(i);
                String where = name + "/" + c.get("name").asText();
                assertEquals(g.get("text").asText(), c.get("text").asText(), where);
                assertArrayEquals(KitJson.toInts(g.get("tokens")), KitJson.toInts(c.get("tokens")), where);
                assertArrayEquals(KitJson.toInts(g.get("positions")), KitJson.toInts(c.get("positions")), where);
                double[] hf = KitJson.toDoubles(g.get("logprobs")), ours = KitJson.toDoubles(c.get("logprobs"));
                int[] pred = KitJson.toInts(c.get("predecessors"));
                assertEquals(-1, pred[0]);
                for (int j = 0; j < hf.length; j++) {
                    if (Double.isNaN(hf[j])) {
                        assertTrue(Double.isNaN(ours[j]), where + " token " + j);
                        continue;
                    }
                    assertEquals(hf[j], ours[j], ModelVectors.HF_TOLERANCE, where + " log-prob of token " + j);
                    assertTrue(pred[j] >= 0 && pred[j] < j, where + " predecessor of " + j);
                }
                cases++;
            }
        }
        assertEquals(20, cases, "4 models x 5 texts");
        assertTrue(Files.size(ExportedKit.dir().resolve("model/multiverse-arith/model.safetensors")) > 10_000_000);
    }
}
