package dev.multiverse.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Our ids equal Hugging Face tokenizers' over the written corpus and the 26 Multiverse traces. */
class HfExactnessTest {

    @Test
    void corpusParagraphByParagraph() {
        String corpus = Corpus.generate(1, 220_000);
        assertTrue(corpus.getBytes(StandardCharsets.UTF_8).length >= 200_000, "corpus too small");
        String[] paragraphs = corpus.split("\n\n");
        for (int i = 0; i < paragraphs.length; i++) Mismatch.assertSameIds("corpus paragraph " + i, paragraphs[i]);
    }

    @Test
    void corpusAsOneText() {
        Mismatch.assertSameIds("whole corpus", Corpus.generate(2, 220_000));
    }

    @Test
    void everyFragmentAlone() {
        for (int i = 0; i < Corpus.FRAGMENTS.size(); i++) Mismatch.assertSameIds("fragment " + i, Corpus.FRAGMENTS.get(i));
    }

    /** Long runs of one class: whole-word BPE over thousands of bytes, long white space, no separators. */
    @Test
    void longRuns() {
        String[] runs = {"a", " ", "\n", " \n", "\t", "9", "中", "😀", "\u0301", "ab", "'s", "<Think>", "!"};
        for (String run : runs) {
            String text = run.repeat(20_000 / run.length());
            Mismatch.assertSameIds("run of " + Mismatch.quote(run), text);
            Mismatch.assertSameIds("run of " + Mismatch.quote(run) + " between words", "x " + text + " y");
        }
    }

    /** A megabyte-long word takes seconds at most: the merge loop is a heap, not a quadratic scan. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void megabyteWord() {
        assertTrue(Fixtures.ours().encode("q".repeat(1_000_000)).length > 0);
        assertTrue(Fixtures.ours().encode("中文".repeat(300_000)).length > 0);
    }

    @Test
    void allMultiverseTraces() throws IOException {
        List<Path> traces;
        try (Stream<Path> files = Files.list(Fixtures.tracesDir())) {
            traces = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertEquals(26, traces.size(), "expected the 26 trace files in " + Fixtures.tracesDir());
        for (Path trace : traces) {
            byte[] bytes = Files.readAllBytes(trace);
            String text = new String(bytes, StandardCharsets.UTF_8);
            Mismatch.assertSameIds(trace.getFileName().toString(), text);
            int[] ids = Fixtures.ours().encodeUtf8(bytes);
            assertEquals(text, Fixtures.ours().decode(ids), trace + ": decode(encode(text)) must give the text back");
        }
    }
}
