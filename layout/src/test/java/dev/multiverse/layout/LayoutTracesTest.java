package dev.multiverse.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.multiverse.tokenizer.MultiverseTags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 26 traces written by Multiverse-32B, tokenized by Hugging Face {@code tokenizers} (through
 * DJL), must follow the grammar with no break. Each trace is the Think section alone: it begins
 * with {@code <Think>} and ends with {@code </Think>}, without the {@code "\n\nAnswer: "} part, so
 * it is checked as a Think section; checked as a full response, its only break is that missing
 * Answer. Prints tokens, critical path and parallelism of each trace.
 */
class LayoutTracesTest {
    private static HuggingFaceTokenizer tokenizer;
    private static MultiverseTags tags;
    private static final Map<Integer, String> texts = new HashMap<>();
    private static final List<String> table = new ArrayList<>();

    @BeforeAll
    static void loadTokenizer() throws IOException {
        tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(SharedFiles.resolve("tokenizers/multiverse-qwen2.5/tokenizer.json"))
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .optPadding(false)
                .build();
        tags = MultiverseTags.lookUp(text -> {
            long[] ids = tokenizer.encode(text, false, false).getIds();
            return ids.length == 1 ? OptionalInt.of((int) ids[0]) : OptionalInt.empty();
        });
    }

    @AfterAll
    static void printTable() {
        if (tokenizer != null) tokenizer.close();
        System.out.println("| trace | tokens | critical path | parallelism | blocks | paths | deepest |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        table.forEach(System.out::println);
    }

    static Stream<Path> traces() throws IOException {
        try (Stream<Path> files = Files.list(SharedFiles.resolve("multiverse-traces"))) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".txt")).sorted(LayoutTracesTest::byNumber).toList();
            assertEquals(26, list.size(), "expected the 26 traces");
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traces")
    void traceFollowsTheGrammar(Path trace) throws IOException {
        String text = Files.readString(trace);
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] tokens = new int[ids.length];
        for (int i = 0; i < ids.length; i++) tokens[i] = (int) ids[i];

        var options = GrammarOptions.withText(LayoutTracesTest::tokenText);
        Layout layout = Layout.of(tokens, tags, options.thinkSectionOnly());
        assertEquals(List.of(), layout.breaks(), trace + " breaks the grammar");

        List<GrammarBreak> asResponse = Layout.of(tokens, tags, options).breaks();
        assertEquals(List.of(Rule.ANSWER_MISSING), asResponse.stream().map(GrammarBreak::rule).toList());
        assertEquals(tokens.length - 1, asResponse.getFirst().tokenIndex());

        int paths = layout.blocks().stream().mapToInt(b -> b.paths().size()).sum();
        assertEquals(count(text, "<Parallel>"), layout.blocks().size(), "one block per <Parallel>");
        assertEquals(count(text, "<Path>"), paths, "one path per <Path>");
        assertTrue(layout.criticalPath() < layout.length(), "a trace with blocks uses fewer positions than tokens");
        int deepest = layout.blocks().stream().mapToInt(b -> b.depth() + 1).max().orElse(0);
        table.add(String.format("| %s | %d | %d | %.3f | %d | %d | %d |", trace.getFileName(), layout.length(),
                layout.criticalPath(), layout.parallelism(), layout.blocks().size(), paths, deepest));
    }

    private static String tokenText(int id) {
        return texts.computeIfAbsent(id, i -> tokenizer.decode(new long[] {i}, false));
    }

    private static int count(String text, String tag) {
        return text.split(java.util.regex.Pattern.quote(tag), -1).length - 1;
    }

    private static int byNumber(Path a, Path b) {
        return Integer.compare(number(a), number(b));
    }

    private static int number(Path p) {
        String name = p.getFileName().toString().replace(".txt", "");
        return name.chars().allMatch(Character::isDigit) ? Integer.parseInt(name) : Integer.MAX_VALUE;
    }
}
