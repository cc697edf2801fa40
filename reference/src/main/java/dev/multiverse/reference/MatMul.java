package dev.multiverse.reference;

import dev.multiverse.contract.Matrix;
import dev.multiverse.weights.DType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix products of the forward pass, with the weights read in place (F32, F16 or BF16).
 *
 * <p>A decode step of a few sequences is memory-bound: every weight is read once per step, and the
 * kernel must widen and multiply faster than memory delivers (at ~30 GB/s of BF16, 15 G elements/s
 * per core). From about eight sequences on, the multiply-adds (one per weight per sequence) take
 * longer than the reads, and the step is bound by the FMA units instead.
 *
 * <p>BF16 weights (the models' own dtype) are widened in registers, never
 * stored: a bf16 is the top half of a float32, so an int lane holding the pair (w[2i] low,
 * w[2i+1] high) gives w[2i+1] as a float by clearing the low 16 bits and w[2i] by shifting left
 * 16. The activations are split once per call into their even and odd elements, so the even
 * weights meet the even activations and no lane is shuffled. Four weight rows are read together,
 * each from its own quarter of the thread's chunk (see {@code chunk}); four activation rows at a
 * time meet them once widened (a 4×4 block of outputs), the rest one by one. The first four
 * activation rows read a run of blocks from memory, the others read it again from L2.
 *
 * <p>F32 and F16 rows are widened to floats into a small
 * per-thread buffer (it stays in L1) and multiplied from there into every activation row: four
 * weight rows meet four activation rows at a time, so each vector loaded feeds four FMAs.
 *
 * <p>Every vector lives inside one method (no helper returns a vector): the JIT then keeps them
 * in registers whatever it decides to inline. A 4×4 block's sixteen sums leave through memory to
 * {@link LaneSums}, whose folding tree is much cheaper than sixteen lane reductions.
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
    /** Weight rows widened together, and activation rows multiplied together: a 4×4 block of outputs. */
    private static final int BLOCK = 4;
    /** The fewest blocks of weight rows per chunk handed to a thread (the last chunks of a loop). */
    private static final int GRAIN = 4;
    /** Blocks of a strand that meet one tile of activation rows before the next tile (see {@code rowBlocks}). */
    private static final int RUN = 16;

    /** One product of a fused {@link #matmul(ThreadTeam, float[], int, Product...)}: out = x·wᵀ + bias. */
    public record Product(Matrix w, Matrix bias, float[] out) {}

    /**
     * {@code out[b][r] = bias[r] + Σ_k w[r][k] · x[b][k]} for {@code b < batch}, {@code r < w.rows}.
     * Shapes: w [rows][cols], bias [1][rows] or null, x [batch][cols], out [batch][rows] (flat,
     * row-major).
     */
    public static void matmul(ThreadTeam team, Matrix w, Matrix bias, float[] x, int batch, float[] out) {
        matmul(team, x, batch, new Product(w, bias, out));
    }

    /**
     * Several products of the same input in one parallel loop (q, k and v; gate and up): one
     * hand-off between threads instead of one per product.
     */
    public static void matmul(ThreadTeam team, float[] x, int batch, Product... products) {
        if (products.length == 0) return;
        int[] firstBlock = new int[products.length + 1];
        int cols = products[0].w().cols();
        boolean anyBf16 = false;
        for (int p = 0; p < products.length; p++) {
            Matrix w = products[p].w();
            if (w.cols() != cols) throw new IllegalArgumentException("products of one input need one width: " + w + " after " + cols + " columns");
            anyBf16 |= w.dtype() == DType.BF16;
            if (products[p].bias() != null && products[p].bias().size() != w.rows())
                throw new IllegalArgumentException("bias of " + products[p].bias().size() + " for " + w.rows() + " rows");
            if (x.length < (long) batch * w.cols() || products[p].out().length < (long) batch * w.rows())
                throw new IllegalArgumentException("buffers too small for batch " + batch + " of " + w);
            firstBlock[p + 1] = firstBlock[p] + (w.rows() + BLOCK - 1) / BLOCK;
        }
        float[] split = anyBf16 ? splitEvenOdd(team, x, batch, cols) : null;
        team.forRange(firstBlock[products.length], GRAIN, (worker, from, to) -> {
            // [BLOCK][cols] widened weight rows and BLOCK·BLOCK partial sums, or BLOCK·BLOCK sums then [BLOCK·BLOCK][L] accumulators
            float[] scratch = team.scratch(worker, BLOCK * cols + BLOCK * BLOCK * (L + 1));
            int p = 0;
            while (from >= firstBlock[p + 1]) p++;
            for (; from < to; p++) {
                int end = Math.min(to, firstBlock[p + 1]);
                chunk(products[p], x, split, batch, from - firstBlock[p], end - firstBlock[p], scratch);
                from = end;
            }
        });
    }

    /**
     * Blocks {@code [first, last)} of one product: rows {@code [4·first, 4·last)}, for every
     * activation row. The n whole blocks are read as four strands of n rows each: block j holds rows
     * {@code 4·first + j + i·n}, i < 4, so each of the four rows read together walks forward through
     * memory row after row. Four sequential streams, each in its own pages, are what the hardware
     * prefetchers follow best; four adjacent rows would put all four streams into the same few pages.
     * The strands are taken {@link #RUN} blocks at a time.
     */
    private static void chunk(Product product, float[] x, float[] split, int batch, int first, int last, float[] scratch) {
        int rows = product.w().rows(), whole = Math.min(last, rows / BLOCK), n = whole - first;
        for (int j = 0; j < n; j += RUN) rowBlocks(product, x, split, batch, BLOCK * first + j, Math.min(RUN, n - j), n, BLOCK, scratch);
        for (int block = Math.max(first, whole); block < last; block++)
            rowBlocks(product, x, split, batch, BLOCK * block, 1, 1, rows - BLOCK * block, scratch);
    }

    /**
     * A run of {@code count} blocks of one product, for every activation row: block j (j < count)
     * holds rows {@code r0 + j + i·stride} for i < nr (a short block: nr < 4). BF16 blocks meet one
     * tile of activation rows across the whole run before the next tile: the first tile reads the
     * run from memory in long sequential stretches and the others find it in L2, which measured
     * faster at batch 8 than all tiles block by block. F32 and F16 blocks are widened once into the
     * scratch and meet every tile there.
     */
    private static void rowBlocks(Product product, float[] x, float[] split, int batch, int r0, int count, int stride, int nr, float[] scratch) {
        Matrix w = product.w();
        int rows = w.rows(), cols = w.cols();
        float[] out = product.out();
        if (w.dtype() == DType.BF16) {
            int b = 0;
            for (; b + BLOCK <= batch; b += BLOCK)
                for (int j = 0; j < count; j++) bf16Block4x4(w, r0 + j, stride, nr, split, x, b, out, scratch);
            for (; b < batch; b++)
                for (int j = 0; j < count; j++) bf16Block4x1(w, r0 + j, stride, nr, split, x, b, out, scratch);
        } else {
            for (int j = 0; j < count; j++) {
                // A short last block repeats its last row; the repeats are computed, never written.
                for (int i = 0; i < BLOCK; i++) widenRow(w, r0 + j + Math.min(i, nr - 1) * stride, scratch, i * cols);
                int b = 0;
                for (; b + BLOCK <= batch; b += BLOCK) block4x4(scratch, cols, x, b, out, rows, r0 + j, stride, nr);
                for (; b < batch; b++) block4x1(scratch, cols, x, b, out, rows, r0 + j, stride, nr);
            }
        }
        if (product.bias() != null) {
            for (int j = 0; j < count; j++) {
                for (int i = 0; i < nr; i++) {
                    int r = r0 + j + i * stride;
                    float br = product.bias().get(r);
                    for (int b = 0; b < batch; b++) out[b * rows + r] += br;
                }
            }
        }
    }

    /**
     * {@code out[b0+j][r0+i·stride] = Σ_k w_i[k] · x[b0+j][k]} for i, j < 4, with the four widened weight
     * rows {@code w_i} at {@code scratch[i·cols ..]}: each loaded vector feeds four FMAs, so the
     * loop does 8 loads per 16 FMAs instead of 2 per 1.
     */
    private static void block4x4(float[] scratch, int cols, float[] x, int b0, float[] out, int rows, int r0, int stride, int nr) {
        int x0 = b0 * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int k = 0;
        for (int upper = F.loopBound(cols); k < upper; k += L) {
            FloatVector w0 = FloatVector.fromArray(F, scratch, k), w1 = FloatVector.fromArray(F, scratch, cols + k);
            FloatVector w2 = FloatVector.fromArray(F, scratch, 2 * cols + k), w3 = FloatVector.fromArray(F, scratch, 3 * cols + k);
            FloatVector u = FloatVector.fromArray(F, x, x0 + k);
            a00 = w0.fma(u, a00); a10 = w1.fma(u, a10); a20 = w2.fma(u, a20); a30 = w3.fma(u, a30);
            u = FloatVector.fromArray(F, x, x1 + k);
            a01 = w0.fma(u, a01); a11 = w1.fma(u, a11); a21 = w2.fma(u, a21); a31 = w3.fma(u, a31);
            u = FloatVector.fromArray(F, x, x2 + k);
            a02 = w0.fma(u, a02); a12 = w1.fma(u, a12); a22 = w2.fma(u, a22); a32 = w3.fma(u, a32);
            u = FloatVector.fromArray(F, x, x3 + k);
            a03 = w0.fma(u, a03); a13 = w1.fma(u, a13); a23 = w2.fma(u, a23); a33 = w3.fma(u, a33);
        }
        // sums[i·4 + j] for weight row i, activation row j, after the 16 accumulators
        int s = BLOCK * cols, acc = s + BLOCK * BLOCK;
        a00.intoArray(scratch, acc); a01.intoArray(scratch, acc + L); a02.intoArray(scratch, acc + 2 * L); a03.intoArray(scratch, acc + 3 * L);
        a10.intoArray(scratch, acc + 4 * L); a11.intoArray(scratch, acc + 5 * L); a12.intoArray(scratch, acc + 6 * L); a13.intoArray(scratch, acc + 7 * L);
        a20.intoArray(scratch, acc + 8 * L); a21.intoArray(scratch, acc + 9 * L); a22.intoArray(scratch, acc + 10 * L); a23.intoArray(scratch, acc + 11 * L);
        a30.intoArray(scratch, acc + 12 * L); a31.intoArray(scratch, acc + 13 * L); a32.intoArray(scratch, acc + 14 * L); a33.intoArray(scratch, acc + 15 * L);
        LaneSums.sixteen(scratch, acc, scratch, s);
        for (int i = 0; i < nr; i++) {
            for (int j = 0; j < BLOCK; j++) {
                float sum = scratch[s + i * BLOCK + j];
                for (int t = k; t < cols; t++) sum += scratch[i * cols + t] * x[(b0 + j) * cols + t];
                out[(b0 + j) * rows + r0 + i * stride] = sum;
            }
        }
    }

    /** {@code out[b][r0+i·stride] = Σ_k w_i[k] · x[b][k]} for i < 4: one activation row against the four weight rows. */
    private static void block4x1(float[] scratch, int cols, float[] x, int b, float[] out, int rows, int r0, int stride, int nr) {
        int xo = b * cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int k = 0;
        for (int upper = F.loopBound(cols); k < upper; k += L) {
            FloatVector u = FloatVector.fromArray(F, x, xo + k);
            a0 = FloatVector.fromArray(F, scratch, k).fma(u, a0);
            a1 = FloatVector.fromArray(F, scratch, cols + k).fma(u, a1);
            a2 = FloatVector.fromArray(F, scratch, 2 * cols + k).fma(u, a2);
            a3 = FloatVector.fromArray(F, scratch, 3 * cols + k).fma(u, a3);
        }
        int s = BLOCK * cols;
        scratch[s] = a0.reduceLanes(VectorOperators.ADD);
        scratch[s + 1] = a1.reduceLanes(VectorOperators.ADD);
        scratch[s + 2] = a2.reduceLanes(VectorOperators.ADD);
        scratch[s + 3] = a3.reduceLanes(VectorOperators.ADD);
        for (int i = 0; i < nr; i++) {
            float sum = scratch[s + i];
            for (int t = k; t < cols; t++) sum += scratch[i * cols + t] * x[xo + t];
            out[b * rows + r0 + i * stride] = sum;
        }
    }

    /**
     * Lane l takes element 2l (or 2l + 1) of the pair of vectors (lo, hi): indexes past the first
     * vector wrap to the exceptional range, which {@code lo.rearrange(shuffle, hi)} reads from hi.
     */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(F, l -> 2 * l), ODDS = VectorShuffle.fromOp(F, l -> 2 * l + 1);

    /**
     * The activation rows split into even and odd elements, in the team's shared buffer, in the
     * order the BF16 kernels read them. A kernel's loop step reads L even and L odd elements of a
     * row; only the columns of whole steps are split (the kernels read the rest from x). Row b owns
     * {@code 2·steps·L} floats from {@code 2·b·steps·L}: its even vectors, then its odd ones. Rows
     * in whole groups of four are instead interleaved by step within their group's space: for each
     * step the four rows' even vectors, then their four odd vectors, so that a 4×4 block reads all
     * eight vectors of a step from one running index (fewer registers held, fewer instructions per
     * weight). Written by the caller before the loop, read by all threads.
     */
    private static float[] splitEvenOdd(ThreadTeam team, float[] x, int batch, int cols) {
        int vectors = I.loopBound(cols / 2), steps = vectors / L, grouped = batch / BLOCK * BLOCK;
        float[] split = team.sharedScratch(batch * 2 * vectors);
        for (int b = 0; b < batch; b++) {
            // step s of row b: even vector at first + s·stride, odd vector `odd` floats after it
            boolean inGroup = b < grouped;
            int first = inGroup ? 2 * (b - b % BLOCK) * vectors + b % BLOCK * L : 2 * b * vectors;
            int stride = inGroup ? 2 * BLOCK * L : L, odd = inGroup ? BLOCK * L : vectors;
            for (int s = 0, src = b * cols; s < steps; s++, src += 2 * L) {
                FloatVector lo = FloatVector.fromArray(F, x, src), hi = FloatVector.fromArray(F, x, src + L);
                lo.rearrange(EVENS, hi).intoArray(split, first + s * stride);
                lo.rearrange(ODDS, hi).intoArray(split, first + s * stride + odd);
            }
        }
        return split;
    }

    /** Clears the low (even) bf16 of each int lane: the high (odd) one is left as a float32. */
    private static final int ODD_BF16 = 0xFFFF0000;

    /**
     * {@code out[b][r0+i·stride] = Σ_k w_i[k] · x[b][k]} for i < 4, BF16 rows widened in registers: each
     * step loads 2·L weights of each row as L int lanes (pairs), widens them to an even and an odd
     * float vector and multiplies them into the activation row's even and odd halves ({@code
     * split}); 8 accumulators, the four rows' even and odd sums.
     */
    private static void bf16Block4x1(Matrix w, int r0, int stride, int nr, float[] split, float[] x, int b, float[] out, float[] sums) {
        MemorySegment data = w.data();
        int cols = w.cols(), vectors = I.loopBound(cols / 2), e = 2 * b * vectors, o = e + vectors;
        long o0 = rowBytes(w, r0, stride, 0, nr), o1 = rowBytes(w, r0, stride, 1, nr), o2 = rowBytes(w, r0, stride, 2, nr), o3 = rowBytes(w, r0, stride, 3, nr);
        FloatVector e0 = FloatVector.zero(F), e1 = e0, e2 = e0, e3 = e0, d0 = e0, d1 = e0, d2 = e0, d3 = e0;
        int p = 0;
        for (; p < vectors; p += L) {
            long at = 4L * p;
            IntVector v0 = IntVector.fromMemorySegment(I, data, o0 + at, LE), v1 = IntVector.fromMemorySegment(I, data, o1 + at, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, data, o2 + at, LE), v3 = IntVector.fromMemorySegment(I, data, o3 + at, LE);
            FloatVector u = FloatVector.fromArray(F, split, e + p);
            e0 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(u, e0);
            e1 = v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(u, e1);
            e2 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(u, e2);
            e3 = v3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(u, e3);
            u = FloatVector.fromArray(F, split, o + p);
            d0 = v0.and(ODD_BF16).reinterpretAsFloats().fma(u, d0);
            d1 = v1.and(ODD_BF16).reinterpretAsFloats().fma(u, d1);
            d2 = v2.and(ODD_BF16).reinterpretAsFloats().fma(u, d2);
            d3 = v3.and(ODD_BF16).reinterpretAsFloats().fma(u, d3);
        }
        sums[0] = e0.add(d0).reduceLanes(VectorOperators.ADD);
        sums[1] = e1.add(d1).reduceLanes(VectorOperators.ADD);
        sums[2] = e2.add(d2).reduceLanes(VectorOperators.ADD);
        sums[3] = e3.add(d3).reduceLanes(VectorOperators.ADD);
        for (int i = 0; i < nr; i++) out[b * w.rows() + r0 + i * stride] = 2 * p == cols ? sums[i] : sums[i] + tail(w, r0 + i * stride, 2 * p, x, b);
    }

    /**
     * {@code out[b0+j][r0+i·stride] = Σ_k w_i[k] · x[b0+j][k]} for i, j < 4, BF16 rows widened in
     * registers once for four activation rows: each step loads L int lanes (2·L weights) of each
     * row, widens the even halves and multiplies them into the four rows' even activations, then
     * the odd halves into the odd ones: 4 loads and 8 widening operations per 32 FMAs, against 16
     * loads and 32 widening operations for four calls of {@link #bf16Block4x1}. The 16
     * accumulators, one per (weight row, activation row), take the even and the odd products alike.
     * {@code sums} holds 16 sums and then the 16 accumulators' lanes.
     */
    private static void bf16Block4x4(Matrix w, int r0, int stride, int nr, float[] split, float[] x, int b0, float[] out, float[] sums) {
        MemorySegment data = w.data();
        int cols = w.cols(), rows = w.rows(), vectors = I.loopBound(cols / 2);
        long o0 = rowBytes(w, r0, stride, 0, nr), o1 = rowBytes(w, r0, stride, 1, nr), o2 = rowBytes(w, r0, stride, 2, nr), o3 = rowBytes(w, r0, stride, 3, nr);
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int p = 0;
        // q: this step's eight activation vectors (rows b0..b0+3 even, then odd), interleaved by splitEvenOdd
        for (int q = 2 * b0 * vectors; p < vectors; p += L, q += 2 * BLOCK * L) {
            long at = 4L * p;
            IntVector v0 = IntVector.fromMemorySegment(I, data, o0 + at, LE), v1 = IntVector.fromMemorySegment(I, data, o1 + at, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, data, o2 + at, LE), v3 = IntVector.fromMemorySegment(I, data, o3 + at, LE);
            FloatVector w0 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w1 = v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w2 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w3 = v3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector u = FloatVector.fromArray(F, split, q);
            a00 = w0.fma(u, a00); a10 = w1.fma(u, a10); a20 = w2.fma(u, a20); a30 = w3.fma(u, a30);
            u = FloatVector.fromArray(F, split, q + L);
            a01 = w0.fma(u, a01); a11 = w1.fma(u, a11); a21 = w2.fma(u, a21); a31 = w3.fma(u, a31);
            u = FloatVector.fromArray(F, split, q + 2 * L);
            a02 = w0.fma(u, a02); a12 = w1.fma(u, a12); a22 = w2.fma(u, a22); a32 = w3.fma(u, a32);
            u = FloatVector.fromArray(F, split, q + 3 * L);
            a03 = w0.fma(u, a03); a13 = w1.fma(u, a13); a23 = w2.fma(u, a23); a33 = w3.fma(u, a33);
            w0 = v0.and(ODD_BF16).reinterpretAsFloats();
            w1 = v1.and(ODD_BF16).reinterpretAsFloats();
            w2 = v2.and(ODD_BF16).reinterpretAsFloats();
            w3 = v3.and(ODD_BF16).reinterpretAsFloats();
            u = FloatVector.fromArray(F, split, q + 4 * L);
            a00 = w0.fma(u, a00); a10 = w1.fma(u, a10); a20 = w2.fma(u, a20); a30 = w3.fma(u, a30);
            u = FloatVector.fromArray(F, split, q + 5 * L);
            a01 = w0.fma(u, a01); a11 = w1.fma(u, a11); a21 = w2.fma(u, a21); a31 = w3.fma(u, a31);
            u = FloatVector.fromArray(F, split, q + 6 * L);
            a02 = w0.fma(u, a02); a12 = w1.fma(u, a12); a22 = w2.fma(u, a22); a32 = w3.fma(u, a32);
            u = FloatVector.fromArray(F, split, q + 7 * L);
            a03 = w0.fma(u, a03); a13 = w1.fma(u, a13); a23 = w2.fma(u, a23); a33 = w3.fma(u, a33);
        }
        // sums[i·4 + j] = Σ a_ij, through the scratch: [16][L] accumulators, then 16 sums
        int acc = BLOCK * BLOCK;
        a00.intoArray(sums, acc); a01.intoArray(sums, acc + L); a02.intoArray(sums, acc + 2 * L); a03.intoArray(sums, acc + 3 * L);
        a10.intoArray(sums, acc + 4 * L); a11.intoArray(sums, acc + 5 * L); a12.intoArray(sums, acc + 6 * L); a13.intoArray(sums, acc + 7 * L);
        a20.intoArray(sums, acc + 8 * L); a21.intoArray(sums, acc + 9 * L); a22.intoArray(sums, acc + 10 * L); a23.intoArray(sums, acc + 11 * L);
        a30.intoArray(sums, acc + 12 * L); a31.intoArray(sums, acc + 13 * L); a32.intoArray(sums, acc + 14 * L); a33.intoArray(sums, acc + 15 * L);
        LaneSums.sixteen(sums, acc, sums, 0);
        for (int i = 0; i < nr; i++)
            for (int j = 0; j < BLOCK; j++)
                out[(b0 + j) * rows + r0 + i * stride] = 2 * p == cols ? sums[i * BLOCK + j] : sums[i * BLOCK + j] + tail(w, r0 + i * stride, 2 * p, x, b0 + j);
    }

    /** The byte offset of row {@code r0 + i·stride} of a 16-bit matrix, or of its last row {@code r0 + (nr-1)·stride} past it. */
    private static long rowBytes(Matrix w, int r0, int stride, int i, int nr) {
        return (long) (r0 + Math.min(i, nr - 1) * stride) * w.cols() * 2;
    }

    /** {@code Σ_{k ≥ from} w[r][k] · x[b][k]}, scalar: the columns a kernel's vector loop left over. */
    private static float tail(Matrix w, int r, int from, float[] x, int b) {
        int cols = w.cols();
        float sum = 0;
        for (int k = from; k < cols; k++) sum += w.get((long) r * cols + k) * x[b * cols + k];
        return sum;
    }

    private static final float F16_RESCALE = 0x1p112f;

    /**
     * Row {@code r} of {@code w} widened to floats into {@code dst[offset .. offset + cols)}.
     *
     * <p>bfloat16 is the top half of a float32: shift the 16 bits into place. float16: moving the 15 magnitude bits up by 13 gives a float32 exactly 2^-112 times the
     * value (normals and subnormals alike), so multiply by 2^112; infinities and NaNs (magnitude ≥
     * 0x7C00) keep an all-ones exponent; the sign moves from bit 15 to bit 31.
     */
    static void widenRow(Matrix w, int r, float[] dst, int offset) {
        MemorySegment data = w.data();
        int cols = w.cols();
        long base = (long) r * cols;
        int k = 0, upper = F.loopBound(cols);
        switch (w.dtype()) {
            case F32 -> {
                MemorySegment.copy(data, Matrix.F32_LE, base * 4, dst, offset, cols);
                k = cols;
            }
            case BF16 -> {
                for (; k < upper; k += L) {
                    IntVector h = (IntVector) ShortVector.fromMemorySegment(S, data, (base + k) * 2, LE)
                            .convertShape(VectorOperators.S2I, I, 0);
                    h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, offset + k);
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
                    value.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().intoArray(dst, offset + k);
                }
            }
            default -> throw new AssertionError(w.dtype()); // Matrix admits only the three above
        }
        for (; k < cols; k++) dst[offset + k] = w.get(base + k);
    }
}
