package dev.multiverse.bench;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Readout;
import dev.multiverse.cuda.CudaBackend;
import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.Engine;
import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.EngineVocabulary;
import dev.multiverse.engine.Request;
import dev.multiverse.engine.RequestHandle;
import dev.multiverse.engine.SamplingParams;
import dev.multiverse.engine.TokenizerVocabulary;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decoding through the engine's own path on the GPU: {@code batch} requests, each with its own
 * random prompt, sampled with the Qwen2.5 defaults (temperature 0.7, top-p 0.8, top-k 20,
 * repetition penalty 1.05) chosen on the device, at the Multiverse-32B shape with random weights.
 * For each batch it prints the wall time of an engine step (the engine's host work, the batch's
 * runs and readouts, the backend step), the time inside the backend's step, and, measured in the
 * same run, the backend's own step of the same shape with no token choice (one explicit run per
 * sequence, {@link Readout#nothing()}); and the limit, weight bytes ÷ the device's copy bandwidth.
 *
 * <p>Usage: {@code CudaEngineBenchmark [layers=64] [batches=1,16] [context=128] [steps=30]
 * [tokenizer=FILE]}.
 */
public final class CudaEngineBenchmark {
    private CudaEngineBenchmark() {}

    public static void main(String[] args) throws Exception {
        int layers = Integer.parseInt(CudaDecodeBenchmark.arg(args, "layers", "64"));
        int[] batches = Arrays.stream(CudaDecodeBenchmark.arg(args, "batches", "1,16").split(",")).mapToInt(Integer::parseInt).toArray();
        int context = Integer.parseInt(CudaDecodeBenchmark.arg(args, "context", "128"));
        int steps = Integer.parseInt(CudaDecodeBenchmark.arg(args, "steps", "30"));
        Path tokenizerFile = Path.of(CudaDecodeBenchmark.arg(args, "tokenizer", "tokenizer/src/test/resources/multiverse-qwen2.5/tokenizer.json.gz"));
        int warmup = 4, largest = Arrays.stream(batches).max().orElse(1);
        ModelConfig config = CudaDecodeBenchmark.multiverse32b(layers);
        var vocabulary = new TokenizerVocabulary(Tokenizer.load(tokenizerFile), config.eosTokenIds());
        int slots = 2 * (context + warmup + steps + 8) * largest + context;
        try (CudaBackend gpu = CudaBackend.random(config, 42, 0, slots)) {
            double copy = CudaDecodeBenchmark.copyBandwidth(gpu.device(), 2L << 30, 10);
            double limitMs = gpu.weightBytesPerStep() / copy * 1e3;
            System.out.printf("device: %s; Multiverse-32B shape, %d layers, random bf16; copy bandwidth %.0f GB/s; "
                    + "weight bytes / bandwidth = %.2f ms (the KV of a %d-token context adds %.3f ms)%n", gpu.device(), layers,
                    copy / 1e9, limitMs, context, 2.0 * layers * config.numKvHeads() * config.headDim() * context / copy * 1e3);
            System.out.printf("%6s %14s %16s %18s %14s %12s%n", "batch", "engine ms/step", "in backend step", "backend own step",
                    "engine / own", "own / limit");
            var timed = new TimedBackend(gpu);
            for (int batch : batches) {
                double own = ownStep(gpu, batch, context, warmup, steps);
                double[] engine = engineStep(timed, vocabulary, batch, context, warmup, steps);
                System.out.printf("%6d %14.2f %16.2f %18.2f %14.3f %12.3f%n", batch, engine[0], engine[1], own, engine[0] / own,
                        own / limitMs);
            }
            int[] graphs = gpu.graphCounts();
            System.out.printf("graph replays %d, captures %d%n", graphs[0], graphs[1]);
        }
    }

    /** [mean engine-step wall ms, mean ms inside the backend's step] over {@code steps} steps of exactly {@code batch} sequences. */
    static double[] engineStep(TimedBackend backend, EngineVocabulary vocabulary, int batch, int context, int warmup, int steps) {
        var engine = new Engine(backend, vocabulary, EngineConfig.defaults());
        var qwen = new SamplingParams(0.7, 20, 0.8, 0, 1.05, List.of(), 7);
        List<RequestHandle> handles = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int[] prompt = new int[context];
            for (int i = 0; i < context; i++) prompt[i] = (int) ((i * 7919L + b * 104_729L) % 151_000);
            handles.add(engine.submit(Request.sampled(prompt, qwen, Budgets.defaults().withMaxTokens(warmup + steps + 8)
                    .withMaxTotalTokens(warmup + steps + 8))));
        }
        int decoded = 0;
        long wall = 0, inside = 0;
        while (decoded < warmup + steps) {
            if (!engine.hasWork()) throw new IllegalStateException("the requests ended after " + decoded + " decode steps");
            backend.takeNanos();
            long t0 = System.nanoTime();
            engine.step();
            long t = System.nanoTime() - t0;
            long in = backend.takeNanos();
            if (backend.lastBatchSize() != batch) continue; // admission and prefill
            if (decoded++ < warmup) continue;
            wall += t;
            inside += in;
        }
        for (RequestHandle h : handles) h.cancel();
        engine.runUntilIdle();
        return new double[] {wall / 1e6 / steps, inside / 1e6 / steps};
    }

    /** Mean ms of the backend's own decode step: explicit one-step runs, no readout. */
    static double ownStep(Backend gpu, int batch, int context, int warmup, int steps) {
        int[] prompt = new int[context];
        for (int i = 0; i < context; i++) prompt[i] = i;
        var prefill = Batch.builder();
        prefill.sequence(new int[0], Arrays.stream(prompt).map(i -> (i * 7919) % 151_000).toArray(), prompt.clone(), prompt.clone(),
                Readout.nothing());
        gpu.step(prefill.build());
        long start = 0;
        List<int[]> own = new ArrayList<>();
        for (int b = 0; b < batch; b++) own.add(prompt.clone());
        for (int t = 0; t < warmup + steps; t++) {
            if (t == warmup) start = System.nanoTime();
            var step = Batch.builder();
            for (int b = 0; b < batch; b++) {
                int slot = context + b * (warmup + steps) + t;
                step.sequence(own.get(b), new int[] {1000 + b}, new int[] {context + t}, new int[] {slot}, Readout.nothing());
                int[] grown = Arrays.copyOf(own.get(b), own.get(b).length + 1);
                grown[grown.length - 1] = slot;
                own.set(b, grown);
            }
            gpu.step(step.build());
        }
        return (System.nanoTime() - start) / 1e6 / steps;
    }
}
