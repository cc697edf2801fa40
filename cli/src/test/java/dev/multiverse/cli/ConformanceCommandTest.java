package dev.multiverse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.TokenizerVocabulary;
import dev.multiverse.reference.CpuBackend;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.reference.Qwen2Weights;
import dev.multiverse.server.OpenAiServer;
import dev.multiverse.server.ServerConfig;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code multiverse conformance export} and {@code check} through the command line, the check end
 * to end against this project's own server (started in-process on an ephemeral loopback port with
 * a model from the exported kit) and against a proxy that alters one token of its answers.
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

    /** Our server over the kit's copy of {@code model}, served as {@code servedName}; close it, then the backend. */
    record Served(OpenAiServer server, CpuBackend backend) implements AutoCloseable {
        static Served start(String model, String servedName) throws Exception {
            Path dir = kit.resolve("model/" + model);
            ModelConfig config = ModelConfig.load(dir.resolve("config.json"));
            Tokenizer tokenizer = Tokenizer.load(dir.resolve("tokenizer.json"));
            WeightStore store = WeightStore.open(dir);
            var backend = new CpuBackend(new Qwen2(Qwen2Weights.from(store, config), 2), 1 << 14, store);
            var vocabulary = new TokenizerVocabulary(tokenizer, config.eosTokenIds());
            var server = OpenAiServer.start(backend, vocabulary, EngineConfig.defaults(), ServerConfig.defaults(servedName, 0));
            return new Served(server, backend);
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.port());
        }

        @Override
        public void close() {
            server.close();
            backend.close();
        }
    }

    @Test
    void ourServerPassesEveryGreedyVectorOfTheArithModel() throws Exception {
        try (Served served = Served.start("multiverse-arith", "multiverse-arith")) {
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
        try (Served served = Served.start("tied-h4kv2-f32", "tiny")) {
            CliRun run = CliRun.of("conformance", "check", "--endpoint", served.endpoint() + "/v1",
                    "--model", "tiny", "--kit-model", "tied-h4kv2-f32", "--kit", kit.toString());
            assertEquals(0, run.exit(), run.out() + run.err());
            assertTrue(run.out().contains("1 of 1 passed"), run.out());
        }
    }

    @Test
    void aServerThatAltersOneTokenFailsWithTheFirstDifference() throws Exception {
        try (Served served = Served.start("tied-h4kv2-f32", "tiny");
             var proxy = new AlteringProxy(served.endpoint(), 9)) {
            CliRun run = CliRun.of("conformance", "check", "--endpoint", proxy.endpoint().toString(),
                    "--model", "tiny", "--kit-model", "tied-h4kv2-f32", "--kit", kit.toString());
            assertEquals(1, run.exit(), run.out() + run.err());
            assertTrue(run.out().contains("0 of 1 passed") && run.out().contains("FAIL"), run.out());
            assertTrue(run.out().contains("greedy_tiny_random: generated token 9: expected id "), run.out());
        }
    }
}
