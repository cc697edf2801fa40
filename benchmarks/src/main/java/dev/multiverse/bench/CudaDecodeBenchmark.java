package dev.multiverse.bench;

import dev.multiverse.contract.Batch;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.cuda.CudaBackend;
import dev.multiverse.cuda.CudaDevice;
import dev.multiverse.cuda.DeviceBuffer;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * The GPU decode step at the Multiverse-32B shape (spec section 6) with random bf16 weights made
 * on the device, against the device's own copy bandwidth measured in the same run. A shared
 * prompt is prefilled once; then, for each batch size, that many sequences decode from it (each
 * sees the prompt and its own tokens, as paths of a block do), greedy on the device: the step time
 * is the wall time of {@code stepAndSample} (metadata, graph replay, sampling, copy of the tokens).
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
            gpu.step(Batch.of(new SequenceStep(IntStream.range(0, context).map(i -> (i * 7919) % 151_000).toArray(),
                    IntStream.range(0, context).toArray(), prompt, new int[0], false)));
            System.out.printf("%6s %10s %10s %9s %12s %10s%n", "batch", "ms/step", "tokens/s", "vs b1", "ideal/step", "of copy bw");
            double b1 = Double.NaN;
            for (int batch : batches) {
                double ms = decode(gpu, prompt, batch, warmup, steps);
                if (batch == 1) b1 = ms;
                System.out.printf("%6d %10.2f %10.1f %9.3f %12.3f %9.1f%%%n", batch, ms, batch * 1000 / ms, ms / b1, ms / idealMs,
                        100 * (bytes / (ms / 1e3)) / copy);
            }
            // Programmatic dependent launch off and on, alternating, at batch 1.
            double[] off = new double[3], on = new double[3];
            for (int i = 0; i < 3; i++) {
                gpu.programmaticLaunch(false);
                off[i] = decode(gpu, prompt, 1, warmup, steps);
                gpu.programmaticLaunch(true);
                on[i] = decode(gpu, prompt, 1, warmup, steps);
            }
            System.out.printf("batch 1 with programmatic dependent launch off / on, three rounds: %s / %s ms%n",
                    Arrays.toString(off), Arrays.toString(on));
            System.out.println("device time per kernel, one eager decode step at batch 1:");
            var one = new SequenceStep(new int[] {7}, new int[] {context}, new int[] {context}, prompt, false);
            for (String line : gpu.profileStep(Batch.of(one))) System.out.println("  " + line);
            int[] graphs = gpu.graphCounts();
            System.out.printf("graph replays %d, captures %d%n", graphs[0], graphs[1]);
        }
    }

    /** Mean wall milliseconds of a greedy decode step of {@code batch} sequences after {@code warmup} steps. */
    private static double decode(CudaBackend gpu, int[] prompt, int batch, int warmup, int steps) {
        int context = prompt.length;
        List<List<Integer>> own = new ArrayList<>();
        int[] next = new int[batch];
        for (int b = 0; b < batch; b++) {
            own.add(new ArrayList<>());
            next[b] = 1000 + b;
        }
        float[] greedy = new float[batch], topP = new float[batch], uniform = new float[batch];
        Arrays.fill(topP, 1f);
        long start = 0;
        for (int t = 0; t < warmup + steps; t++) {
            if (t == warmup) start = System.nanoTime();
            List<SequenceStep> seqs = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                int[] ctx = new int[context + own.get(b).size()];
                System.arraycopy(prompt, 0, ctx, 0, context);
                for (int i = 0; i < own.get(b).size(); i++) ctx[context + i] = own.get(b).get(i);
                int slot = context + b * (warmup + steps) + t;
                seqs.add(new SequenceStep(new int[] {next[b]}, new int[] {context + t}, new int[] {slot}, ctx, false));
                own.get(b).add(slot);
            }
            next = gpu.stepAndSample(new Batch(seqs), greedy, topP, uniform);
        }
        return (System.nanoTime() - start) / 1e6 / steps;
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
