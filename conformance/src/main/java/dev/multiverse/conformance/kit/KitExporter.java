package dev.multiverse.conformance.kit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.engine.TokenizerVocabulary;
import dev.multiverse.reference.CpuBackend;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the conformance kit: {@code kit.json} (format version, every file with its size and
 * SHA-256), {@code README.md}, and the {@code tokenizer/}, {@code layout/}, {@code model/} and
 * {@code engine/} vectors. Every expected value is computed here by the project's tokenizer,
 * layout, reference model and engine; the tiny models' log-probs are checked against Hugging
 * Face's goldens before they are written.
 */
public final class KitExporter {
    /** Bumped whenever a file of the kit changes meaning or shape. */
    public static final int FORMAT_VERSION = 1;
    /** The log-prob tolerance the kit asks of an engine (float32 against our float32 reference). */
    public static final double LOGPROB_TOLERANCE = 1e-3;
    static final String TOKENIZER_NAME = "multiverse-qwen2.5";
    private static final List<String> ARITH_FILES =
            List.of("config.json", "generation_config.json", "tokenizer.json", "model.safetensors", "README.md");

    /**
     * What the export needs.
     *
     * @param out        the kit directory: absent or empty
     * @param tokenizer  the Multiverse tokenizer ({@code tokenizer.json}: Qwen2.5 with the twelve tags)
     * @param arithModel the project's small trained model ({@code models/multiverse-arith})
     * @param threads    CPU threads for the reference model
     */
    public record Options(Path out, Path tokenizer, Path arithModel, int threads) {}

    /** What was written: the number of vectors of each kind and the kit's size. */
    public record Summary(int tokenizerCases, int layoutCases, int modelCases, int engineCases, int files, long bytes) {}

    private KitExporter() {}

    public static Summary export(Options o) throws Exception {
        Path out = o.out();
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) throw new IOException(out + ": the kit directory must be empty or absent");
            }
        }
        if (!Files.isRegularFile(o.tokenizer())) throw new IOException(o.tokenizer() + ": no such tokenizer file");
        if (!Files.isRegularFile(o.arithModel().resolve("model.safetensors")))
            throw new IOException(o.arithModel() + ": not the multiverse-arith model directory (no model.safetensors)");
        Files.createDirectories(out);

        Tokenizer multiverse = Tokenizer.load(o.tokenizer());
        KitJson.write(out.resolve("tokenizer/" + TOKENIZER_NAME + ".json"),
                TokenizerVectors.build(multiverse, TOKENIZER_NAME, KitFiles.sha256(o.tokenizer())));
        int layoutCases = 0;
        for (var e : LayoutVectors.texts().entrySet()) {
            KitJson.write(out.resolve("layout/" + e.getKey() + ".json"), LayoutVectors.caseOf(e.getKey(), e.getValue(), multiverse));
            layoutCases++;
        }

        int modelCases = 0;
        for (String name : KitModels.NAMES) {
            Path dir = out.resolve("model/" + name);
            KitModels.copy(name, dir);
            ObjectNode cases = ModelVectors.build(name, dir, o.threads());
            KitJson.write(dir.resolve("cases.json"), cases);
            modelCases += cases.get("cases").size();
        }
        Path arith = out.resolve("model/" + EngineCases.ARITH);
        Files.createDirectories(arith);
        for (String file : ARITH_FILES)
            Files.copy(o.arithModel().resolve(file), arith.resolve(file), StandardCopyOption.REPLACE_EXISTING);

        int engineCases = writeEngineVectors(out, o.threads());
        try (InputStream readme = KitExporter.class.getResourceAsStream("README.md")) {
            Files.copy(readme, out.resolve("README.md"));
        }
        ObjectNode kit = manifest(out, new int[] {TokenizerVectors.texts().size(), layoutCases, modelCases, engineCases});
        KitJson.write(out.resolve("kit.json"), kit);
        return new Summary(TokenizerVectors.texts().size(), layoutCases, modelCases, engineCases,
                kit.get("files").size() + 1, KitFiles.totalBytes(out));
    }

    private static int writeEngineVectors(Path out, int threads) throws Exception {
        Map<String, EngineVectors.Model> open = new HashMap<>();
        try {
            for (EngineCase c : EngineCases.all()) {
                EngineVectors.Model model = open.computeIfAbsent(c.model(), name -> openModel(name, out.resolve("model/" + name), threads));
                KitJson.write(out.resolve("engine/" + c.name() + ".json"), EngineVectors.run(c, model));
            }
        } finally {
            for (EngineVectors.Model m : open.values()) m.backend().close();
        }
        return EngineCases.all().size();
    }

    private static EngineVectors.Model openModel(String name, Path dir, int threads) {
        try {
            Tokenizer tokenizer = Tokenizer.load(dir.resolve("tokenizer.json"));
            ModelConfig config = ModelConfig.load(dir.resolve("config.json"));
            WeightStore store = WeightStore.open(dir);
            var backend = new CpuBackend(new Qwen2(Qwen2Weights.from(store, config), threads), 1 << 14, store);
            return new EngineVectors.Model(name, tokenizer, new TokenizerVocabulary(tokenizer, config.eosTokenIds()), backend);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open kit model " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode manifest(Path out, int[] counts) throws IOException {
        ObjectNode kit = KitJson.object();
        kit.put("format", "multiverse-conformance-kit");
        kit.put("format_version", FORMAT_VERSION);
        kit.put("generator", "multiverse conformance export (dev.multiverse.conformance.kit.KitExporter)");
        kit.put("spec", "docs/multiverse-spec.md sections 2 to 5; docs/porting.md");
        kit.put("logprob_tolerance", LOGPROB_TOLERANCE);
        kit.put("hf_tolerance", ModelVectors.HF_TOLERANCE);
        ObjectNode n = kit.putObject("counts");
        n.put("tokenizer", counts[0]).put("layout", counts[1]).put("model", counts[2]).put("engine", counts[3]);
        ArrayNode models = kit.putArray("models");
        for (String name : KitModels.NAMES) models.add(name);
        models.add(EngineCases.ARITH);
        kit.set("files", KitFiles.listing(out));
        return kit;
    }
}
