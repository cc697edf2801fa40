package dev.multiverse.bench;

import dev.multiverse.engine.Engine;
import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.Replay;
import dev.multiverse.engine.TokenizerVocabulary;
import dev.multiverse.reference.CpuBackend;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.ModelConfig;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Replays real Multiverse-32B traces through the engine on a random-weight Qwen2 with the
 * Multiverse vocabulary (151680 rows, so each decode step is dominated by reading the BF16
 * lm_head: memory-bound), once in parallel mode (forks and joins at the tags, every live path one
 * token per step in one batched forward) and once sequentially (the same tokens one at a time in
 * one sequence, as an ordinary engine), in the same run, alternating one step of each mode so both
 * meet the same load on a shared machine; each mode's time is the sum of its own steps. Prints, per
 * trace, the step ratio
 * (sequential steps / parallel steps) and the wall-time speedup (sequential wall / parallel wall),
 * and the speedup as a fraction of the step ratio (the target is at least 0.8).
 *
 * <p>With {@code device=cuda} the model is the Multiverse-32B shape on the GPU (random bf16 weights
 * made on the device, {@code layers} of them, 64 by default); the GPU is not shared, so each mode
 * runs alone, parallel first, on the same backend.
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * dev.multiverse.bench.ReplayBenchmark ../shared/multiverse-traces [names=5,19,4|all]
 * [tokenizer=../shared/tokenizers/multiverse-qwen2.5/tokenizer.json] [hidden=512] [layers=4] [threads=<cores>]
 * [device=cpu|cuda]}
 */
