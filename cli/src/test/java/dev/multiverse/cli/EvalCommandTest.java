package dev.multiverse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval} on the model shipped with the project: scoring, parallel use, and the speedup replay. */
class EvalCommandTest {
    static final Path MODEL = Path.of("../models/multiverse-arith");
    @TempDir Path tmp;



    /** Two held-out-style problems the shipped model solves with greedy decoding. */
    private Path twoProblems() throws Exception {
        return Files.writeString(tmp.resolve("two.jsonl"), """
                {"question": "What is (37 + 48) * (12 - 5)?", "answer": 595}
                {"question": "What is (268 - 958) + (885 + 95)?", "answer": 290}
                """);
    }

    @Test
    void readsTheNumberAfterTheLastAnswer() {
        assertEquals(595L, EvalCommand.answerIn("<Think>\nAnswer: 1 is not it\n</Think>\n\nAnswer: 595"));
        assertEquals(-191520L, EvalCommand.answerIn("Answer: -191520<|im_end|>"));
        assertEquals(42L, EvalCommand.answerIn("Answer:  42\n"));
        assertNull(EvalCommand.answerIn("no answer here"));
        assertNull(EvalCommand.answerIn("Answer: -"));
        assertNull(EvalCommand.answerIn("Answer: x1"));
    }

    @Test
    void solvesTwoProblemsInParallelAndMeasuresTheSpeedup() throws Exception {
        assertTrue(Files.isDirectory(MODEL), "the shipped model is missing at " + MODEL.toAbsolutePath());
        Path problems = twoProblems();
        CliRun r = CliRun.of("eval", "--model", MODEL.toString(), "--problems", problems.toString(), "--concurrency", "2",
                "--speedup-samples", "1", "--threads", "2", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals(2, o.get("problems").asInt());
        assertEquals(2, o.get("exact").asInt(), "greedy decoding solves both: " + o);
        assertEquals(2, o.get("parallel").asInt(), "both answers use a parallel block");
        assertTrue(o.get("mean_parallelism_ratio").asDouble() > 1.1, o.toString());
        assertTrue(o.get("step_ratio").asDouble() > 1.1, "sequential replay takes more steps: " + o);
        assertTrue(o.get("wall_speedup").asDouble() > 0, o.toString());
    }

    /** Requests that run out of time are reported, never a crash: every one is stopped or failed, none exact. */
    @Test
    void requestsPastTheirDeadlineAreReportedNotThrown() throws Exception {
        Path problems = twoProblems();
        CliRun r = CliRun.of("eval", "--model", MODEL.toString(), "--problems", problems.toString(), "--concurrency", "1",
                "--timeout", "0.000001", "--speedup-samples", "0", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertEquals(2, o.get("problems").asInt());
        assertEquals(0, o.get("exact").asInt(), o.toString());
    }

    @Test
    void aBrokenProblemsFileNamesItsLine() throws Exception {
        Path problems = tmp.resolve("bad.jsonl");
        Files.writeString(problems, "{\"question\": \"What is 1 + 1?\", \"answer\": 2}\n{\"question\": 3}\n");
        CliRun r = CliRun.of("eval", "--model", MODEL.toString(), "--problems", problems.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("bad.jsonl:2"), r.err());
        Files.writeString(problems, "not json\n");
        r = CliRun.of("eval", "--model", MODEL.toString(), "--problems", problems.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("bad.jsonl:1: not JSON"), r.err());
    }
}
