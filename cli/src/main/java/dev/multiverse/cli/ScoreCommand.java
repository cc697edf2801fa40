package dev.multiverse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.contract.Backend;
import dev.multiverse.contract.BackendKind;
import dev.multiverse.contract.LogProbs;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.contract.SinglePass;
import dev.multiverse.layout.Layout;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.tokenizer.TokenizerFormatException;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.ModelConfigException;
import dev.multiverse.weights.WeightStore;
import dev.multiverse.weights.WeightsFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code multiverse score}: one forward pass of the model over a text under its Multiverse layout
 * (positions and visibility), printing what the model makes of every token: on the CPU
 * reference, or with {@code --device cuda} on the GPU backend.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Scores a text with the model in one forward pass under the Multiverse layout and prints one JSON",
            "object: tokens (ids), positions, logprobs (log p(token | what it sees); null for the first token)",
            "and argmax (the most likely token after each token)."
        })
public final class ScoreCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "model directory: config.json, model.safetensors (or shards), tokenizer.json")
    Path modelDir;

    @Option(names = "--text-file", required = true, paramLabel = "FILE", description = "the text to score, UTF-8")
    Path textFile;

    @Option(names = "--device", paramLabel = "cpu|cuda", defaultValue = "cpu",
            description = "cpu: the reference's single pass (default); cuda: the GPU backend, one token per step")
    BackendKind device;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws IOException {
        if (threads < 1) throw new BadInputException("--threads must be at least 1, got " + threads);
        String text = Files.readString(textFile);
        Tokenizer tokenizer = loadTokenizer(modelDir.resolve("tokenizer.json"));
        int[] tokens = tokenizer.encode(text);
        Layout layout = Layout.of(tokens, tokenizer.tags());
        ModelConfig config = loadConfig(modelDir.resolve("config.json"));
        LogProbs.TokenScores scores;
        if (device == BackendKind.CPU) {
            try (WeightStore store = WeightStore.open(modelDir); Qwen2 model = new Qwen2(Qwen2Weights.from(store, config), threads)) {
                scores = LogProbs.score(model::forward, tokens, layout.positions(), layout::sees);
            } catch (WeightsFormatException e) {
                throw new BadInputException(e.getMessage(), e);
            }
        } else {
            scores = scoreOn(device, config, tokens, layout);
        }
        var out = spec.commandLine().getOut();
        out.println(JSON.writeValueAsString(toJson(tokens, layout.positions(), scores)));
        out.flush();
        return MultiverseCli.EXIT_OK;
    }

    /** The same scores through another backend's {@link SinglePass} (every token its own step, its visible slots as context). */
    private LogProbs.TokenScores scoreOn(BackendKind kind, ModelConfig config, int[] tokens, Layout layout) {
        try (Backend backend = ModelOptions.factoryFor(kind).open(config, WeightStore.open(modelDir), Math.max(1, tokens.length), threads)) {
            return LogProbs.score(SinglePass.over(backend), tokens, layout.positions(), layout::sees);
        } catch (RuntimeException | IOException | WeightsFormatException e) {
            throw new BadInputException(modelDir + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode toJson(int[] tokens, int[] positions, LogProbs.TokenScores scores) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode ids = root.putArray("tokens");
        for (int t : tokens) ids.add(t);
        ArrayNode pos = root.putArray("positions");
        for (int p : positions) pos.add(p);
        ArrayNode logprobs = root.putArray("logprobs");
        for (double lp : scores.logProbs()) {
            if (Double.isNaN(lp)) logprobs.addNull();
            else logprobs.add(lp);
        }
        ArrayNode argmax = root.putArray("argmax");
        for (int a : scores.argmax()) argmax.add(a);
        return root;
    }

    private static Tokenizer loadTokenizer(Path file) throws IOException {
        try {
            return Tokenizer.load(file);
        } catch (TokenizerFormatException e) {
            throw new BadInputException(e.getMessage(), e); // the message names the file
        }
    }

    private static ModelConfig loadConfig(Path file) {
        try {
            return ModelConfig.load(file);
        } catch (ModelConfigException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }
}
