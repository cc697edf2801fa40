package dev.multiverse.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.layout.GrammarOptions;
import dev.multiverse.layout.Layout;
import dev.multiverse.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The layout vectors read back: the tokens are the text's, the well-formed texts have no errors and
 * the broken ones the rules they were written to break, and the positions and path spans of every
 * case agree with the spec's independent Python implementation (python/multiverse_layout.py).
 */
class KitLayoutTest {
    static final Set<String> BROKEN = Set.of("no_tags", "block_without_paths", "unclosed_path_at_end", "path_without_path_end",
            "stray_closing_tags", "path_before_goal_end", "parallel_without_conclusion", "wrong_path_ids", "missing_answer");
    /**
     * The one case where the Python layout, which does not model forking, lays out a broken text
     * differently: it takes a {@code <Path>} written before {@code </Goal>} as a path of the block;
     * the canonical rule (docs/layout.md) keeps it as text, as an engine that forks at {@code
     * </Goal>} does. Positions agree all the same.
     */
    static final String PYTHON_DIFFERS = "path_before_goal_end";

    static List<Path> files() throws Exception {
        List<Path> out = new ArrayList<>();
        for (String f : KitFiles.files(ExportedKit.dir())) if (f.startsWith("layout/")) out.add(ExportedKit.dir().resolve(f));
        assertEquals(LayoutVectors.texts().size(), out.size());
        return out;
    }

    @Test
    void tokensErrorsAndBlocksReadBack() throws Exception {
        Tokenizer tokenizer = Tokenizer.load(ExportedKit.tokenizer());
        for (Path f : files()) {
            JsonNode c = KitJson.read(f);
            String name = c.get("name").asText();
            int[] tokens = KitJson.toInts(c.get("tokens"));
            assertEquals(c.get("text").asText(), tokenizer.decode(tokens), name);
            List<String> rules = new ArrayList<>();
            for (JsonNode e : c.get("errors")) rules.add(e.get("rule").asText());
            assertEquals(BROKEN.contains(name), !rules.isEmpty(), name + " errors " + rules);
            Layout again = Layout.of(tokens, tokenizer.tags(), GrammarOptions.withText(id -> tokenizer.decode(new int[] {id})));
            assertArrayEquals(again.positions(), KitJson.toInts(c.get("positions")), name);
            assertEquals(again.blocks().size(), c.get("blocks").size(), name);
            for (JsonNode b : c.get("blocks")) {
                int previousEnd = -1;
                for (JsonNode p : b.get("paths")) {
                    assertTrue(p.get(0).asInt() >= previousEnd && p.get(1).asInt() > p.get(0).asInt(), name + " spans in order");
                    assertEquals(tokenizer.tags().path(), tokens[p.get(0).asInt()], name + ": a span starts at <Path>");
                    previousEnd = p.get(1).asInt();
                }
            }
        }
        assertTrue(rulesOf("stray_closing_tags").contains("STRAY_CLOSING_TAG"));
        assertTrue(rulesOf("unclosed_path_at_end").contains("UNCLOSED_TAG"));
        assertTrue(rulesOf("wrong_path_ids").contains("BAD_PATH_ID"));
        assertTrue(rulesOf("parallel_without_conclusion").contains("CONCLUSION_MISSING"));
        assertTrue(rulesOf("missing_answer").contains("ANSWER_MISSING"));
        assertEquals(0, ExportedKit.json("layout/block_without_paths.json").get("blocks").get(0).get("paths").size());
        assertEquals(3, ExportedKit.json("layout/nested_depth_3.json").get("blocks").size(), "three nested blocks");
    }

    private static List<String> rulesOf(String name) {
        List<String> rules = new ArrayList<>();
        for (JsonNode e : ExportedKit.json("layout/" + name + ".json").get("errors")) rules.add(e.get("rule").asText());
        return rules;
    }

    @Test
    void everyCaseAgreesWithThePythonLayout() throws Exception {
        Path script = Path.of("src/test/resources/layout_oracle.py").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        for (Path f : files()) command.add(f.toString());
        var pb = new ProcessBuilder(command).redirectErrorStream(false);
        pb.environment().put("MULTIVERSE_PYTHON", ExportedKit.repoRoot().resolve("python").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "python3 layout oracle failed (python3 is needed for this test): " + err);
        JsonNode python = KitJson.JSON.readTree(out);
        int compared = 0;
        for (Path f : files()) {
            JsonNode c = KitJson.read(f);
            JsonNode py = python.get(f.getFileName().toString());
            String name = c.get("name").asText();
            assertArrayEquals(KitJson.toInts(py.get("positions")), KitJson.toInts(c.get("positions")), name + " positions");
            if (name.equals(PYTHON_DIFFERS)) {
                assertEquals(1, py.get("paths").size(), "Python forks the block at its <Path>");
                assertTrue(c.get("blocks").get(0).get("paths").isEmpty(), "the canonical layout does not");
                compared++;
                continue;
            }
            for (JsonNode b : c.get("blocks")) {
                JsonNode pyPaths = py.get("paths").get(b.get("id").asText());
                if (b.get("paths").isEmpty()) {
                    assertTrue(pyPaths == null, name);
                    continue;
                }
                assertEquals(pyPaths, b.get("paths"), name + " block " + b.get("id"));
            }
            compared++;
        }
        assertEquals(LayoutVectors.texts().size(), compared);
        assertFalse(python.isEmpty());
    }
}
