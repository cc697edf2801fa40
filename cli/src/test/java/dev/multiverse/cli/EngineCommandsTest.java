package dev.multiverse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate} and {@code replay} end to end on a tiny random Qwen2 from the HF goldens, whose
 * transformers log-probs replay must reproduce.
 */
class EngineCommandsTest {
    static final Path GOLDEN = Path.of("../conformance/src/test/resources/hf-goldens/tied-h4kv2-f32");
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path tmp;
    static Path model;
    static JsonNode goldens;

    @BeforeAll
    static void readGoldens() throws Exception {
        assertTrue(Files.isDirectory(GOLDEN), "missing " + GOLDEN.toAbsolutePath());
        model = GOLDEN;
        goldens = JSON.readTree(GOLDEN.resolve("goldens.json").toFile());
    }



    static JsonNode golden(String name) {
        for (JsonNode c : goldens.get("cases")) if (c.get("name").asText().equals(name)) return c;
        throw new AssertionError("no golden case " + name);
    }

    @Test
    void replayReproducesTransformersAndCountsSteps() throws Exception {
        JsonNode c = golden("nested");
        Path text = tmp.resolve("nested.txt");
        Files.writeString(text, c.get("text").asText());
        CliRun parallel = CliRun.of("replay", "--model", model.toString(), "--text-file", text.toString(), "--json", "--threads", "1");
        assertEquals(0, parallel.exit(), parallel.err());
        JsonNode p = JSON.readTree(parallel.out());
        int n = c.get("tokens").size() - 1; // the final <|im_end|> ends the replay
        assertEquals(n, p.get("tokens").size());
        int firstGenerated = 0;
        while (p.get("logprobs").get(firstGenerated).isNull()) firstGenerated++;
        assertTrue(firstGenerated > 10, "the chat prompt is the prompt");
        for (int j = firstGenerated; j < n; j++) {
            assertEquals(c.get("logprobs").get(j).asDouble(), p.get("logprobs").get(j).asDouble(), 1e-4, "token " + j);
            assertEquals(c.get("positions").get(j).asInt(), p.get("positions").get(j).asInt(), "position " + j);
        }
        JsonNode stats = p.get("stats");
        assertTrue(stats.get("steps").asLong() < stats.get("sequential_steps").asLong(), stats.toString());
        assertTrue(stats.get("parallelism_ratio").asDouble() > 1);

        CliRun sequential = CliRun.of("replay", "--model", model.toString(), "--text-file", text.toString(), "--json", "--sequential");
        assertEquals(0, sequential.exit(), sequential.err());
        JsonNode s = JSON.readTree(sequential.out()).get("stats");
        assertEquals(s.get("sequential_steps").asLong(), s.get("steps").asLong(), "the sequential run takes the counted steps");
        assertEquals(stats.get("sequential_steps").asLong(), s.get("steps").asLong());
        assertEquals(1.0, s.get("parallelism_ratio").asDouble(), 1e-12);
    }

    @Test
    void replayLogprobsHaveTheMeaningOfScore() throws Exception {
        Path text = tmp.resolve("two_blocks.txt");
        Files.writeString(text, golden("two_blocks").get("text").asText());
        CliRun replay = CliRun.of("replay", "--model", model.toString(), "--text-file", text.toString(), "--json");
        CliRun score = CliRun.of("score", "--model", model.toString(), "--text-file", text.toString());
        assertEquals(0, replay.exit(), replay.err());
        assertEquals(0, score.exit(), score.err());
        JsonNode r = JSON.readTree(replay.out()), s = JSON.readTree(score.out());
        int compared = 0;
        for (int j = 0; j < r.get("tokens").size(); j++) {
            assertEquals(s.get("tokens").get(j).asInt(), r.get("tokens").get(j).asInt());
            assertEquals(s.get("positions").get(j).asInt(), r.get("positions").get(j).asInt(), "position " + j);
            if (r.get("logprobs").get(j).isNull()) continue;
            assertEquals(s.get("logprobs").get(j).asDouble(), r.get("logprobs").get(j).asDouble(), 1e-4, "token " + j);
            compared++;
        }
        assertTrue(compared > 100, "compared " + compared);
    }

    @Test
    void replayReportsATextTheEngineCannotFollow() throws Exception {
        Path text = tmp.resolve("bad.txt");
        // Two outlines but one path: the engine forks two children, the text has one.
        Files.writeString(text, "<Think>\n<Parallel>\n<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n</Goal>\n"
                + "<Path>\n1: x\n</Path>\n<Conclusion>\ny\n</Conclusion>\n</Parallel>\n</Think>");
        CliRun r = CliRun.of("replay", "--model", model.toString(), "--text-file", text.toString(), "--json");
        assertEquals(MultiverseCli.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("the Goal has more outlines than the 1 path(s) the text's block has"), r.err());
    }

