package dev.multiverse.reference;

import dev.multiverse.contract.AttentionMask;
import dev.multiverse.contract.LayerWeights;
import dev.multiverse.contract.LogitsSink;
import dev.multiverse.contract.Matrix;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.contract.StepRows;
import dev.multiverse.reference.MatMul.Product;
import dev.multiverse.weights.ModelConfig;

/**
 * The Qwen2 decoder on the CPU, in float32 over weights read in place.
 *
 * <p>{@link #step} is the only forward pass: it takes rows (token, position, the slot its K/V go
 * to, the slots it attends to) and a KV cache. The batched backend step and the single pass over
 * a whole text both reduce to it; they differ only in the slot lists. Not thread-safe: one step
 * at a time (the step itself runs on all threads of the team).
 */
public final class Qwen2 implements AutoCloseable {

    /** Rows per step of a single pass: bounds the activation memory for long texts. */
    static final int SINGLE_PASS_CHUNK = 64;

    private final ModelConfig config;
    private final Qwen2Weights weights;
    private final ThreadTeam team;
    private final Activations act;
    private final float[] rowLogits;
    /** The norm weights widened to floats once (a few KB per layer; every other weight is read in place). */
    private final float[][] inputNorms, postAttentionNorms;
    private final float[] finalNorm;

    /** A model over {@code weights} that runs on {@code threads} threads. */
    public Qwen2(Qwen2Weights weights, int threads) {
        this.weights = weights;
        this.config = weights.config();
        this.team = new ThreadTeam(threads);
        ModelConfig c = config;
        this.act = new Activations(c.hiddenSize(), c.numHeads() * c.headDim(), c.numKvHeads() * c.headDim(),
                c.intermediateSize(), c.headDim(), c.vocabSize(), threads);
        this.rowLogits = new float[c.vocabSize()];
        this.inputNorms = weights.layers().stream().map(l -> floats(l.inputNorm())).toArray(float[][]::new);
        this.postAttentionNorms = weights.layers().stream().map(l -> floats(l.postAttentionNorm())).toArray(float[][]::new);
        this.finalNorm = floats(weights.finalNorm());
    }

    /** A [1][d] weight as d floats. */
    private static float[] floats(Matrix vector) {
        float[] values = new float[vector.cols()];
        vector.copyRow(0, values, 0);
        return values;
    }

    public ModelConfig config() {
        return config;
    }

    /** The threads the model runs on (also the backend's readout's, between steps). */
    ThreadTeam team() {
        return team;
    }

    /** A KV cache for this model with {@code capacity} slots. */
    public KvCache newKvCache(int capacity) {
        return new KvCache(config.numLayers(), capacity, config.numKvHeads() * config.headDim());
    }

    /**
     * One forward step: writes each row's K/V (keys after RoPE) to its slot in {@code kv}, and
     * hands the logits of {@code rows.logitRows()} to {@code sink}, in that order.
     */
    void step(StepRows rows, KvCache kv, LogitsSink sink) {
        int n = rows.size(), hidden = config.hiddenSize(), heads = config.numHeads(), kvHeads = config.numKvHeads();
        int headDim = config.headDim();
        float eps = config.rmsNormEps();
        act.reserve(n, rows.longestKeyList(), rows.logitRows().length);
        for (int r = 0; r < n; r++) weights.embedTokens().copyRow(rows.tokens()[r], act.x, r * hidden);
        Kernels.ropeAngles(rows.positions(), n, headDim, (float) config.ropeTheta(), act.cos, act.sin);
        for (int l = 0; l < config.numLayers(); l++) {
            LayerWeights w = weights.layers().get(l);
            // Attention block: x += o(attend(rope(q(norm(x))), rope(k(norm(x))), v(norm(x))))
            Kernels.rmsNorm(act.x, inputNorms[l], eps, n, act.xn);
            MatMul.matmul(team, act.xn, n,
                    new Product(w.q(), w.qBias(), act.q), new Product(w.k(), w.kBias(), act.k), new Product(w.v(), w.vBias(), act.v));
            Kernels.rope(act.q, n, heads, headDim, act.cos, act.sin);
            Kernels.rope(act.k, n, kvHeads, headDim, act.cos, act.sin);
            kv.write(l, rows.writeSlots(), n, act.k, act.v);
            Attention.attendSlots(team, act.q, kv.keys(l), kv.values(l), rows.keySlots(), n,
                    heads, kvHeads, headDim, act.scores, act.att);
            MatMul.matmul(team, w.o(), null, act.att, n, act.delta);
            Kernels.add(act.x, act.delta, n * hidden);
            // MLP block: x += down(silu(gate(norm(x))) · up(norm(x)))
            Kernels.rmsNorm(act.x, postAttentionNorms[l], eps, n, act.xn);
            MatMul.matmul(team, act.xn, n, new Product(w.gate(), null, act.gate), new Product(w.up(), null, act.up));
            Kernels.swiglu(act.gate, act.up, n * config.intermediateSize());
            MatMul.matmul(team, w.down(), null, act.gate, n, act.delta);
            Kernels.add(act.x, act.delta, n * hidden);
        }
        logits(rows.logitRows(), sink);
    }

    /** logits = lmHead · norm(x) for the listed rows only: the vocabulary product is the largest of all. */
    private void logits(int[] logitRows, LogitsSink sink) {
        int hidden = config.hiddenSize(), vocab = config.vocabSize();
        for (int i = 0; i < logitRows.length; i++) {
            System.arraycopy(act.x, logitRows[i] * hidden, act.delta, i * hidden, hidden);
        }
        Kernels.rmsNorm(act.delta, finalNorm, config.rmsNormEps(), logitRows.length, act.xn);
        MatMul.matmul(team, weights.lmHead(), null, act.xn, logitRows.length, act.logits);
        for (int i = 0; i < logitRows.length; i++) {
            System.arraycopy(act.logits, i * vocab, rowLogits, 0, vocab);
            sink.accept(logitRows[i], rowLogits);
        }
    }

    /**
     * The whole text in one pass: token i at {@code positions[i]} attends to every token j ≤ i with
     * {@code mask.visible(i, j)}. Hands the logits of every token, in order, to {@code sink}.
     *
     * @throws IllegalArgumentException if the lengths differ, a token is outside the vocabulary, a
     *     position is negative, or a token does not see itself
     */
    public void forward(int[] tokens, int[] positions, AttentionMask mask, LogitsSink sink) {
        if (positions.length != tokens.length)
            throw new IllegalArgumentException(positions.length + " positions for " + tokens.length + " tokens");
        for (int i = 0; i < tokens.length; i++)
            StepRows.checkTokenAndPosition(tokens[i], positions[i], config.vocabSize(), "token " + i);
        if (tokens.length == 0) return;
        KvCache kv = newKvCache(tokens.length);
        for (int from = 0; from < tokens.length; from += SINGLE_PASS_CHUNK) {
            int to = Math.min(tokens.length, from + SINGLE_PASS_CHUNK), offset = from;
            step(StepRows.ofSinglePass(tokens, positions, mask, from, to), kv,
                    (row, logits) -> sink.accept(offset + row, logits));
        }
    }

    /** {@link #forward(int[], int[], AttentionMask, LogitsSink)} collecting every row: [tokens][vocab]. */
    public float[][] forward(int[] tokens, int[] positions, AttentionMask mask) {
        float[][] all = new float[tokens.length][];
        forward(tokens, positions, mask, (row, logits) -> all[row] = logits.clone());
        return all;
    }

    /** Stops the threads. */
    @Override
    public void close() {
        team.close();
    }
}
