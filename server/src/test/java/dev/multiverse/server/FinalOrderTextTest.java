package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.multiverse.engine.EndReason;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.TokenEntry.Origin;
import dev.multiverse.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The final-order text: pieces are final when sent, and concatenate to the finished text, stopped or not. */
class FinalOrderTextTest {
    static Tokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = Tokenizer.load(ArithModel.DIR.resolve("tokenizer.json"));
    }

    static int id(String text) {
        int[] ids = tokenizer.encode(text);
        assertEquals(1, ids.length, text);
        return ids[0];
    }

    /** A finished result whose generated tokens are {@code generated} (only the text and tokens matter here). */
    static GenerationResult result(List<Integer> generated, EndReason reason) {
        int[] tokens = generated.stream().mapToInt(Integer::intValue).toArray();
        int n = tokens.length;
        return new GenerationResult(1, tokens, IntStream.range(0, n).toArray(), new double[n], new String[n], new Origin[n], 0,
                tokenizer.decode(tokens), reason, null);
    }

    @Test
    void aBlockArrivesAtItsJoinAndInsertedTokensOnceConfirmed() {
        List<String> pieces = new ArrayList<>();
        var text = new FinalOrderText(tokenizer, pieces::add);
        int a = id("1"), b = id("2"), nl = id("\n"), x = id("3"), y = id("4"), w = id("5"), c = id("6"), d = id("7");
        text.onToken("", a, Origin.SAMPLED);
        text.onToken("", nl, Origin.FORCED);
        assertEquals(List.of("1"), pieces, "an inserted token waits for confirmation");
        text.onFork("", List.of("/0:1", "/0:2"));
        text.onToken("/0:1", x, Origin.SAMPLED);
        text.onToken("/0:2", w, Origin.SAMPLED);
        text.onToken("/0:1", y, Origin.FORCED);
        assertEquals("1\n", String.join("", pieces), "paths wait for their join");
        text.onPathEnd(EndReason.PATH_END);
        text.onPathEnd(EndReason.PATH_END);
        text.onJoin("");
        text.onToken("", c, Origin.FORCED);
        text.onToken("", b, Origin.SAMPLED);
        text.onToken("", d, Origin.FORCED);
        assertEquals("1\n34562", String.join("", pieces), "outline order at the join; the trailing insert waits");
        text.onFinish(result(List.of(a, nl, x, y, w, c, b, d), EndReason.MAX_TOKENS));
        assertEquals("1\n345627", String.join("", pieces));
    }

    @Test
    void aStoppedBlockIsNotSentBeforeTheFinishBecauseItsTailMayBeDropped() {
        List<String> pieces = new ArrayList<>();
        var text = new FinalOrderText(tokenizer, pieces::add);
        int a = id("1"), x = id("3"), z = id("\n"), w = id("5");
        text.onToken("", a, Origin.SAMPLED);
        text.onFork("", List.of("/0:1", "/0:2"));
        text.onToken("/0:1", x, Origin.SAMPLED);
        text.onToken("/0:1", z, Origin.FORCED);
        text.onToken("/0:2", w, Origin.SAMPLED);
        text.onPathEnd(EndReason.CANCELLED);
        text.onPathEnd(EndReason.CANCELLED);
        text.onJoin("");
        assertEquals("1", String.join("", pieces));
        // The engine dropped the uncomputed "\n" of path 1.
        text.onFinish(result(List.of(a, x, w), EndReason.CANCELLED));
        assertEquals("135", String.join("", pieces));
        assertFalse(String.join("", pieces).contains("\n"));
    }
}