    @Test
    void generateStreamsTheMergedTextAndPrintsTheTrace() throws Exception {
        String[] common = {"generate", "--model", model.toString(), "--temperature", "0.9", "--seed", "7", "--max-tokens", "40",
            "What is 2 + 2?"};
        CliRun plain = CliRun.of(concat(common, "--view", "plain"));
        assertEquals(0, plain.exit(), plain.err());
        assertTrue(plain.err().contains("critical path"), plain.err());
        CliRun json = CliRun.of(concat(common, "--json"));
        assertEquals(0, json.exit(), json.err());
        JsonNode trace = JSON.readTree(json.out());
        assertEquals(plain.out().stripTrailing(), trace.get("text").asText().stripTrailing(), "same seed, same text");
        assertTrue(trace.get("stats").get("critical_path").asInt() <= 40);
        assertTrue(trace.get("prompt_tokens").asInt() > 20, "the question is wrapped in the chat format");
        CliRun missing = CliRun.of("generate", "--model", model.toString());
        assertEquals(MultiverseCli.EXIT_BAD_INPUT, missing.exit());
        CliRun badTemperature = CliRun.of("generate", "--model", model.toString(), "--temperature", "-1", "q");
        assertEquals(MultiverseCli.EXIT_BAD_INPUT, badTemperature.exit());
        assertTrue(badTemperature.err().contains("temperature must be finite and >= 0"), badTemperature.err());
    }

    @Test
    void randomWeightsNeedTheCudaDevice() {
        CliRun cpu = CliRun.of("generate", "--model", model.toString(), "--random-weights", "1", "--max-tokens", "4", "hi");
        assertEquals(MultiverseCli.EXIT_BAD_INPUT, cpu.exit(), cpu.err());
        assertTrue(cpu.err().contains("--random-weights needs --device cuda"), cpu.err());
        if (dev.multiverse.cuda.CudaDevice.available()) {
            CliRun gpu = CliRun.of("generate", "--model", model.toString(), "--device", "cuda", "--random-weights", "1",
                    "--max-tokens", "4", "hi");
            assertEquals(MultiverseCli.EXIT_OK, gpu.exit(), gpu.err());
        }
    }

    @Test
    void panelShowsOneColumnPerPath() throws Exception {
        var panel = new PathPanel(dev.multiverse.tokenizer.Tokenizer.load(model.resolve("tokenizer.json")), new PrintWriter(new StringWriter()), 80);
        Map<String, StringBuilder> paths = new LinkedHashMap<>();
        paths.put("/0:1", new StringBuilder("<Path>\n1: first line\nsecond"));
        paths.put("/0:2", new StringBuilder("<Path>\n2: other"));
        List<String> rows = panel.render(paths, 80);
        assertEquals(PathPanel.LINES + 1, rows.size());
        assertTrue(rows.get(0).contains("[/0:1]") && rows.get(0).contains("[/0:2]"), rows.get(0));
        assertTrue(String.join("\n", rows).contains("1: first line"));
        assertTrue(String.join("\n", rows).contains("2: other"));
    }

    @Test
    void streamedViewsPrintTheMergedTextAndThePanelDrawsPaths() throws Exception {
        var tokenizer = dev.multiverse.tokenizer.Tokenizer.load(model.resolve("tokenizer.json"));
        var plain = new StringBuilder();
        var texts = new PathTexts(tokenizer, plain::append);
        var panelOut = new StringWriter();
        var panel = new PathPanel(tokenizer, new PrintWriter(panelOut), 80);
        for (var view : List.<dev.multiverse.engine.EngineListener>of(texts, panel)) {
            var sample = dev.multiverse.engine.TokenEntry.Origin.SAMPLED;
            for (int t : tokenizer.encode("so</Goal>\n")) view.onToken(1, "", t, sample);
            view.onFork(1, "", List.of("/0:1", "/0:2"), List.of("1", "2"));
            int[] one = tokenizer.encode("<Path>\n1: a</Path>\n");
            int[] two = tokenizer.encode("<Path>\n2: bb</Path>\n");
            for (int i = 0; i < Math.max(one.length, two.length); i++) {
                if (i < one.length) view.onToken(1, "/0:1", one[i], sample);
                if (i < two.length) view.onToken(1, "/0:2", two[i], sample);
            }
            view.onJoin(1, "");
            for (int t : tokenizer.encode("<Conclusion>\nc")) view.onToken(1, "", t, sample);
            view.onFinish(1, null);
        }
        String merged = "so</Goal>\n<Path>\n1: a</Path>\n<Path>\n2: bb</Path>\n<Conclusion>\nc";
        assertEquals(merged, plain.toString());
        String drawn = panelOut.toString();
        assertTrue(drawn.contains("[1]") && drawn.contains("[2]"), "the panel showed both paths");
        assertTrue(drawn.contains("\033[J"), "the panel was erased at the join");
        assertTrue(drawn.endsWith("<Path>\n1: a</Path>\n<Path>\n2: bb</Path>\n<Conclusion>\nc"), drawn);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
