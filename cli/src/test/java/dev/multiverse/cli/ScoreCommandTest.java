package dev.multiverse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multiverse.layout.Layout;
import dev.multiverse.reference.TinyQwen2;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code multiverse score} end to end: a tiny random model with the Multiverse Qwen2.5 tokenizer
 * from ../shared. The Multiverse property must show through the command: a token of the second
 * path scores exactly as in the text with the first path deleted.
 */
class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH_ONE = "<Path>\n1: seven times six is forty-two\n</Path>\n";
    private static final String TEXT = "<Think>\nLet's think in parallel.\n<Parallel>\n<Goal>\n"
            + "<Outline>\n1: multiply\n</Outline>\n<Outline>\n2: check\n</Outline>\n</Goal>\n"
            + PATH_ONE + "<Path>\n2: forty-two is even\n</Path>\n"
            + "<Conclusion>\nBoth agree.\n</Conclusion>\n</Parallel>\n</Think>\n\nAnswer: 42";

    @TempDir static Path dir;
    static Path model;
    static Tokenizer tokenizer;

    @BeforeAll
    static void writeModel() throws Exception {
        Path tokenizerJson = sharedTokenizer();
        tokenizer = Tokenizer.load(tokenizerJson);
        model = TinyQwen2.write(dir, new TinyQwen2.Shape(4, 2, true, DType.BF16), 151_680, 5);
        Files.copy(tokenizerJson, model.resolve("tokenizer.json"));
    }

    private static Path sharedTokenizer() {
        return SharedTokenizer.path();
    }



    private static JsonNode scoreText(String text, String name) throws Exception {
        Path file = Files.writeString(dir.resolve(name), text);
        CliRun run = CliRun.of("score", "--model", model.toString(), "--text-file", file.toString(), "--threads", "2");
        assertEquals(0, run.exit(), run.err());
        return JSON.readTree(run.out());
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    @Test
    void printsTokensPositionsLogprobsAndArgmaxUnderTheLayout() throws Exception {
        JsonNode result = scoreText(TEXT, "text.txt");
        int[] tokens = tokenizer.encode(TEXT);
        assertArrayEquals(tokens, ints(result.get("tokens")));
        assertArrayEquals(Layout.of(tokens, tokenizer.tags()).positions(), ints(result.get("positions")));
        assertTrue(result.get("logprobs").get(0).isNull(), "nothing predicts the first token");
        assertEquals(tokens.length, result.get("logprobs").size());
        assertEquals(tokens.length, result.get("argmax").size());
        for (int i = 1; i < tokens.length; i++) {
            double lp = result.get("logprobs").get(i).asDouble();
            assertTrue(lp <= 0 && Double.isFinite(lp), "log-prob of token " + i + ": " + lp);
        }
    }

    @Test
    void theSecondPathScoresAsIfTheFirstWereNotThere() throws Exception {
        JsonNode full = scoreText(TEXT, "full.txt");
        JsonNode alone = scoreText(TEXT.replace(PATH_ONE, ""), "alone.txt");
        int[] fullTokens = ints(full.get("tokens")), aloneTokens = ints(alone.get("tokens"));
        int pathTwo = indexOf(fullTokens, tokenizer.encode(PATH_ONE), 0) + tokenizer.encode(PATH_ONE).length;
        int pathOneLength = fullTokens.length - aloneTokens.length;
        int conclusion = indexOf(fullTokens, tokenizer.encode("<Conclusion>"), pathTwo);
        assertArrayEquals(Arrays.copyOfRange(fullTokens, pathTwo, conclusion),
                Arrays.copyOfRange(aloneTokens, pathTwo - pathOneLength, conclusion - pathOneLength), "path 2 tokenises alike");
        for (int i = pathTwo; i < conclusion; i++) {
            int j = i - pathOneLength;
            assertEquals(alone.get("positions").get(j).asInt(), full.get("positions").get(i).asInt(), "position of token " + i);
            // float32 rounding only: the two passes group rows into different matmul blocks
            double expected = alone.get("logprobs").get(j).asDouble();
            assertEquals(expected, full.get("logprobs").get(i).asDouble(), 1e-5 + 1e-6 * Math.abs(expected),
                    "log-prob of path-2 token " + i);
            assertEquals(alone.get("argmax").get(j).asInt(), full.get("argmax").get(i).asInt(), "argmax after token " + i);
        }
    }

    /** Where there is a GPU, --device cuda scores like the CPU within the bf16 budget; elsewhere it says why it cannot run. */
    @Test
    void theCudaDeviceScoresLikeTheCpuOrSaysWhyNot() throws Exception {
        Path file = Files.writeString(dir.resolve("cuda.txt"), "hello world, hello world");
        CliRun cuda = CliRun.of("score", "--model", model.toString(), "--text-file", file.toString(), "--device", "cuda");
        if (!dev.multiverse.cuda.CudaDevice.available()) {
            assertEquals(MultiverseCli.EXIT_BAD_INPUT, cuda.exit(), cuda.err());
            assertTrue(cuda.err().contains("libcuda.so.1"), cuda.err());
            return;
        }
        CliRun cpu = CliRun.of("score", "--model", model.toString(), "--text-file", file.toString());
        assertEquals(MultiverseCli.EXIT_OK, cuda.exit(), cuda.err());
        var a = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cpu.out());
        var b = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cuda.out());
        assertEquals(a.get("tokens"), b.get("tokens"));
        for (int j = 1; j < a.get("logprobs").size(); j++)
            assertEquals(a.get("logprobs").get(j).asDouble(), b.get("logprobs").get(j).asDouble(), 0.1, "log-prob of token " + j);
    }

    @Test
    void aMissingModelDirectoryIsBadInput() throws Exception {
        Path file = Files.writeString(dir.resolve("t.txt"), "hello");
        CliRun run = CliRun.of("score", "--model", dir.resolve("no-such-model").toString(), "--text-file", file.toString());
        assertEquals(MultiverseCli.EXIT_BAD_INPUT, run.exit());
        assertTrue(run.err().contains("no-such-model"), run.err());
    }

    private static int indexOf(int[] haystack, int[] needle, int from) {
        for (int i = from; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        throw new AssertionError("token run " + Arrays.toString(needle) + " not found");
    }
}
