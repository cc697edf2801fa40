package dev.multiverse.reference;

/**
 * The activation buffers of a forward step, flat row-major, reused from step to step and grown
 * only when a step has more rows (or longer slot lists) than any before it.
 */
final class Activations {
    private final int hidden, qDim, kvDim, inter, half, vocab, threads;
    private int rows = -1;
    private int keys = -1;
    private int logitRows = -1;

    float[] x;      // [n][hidden]  the residual stream
    float[] xn;     // [n][hidden]  normalised input of a block
    float[] q;      // [n][heads·headDim]
    float[] k;      // [n][kvHeads·headDim]
    float[] v;      // [n][kvHeads·headDim]
    float[] att;    // [n][heads·headDim]  attention output
    float[] delta;  // [n][hidden]  a block's output, added to x
    float[] gate;   // [n][intermediate]
    float[] up;     // [n][intermediate]
    float[] cos;    // [n][headDim/2]
    float[] sin;    // [n][headDim/2]
    float[] logits; // [logit rows][vocab]
    float[][] scores; // [threads][longest slot list]

    Activations(int hidden, int qDim, int kvDim, int inter, int headDim, int vocab, int threads) {
        this.hidden = hidden;
        this.qDim = qDim;
        this.kvDim = kvDim;
        this.inter = inter;
        this.half = headDim / 2;
        this.vocab = vocab;
        this.threads = threads;
    }

    /**
     * Makes room for a step of {@code n} rows whose longest slot list has {@code longestKeys} slots
     * and which returns the logits of {@code logitRows} rows.
     */
    void reserve(int n, int longestKeys, int logitRows) {
        if (n > rows) {
            rows = n;
            x = new float[n * hidden];
            xn = new float[n * hidden];
            q = new float[n * qDim];
            k = new float[n * kvDim];
            v = new float[n * kvDim];
            att = new float[n * qDim];
            delta = new float[n * hidden];
            gate = new float[n * inter];
            up = new float[n * inter];
            cos = new float[n * half];
            sin = new float[n * half];
        }
        if (logitRows > this.logitRows) {
            this.logitRows = logitRows;
            logits = new float[Math.multiplyExact(logitRows, vocab)];
        }
        if (longestKeys > keys) {
            keys = longestKeys;
            scores = new float[threads][longestKeys];
        }
    }
}
