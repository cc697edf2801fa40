package dev.multiverse.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.reference.Attention;
import dev.multiverse.reference.Kernels;
import dev.multiverse.reference.ThreadTeam;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every GPU kernel against the CPU reference's own kernels ({@link Kernels}, {@link Attention}) or
 * a double-precision loop, over random shapes with odd sizes. The GPU stores bf16 where the
 * reference keeps fp32 (GEMM inputs, the KV cache), so the bounds allow one bf16 rounding
 * (relative 2^-8) and fp32 reordering, nothing more.
 */
@AddLifecycleHook(RequiresGpu.class)
class GpuKernelProperties {
    private static final double BF16_ROUNDING = 1.0 / 128;
    static Gpu gpu;
    static ThreadTeam team;

    @BeforeContainer
    static void open() {
        gpu = new Gpu();
        team = new ThreadTeam(2);
    }

    @AfterContainer
    static void close() {
        if (gpu != null) gpu.close();
        if (team != null) team.close();
    }

    @AfterTry
    void freeTry() {
        gpu.freeBuffers();
    }

    private static void assertClose(float expected, float actual, double relative, double absolute, String what) {
        assertTrue(Math.abs(expected - actual) <= relative * Math.abs(expected) + absolute,
                what + ": expected " + expected + ", got " + actual);
    }

    @Property(tries = 40)
    void addRmsNormMatchesTheReference(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll @IntRange(min = 1, max = 700) int hidden,
                                       @ForAll boolean withDelta, @ForAll long seed) {
        Random random = new Random(seed);
        float[] x = Gpu.gaussian(random, n * hidden, 2), delta = Gpu.gaussian(random, n * hidden, 1);
        float[] weight = Gpu.gaussian(random, hidden, 1);
        DeviceBuffer dx = gpu.floats(x), dDelta = gpu.floats(delta), dw = gpu.floats(weight), out = gpu.zeros(2L * n * hidden);
        gpu.kernels.addRmsNorm(dx.pointer(), withDelta ? dDelta.pointer() : 0, 0, dw.pointer(), out.pointer(), n, hidden, 1e-6f);
        float[] summed = x.clone();
        if (withDelta) Kernels.add(summed, delta, n * hidden);
        float[] expected = new float[n * hidden];
        Kernels.rmsNorm(summed, weight, 1e-6f, n, expected);
        assertArrayEquals(summed, dx.downloadFloats(n * hidden), "x after the residual add");
        float[] actual = out.downloadBf16(n * hidden);
        for (int i = 0; i < expected.length; i++) assertClose(expected[i], actual[i], BF16_ROUNDING, 1e-6, "element " + i);
    }

    @Property(tries = 12)
    void addRmsNormOfChosenRowsReadsOnlyThoseRows(@ForAll @IntRange(min = 2, max = 9) int n, @ForAll long seed) {
        Random random = new Random(seed);
        int hidden = 33;
        float[] x = Gpu.gaussian(random, n * hidden, 2), weight = Gpu.gaussian(random, hidden, 1);
        int[] rows = {n - 1, 0};
        DeviceBuffer dx = gpu.floats(x), dw = gpu.floats(weight), dRows = gpu.ints(rows), out = gpu.zeros(2L * 2 * hidden);
        gpu.kernels.addRmsNorm(dx.pointer(), 0, dRows.pointer(), dw.pointer(), out.pointer(), 2, hidden, 1e-6f);
        float[] actual = out.downloadBf16(2 * hidden);
        for (int i = 0; i < 2; i++) {
            float[] row = new float[hidden], expected = new float[hidden];
            System.arraycopy(x, rows[i] * hidden, row, 0, hidden);
            Kernels.rmsNorm(row, weight, 1e-6f, 1, expected);
            for (int j = 0; j < hidden; j++) assertClose(expected[j], actual[i * hidden + j], BF16_ROUNDING, 1e-6, "row " + i);
        }
    }

    @Property(tries = 30)
    void linearIsXTimesWTransposed(@ForAll @IntRange(min = 1, max = 70) int n, @ForAll @IntRange(min = 1, max = 300) int in,
                                   @ForAll @IntRange(min = 1, max = 300) int out, @ForAll long seed) {
        checkProduct(n, in, out, seed, (x, w, y) -> gpu.blas.linear(x, w, y, n, in, out));
    }

    @Property(tries = 40)
    void gemvIsXTimesWTransposed(@ForAll @IntRange(min = 1, max = GpuKernels.GEMV_MAX_ROWS) int n,
                                 @ForAll @IntRange(min = 1, max = 1200) int in, @ForAll @IntRange(min = 1, max = 300) int out,
                                 @ForAll boolean multipleOf8, @ForAll boolean wide, @ForAll long seed) {
        int width = multipleOf8 ? (in + 7) / 8 * 8 : in, outputs = wide ? 16_384 + out : out; // wide: not split along in
        checkProduct(n, width, outputs, seed, (x, w, y) -> gpu.kernels.gemv(x, w, y, n, width, outputs));
    }

