package dev.multiverse.reference;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix products of the forward pass, with the weights read in place (F32, F16 or BF16).
 *
 * <p>A decode step is memory-bound: every weight is read once per step. So each weight row is
 * read from memory once, widened to floats into a small per-thread buffer (it stays in L1/L2),
 * and multiplied from there into every activation row of the batch, four rows at a time; a batch
 * of 8 costs little more than a batch of 1.
 *
 * <p>Every vector lives inside one method (no helper returns a vector): the JIT then keeps them
 * in registers whatever it decides to inline.
 */
public final class MatMul {
    private MatMul() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Shorts of the same lane count as {@link #F}: one load of 16-bit weights per float vector. */
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    /** Ints of the same lane count as {@link #F}: the widened 16-bit weights. */
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Activation rows that share one pass over a widened weight row. */
    private static final int TILE = 4;
    /** Weight rows per chunk handed to a thread. */
    private static final int GRAIN = 16;

    /**
     * {@code out[b][r] = bias[r] + Σ_k w[r][k] · x[b][k]} for {@code b < batch}, {@code r < w.rows}.
     * Shapes: w [rows][cols], bias [1][rows] or null, x [batch][cols], out [batch][rows] (flat,
     * row-major).
     */
    public static void matmul(ThreadTeam team, Matrix w, Matrix bias, float[] x, int batch, float[] out) {
        int rows = w.rows(), cols = w.cols();
        if (bias != null && bias.size() != rows)
            throw new IllegalArgumentException("bias of " + bias.size() + " for " + rows + " rows");
        if (x.length < (long) batch * cols || out.length < (long) batch * rows)
            throw new IllegalArgumentException("buffers too small for batch " + batch + " of " + w);
        team.forRange(rows, GRAIN, (worker, from, to) -> {
            float[] row = team.scratch(worker, cols);
            for (int r = from; r < to; r++) {
                widenRow(w, r, row);
                int b = 0;
                for (; b + TILE <= batch; b += TILE) dotTile(row, cols, x, b, out, rows, r);
                for (; b < batch; b++) out[b * rows + r] = Kernels.dot(row, 0, x, b * cols, cols);
                if (bias != null) {
                    float br = bias.get(r);
                    for (int i = 0; i < batch; i++) out[i * rows + r] += br;
                }
            }
        });
    }

    /** {@code out[b][r] = Σ_k row[k] · x[b][k]} for the four activation rows {@code b0 .. b0+3}. */
    private static void dotTile(float[] row, int cols, float[] x, int b0, float[] out, int rows, int r) {
        int x0 = b0 * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int k = 0;
        for (int upper = F.loopBound(cols); k < upper; k += L) {
            FloatVector wv = FloatVector.fromArray(F, row, k);
            a0 = wv.fma(FloatVector.fromArray(F, x, x0 + k), a0);
            a1 = wv.fma(FloatVector.fromArray(F, x, x1 + k), a1);
            a2 = wv.fma(FloatVector.fromArray(F, x, x2 + k), a2);
            a3 = wv.fma(FloatVector.fromArray(F, x, x3 + k), a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; k < cols; k++) {
            s0 += row[k] * x[x0 + k];
            s1 += row[k] * x[x1 + k];
            s2 += row[k] * x[x2 + k];
            s3 += row[k] * x[x3 + k];
        }
        out[b0 * rows + r] = s0;
        out[(b0 + 1) * rows + r] = s1;
        out[(b0 + 2) * rows + r] = s2;
        out[(b0 + 3) * rows + r] = s3;
    }

    private static final float F16_RESCALE = 0x1p112f;

    /**
     * Row {@code r} of {@code w} widened to floats into {@code dst[0 .. cols)}.
     *
     * <p>bfloat16 is the top half of a float32: shift the 16 bits into place. float16: moving the
     * 15 magnitude bits up by 13 gives a float32 exactly 2^-112 times the value (normals and
     * subnormals alike), so multiply by 2^112; infinities and NaNs (magnitude ≥ 0x7C00) keep an
     * all-ones exponent; the sign moves from bit 15 to bit 31.
     */
    static void widenRow(Matrix w, int r, float[] dst) {
        MemorySegment data = w.data();
        int cols = w.cols();
        long base = (long) r * cols;
        int k = 0, upper = F.loopBound(cols);
        switch (w.dtype()) {
            case F32 -> {
                MemorySegment.copy(data, Matrix.F32_LE, base * 4, dst, 0, cols);
                k = cols;
            }
            case BF16 -> {
                for (; k < upper; k += L) {
                    IntVector h = (IntVector) ShortVector.fromMemorySegment(S, data, (base + k) * 2, LE)
                            .convertShape(VectorOperators.S2I, I, 0);
                    h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, k);
                }
            }
            case F16 -> {
                for (; k < upper; k += L) {
                    IntVector h = (IntVector) ShortVector.fromMemorySegment(S, data, (base + k) * 2, LE)
                            .convertShape(VectorOperators.S2I, I, 0);
                    IntVector magnitude = h.and(0x7FFF);
                    IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
                    IntVector finite = shifted.reinterpretAsFloats().mul(F16_RESCALE).reinterpretAsInts();
                    IntVector value = finite.blend(shifted.or(0x7F800000), magnitude.compare(VectorOperators.GE, 0x7C00));
                    value.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().intoArray(dst, k);
                }
            }
            default -> throw new AssertionError(w.dtype()); // Matrix admits only the three above
        }
        for (; k < cols; k++) dst[k] = w.get(base + k);
    }
}
