package dev.multiverse.reference;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector passes of the readout over one row of logits x[0 .. n): its maximum, and sums of
 * exponentials. At 151,680 ids a row is 600 KB, which stays in L2 between passes.
 *
 * <p>Sums keep ~1e-7 relative accuracy over the whole vocabulary: the lanewise EXP is within an
 * ulp or two of {@link Math#exp} (1e-7 relative per term), and each chunk of 64 terms (four per
 * lane) is widened to double before chunks are added (one float accumulator over the row would
 * lose up to 151,680 · 6e-8 ≈ 1e-2, ~1e-5 typically).
 */
final class VocabKernels {
    private VocabKernels() {}

    static final VectorSpecies<Float> F = MatMul.F;
    /** Doubles in vectors of the same width: the low and the high half of a float vector, widened. */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    /** Ids per vector. */
    static final int L = F.length();

    /** {@code max_i x[i]} over {@code i < n}, n ≥ 1; four running maxima hide the latency of each. */
    static float max(float[] x, int n) {
        FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        int i = 0;
        for (int upper = n - 4 * L; i <= upper; i += 4 * L) {
            m0 = m0.max(FloatVector.fromArray(F, x, i));
            m1 = m1.max(FloatVector.fromArray(F, x, i + L));
            m2 = m2.max(FloatVector.fromArray(F, x, i + 2 * L));
            m3 = m3.max(FloatVector.fromArray(F, x, i + 3 * L));
        }
        for (int upper = F.loopBound(n); i < upper; i += L) m0 = m0.max(FloatVector.fromArray(F, x, i));
        float max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) max = Math.max(max, x[i]);
        return max;
    }

    /** {@code log Σ_i e^x[i]} over the whole row: the log-partition Z of log p(i) = x[i] − Z. */
    static double logSumExp(float[] x) {
        float max = max(x, x.length);
        return max + Math.log(expSum(x, x.length, max, 1f, 0f, null, null, null));
    }

    /**
     * Vectors per chunk of {@link #expSum}: their terms are added in float (four per lane, an error
     * of at most 3 · 2^-24 ≈ 2e-7 of the chunk's sum, ~6e-8 typically), then the chunk's sum in
     * double. Widening every vector instead costs twice the exponentials' time.
     */
    private static final int VECTORS_PER_CHUNK = 4;
    /** Ids per chunk of {@link #expSum}: chunk c holds ids {@code [c·CHUNK, (c+1)·CHUNK)}. */
    static final int CHUNK = VECTORS_PER_CHUNK * L;

    /** How many chunks {@link #expSum} writes for {@code n} ids: the last may be short. */
    static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    /**
     * How close to a floor a float term counts as undecided: the float e_i is within ~1e-7 · (1 +
     * |exponent|) of its double value, so a term within this relative distance of the floor may lie
     * on either side of it in double.
     */
    static final float FLOOR_BAND = 1e-5f;

    /**
     * {@code Σ e_i} with {@code e_i = e^((x[i] − shift) · scale)} over the ids {@code i < n} not in
     * {@code excluded} (null: none) whose {@code e_i ≥ floor} (0: all). With {@code chunkSums} not
     * null, also {@code chunkSums[c]} = the sum over chunk c (see {@link #chunks}): where in id
     * order a running sum crosses a value, without a second pass.
     *
     * <p>A floor decided in float would drop or keep a term its double value puts on the other side
     * (a min-p planted exactly at a probability shared by many tied ids moves a large mass). So with
     * a floor, a term within {@link #FLOOR_BAND} of it is left out of the sum and its id listed in
     * {@code nearFloor} (required with a floor), for the caller to decide in double.
     *
     * <p>shift = the row's maximum keeps every term ≤ 1; scale = 1/T applies a temperature.
     */
    static double expSum(float[] x, int n, float shift, float scale, float floor, IdBitmap excluded, double[] chunkSums,
                         IdList nearFloor) {
        if (floor > 0 && nearFloor == null) throw new IllegalArgumentException("a floor of " + floor + " needs a list for the ids near it");
        float below = floor * (1 - FLOOR_BAND), above = floor * (1 + FLOOR_BAND);
        DoubleVector low = DoubleVector.zero(D), high = low;
        int i = 0, c = 0;
        for (int upper = n - CHUNK; i <= upper; c++) {
            FloatVector chunk = FloatVector.zero(F);
            for (int v = 0; v < VECTORS_PER_CHUNK; v++, i += L) {
                FloatVector e = FloatVector.fromArray(F, x, i).sub(shift).mul(scale).lanewise(VectorOperators.EXP);
                VectorMask<Float> dropped = e.compare(VectorOperators.LT, floor);
                long skipped = excluded == null ? 0 : excluded.lanes(i, L);
                if (floor > 0) {
                    long nearIds = e.compare(VectorOperators.GE, below).and(e.compare(VectorOperators.LE, above)).toLong() & ~skipped;
                    for (long lanes = nearIds; lanes != 0; lanes &= lanes - 1) nearFloor.add(i + Long.numberOfTrailingZeros(lanes));
                    skipped |= nearIds;
                }
                if (skipped != 0) dropped = dropped.or(VectorMask.fromLong(F, skipped));
                chunk = chunk.add(e.blend(0f, dropped));
            }
            DoubleVector lo = (DoubleVector) chunk.convert(VectorOperators.F2D, 0), hi = (DoubleVector) chunk.convert(VectorOperators.F2D, 1);
            low = low.add(lo);
            high = high.add(hi);
            if (chunkSums != null) chunkSums[c] = lo.add(hi).reduceLanes(VectorOperators.ADD);
        }
        double sum = low.add(high).reduceLanes(VectorOperators.ADD);
        if (i < n) { // the last, short chunk
            double tail = 0;
            for (; i < n; i++) {
                if (excluded != null && excluded.contains(i)) continue;
                float e = (float) Math.exp((x[i] - shift) * scale);
                if (floor > 0 && e >= below && e <= above) nearFloor.add(i);
                else if (e >= floor) tail += e;
            }
            sum += tail;
            if (chunkSums != null) chunkSums[c] = tail;
        }
        return sum;
    }
}
