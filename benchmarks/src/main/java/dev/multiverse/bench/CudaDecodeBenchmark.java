package dev.multiverse.bench;

import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.RunAppend;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.contract.StepResult;
import dev.multiverse.contract.TokenRule;
import dev.multiverse.cuda.CudaBackend;
import dev.multiverse.cuda.CudaDevice;
import dev.multiverse.cuda.DeviceBuffer;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The GPU decode step at the Multiverse-32B shape (spec section 6) with random bf16 weights made
 * on the device, against the device's own copy bandwidth measured in the same run. Batches are
 * built the way the engine builds them: one shared prompt run, prefilled once; for each batch
 * size, one own run per sequence chained after it, one new entry appended a step, and a CHOSEN
 * pick under the Qwen2.5 defaults (temperature 0.7, top-p 0.8, top-k 20, repetition penalty
 * 1.05). The step time is the wall time of {@code Backend.step} (metadata and staged run entries
 * up, graph replay, readout kernels, the readout's copy back); in the same run the same steps with
 * {@code Readout.nothing()} measure the step without a readout. The limit is (weight bytes + KV
 * bytes, each slot read once) ÷ the measured device copy bandwidth.
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * benchmarks.jar dev.multiverse.bench.CudaDecodeBenchmark [layers=64] [batches=1,4,16,64]
 * [context=128] [steps=30]}
 */
public final class CudaDecodeBenchmark {
    private CudaDecodeBenchmark() {}

    /** Multiverse-32B = the Qwen2.5-32B shape, with {@code layers} layers (64 in the real model). */
    static ModelConfig multiverse32b(int layers) {
        return new ModelConfig(5120, 27648, layers, 40, 8, 128, 151_680, 1e-6f, 1_000_000.0, 32_768, false, DType.BF16,
                OptionalInt.empty(), new int[] {151_645});
    }

    /** The Qwen2.5 generation defaults; ids from the tokenizer's 151665 on are padding. */
    static final TokenRule QWEN_DEFAULTS = new TokenRule(0.7, 20, 0.8, 0, 1.05, 151_665, new int[0]);
    private static final long PROMPT_RUN = 1;
    private static long nextRun = 2;
    private static long[] pendingForget = new long[0];

    public static void main(String[] args) {
        int layers = Integer.parseInt(arg(args, "layers", "64"));
        int[] batches = Arrays.stream(arg(args, "batches", "1,4,16,64").split(",")).mapToInt(Integer::parseInt).toArray();
        int context = Integer.parseInt(arg(args, "context", "128"));
        int steps = Integer.parseInt(arg(args, "steps", "30"));
        int warmup = 3, largest = Arrays.stream(batches).max().orElse(1);
        ModelConfig config = multiverse32b(layers);
        int slots = context + largest * (steps + warmup);
        try (CudaBackend gpu = CudaBackend.random(config, 42, 0, slots)) {
            CudaDevice device = gpu.device();
            double copy = copyBandwidth(device, 2L << 30, 10);
            long bytes = gpu.weightBytesPerStep();
            double idealMs = bytes / copy * 1e3;
            System.out.printf("device: %s%nmodel: Multiverse-32B shape, %d layers, random bf16, %.2f GB of weights read per step%n",
                    device, layers, bytes / 1e9);
            System.out.printf("copy bandwidth (device to device, read + write): %.0f GB/s -> weight bytes / bandwidth = %.2f ms%n",
                    copy / 1e9, idealMs);
            int[] prompt = IntStream.range(0, context).toArray();
            int[] promptTokens = IntStream.range(0, context).map(i -> (i * 7919) % 151_000).toArray();
            gpu.step(new Batch(List.of(new RunAppend(PROMPT_RUN, 0, prompt, promptTokens)),
                    List.of(new SequenceStep(new long[] {PROMPT_RUN}, context, prompt.clone(), Readout.nothing())), new long[0], new long[0]));
            long kvBytesPerSlot = 2L * 2 * config.numLayers() * config.numKvHeads() * config.headDim(); // K and V, bf16
            System.out.printf("%6s %10s %10s %10s %10s %10s %10s %9s%n", "batch", "ms chosen", "ms none", "readout", "tokens/s",
                    "limit ms", "chosen/lim", "none/lim");
            for (int batch : batches) {
                double chosen = decode(gpu, context, batch, warmup, steps, t -> Readout.of(Pick.chosen(QWEN_DEFAULTS, (t * 0.618) % 1)));
                double none = decode(gpu, context, batch, warmup, steps, t -> Readout.nothing());
                long kv = kvBytesPerSlot * (context + (long) batch * (warmup + steps / 2));
                double limitMs = (bytes + kv) / copy * 1e3;
                System.out.printf("%6d %10.2f %10.2f %9.3fx %10.1f %10.3f %10.3f %9.3f%n", batch, chosen, none, chosen / none,
                        batch * 1000 / chosen, limitMs, chosen / limitMs, none / limitMs);
            }
            // Programmatic dependent launch off and on, alternating, at batch 1.
            double[] off = new double[3], on = new double[3];
            IntFunction<Readout> pick = t -> Readout.of(Pick.chosen(QWEN_DEFAULTS, (t * 0.618) % 1));
            for (int i = 0; i < 3; i++) {
                gpu.programmaticLaunch(false);
                off[i] = decode(gpu, context, 1, warmup, steps, pick);
                gpu.programmaticLaunch(true);
                on[i] = decode(gpu, context, 1, warmup, steps, pick);
            }
            System.out.printf("batch 1 with programmatic dependent launch off / on, three rounds: %s / %s ms%n",
                    Arrays.toString(off), Arrays.toString(on));
            System.out.println("device time per kernel, one eager decode step at batch 1:");
            Batch one = Batch.builder().sequence(prompt, promptTokens, new int[] {7}, new int[] {context}, new int[] {slots - 1},
                    Readout.of(Pick.chosen(QWEN_DEFAULTS, 0.5))).build();
            for (String line : gpu.profileStep(one)) System.out.println("  " + line);
            int[] graphs = gpu.graphCounts();
            System.out.printf("graph replays %d, captures %d%n", graphs[0], graphs[1]);
        }
    }

