package dev.multiverse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeCommandTest {
    private static Path shared;
    private static Path tokenizerJson;

    @TempDir Path dir;

    /** {@code ../shared} beside the repository root; the tests fail (never skip) without it. */
    @BeforeAll
    static void findShared() {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) root = root.getParent();
        if (root == null) throw new AssertionError("cannot find the repository root (the folder with mvnw)");
        shared = root.resolveSibling("shared");
        tokenizerJson = shared.resolve("tokenizers/multiverse-qwen2.5/tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) throw new AssertionError("missing " + tokenizerJson);
    }



    private CliRun tokenize(Path textFile, String... more) {
        String[] args = {"tokenize", "--tokenizer", tokenizerJson.toString(), "--text-file", textFile.toString()};
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CliRun.of(all);
    }

    @Test
    void tracesTokenizeAsHuggingFaceAndDecodeBack() throws Exception {
        Path traces = shared.resolve("multiverse-traces");
        if (!Files.isDirectory(traces)) throw new AssertionError("missing " + traces);
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                "addSpecialTokens", "false", "truncation", "false", "padding", "false",
                "modelMaxLength", String.valueOf(Integer.MAX_VALUE)))) {
            for (String name : new String[] {"1.txt", "13.txt", "19.txt"}) {
                Path trace = traces.resolve(name);
                CliRun encoded = tokenize(trace);
                assertEquals(0, encoded.exit(), encoded.err());
                String text = Files.readString(trace, StandardCharsets.UTF_8);
                String expected = Arrays.stream(hf.encode(text, false, false).getIds())
                        .mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
                assertEquals(expected + System.lineSeparator(), encoded.out(), name);

                Path ids = dir.resolve(name + ".json");
                Files.writeString(ids, encoded.out());
                CliRun decoded = tokenize(ids, "--decode");
                assertEquals(0, decoded.exit(), decoded.err());
                assertEquals(text, decoded.out(), name + " decoded");
            }
        }
    }

    @Test
    void specialTokensInTextAreSingleIds() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "<|im_start|>user\nHi<|im_end|>");
        CliRun r = tokenize(text);
        assertEquals(0, r.exit(), r.err());
        assertEquals("[151644,872,198,13048,151645]" + System.lineSeparator(), r.out());
    }

    private void assertBadInput(CliRun r, String expectedInMessage) {
        assertEquals(MultiverseCli.EXIT_BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains(expectedInMessage), r.err());
        assertEquals("", r.out());
    }

    @Test
    void errorsExitWithTwoAndSayWhat() throws Exception {
        Path missing = dir.resolve("missing.txt");
        assertBadInput(tokenize(missing), "no such file: " + missing);
        Path text = Files.writeString(dir.resolve("ok.txt"), "hello");
        assertBadInput(CliRun.of("tokenize", "--tokenizer", dir.resolve("nope.json").toString(), "--text-file", text.toString()),
                "--tokenizer: no such file");
        Path notJson = Files.writeString(dir.resolve("bad-tokenizer.json"), "{\"model\": 3");
        assertBadInput(CliRun.of("tokenize", "--tokenizer", notJson.toString(), "--text-file", text.toString()),
                "not valid JSON");

        Path invalid = Files.write(dir.resolve("bad.txt"), new byte[] {'a', 'b', (byte) 0xFF, 'c'});
        assertBadInput(tokenize(invalid), "invalid UTF-8 at byte offset 2");

        assertBadInput(tokenize(Files.writeString(dir.resolve("ids1.json"), "[1, 2,"), "--decode"), "not a JSON array");
        assertBadInput(tokenize(Files.writeString(dir.resolve("ids2.json"), "{\"a\": 1}"), "--decode"), "not a JSON array");
        assertBadInput(tokenize(Files.writeString(dir.resolve("ids3.json"), "[1, \"x\"]"), "--decode"), "element 1");
        assertBadInput(tokenize(Files.writeString(dir.resolve("ids4.json"), "[1, 2.5]"), "--decode"), "element 1");
        assertBadInput(tokenize(Files.writeString(dir.resolve("ids5.json"), "[9707, 151677]"), "--decode"),
                "token index 1: id 151677");
        assertBadInput(tokenize(Files.writeString(dir.resolve("ids6.json"), "[-1]"), "--decode"), "token index 0");
        assertBadInput(CliRun.of("tokenize", "--text-file", text.toString()), "--tokenizer");
    }
}
