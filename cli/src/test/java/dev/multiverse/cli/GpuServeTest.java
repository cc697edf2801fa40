package dev.multiverse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multiverse.cuda.CudaDevice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code multiverse serve --device cuda --random-weights 42} on the GPU, through the same code
 * path as the command line, with a small model of a real-vocabulary shape (vocab_size 152064
 * padded beyond the Multiverse Qwen2.5 tokenizer's 151677 ids, as the 32B's): real
 * /v1/completions requests over loopback, greedy and sampled, several at once, must all be
 * answered 200 with well-formed completions. (The 32B shape answered 500 to every request: the
 * kernels' launch arguments lived in an arena confined to the thread that opened the backend,
 * and the server steps it on its engine thread.) Skipped without a GPU; with
 * {@code MULTIVERSE_REQUIRE_GPU=1} a missing GPU fails.
 */
class GpuServeTest {
    @TempDir
    Path dir;

    static final String CONFIG = """
            {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_act": "silu",
             "hidden_size": 256, "intermediate_size": 512, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "max_position_embeddings": 4096, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
             "tie_word_embeddings": false, "torch_dtype": "bfloat16", "eos_token_id": 151645, "vocab_size": 152064}
            """;

    @Test
    void servesCompletionsFromRandomWeightsOnTheGpu() throws Exception {
        boolean present = CudaDevice.available();
        if ("1".equals(System.getenv("MULTIVERSE_REQUIRE_GPU")) && !present)
            throw new IllegalStateException("MULTIVERSE_REQUIRE_GPU=1 but no CUDA device could be opened");
        Assumptions.assumeTrue(present, "no CUDA driver or GPU on this machine");
        Files.writeString(dir.resolve("config.json"), CONFIG);
        Files.copy(fixtureTokenizer(), dir.resolve("tokenizer.json")); // gzip: the loader reads it by its magic bytes
        try (var serve = new ServeInThread("--model", dir.toString(), "--device", "cuda", "--random-weights", "42",
                "--kv-slots", "4096", "--max-tokens", "16")) {
            var client = HttpClient.newHttpClient();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String sampling = i % 2 == 0 ? "\"temperature\": 0" : "\"temperature\": 0.7, \"top_p\": 0.8, \"seed\": " + i;
                bodies.add("{\"prompt\": \"Question " + i + ": what is 2 + " + i + "?\", \"max_tokens\": 12, " + sampling
                        + (i == 3 ? ", \"logprobs\": 3" : "") + "}");
            }
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (String body : bodies)
                replies.add(client.sendAsync(HttpRequest.newBuilder(URI.create(serve.endpoint() + "/v1/completions"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            var json = new ObjectMapper();
            for (int i = 0; i < replies.size(); i++) {
                HttpResponse<String> reply = replies.get(i).get();
                assertEquals(200, reply.statusCode(), "request " + i + " (" + bodies.get(i) + "): " + reply.body());
                JsonNode answer = json.readTree(reply.body());
                JsonNode choice = answer.path("choices").path(0);
                assertTrue(choice.path("text").isTextual(), "request " + i + ": no text in " + reply.body());
                assertTrue(choice.path("finish_reason").isTextual(), "request " + i + ": no finish_reason in " + reply.body());
                assertTrue(answer.path("usage").path("completion_tokens").asInt() >= 1, "request " + i + ": " + reply.body());
            }
        }
    }

    /** The Multiverse Qwen2.5 tokenizer the project ships as a test fixture (the GPU machine has no ../shared). */
    static Path fixtureTokenizer() {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) root = root.getParent();
        if (root == null) throw new AssertionError("cannot find the repository root from " + Path.of("").toAbsolutePath());
        return root.resolve("tokenizer/src/test/resources/multiverse-qwen2.5/tokenizer.json.gz");
    }
}