public final class ReplayBenchmark {
    private ReplayBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].contains("="))
            throw new IllegalArgumentException("usage: ReplayBenchmark TRACES_DIR [names=5,19,4|all] [tokenizer=FILE] "
                    + "[hidden=512] [layers=4] [threads=N]");
        Path traces = Path.of(args[0]);
        if (!Files.isDirectory(traces)) throw new IllegalArgumentException("no traces directory at " + traces.toAbsolutePath());
        Path tokenizerFile = Path.of(arg(args, "tokenizer", "../shared/tokenizers/multiverse-qwen2.5/tokenizer.json"));
        int hidden = Integer.parseInt(arg(args, "hidden", "512"));
        int layers = Integer.parseInt(arg(args, "layers", "4"));
        int threads = Integer.parseInt(arg(args, "threads", "" + Runtime.getRuntime().availableProcessors()));
        List<Path> files = traceFiles(traces, arg(args, "names", "5,19,4"));

        Tokenizer tokenizer = Tokenizer.load(tokenizerFile);
        var config = new ModelConfig(hidden, 3 * hidden, layers, hidden / 64, 2, 64, 151_680, 1e-6f, 1_000_000.0, 32_768,
                true, DType.BF16, OptionalInt.empty(), new int[] {151_645});
        var vocabulary = new TokenizerVocabulary(tokenizer, config.eosTokenIds());
        List<int[]> texts = new ArrayList<>();
        int longest = 0;
        for (Path f : files) {
            texts.add(tokenizer.encode(Files.readString(f)));
            longest = Math.max(longest, texts.getLast().length);
        }
        if (arg(args, "device", "cpu").equals("cuda")) {
            replayOnGpu(files, texts, vocabulary, Integer.parseInt(arg(args, "layers", "64")), longest);
            return;
        }
        try (Arena arena = Arena.ofShared()) {
            var weights = RandomModels.build(config, arena);
            System.out.printf("model: random BF16 Qwen2, hidden %d, %d layers, vocab %d, %.1f MB read per step; %d threads%n",
                    hidden, layers, config.vocabSize(), RandomModels.bytesPerStep(weights) / 1e6, threads);
            var model = new Qwen2(weights, threads);
            // One KV cache per mode: both replays share the model and alternate step by step.
            var parallelBackend = new CpuBackend(model, longest, null);
            var sequentialBackend = new CpuBackend(model, longest, null);
            int[] warm = Arrays.copyOf(texts.getFirst(), cutAtLine(texts.getFirst(), tokenizer, 400));
            race(parallelBackend, sequentialBackend, vocabulary, warm);
            System.out.println(HEADER + " cpu");
            double sumFraction = 0;
            for (int i = 0; i < files.size(); i++) {
                long cpu0 = ProcessCpu.nanos(), wall0 = System.nanoTime();
                Race r = race(parallelBackend, sequentialBackend, vocabulary, texts.get(i));
                double share = (ProcessCpu.nanos() - cpu0) / ((System.nanoTime() - wall0) * (double) threads);
                sumFraction += printRow(files.get(i), texts.get(i).length, r, String.format(" %5.0f%%", 100 * share));
            }
            System.out.printf("mean speedup / step ratio over %d traces: %.3f (target >= 0.8)%n", files.size(),
                    sumFraction / files.size());
            model.close();
        }
    }

    /** Each mode alone on the Multiverse-32B shape on the GPU: parallel, then sequential, per trace. */
    private static void replayOnGpu(List<Path> files, List<int[]> texts, TokenizerVocabulary vocabulary, int layers, int longest) {
        ModelConfig config = CudaDecodeBenchmark.multiverse32b(layers);
        try (var gpu = dev.multiverse.cuda.CudaBackend.random(config, 42, 0, longest + 64)) {
            var gpuTimed = new TimedBackend(gpu);
            System.out.printf("model: Multiverse-32B shape, %d layers, random bf16 on %s, %.1f GB read per step%n", layers,
                    gpu.device(), gpu.weightBytesPerStep() / 1e9);
            replayAlone(gpuTimed, vocabulary, Arrays.copyOf(texts.getFirst(), 64), EngineConfig.defaults()); // loads every kernel
            System.out.println(HEADER);
            double sumFraction = 0;
            for (int i = 0; i < files.size(); i++) {
                long t0 = System.nanoTime();
                GenerationResult p = replayAlone(gpuTimed, vocabulary, texts.get(i), EngineConfig.defaults());
                long t1 = System.nanoTime();
                System.out.printf("  %s parallel: %d steps, %.0f ms, of which %.0f ms in the backend's steps%n", files.get(i).getFileName(),
                        p.stats().steps(), (t1 - t0) / 1e6, gpuTimed.takeMillis());
                GenerationResult s = replayAlone(gpuTimed, vocabulary, texts.get(i), EngineConfig.defaults().withMaxForkDepth(0));
                long t2 = System.nanoTime();
                System.out.printf("  %s sequential: %d steps, %.0f ms, of which %.0f ms in the backend's steps%n", files.get(i).getFileName(),
                        s.stats().steps(), (t2 - t1) / 1e6, gpuTimed.takeMillis());
                sumFraction += printRow(files.get(i), texts.get(i).length, new Race(p, (t1 - t0) / 1e6, s, (t2 - t1) / 1e6), "");
            }
            System.out.printf("mean speedup / step ratio over %d traces: %.3f (target >= 0.9)%n", files.size(),
                    sumFraction / files.size());
        }
    }

    private static GenerationResult replayAlone(dev.multiverse.contract.Backend backend, TokenizerVocabulary vocabulary, int[] tokens,
                                                EngineConfig config) {
        return complete(new Engine(backend, vocabulary, config).generate(Replay.request(tokens, vocabulary)), tokens);
    }

    /** {@code r}, after checking that the replay reached the end of {@code tokens}. */
    private static GenerationResult complete(GenerationResult r, int[] tokens) {
        if (r.tokens().length < tokens.length - 1) throw new IllegalStateException("the replay stopped early: " + r.finishReason().label());
        return r;
    }

    private static final String HEADER = String.format("%-8s %7s %6s %8s %8s %7s %9s %9s %8s %9s", "trace", "tokens", "paths",
            "steps", "seqsteps", "ratio", "wall_ms", "seq_ms", "speedup", "fraction");

    /** One line of the table (with {@code extra} at its end); returns the speedup as a fraction of the step ratio. */
    private static double printRow(Path trace, int tokens, Race r, String extra) {
        double stepRatio = (double) r.sequential().stats().steps() / r.parallel().stats().steps();
        double speedup = r.sequentialMs() / r.parallelMs();
        System.out.printf("%-8s %7d %6d %8d %8d %7.3f %9.0f %9.0f %8.3f %9.3f%s%n", trace.getFileName(), tokens,
                r.parallel().stats().paths(), r.parallel().stats().steps(), r.sequential().stats().steps(), stepRatio,
                r.parallelMs(), r.sequentialMs(), speedup, speedup / stepRatio, extra);
        return speedup / stepRatio;
    }

    /** Both replays of one text and the time each spent in its own steps. */
    private record Race(GenerationResult parallel, double parallelMs, GenerationResult sequential, double sequentialMs) {}

    /**
     * Replays {@code tokens} in parallel mode and in sequential mode (fork depth 0) at the same
     * time, alternating one step of each, and times each mode's steps only. On a shared machine
     * the two modes then meet the same load, so their ratio means something.
     */
    private static Race race(CpuBackend parallelBackend, CpuBackend sequentialBackend, TokenizerVocabulary vocabulary,
                             int[] tokens) {
        var parallel = new Engine(parallelBackend, vocabulary, EngineConfig.defaults());
        var sequential = new Engine(sequentialBackend, vocabulary, EngineConfig.defaults().withMaxForkDepth(0));
        var p = parallel.submit(Replay.request(tokens, vocabulary));
        var s = sequential.submit(Replay.request(tokens, vocabulary));
        long parallelNanos = 0, sequentialNanos = 0;
        while (parallel.hasWork() || sequential.hasWork()) {
            if (parallel.hasWork()) {
                long t = System.nanoTime();
                parallel.step();
                parallelNanos += System.nanoTime() - t;
            }
            if (sequential.hasWork()) {
                long t = System.nanoTime();
                sequential.step();
                sequentialNanos += System.nanoTime() - t;
            }
        }
        return new Race(complete(p.result().join(), tokens), parallelNanos / 1e6, complete(s.result().join(), tokens),
                sequentialNanos / 1e6);
    }

    /** A warm-up prefix: up to {@code most} tokens, stopping before the first block. */
    private static int cutAtLine(int[] tokens, Tokenizer tokenizer, int most) {
        int parallel = tokenizer.idOf("<Parallel>").orElseThrow();
        for (int i = 0; i < Math.min(most, tokens.length); i++) if (tokens[i] == parallel) return Math.max(2, i);
        return Math.min(most, tokens.length);
    }

    private static List<Path> traceFiles(Path dir, String names) throws java.io.IOException {
        if (names.equals("all")) {
            try (var list = Files.list(dir)) {
                return list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
            }
        }
        List<Path> out = new ArrayList<>();
        for (String n : names.split(",")) {
            Path p = dir.resolve(n.endsWith(".txt") ? n : n + ".txt");
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("no trace " + p);
            out.add(p);
        }
        return out;
    }

    static String arg(String[] args, String name, String fallback) {
        for (String a : args) if (a.startsWith(name + "=")) return a.substring(name.length() + 1);
        return fallback;
    }
}
