package dev.multiverse.bench;

import dev.multiverse.model.Batch;
import dev.multiverse.model.SequenceStep;
import dev.multiverse.reference.CpuBackend;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.reference.Qwen2Weights;
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
 * <p>In one run: the memory read bandwidth of the machine (all cores streaming a large buffer),
 * then decode steps of a Qwen2-0.5B-shaped model with random BF16 weights at batch 1, 2, 4, 8, 16
 * (each sequence one new token over a shared 32-slot context). Prints the weight bytes read per
 * step over the step time as a fraction of the measured bandwidth, and each batch's step time
 * relative to batch 1. "CPU share" is the process's CPU time over (wall time × threads) during the
 * measured steps: below 100% the machine was shared with other work and the figures are pessimistic;
 * "CPU ms/thread" is a step's mean process CPU time over the threads, which leaves that out.
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * dev.multiverse.bench.CpuDecodeBenchmark [layers=24] [threads=<cores>] [steps=10] [bandwidthGiB=2]}
 */
public final class CpuDecodeBenchmark {
    private CpuDecodeBenchmark() {}

    private static final int CONTEXT = 32;

    public static void main(String[] args) {
        int layers = arg(args, "layers", 24);
        int threads = arg(args, "threads", Runtime.getRuntime().availableProcessors());
        int steps = arg(args, "steps", 10);
        int bandwidthGiB = arg(args, "bandwidthGiB", 2);
        int[] batches = {1, 2, 4, 8, 16};

        System.out.printf("load average at start: %.2f; threads %d; vector %d bits%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), threads,
                jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize());
        double bandwidth;
        try (ThreadTeam team = new ThreadTeam(threads)) {
            bandwidth = MemoryBandwidth.measure(team, (long) bandwidthGiB << 30, 6);
        }
        System.out.printf("memory read bandwidth (best of 6 passes over %d GiB): %.2f GB/s%n", bandwidthGiB, bandwidth / 1e9);

        ModelConfig config = RandomModels.qwen2HalfB(layers);
        try (Arena arena = Arena.ofShared()) {
            Qwen2Weights weights = RandomModels.build(config, arena);
            long bytes = RandomModels.bytesPerStep(weights);
            System.out.printf("model: Qwen2-0.5B shape, %d layers, BF16 weights, %.1f MB read per step%n", layers, bytes / 1e6);
            try (CpuBackend backend = new CpuBackend(new Qwen2(weights, threads), CONTEXT + 16 * (steps + 4), null)) {
                // Warm-up: every batch size until the JIT has settled, then the measured passes.
                for (int batch : batches) stepTimes(backend, batch, steps, threads);
                double[] times = new double[batches.length], cpuTimes = new double[batches.length], cpuShare = new double[batches.length];
                for (int i = 0; i < batches.length; i++) {
                    long cpuStart = processCpuNanos(), wallStart = System.nanoTime();
                    double[] wallAndCpu = stepTimes(backend, batches[i], steps, threads);
                    times[i] = wallAndCpu[0];
                    cpuTimes[i] = wallAndCpu[1];
                    cpuShare[i] = (processCpuNanos() - cpuStart) / (double) ((System.nanoTime() - wallStart) * threads);
                }
                System.out.printf("load average at end: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                System.out.println();
                System.out.println("| batch | step ms | vs batch 1 | tokens/s | weight bytes/s | of bandwidth | CPU share | CPU ms/thread | vs batch 1 |");
                System.out.println("|------:|--------:|-----------:|---------:|---------------:|-------------:|----------:|--------------:|-----------:|");
                for (int i = 0; i < batches.length; i++) {
                    double t = times[i];
                    System.out.printf("| %5d | %7.1f | %9.2fx | %8.1f | %9.2f GB/s | %11.0f%% | %8.0f%% | %13.1f | %9.2fx |%n",
                            batches[i], t * 1e3, t / times[0], batches[i] / t, bytes / t / 1e9, 100 * bytes / t / bandwidth,
                            100 * cpuShare[i], cpuTimes[i] * 1e3, cpuTimes[i] / cpuTimes[0]);
                }
            }
        }
    }

    /**
     * The median wall time and the mean process CPU time per thread of {@code steps} decode steps
     * of {@code batch} sequences (after 3 warm-up steps), in seconds. On a shared machine the CPU
     * time leaves out the time other processes held our cores (waiting threads spin, so with more
     * than one thread it still counts hand-off stalls). A mean, not a median: the process CPU clock
     * ticks in 10 ms steps, which only a sum over the steps evens out.
     */
    private static double[] stepTimes(CpuBackend backend, int batch, int steps, int threads) {
        int[] context = new int[CONTEXT];
        Arrays.setAll(context, i -> i);
        double[] seconds = new double[steps];
        double cpuSeconds = 0;
        for (int s = -3; s < steps; s++) {
            int step = s + 3;
            List<SequenceStep> sequences = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                int slot = CONTEXT + (step * batch + b) % (backend.slotCapacity() - CONTEXT);
                sequences.add(new SequenceStep(new int[] {(b * 7919 + step * 104729) % backend.config().vocabSize()},
                        new int[] {CONTEXT + step}, new int[] {slot}, context, false));
            }
            long start = System.nanoTime(), cpuStart = processCpuNanos();
            backend.step(new Batch(sequences));
            if (s >= 0) {
                seconds[s] = (System.nanoTime() - start) * 1e-9;
                cpuSeconds += (processCpuNanos() - cpuStart) * 1e-9 / threads;
            }
        }
        Arrays.sort(seconds);
        return new double[] {seconds[steps / 2], cpuSeconds / steps};
    }

    /** CPU time of this process, all threads: with the wall time it tells how much of the cores we had. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static int arg(String[] args, String name, int fallback) {
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
