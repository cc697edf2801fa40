package dev.multiverse.conformance.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.conformance.kit.KitExporter;
import dev.multiverse.conformance.kit.KitTestAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checker against a fake OpenAI endpoint that answers from the kit itself: an honest one
 * passes every case; one that alters a single token, drops the log-probs or fails a request is
 * reported with the first difference.
 */
class KitCheckerTest {
    static final String MODEL = "multiverse-arith";

    private static List<CaseResult> run(java.util.function.UnaryOperator<int[]> alter) throws Exception {
        Path kit = KitTestAccess.kit();
        var checker = new KitChecker(kit, null, KitExporter.LOGPROB_TOLERANCE);
        List<EngineVector> vectors = checker.vectors(MODEL);
        try (var fake = new FakeCompletionsServer(vectors, alter)) {
            var client = new CompletionsClient(fake.endpoint(), Duration.ofSeconds(30));
            return new KitChecker(kit, client, KitExporter.LOGPROB_TOLERANCE).check("served-name", MODEL);
        }
    }

    @Test
    void anHonestServerPassesEveryCase() throws Exception {
        List<CaseResult> results = run(t -> t);
        assertEquals(3, results.size(), "the three greedy vectors of multiverse-arith");
        for (CaseResult r : results) assertTrue(r.passed(), r.toString());
        String table = CheckTable.format(results, KitExporter.LOGPROB_TOLERANCE);
        assertTrue(table.contains("3 of 3 passed"), table);
        System.out.print(table);
    }

    @Test
    void oneAlteredTokenIsReportedWithTheFirstDifference() throws Exception {
        List<CaseResult> results = run(t -> {
            t[7] = t[7] + 1;
            return t;
        });
        for (CaseResult r : results) {
            assertFalse(r.passed(), r.name());
            assertTrue(r.firstDifference().startsWith("generated token 7: expected id "), r.firstDifference());
        }
        String table = CheckTable.format(results, KitExporter.LOGPROB_TOLERANCE);
        assertTrue(table.contains("FAIL") && table.contains("0 of 3 passed"), table);
    }

    @Test
    void aShortAnswerAndAMissingModelAreReported() throws Exception {
        List<CaseResult> results = run(t -> java.util.Arrays.copyOf(t, t.length - 1));
        for (CaseResult r : results) assertTrue(r.firstDifference().startsWith("the server stopped after"), r.firstDifference());
        var checker = new KitChecker(KitTestAccess.kit(), null, 1e-3);
        var e = assertThrows(java.io.IOException.class, () -> checker.vectors("no-such-model"));
        assertTrue(e.getMessage().contains("no greedy engine vector for model no-such-model"), e.getMessage());
    }

    @Test
    void anUnreachableServerFailsEachCaseWithTheError() throws Exception {
        var client = new CompletionsClient(java.net.URI.create("http://127.0.0.1:1"), Duration.ofSeconds(5));
        List<CaseResult> results = new KitChecker(KitTestAccess.kit(), client, 1e-3).check(MODEL, MODEL);
        for (CaseResult r : results) {
            assertFalse(r.passed());
            assertTrue(r.firstDifference().contains("failed"), r.firstDifference());
        }
    }
}