    /**
     * Mean wall milliseconds of a decode step of {@code batch} sequences after {@code warmup}
     * steps: each sequence has its own run after the prompt's and appends its next token (the
     * chosen one, or a fixed one when the readout chooses none); its runs are forgotten with the
     * next measurement's first batch.
     */
    private static double decode(CudaBackend gpu, int context, int batch, int warmup, int steps, IntFunction<Readout> readout) {
        long[] runs = new long[batch];
        int[] next = new int[batch];
        for (int b = 0; b < batch; b++) {
            runs[b] = nextRun++;
            next[b] = 1000 + b;
        }
        long start = 0;
        for (int t = 0; t < warmup + steps; t++) {
            if (t == warmup) start = System.nanoTime();
            List<RunAppend> appends = new ArrayList<>(batch);
            List<SequenceStep> seqs = new ArrayList<>(batch);
            Readout r = readout.apply(t);
            for (int b = 0; b < batch; b++) {
                int slot = context + b * (warmup + steps) + t;
                appends.add(new RunAppend(runs[b], t, new int[] {slot}, new int[] {next[b]}));
                seqs.add(new SequenceStep(new long[] {PROMPT_RUN, runs[b]}, t + 1, new int[] {context + t}, r));
            }
            StepResult result = gpu.step(new Batch(appends, seqs, pendingForget, new long[0]));
            pendingForget = new long[0];
            for (int b = 0; b < batch; b++) if (result.get(b).token() >= 0) next[b] = result.get(b).token();
        }
        double ms = (System.nanoTime() - start) / 1e6 / steps;
        pendingForget = runs;
        return ms;
    }

    /** Device-to-device copy rate, counting the bytes read and the bytes written. */
    static double copyBandwidth(CudaDevice device, long bytes, int repeats) {
        try (DeviceBuffer a = device.allocate(bytes); DeviceBuffer b = device.allocate(bytes)) {
            var cuda = device.driver();
            cuda.copyDeviceAsync(b.pointer(), a.pointer(), bytes, device.stream());
            long start = cuda.createEvent(), end = cuda.createEvent();
            cuda.record(start, device.stream());
            for (int i = 0; i < repeats; i++) cuda.copyDeviceAsync(b.pointer(), a.pointer(), bytes, device.stream());
            cuda.record(end, device.stream());
            double seconds = cuda.elapsedMillis(start, end) / 1e3;
            return 2.0 * bytes * repeats / seconds;
        }
    }

    static String arg(String[] args, String name, String fallback) {
        for (String a : args) if (a.startsWith(name + "=")) return a.substring(name.length() + 1);
        return fallback;
    }
}
