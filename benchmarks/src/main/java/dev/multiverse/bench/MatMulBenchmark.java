package dev.multiverse.bench;

import dev.multiverse.contract.Matrix;
import dev.multiverse.reference.MatMul;
import dev.multiverse.reference.ThreadTeam;
import dev.multiverse.weights.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The matmul kernel alone, per weight dtype and batch: weight bytes per second on one matrix too
 * large for any cache (the lm_head shape, 151936 × 896), so the figure is comparable with the
 * memory bandwidth. With {@code threads=1} the time is the thread's CPU time, which a loaded
 * machine distorts less.
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * dev.multiverse.bench.MatMulBenchmark [threads=<cores>] [rows=151936] [cols=896]}
 */
public final class MatMulBenchmark {
    private MatMulBenchmark() {}

    private static final int WARMUP = 30;

    public static void main(String[] args) {
        int threads = argOr(args, "threads", Runtime.getRuntime().availableProcessors());
        int rows = argOr(args, "rows", 151_936), cols = argOr(args, "cols", 896);
        int[] batches = {1, 2, 4, 8, 16};
        System.out.printf("matmul [%d][%d], %d threads; GB/s of weights read (median of 7, %s)%n", rows, cols, threads,
                threads == 1 ? "per CPU-second of the thread" : "wall clock");
        System.out.println("| dtype | " + String.join(" | ", Arrays.stream(batches).mapToObj(b -> "batch " + b).toList()) + " |");
        try (Arena arena = Arena.ofShared(); ThreadTeam team = new ThreadTeam(threads)) {
            for (DType dtype : new DType[] {DType.BF16, DType.F16, DType.F32}) {
                MemorySegment data = arena.allocate((long) rows * cols * dtype.byteSize(), 64);
                // 0x3C 0x3C...: a small positive number in each encoding (bf16 0.0115, f16 1.06, f32 0.0115).
                data.fill((byte) 0x3C);
                Matrix w = new Matrix(dtype, data, rows, cols);
                StringBuilder line = new StringBuilder("| " + dtype + " |");
                for (int batch : batches) {
                    float[] x = new float[batch * cols], out = new float[batch * rows];
                    Arrays.fill(x, 0.5f);
                    double[] seconds = new double[7];
                    for (int rep = -WARMUP; rep < seconds.length; rep++) {
                        long start = clock(threads);
                        MatMul.matmul(team, w, null, x, batch, out);
                        if (rep >= 0) seconds[rep] = (clock(threads) - start) * 1e-9;
                    }
                    Arrays.sort(seconds);
                    line.append(String.format(" %.2f |", data.byteSize() / seconds[3] / 1e9));
                }
                System.out.println(line);
            }
        }
    }

    /**
     * Nanoseconds: with one thread, the CPU time of this thread (the work runs on it), so that other
     * processes on a shared machine do not count; with more, wall-clock time.
     */
    private static long clock(int threads) {
        return threads == 1 ? ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : System.nanoTime();
    }

    static int argOr(String[] args, String name, int fallback) {
        for (String a : args) if (a.startsWith(name + "=")) return Integer.parseInt(a.substring(name.length() + 1));
        return fallback;
    }
}