    interface Product {
        void run(long x, long w, long y);
    }

    /** y = x · wᵀ on the device against a double-precision loop over the same bf16 values. */
    private static void checkProduct(int n, int in, int out, long seed, Product product) {
        Random random = new Random(seed);
        float[] x = Gpu.bf16Round(Gpu.gaussian(random, n * in, 1)), w = Gpu.bf16Round(Gpu.gaussian(random, out * in, 1));
        DeviceBuffer dx = gpu.bf16(x), dw = gpu.bf16(w), dy = gpu.zeros(4L * n * out);
        product.run(dx.pointer(), dw.pointer(), dy.pointer());
        float[] y = dy.downloadFloats(n * out);
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double sum = 0, magnitude = 0;
                for (int i = 0; i < in; i++) {
                    sum += (double) x[r * in + i] * w[o * in + i];
                    magnitude += Math.abs((double) x[r * in + i] * w[o * in + i]);
                }
                assertEquals(sum, y[r * out + o], 1e-5 * magnitude + 1e-6, "y[" + r + "][" + o + "]");
            }
        }
    }

    @Property(tries = 30)
    void qkvBiasRopeStoreMatchesTheReference(@ForAll @IntRange(min = 1, max = 7) int n, @ForAll @IntRange(min = 1, max = 4) int group,
                                             @ForAll @IntRange(min = 1, max = 3) int kvHeads,
                                             @ForAll @IntRange(min = 1, max = 40) int halfDim, @ForAll long seed) {
        Random random = new Random(seed);
        int heads = kvHeads * group, hd = 2 * halfDim, qd = heads * hd, kd = kvHeads * hd, width = qd + 2 * kd, slots = n + 5;
        float theta = random.nextBoolean() ? 10_000f : 1_000_000f;
        float[] qkv = Gpu.gaussian(random, n * width, 1), bias = Gpu.gaussian(random, width, 0.5);
        int[] positions = new int[n], writeSlots = new int[n];
        for (int r = 0; r < n; r++) {
            positions[r] = random.nextInt(40_000);
            writeSlots[r] = (r * 3 + 1) % slots; // distinct because slots > n and 3 is coprime to... checked below
        }
        writeSlots = java.util.stream.IntStream.range(0, n).map(r -> (r + 2) % slots).toArray();
        DeviceBuffer dQkv = gpu.floats(qkv), dBias = gpu.floats(bias), dPos = gpu.ints(positions), dSlots = gpu.ints(writeSlots);
        DeviceBuffer qOut = gpu.zeros(4L * n * qd), kCache = gpu.zeros(2L * slots * kd), vCache = gpu.zeros(2L * slots * kd);
        gpu.kernels.qkvBiasRopeStore(dQkv.pointer(), dBias.pointer(), dPos.pointer(), dSlots.pointer(), qOut.pointer(),
                kCache.pointer(), vCache.pointer(), n, heads, kvHeads, hd, theta);

        float[] q = new float[n * qd], k = new float[n * kd], v = new float[n * kd];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < qd; i++) q[r * qd + i] = qkv[r * width + i] + bias[i];
            for (int i = 0; i < kd; i++) k[r * kd + i] = qkv[r * width + qd + i] + bias[qd + i];
            for (int i = 0; i < kd; i++) v[r * kd + i] = qkv[r * width + qd + kd + i] + bias[qd + kd + i];
        }
        float[] cos = new float[n * halfDim], sin = new float[n * halfDim];
        Kernels.ropeAngles(positions, n, hd, theta, cos, sin);
        Kernels.rope(q, n, heads, hd, cos, sin);
        Kernels.rope(k, n, kvHeads, hd, cos, sin);
        float[] gq = qOut.downloadFloats(n * qd), gk = kCache.downloadBf16(slots * kd), gv = vCache.downloadBf16(slots * kd);
        for (int i = 0; i < q.length; i++) assertClose(q[i], gq[i], 1e-5, 1e-5, "q element " + i);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < kd; i++) {
                assertClose(k[r * kd + i], gk[writeSlots[r] * kd + i], BF16_ROUNDING, 1e-5, "k row " + r + " element " + i);
                assertClose(v[r * kd + i], gv[writeSlots[r] * kd + i], BF16_ROUNDING, 1e-6, "v row " + r + " element " + i);
            }
        }
    }

    @Property(tries = 40)
    void attentionOverSlotListsMatchesTheReference(@ForAll @IntRange(min = 1, max = 6) int n,
                                                   @ForAll @IntRange(min = 1, max = 4) int group,
                                                   @ForAll @IntRange(min = 1, max = 3) int kvHeads,
                                                   @ForAll @IntRange(min = 1, max = 128) int halfDim,
                                                   @ForAll @IntRange(min = 1, max = 600) int slots, @ForAll long seed) {
        Random random = new Random(seed);
        int heads = kvHeads * group, hd = 2 * halfDim, qd = heads * hd, kd = kvHeads * hd;
        float[] q = Gpu.gaussian(random, n * qd, 1);
        float[] keys = Gpu.bf16Round(Gpu.gaussian(random, slots * kd, 1)), values = Gpu.bf16Round(Gpu.gaussian(random, slots * kd, 1));
        int[][] lists = new int[n][];
        int total = 0, longest = 0;
        for (int r = 0; r < n; r++) {
            lists[r] = random.ints(1 + random.nextInt(slots), 0, slots).toArray();
            total += lists[r].length;
            longest = Math.max(longest, lists[r].length);
        }
        int[] flat = new int[total], start = new int[n], count = new int[n];
        for (int r = 0, at = 0; r < n; r++) {
            start[r] = at;
            count[r] = lists[r].length;
            System.arraycopy(lists[r], 0, flat, at, lists[r].length);
            at += lists[r].length;
        }
        DeviceBuffer dq = gpu.floats(q), dk = gpu.bf16(keys), dv = gpu.bf16(values), dFlat = gpu.ints(flat);
        DeviceBuffer dStart = gpu.ints(start), dCount = gpu.ints(count), out = gpu.zeros(2L * n * qd);
        gpu.kernels.attention(dq.pointer(), dk.pointer(), dv.pointer(), dFlat.pointer(), dStart.pointer(), dCount.pointer(),
                out.pointer(), n, heads, kvHeads, hd, longest + random.nextInt(50));
        float[] expected = new float[n * qd];
        Attention.attendSlots(team, q, keys, values, lists, n, heads, kvHeads, hd, new float[team.size()][longest], expected);
        float[] actual = out.downloadBf16(n * qd);
        for (int i = 0; i < expected.length; i++) assertClose(expected[i], actual[i], BF16_ROUNDING, 1e-5, "out element " + i);
    }

    @Property(tries = 20)
    void siluMulMatchesTheReference(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll @IntRange(min = 1, max = 999) int m,
                                    @ForAll long seed) {
        Random random = new Random(seed);
        float[] gateUp = Gpu.gaussian(random, n * 2 * m, 3);
        DeviceBuffer dgu = gpu.floats(gateUp), out = gpu.zeros(2L * n * m);
        gpu.kernels.siluMul(dgu.pointer(), out.pointer(), n, m);
        float[] gate = new float[n * m], up = new float[n * m];
        for (int r = 0; r < n; r++) {
            System.arraycopy(gateUp, r * 2 * m, gate, r * m, m);
            System.arraycopy(gateUp, r * 2 * m + m, up, r * m, m);
        }
        Kernels.swiglu(gate, up, n * m);
        float[] actual = out.downloadBf16(n * m);
        for (int i = 0; i < gate.length; i++) assertClose(gate[i], actual[i], BF16_ROUNDING, 1e-6, "element " + i);
    }

    @Property(tries = 20)
    void embeddingGatherCopiesRows(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll @IntRange(min = 1, max = 300) int hidden,
                                   @ForAll long seed) {
        Random random = new Random(seed);
        int vocab = 50;
        float[] embed = Gpu.bf16Round(Gpu.gaussian(random, vocab * hidden, 1));
        int[] tokens = random.ints(n, 0, vocab).toArray();
        DeviceBuffer de = gpu.bf16(embed), dt = gpu.ints(tokens), x = gpu.zeros(4L * n * hidden);
        gpu.kernels.embeddingGather(de.pointer(), dt.pointer(), x.pointer(), n, hidden);
        float[] actual = x.downloadFloats(n * hidden);
        for (int r = 0; r < n; r++)
            for (int i = 0; i < hidden; i++) assertEquals(embed[tokens[r] * hidden + i], actual[r * hidden + i]);
    }

    @Property(tries = 10)
    void fillUniformIsSeededAndInRange(@ForAll @IntRange(min = 1, max = 100_000) int count, @ForAll long seed) {
        DeviceBuffer a = gpu.zeros(4L * count), b = gpu.zeros(4L * count);
        gpu.kernels.fillUniform(a.pointer(), count, seed, 0.5f, 0.25f, false);
        gpu.kernels.fillUniform(b.pointer(), count, seed, 0.5f, 0.25f, false);
        float[] va = a.downloadFloats(count);
        assertArrayEquals(va, b.downloadFloats(count));
        double mean = 0;
        for (float v : va) {
            assertTrue(v >= 0.25f && v <= 0.75f, "value " + v);
            mean += v / count;
        }
        if (count > 10_000) assertEquals(0.5, mean, 0.01);
    }
}
