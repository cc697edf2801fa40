package dev.multiverse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code multiverse conformance export} and {@code check} through the command line. */
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
}
