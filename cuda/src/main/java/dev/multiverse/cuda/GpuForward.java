package dev.multiverse.cuda;

import dev.multiverse.cuda.ffi.Cublas;
import dev.multiverse.weights.ModelConfig;

/**
 * The Qwen2 forward pass on the GPU, the same math as the CPU reference's {@code Qwen2.step}:
 * fp32 residual stream, bf16 weights and GEMM inputs, fp32 accumulation, bf16 KV cache. It reads
 * its rows (tokens, positions, slots, key lists) from {@link StepBuffers}' device metadata, so one
 * call can be captured into a graph and replayed for any step of the same shape.
 */
final class GpuForward {
    private final ModelConfig c;
    private final GpuWeights w;
    private final GpuKvCache kv;
    private final GpuKernels k;
    private final Cublas blas;

    GpuForward(GpuWeights weights, GpuKvCache kv, GpuKernels kernels, Cublas blas) {
        this.c = weights.config();
        this.w = weights;
        this.kv = kv;
        this.k = kernels;
        this.blas = blas;
    }

    /**
     * {@code y[n][out] = x[n][in] · w[out][in]ᵀ}: the weight-streaming GEMV for a single row (on an
     * H100 at the 32B shape it beat cuBLAS at one row, 28.2 vs 28.8 ms a step, and lost from two
     * rows on), cuBLAS beyond.
     */
    private void linear(long x, long w, long y, int n, int in, int out) {
        if (n == 1) k.gemv(x, w, y, n, in, out);
        else k.timed("cublasGemmEx", () -> blas.linear(x, w, y, n, in, out));
    }

    /**
     * Queues one step of {@code n} rows: K/V written to their slots, logits of the
     * {@code logitRows} listed rows left in {@code b.logits}. {@code keyCapacity} bounds every
     * row's key list.
     */
    void run(StepBuffers b, int n, int logitRows, int keyCapacity) {
        int d = c.hiddenSize(), m = c.intermediateSize(), heads = c.numHeads(), kvHeads = c.numKvHeads(), hd = c.headDim();
        int qd = heads * hd, qkvDim = qd + 2 * kvHeads * hd;
        float eps = c.rmsNormEps(), theta = (float) c.ropeTheta();
        k.embeddingGather(w.embed().pointer(), b.tokens(), b.x.pointer(), n, d);
        long pendingDelta = 0; // the previous layer's MLP output, added to x by the next norm
        for (int l = 0; l < c.numLayers(); l++) {
            GpuWeights.Layer L = w.layer(l);
            // Attention block: x += o(attend(rope(q(norm(x))), rope(k(norm(x))), v(norm(x))))
            k.addRmsNorm(b.x.pointer(), pendingDelta, 0, L.inputNorm().pointer(), b.normed.pointer(), n, d, eps);
            linear(b.normed.pointer(), L.qkv().pointer(), b.qkv.pointer(), n, d, qkvDim);
            k.qkvBiasRopeStore(b.qkv.pointer(), L.qkvBias().pointer(), b.positions(), b.writeSlots(), b.q.pointer(),
                    kv.keys(l), kv.values(l), n, heads, kvHeads, hd, theta);
            k.attention(b.q.pointer(), kv.keys(l), kv.values(l), b.keySlots.pointer(), b.keyStart(), b.keyCount(),
                    b.att.pointer(), n, heads, kvHeads, hd, keyCapacity);
            linear(b.att.pointer(), L.o().pointer(), b.delta.pointer(), n, qd, d);
            // MLP block: x += down(silu(gate(norm(x))) · up(norm(x)))
            k.addRmsNorm(b.x.pointer(), b.delta.pointer(), 0, L.postNorm().pointer(), b.normed.pointer(), n, d, eps);
            linear(b.normed.pointer(), L.gateUp().pointer(), b.gateUp.pointer(), n, d, 2 * m);
            k.siluMul(b.gateUp.pointer(), b.hidden.pointer(), n, m);
            linear(b.hidden.pointer(), L.down().pointer(), b.delta.pointer(), n, m, d);
            pendingDelta = b.delta.pointer();
        }
        // logits = lmHead · norm(x) for the listed rows only.
        k.addRmsNorm(b.x.pointer(), pendingDelta, b.logitRowIndex(), w.finalNorm().pointer(), b.finalNormed.pointer(),
                logitRows, d, eps);
        linear(b.finalNormed.pointer(), w.lmHead().pointer(), b.logits.pointer(), logitRows, d, c.vocabSize());
    }
}
