package dev.multiverse.reference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The element-wise kernels of the forward pass. Activations are flat row-major float arrays;
 * {@code n} is the number of rows, each comment gives the shapes.
 */
public final class Kernels {
    private Kernels() {}

    private static final int L = MatMul.L;

    /**
     * {@code out[r] = x[r] / sqrt(mean(x[r]²) + eps) * weight}, per row. x, out [n][dim]; weight
     * [dim] as floats (the model widens its norm weights once, at load).
     */
    public static void rmsNorm(float[] x, float[] weight, float eps, int n, float[] out) {
        int dim = weight.length;
        for (int r = 0; r < n; r++) {
            int o = r * dim, i = 0;
            float scale = (float) (1.0 / Math.sqrt(dot(x, o, x, o, dim) / dim + eps));
            for (int upper = MatMul.F.loopBound(dim); i < upper; i += L) {
                FloatVector.fromArray(MatMul.F, weight, i).mul(FloatVector.fromArray(MatMul.F, x, o + i).mul(scale))
                        .intoArray(out, o + i);
            }
            for (; i < dim; i++) out[o + i] = weight[i] * (x[o + i] * scale);
        }
    }

    /**
     * The rotation angles of rotary embeddings, {@code θ_i = position · theta^(-2i/headDim)} for
     * {@code i < headDim/2}: cos, sin [n][headDim/2]. Computed in float32 the way Hugging Face does
     * (inverse frequency, then the product, each rounded to float) so that long positions agree.
     */
    public static void ropeAngles(int[] positions, int n, int headDim, float theta, float[] cos, float[] sin) {
        int half = headDim / 2;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < half; i++) {
                float invFreq = (float) (1.0 / (float) Math.pow(theta, (float) (2 * i) / headDim));
                float angle = invFreq * (float) positions[r];
                cos[r * half + i] = (float) Math.cos(angle);
                sin[r * half + i] = (float) Math.sin(angle);
            }
        }
    }

    /**
     * Rotary embedding in the half-split ("rotate_half") convention, in place: in each head, the
     * pair {@code (x_i, x_{i+d/2})} turns by {@code θ_i}. x [n][heads·headDim]; cos, sin
     * [n][headDim/2].
     */
    public static void rope(float[] x, int n, int heads, int headDim, float[] cos, float[] sin) {
        int half = headDim / 2;
        for (int r = 0; r < n; r++) {
            for (int h = 0; h < heads; h++) {
                int o = (r * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    float c = cos[r * half + i], s = sin[r * half + i];
                    float x0 = x[o + i], x1 = x[o + i + half];
                    x[o + i] = x0 * c - x1 * s;
                    x[o + i + half] = x1 * c + x0 * s;
                }
            }
        }
    }

    /**
     * The gated MLP activation, in place: {@code gate = silu(gate) · up}, silu(g) = g / (1 + e^-g),
     * computed as {@code g·up / (1 + e^-g)} (a large negative g gives e^-g = ∞ and a signed zero).
     * gate, up [length]. The vector exponential is within an ulp or two of {@link Math#exp}, and
     * some 40 times faster than the scalar loop.
     */
    public static void swiglu(float[] gate, float[] up, int length) {
        int i = 0;
        for (int upper = MatMul.F.loopBound(length); i < upper; i += L) {
            FloatVector g = FloatVector.fromArray(MatMul.F, gate, i);
            g.mul(FloatVector.fromArray(MatMul.F, up, i)).div(g.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(gate, i);
        }
        for (; i < length; i++) {
            float g = gate[i];
            gate[i] = (float) (g / (1.0 + Math.exp(-g))) * up[i];
        }
    }

    /**
     * {@code x[i] = e^(x[i] - shift)} for {@code i < n}, in place, returning their sum: the
     * numerators and the denominator of a softmax (shift = the maximum keeps every power ≤ 1).
     */
    public static float expShifted(float[] x, int n, float shift) {
        FloatVector sums = FloatVector.zero(MatMul.F);
        int i = 0;
        for (int upper = MatMul.F.loopBound(n); i < upper; i += L) {
            FloatVector e = FloatVector.fromArray(MatMul.F, x, i).sub(shift).lanewise(VectorOperators.EXP);
            e.intoArray(x, i);
            sums = sums.add(e);
        }
        float sum = sums.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            x[i] = (float) Math.exp(x[i] - shift);
            sum += x[i];
        }
        return sum;
    }

    /** The residual connection, {@code x += delta}. x, delta [length]. */
    public static void add(float[] x, float[] delta, int length) {
        int i = 0;
        for (int upper = MatMul.F.loopBound(length); i < upper; i += L) {
            FloatVector.fromArray(MatMul.F, x, i).add(FloatVector.fromArray(MatMul.F, delta, i)).intoArray(x, i);
        }
        for (; i < length; i++) x[i] += delta[i];
    }

    /** {@code Σ_i a[ao + i] · b[bo + i]} for {@code i < n}; four accumulators hide the FMA latency. */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector s0 = FloatVector.zero(MatMul.F), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int upper = n - 4 * L; i <= upper; i += 4 * L) {
            s0 = FloatVector.fromArray(MatMul.F, a, ao + i).fma(FloatVector.fromArray(MatMul.F, b, bo + i), s0);
            s1 = FloatVector.fromArray(MatMul.F, a, ao + i + L).fma(FloatVector.fromArray(MatMul.F, b, bo + i + L), s1);
            s2 = FloatVector.fromArray(MatMul.F, a, ao + i + 2 * L).fma(FloatVector.fromArray(MatMul.F, b, bo + i + 2 * L), s2);
            s3 = FloatVector.fromArray(MatMul.F, a, ao + i + 3 * L).fma(FloatVector.fromArray(MatMul.F, b, bo + i + 3 * L), s3);
        }
        for (int upper = MatMul.F.loopBound(n); i < upper; i += L) {
            s0 = FloatVector.fromArray(MatMul.F, a, ao + i).fma(FloatVector.fromArray(MatMul.F, b, bo + i), s0);
        }
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /** {@code y[yo + i] += alpha · x[xo + i]} for {@code i < n}. */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int upper = MatMul.F.loopBound(n); i < upper; i += L) {
            FloatVector.fromArray(MatMul.F, x, xo + i)
                    .fma(FloatVector.broadcast(MatMul.F, alpha), FloatVector.fromArray(MatMul.F, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }
}
