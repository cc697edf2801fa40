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
 * loaded once and multiplied into every activation row of the batch while it is in registers or
 * L1, four activation rows at a time; a batch of 8 costs little more than a batch of 1.
 */
public final class MatMul {
    private MatMul() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Shorts of the same lane count as {@link #F}: one load of 16-bit weights per float vector. */
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Activation rows that share one pass over a weight row. */
    private static final int TILE = 4;
    /** Weight rows per chunk handed to a thread. */
    private static final int GRAIN = 16;

    /**
     * {@code out[b][r] = bias[r] + Σ_k w[r][k] · x[b][k]} for {@code b < batch}, {@code r < w.rows}.
     * Shapes: w [rows][cols], bias [1][rows] or null, x [batch][cols], out [batch][rows] (flat,
     * row-major).
     */
    public static void matmul(ThreadTeam team, Matrix w, Matrix bias, float[] x, int batch, float[] out) {
        if (bias != null && bias.size() != w.rows())
            throw new IllegalArgumentException("bias of " + bias.size() + " for " + w.rows() + " rows");
        if (x.length < (long) batch * w.cols() || out.length < (long) batch * w.rows())
            throw new IllegalArgumentException("buffers too small for batch " + batch + " of " + w);
        team.forRange(w.rows(), GRAIN, (worker, from, to) -> {
            for (int r = from; r < to; r++) {
                int b = 0;
                for (; b + TILE <= batch; b += TILE) dotTile(w, r, x, b, out);
                for (; b < batch; b++) out[b * w.rows() + r] = dot(w, r, x, b * w.cols());
                if (bias != null) {
                    float br = bias.get(r);
                    for (int i = 0; i < batch; i++) out[i * w.rows() + r] += br;
                }
            }
        });
    }

    /** {@code out[b][r] = Σ_k w[r][k] · x[b][k]} for the four activation rows {@code b0 .. b0+3}. */
    private static void dotTile(Matrix w, int r, float[] x, int b0, float[] out) {
        int cols = w.cols();
        long base = (long) r * cols;
        int x0 = b0 * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int k = 0;
        for (int upper = F.loopBound(cols); k < upper; k += L) {
            FloatVector wv = load(w, base + k);
            a0 = wv.fma(FloatVector.fromArray(F, x, x0 + k), a0);
            a1 = wv.fma(FloatVector.fromArray(F, x, x1 + k), a1);
            a2 = wv.fma(FloatVector.fromArray(F, x, x2 + k), a2);
            a3 = wv.fma(FloatVector.fromArray(F, x, x3 + k), a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; k < cols; k++) {
            float wk = w.get(base + k);
            s0 += wk * x[x0 + k];
            s1 += wk * x[x1 + k];
            s2 += wk * x[x2 + k];
            s3 += wk * x[x3 + k];
        }
        int rows = w.rows();
        out[b0 * rows + r] = s0;
        out[(b0 + 1) * rows + r] = s1;
        out[(b0 + 2) * rows + r] = s2;
        out[(b0 + 3) * rows + r] = s3;
    }

    /** {@code Σ_k w[r][k] · x[xOffset + k]}; two accumulators hide the FMA latency. */
    static float dot(Matrix w, int r, float[] x, int xOffset) {
        int cols = w.cols();
        long base = (long) r * cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        int k = 0;
        for (int upper = cols - 2 * L; k <= upper; k += 2 * L) {
            a0 = load(w, base + k).fma(FloatVector.fromArray(F, x, xOffset + k), a0);
            a1 = load(w, base + k + L).fma(FloatVector.fromArray(F, x, xOffset + k + L), a1);
        }
        for (int upper = F.loopBound(cols); k < upper; k += L) {
            a0 = load(w, base + k).fma(FloatVector.fromArray(F, x, xOffset + k), a0);
        }
        float s = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; k < cols; k++) s += w.get(base + k) * x[xOffset + k];
        return s;
    }

    /** Elements {@code [index, index + L)} of the matrix data, widened to floats. */
    static FloatVector load(Matrix w, long index) {
        MemorySegment data = w.data();
        return switch (w.dtype()) {
            case F32 -> FloatVector.fromMemorySegment(F, data, index * 4, LE);
            case BF16 -> bf16ToFloat(ShortVector.fromMemorySegment(S, data, index * 2, LE));
            case F16 -> f16ToFloat(ShortVector.fromMemorySegment(S, data, index * 2, LE));
            default -> throw new AssertionError(w.dtype()); // Matrix admits only the three above
        };
    }

    /** bfloat16 is the top half of a float32: shift the 16 bits into place. */
    private static FloatVector bf16ToFloat(ShortVector bits) {
        IntVector wide = (IntVector) bits.convertShape(VectorOperators.S2I, F.withLanes(int.class), 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static final int F16_EXP_MASK = 0x7C00;
    /** 2^112 as float: rescales a float16 exponent (bias 15) placed in a float32 (bias 127). */
    private static final float F16_RESCALE = 0x1p112f;

    /**
     * IEEE binary16 to float32 without a lookup: moving the 15 magnitude bits up by 13 gives a
     * float32 that is exactly 2^-112 times the value (normals and subnormals alike), so multiply
     * by 2^112; infinities and NaNs keep an all-ones exponent; the sign bit moves to bit 31.
     */
    private static FloatVector f16ToFloat(ShortVector bits) {
        IntVector h = (IntVector) bits.convertShape(VectorOperators.S2I, F.withLanes(int.class), 0);
        IntVector magnitude = h.and(0x7FFF);
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        FloatVector finite = shifted.reinterpretAsFloats().mul(F16_RESCALE);
        IntVector special = shifted.or(0x7F800000);
        IntVector value = finite.reinterpretAsInts()
                .blend(special, magnitude.compare(VectorOperators.GE, F16_EXP_MASK));
        return value.or(sign).reinterpretAsFloats();
    }
}
