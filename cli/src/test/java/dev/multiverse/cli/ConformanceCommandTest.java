package dev.multiverse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code multiverse conformance export} and {@code check} through the command line, the check end
 * to end against this project's own {@code multiverse serve} (in-process, on an ephemeral loopback
 * port, serving a model of the exported kit) and against a proxy that alters one token of its answers.
 */
class ConformanceCommandTest {
    static final Path ARITH = Path.of("../models/multiverse-arith");
    @TempDir static Path temp;
    static Path kit;

    @BeforeAll
    static void export() {
        kit = temp.resolve("kit");
        CliRun run = CliRun.of("conformance", "export", "--out", kit.toString(), "--tokenizer", SharedTokenizer.path().toString(),
                "--arith-model", ARITH.toString(), "--threads", "2");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("wrote the conformance kit (format 1)") && run.out().contains("17 engine vectors"), run.out());
    }

    @Test
    void exportWroteTheKitItsManifestListsAndARefusalForANonEmptyDirectory() throws Exception {
        assertTrue(Files.readString(kit.resolve("kit.json")).contains("\"format_version\" : 1"));
        assertTrue(Files.isRegularFile(kit.resolve("model/multiverse-arith/model.safetensors")));
        assertTrue(Files.isRegularFile(kit.resolve("engine/greedy_arith_nested.json")));
        CliRun again = CliRun.of("conformance", "export", "--out", kit.toString(), "--tokenizer", SharedTokenizer.path().toString(),
                "--arith-model", ARITH.toString());
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("must be empty or absent"), again.err());
        CliRun noTokenizer = CliRun.of("conformance", "export", "--out", temp.resolve("k2").toString(), "--tokenizer",
                temp.resolve("absent.json").toString(), "--arith-model", ARITH.toString());
        assertEquals(2, noTokenizer.exit());
        assertTrue(noTokenizer.err().contains("absent.json: no such tokenizer file"), noTokenizer.err());
        CliRun noModel = CliRun.of("conformance", "export", "--out", temp.resolve("k3").toString(), "--tokenizer",
                SharedTokenizer.path().toString(), "--arith-model", temp.toString());
        assertEquals(2, noModel.exit());
        assertTrue(noModel.err().contains("not the multiverse-arith model directory"), noModel.err());
    }

    @Test
    void checkNeedsAKitAndAModelItHasVectorsFor() {
        CliRun noKit = CliRun.of("conformance", "check", "--endpoint", "http://127.0.0.1:1", "--model", "m",
                "--kit", temp.resolve("absent").toString());
        assertEquals(2, noKit.exit());
        assertTrue(noKit.err().contains("not a conformance kit"), noKit.err());
        CliRun unknown = CliRun.of("conformance", "check", "--endpoint", "http://127.0.0.1:1", "--model", "m",
                "--kit", kit.toString());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("no greedy engine vector for model m"), unknown.err());
        CliRun badUrl = CliRun.of("conformance", "check", "--endpoint", "ftp://x", "--model", "multiverse-arith",
                "--kit", kit.toString());
        assertEquals(2, badUrl.exit());
        assertTrue(badUrl.err().contains("http:// or https://"), badUrl.err());
    }

    @Test
    void aServerThatDoesNotAnswerFailsEveryCaseWithExitOne() {
        CliRun run = CliRun.of("conformance", "check", "--endpoint", "http://127.0.0.1:1", "--model", "multiverse-arith",
                "--kit", kit.toString(), "--timeout", "5");
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.out().contains("0 of 3 passed"), run.out());
        assertTrue(run.out().contains("greedy_arith_nested: POST http://127.0.0.1:1/v1/completions failed"), run.out());
    }

    /** {@code multiverse serve} over the kit's copy of {@code model}, as {@code servedName}. */
    static ServeInThread serve(String model, String servedName) throws InterruptedException {
        return new ServeInThread("--model", kit.resolve("model/" + model).toString(), "--served-model-name", servedName,
                "--threads", "2", "--kv-slots", "16384");
    }

    @Test
    void ourServerPassesEveryGreedyVectorOfTheArithModel() throws Exception {
        try (ServeInThread served = serve("multiverse-arith", "multiverse-arith")) {
            CliRun run = CliRun.of("conformance", "check", "--endpoint", served.endpoint().toString(),
                    "--model", "multiverse-arith", "--kit", kit.toString());
            System.out.print(run.out());
            assertEquals(0, run.exit(), run.out() + run.err());
            assertTrue(run.out().contains("3 of 3 passed"), run.out());
            assertTrue(run.out().contains("greedy_arith_nested") && !run.out().contains("FAIL"), run.out());
        }
    }

    @Test
    void ourServerPassesTheTinyModelsVectorUnderAnotherName() throws Exception {
        try (ServeInThread served = serve("tied-h4kv2-f32", "tiny")) {
            CliRun run = CliRun.of("conformance", "check", "--endpoint", served.endpoint() + "/v1",
                    "--model", "tiny", "--kit-model", "tied-h4kv2-f32", "--kit", kit.toString());
            assertEquals(0, run.exit(), run.out() + run.err());
            assertTrue(run.out().contains("1 of 1 passed"), run.out());
        }
    }

    @Test
    void aServerThatAltersOneTokenFailsWithTheFirstDifference() throws Exception {
        try (ServeInThread served = serve("tied-h4kv2-f32", "tiny");
             var proxy = new AlteringProxy(served.endpoint(), 9)) {
            CliRun run = CliRun.of("conformance", "check", "--endpoint", proxy.endpoint().toString(),
                    "--model", "tiny", "--kit-model", "tied-h4kv2-f32", "--kit", kit.toString());
            assertEquals(1, run.exit(), run.out() + run.err());
            assertTrue(run.out().contains("0 of 1 passed") && run.out().contains("FAIL"), run.out());
            assertTrue(run.out().contains("greedy_tiny_random: generated token 9: expected id "), run.out());
        }
    }
}
