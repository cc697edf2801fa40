package dev.multiverse.bench;

import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.TokenRule;
import dev.multiverse.reference.CpuBackend;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.reference.ThreadTeam;
import dev.multiverse.weights.ModelConfig;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How close the CPU decode step comes to the memory wall, and what batching costs.
 *
 * <p>A Qwen2-0.5B-shaped model with random BF16 weights; each sequence decodes one new token over
 * a shared 32-slot context. The run is a series of rounds, and each round does one streaming read
 * of a buffer as large as the model (all cores; the memory read bandwidth) and one decode step at
 * each batch size (1, 2, 4, 8, 16, in an order that rotates from round to round). Interleaving
 * them means that another process slowing the machine slows the baseline and the steps alike, so
 * their ratios hold on a shared machine where absolute times do not.
 *
 * <p>Each round also runs one pass of register-only FMA chains on all cores (the float32 compute
 * peak), since a large enough batch turns the step from memory-bound to compute-bound: at batch b a
 * step does b multiply-adds per weight.
 *
 * <p>Printed per batch: the best and the median step time over the rounds, the weight bytes read
 * per step over the step time as a fraction of the bandwidth (best step against best pass, and
 * median against median), the matrix products' floating-point operations over the best step time
 * as a fraction of the best FMA pass, the step time relative to batch 1 (best against best, median
 * against median), and the process CPU time per thread of a step (mean over the rounds; it leaves
 * out the time other processes held our cores).
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * dev.multiverse.bench.CpuDecodeBenchmark [layers=24] [threads=<cores>] [rounds=25]}
 */
public final class CpuDecodeBenchmark {
    private CpuDecodeBenchmark() {}

    private static final int CONTEXT = 32;
    private static final int WARMUP_ROUNDS = 4;
    private static final int[] BATCHES = {1, 2, 4, 8, 16};

    public static void main(String[] args) {
        int layers = arg(args, "layers", 24);
        int threads = arg(args, "threads", Runtime.getRuntime().availableProcessors());
        int rounds = arg(args, "rounds", 25);

        System.out.printf("load average at start: %.2f; threads %d; vector %d bits%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), threads,
                jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize());
        ModelConfig config = RandomModels.qwen2HalfB(layers);
        try (Arena arena = Arena.ofShared(); ThreadTeam team = new ThreadTeam(threads)) {
            Qwen2Weights weights = RandomModels.build(config, arena);
            long bytes = RandomModels.bytesPerStep(weights);
            System.out.printf("model: Qwen2-0.5B shape, %d layers, BF16 weights, %.1f MB read per step; %d rounds%n",
                    layers, bytes / 1e6, rounds);
            long flopsPerToken = 2 * RandomModels.multiplyAddsPerToken(weights);
            double[] bandwidth = new double[rounds], peak = new double[rounds];
            double[][] seconds = new double[BATCHES.length][rounds];
            double[] cpuSeconds = new double[BATCHES.length];
            FmaPeak fma = new FmaPeak(team);
            try (MemoryBandwidth memory = new MemoryBandwidth(team, bytes);
                 CpuBackend backend = new CpuBackend(new Qwen2(weights, threads), CONTEXT + 16 * (rounds + WARMUP_ROUNDS), null)) {
                for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
                    double pass = memory.pass(), fmaPass = fma.pass();
                    for (int n = 0; n < BATCHES.length; n++) {
                        int i = Math.floorMod(n + round, BATCHES.length);
                        Batch batch = batch(backend, BATCHES[i], round + WARMUP_ROUNDS);
                        long start = System.nanoTime(), cpuStart = ProcessCpu.nanos();
                        backend.step(batch);
                        if (round < 0) continue;
                        seconds[i][round] = (System.nanoTime() - start) * 1e-9;
                        cpuSeconds[i] += (ProcessCpu.nanos() - cpuStart) * 1e-9 / threads / rounds;
                    }
                    if (round >= 0) {
                        bandwidth[round] = pass;
                        peak[round] = fmaPass;
                    }
                }
            }
            System.out.printf("load average at end: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            double bestBandwidth = best(bandwidth, true), medianBandwidth = median(bandwidth);
            System.out.printf("memory read bandwidth (one pass per round over %.0f MB): best %.2f GB/s, median %.2f GB/s%n",
                    bytes / 1e6, bestBandwidth / 1e9, medianBandwidth / 1e9);
            double bestPeak = best(peak, true);
            System.out.printf("float32 FMA peak (one pass per round): best %.0f GFLOP/s, median %.0f GFLOP/s; %.2f GFLOP per token%n%n",
                    bestPeak / 1e9, median(peak) / 1e9, flopsPerToken / 1e9);
            System.out.println("| batch | best ms | median ms | of bandwidth (best, median) | of FMA peak (best) | vs batch 1 (best, median) | tokens/s (best) | CPU ms/thread |");
            System.out.println("|------:|--------:|----------:|----------------------------:|-------------------:|--------------------------:|----------------:|--------------:|");
            double best1 = best(seconds[0], false), median1 = median(seconds[0]);
            for (int i = 0; i < BATCHES.length; i++) {
                double b = best(seconds[i], false), m = median(seconds[i]);
                System.out.printf("| %5d | %7.1f | %9.1f | %12.0f%%, %5.0f%%         | %17.0f%% | %10.2fx, %5.2fx         | %15.1f | %13.1f |%n",
                        BATCHES[i], b * 1e3, m * 1e3, 100 * bytes / b / bestBandwidth, 100 * bytes / m / medianBandwidth,
                        100.0 * flopsPerToken * BATCHES[i] / b / bestPeak,
                        b / best1, m / median1, BATCHES[i] / b, cpuSeconds[i] * 1e3);
            }
        }
    }

    private static double best(double[] values, boolean largest) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return largest ? sorted[sorted.length - 1] : sorted[0];
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The shared context every sequence attends to: slots 0 .. CONTEXT-1. */
    private static final int[] CONTEXT_SLOTS = java.util.stream.IntStream.range(0, CONTEXT).toArray();

    /**
     * One decode step's rows: {@code size} sequences, each one new token at the position after the
     * shared context, each asking for its greedy token (a one-step run per sequence).
     */
    private static Batch batch(CpuBackend backend, int size, int round) {
        var batch = Batch.builder();
        int vocab = backend.config().vocabSize();
        for (int b = 0; b < size; b++) {
            int slot = CONTEXT + (round * 16 + b) % (backend.slotCapacity() - CONTEXT);
            batch.sequence(CONTEXT_SLOTS, new int[] {(b * 7919 + round * 104729) % vocab}, new int[] {CONTEXT + round},
                    new int[] {slot}, Readout.of(Pick.chosen(TokenRule.greedy(vocab), 0)));
        }
        return batch.build();
    }

    static int arg(String[] args, String name, int fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                try {
                    return Integer.parseInt(a.substring(name.length() + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("argument " + a + ": not an integer", e);
                }
            }
        }
        return fallback;
    }
}
