package dev.multiverse.cli;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.BackendFactory;
import dev.multiverse.contract.BackendKind;
import dev.multiverse.engine.TokenizerVocabulary;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The model a command runs: a Hugging Face directory opened on the backend of {@code --device}
 * (found through {@link BackendFactory}: the CPU one ships with the project; a CUDA module
 * registers its own).
 */
final class ModelOptions {

    /** Set by the ./multiverse launcher: the model shipped with the project. */
    static final String DEFAULT_MODEL_PROPERTY = "multiverse.defaultModel";

    @Option(names = "--model", paramLabel = "DIR", defaultValue = "${sys:" + DEFAULT_MODEL_PROPERTY + "}",
            description = "model directory: config.json, model.safetensors (or shards), tokenizer.json"
                    + " (default: the small model shipped with the project, models/multiverse-arith)")
    Path dir;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json (default: DIR/tokenizer.json)")
    Path tokenizerFile;

    @Option(names = "--device", paramLabel = "cpu|cuda", defaultValue = "cpu",
            description = "where the forward pass runs (default: ${DEFAULT-VALUE}); cuda needs the CUDA backend module")
    BackendKind device;

    @Option(names = "--random-weights", paramLabel = "SEED",
            description = "random weights from SEED instead of the model's files (the shape from DIR/config.json; cuda only):"
                    + " for benchmarks at full size")
    Long randomSeed;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU threads for the forward pass (default: all cores)")
    int threads;

    /** The tokenizer, the engine's view of it, and the backend; close it to unmap the weights. */
    record Loaded(Tokenizer tokenizer, TokenizerVocabulary vocabulary, Backend backend) implements AutoCloseable {
        @Override
        public void close() {
            backend.close();
        }
    }

    /** The model directory; bad usage (exit 2) when none was given. */
    Path directory() {
        requireModel();
        return dir;
    }

    Tokenizer tokenizer() {
        requireModel();
        Path file = tokenizerFile != null ? tokenizerFile : dir.resolve("tokenizer.json");
        try {
            return Tokenizer.load(file);
        } catch (Exception e) {
            throw new BadInputException(file + ": " + e.getMessage(), e);
        }
    }

    /** Opens the model with room for {@code slots} KV slots. */
    Loaded open(Tokenizer tokenizer, int slots) {
        requireModel();
        if (!Files.isDirectory(dir)) throw new BadInputException(dir + ": not a model directory");
        if (threads < 0) throw new BadInputException("--threads must be >= 0, got " + threads);
        BackendFactory factory = factoryFor(device);
        if (randomSeed != null && device != BackendKind.CUDA)
            throw new BadInputException("--random-weights needs --device cuda (random weights are made on the GPU)");
        try {
            ModelConfig config = ModelConfig.load(dir.resolve("config.json"));
            Backend backend = randomSeed != null ? factory.openRandom(config, randomSeed, slots, threads)
                    : factory.open(config, WeightStore.open(dir), slots, threads);
            return new Loaded(tokenizer, new TokenizerVocabulary(tokenizer, config.eosTokenIds()), backend);
        } catch (Exception e) {
            throw new BadInputException(dir + ": " + e.getMessage(), e);
        }
    }

    /** The backend factory of {@code device} on the class path; bad usage (exit 2) when there is none. */
    static BackendFactory factoryFor(BackendKind device) {
        return BackendFactory.find(device).orElseThrow(() -> new BadInputException("--device "
                + device.label() + ": no " + device.label() + " backend on the class path (a module that registers a "
                + BackendFactory.class.getName() + " for " + device + "; for CUDA, multiverse-cuda); use --device cpu"));
    }

    private void requireModel() {
        if (dir == null)
            throw new BadInputException("no model: pass --model DIR (./multiverse defaults it to models/multiverse-arith)");
    }
}
