package dev.multiverse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code multiverse layout} end to end, with the Multiverse Qwen2.5 tokenizer from ../shared. */
class LayoutCommandTest {
    private static final String VALID = """
            <Think>
            Let's think in parallel.
            <Parallel>
            <Goal>
            <Outline>
            1: add
            </Outline>
            <Outline>
            2: multiply
            </Outline>
            </Goal>
            <Path>
            1: two plus two is four.
            </Path>
            <Path>
            2: two times two is four, also.
            </Path>
            <Conclusion>
            Both give four.
            </Conclusion>
            </Parallel>
            So four.
            </Think>

            Answer: 4""";

    @TempDir Path dir;
    private final StringWriter out = new StringWriter(), err = new StringWriter();

    private int run(String... args) {
        var cmd = MultiverseCli.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }

    private static String tokenizer() {
        return SharedTokenizer.path().toString();
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("text.txt"), text);
    }

    @Test
    void wellFormedTextPrintsItsLayoutAndExitsZero() throws IOException {
        int code = run("layout", "--tokenizer", tokenizer(), "--text-file", write(VALID).toString());
        assertEquals(0, code, err::toString);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        int tokens = json.get("tokens").size();
        assertEquals(tokens, json.get("positions").size());
        assertEquals(0, json.get("breaks").size());
        JsonNode block = json.get("blocks").get(0);
        JsonNode paths = block.get("paths");
        assertEquals(2, paths.size());
        int first = paths.get(0).get(0).asInt(), second = paths.get(1).get(0).asInt();
        assertEquals(paths.get(0).get(1).asInt(), second, "path 1 ends where path 2 begins");
        assertEquals(json.get("positions").get(first), json.get("positions").get(second), "both paths start at s+1");
        assertEquals(json.get("positions").get(first - 1).asInt() + 1, json.get("positions").get(first).asInt());
        int critical = json.get("critical_path").asInt();
        assertEquals(tokens - (paths.get(0).get(1).asInt() - first), critical, "path 1 is the shorter one");
        assertEquals((double) tokens / critical, json.get("parallelism").asDouble(), 1e-12);
        assertEquals(0, block.get("blocks").size());
    }

    @Test
    void brokenTextPrintsTheJsonThenExitsThree() throws IOException {
        String broken = VALID.replace("2: two times", "3: two times");
        int code = run("layout", "--tokenizer", tokenizer(), "--text-file", write(broken).toString());
        assertEquals(MultiverseCli.EXIT_GRAMMAR, code);
        JsonNode breaks = new ObjectMapper().readTree(out.toString()).get("breaks");
        assertEquals(1, breaks.size());
        assertEquals("BAD_PATH_ID", breaks.get(0).get("rule").asText());
        assertTrue(err.toString().contains("BAD_PATH_ID"), err::toString);
    }

    @Test
    void thinkOnlyAcceptsATextThatEndsAtTheThinkTag() throws IOException {
        Path file = write(VALID.substring(0, VALID.indexOf("\n\nAnswer:")));
        assertEquals(MultiverseCli.EXIT_GRAMMAR, run("layout", "--tokenizer", tokenizer(), "--text-file", file.toString()));
        assertEquals(0, run("layout", "--think-only", "--tokenizer", tokenizer(), "--text-file", file.toString()), err::toString);
    }

    @Test
    void missingTextFileIsBadInput() {
        Path missing = dir.resolve("nope.txt");
        assertEquals(MultiverseCli.EXIT_BAD_INPUT, run("layout", "--tokenizer", tokenizer(), "--text-file", missing.toString()));
        assertTrue(err.toString().contains("nope.txt"), err::toString);
        assertEquals("", out.toString());
    }

    @Test
    void corruptTokenizerIsBadInput() throws IOException {
        Path bad = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 3}");
        assertEquals(MultiverseCli.EXIT_BAD_INPUT, run("layout", "--tokenizer", bad.toString(), "--text-file", write(VALID).toString()));
        assertTrue(err.toString().contains("tokenizer.json"), err::toString);
    }
}
