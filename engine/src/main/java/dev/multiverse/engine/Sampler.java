package dev.multiverse.engine;

import dev.multiverse.contract.LogProbs;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Samples a sequence's next token with {@link SamplingParams}. Its random stream is seeded from the
 * request seed and the sequence's path key only, so what it draws never depends on which other
 * sequences or requests share the batch.
 */
public final class Sampler implements TokenChooser {
    private final SamplingParams params;
    private final SplittableRandom random;

    public Sampler(SamplingParams params, String pathKey) {
        this.params = params;
        this.random = new SplittableRandom(streamSeed(params.seed(), pathKey));
    }

    /** A 64-bit mix of the request seed and the path key (FNV-1a over the key, then SplitMix64). */
    static long streamSeed(long seed, String pathKey) {
        long h = 0xcbf29ce484222325L;
        for (byte b : pathKey.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        long z = seed + 0x9e3779b97f4a7c15L * (h | 1);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public TokenChooser child(int index, String outlineId, String pathKey) {
        return new Sampler(params, pathKey);
    }

    @Override
    public int next(float[] logits, SequenceView sequence) {
        // Padding ids of the model's vocabulary are never chosen.
        if (sequence.choosableIds() < logits.length) logits = Arrays.copyOf(logits, sequence.choosableIds());
        float[] scores = params.repetitionPenalty() == 1 ? logits : penalised(logits, sequence);
        if (params.isGreedy()) return LogProbs.argmax(scores);
        return draw(probabilities(scores));
    }

    private float[] penalised(float[] logits, SequenceView sequence) {
        float[] out = logits.clone();
        boolean[] done = new boolean[logits.length];
        float penalty = (float) params.repetitionPenalty();
        for (int i = 0; i < sequence.size(); i++) {
            int t = sequence.token(i);
            if (t < 0 || t >= out.length || done[t]) continue;
            done[t] = true;
            out[t] = out[t] > 0 ? out[t] / penalty : out[t] * penalty;
        }
        return out;
    }

    /** softmax(scores / T), then top-k, min-p and top-p zero out what they drop (unnormalised). */
    private double[] probabilities(float[] scores) {
        int n = scores.length;
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) max = Math.max(max, s);
        double[] p = new double[n];
        double invT = 1.0 / params.temperature();
        double sum = 0;
        for (int v = 0; v < n; v++) sum += p[v] = Math.exp((scores[v] - max) * invT);
        double top = 0;
        for (int v = 0; v < n; v++) top = Math.max(top, p[v] /= sum);
        if (params.minP() > 0) {
            double floor = params.minP() * top;
            for (int v = 0; v < n; v++) if (p[v] < floor) p[v] = 0;
        }
        if (params.topK() > 0 || params.topP() < 1) keepMostLikely(p);
        return p;
    }

    /** Keeps the k most likely tokens, then the shortest most-likely prefix reaching top-p. */
    private void keepMostLikely(double[] p) {
        int candidates = 0;
        for (double x : p) if (x > 0) candidates++;
        long[] order = new long[candidates];
        int c = 0;
        // Sort by probability descending, then id ascending: pack (-p bits, id); p > 0 so bits order like values.
        for (int v = 0; v < p.length; v++) if (p[v] > 0) order[c++] = ((long) ~Float.floatToIntBits((float) p[v]) << 32) | v;
        Arrays.sort(order);
        int keep = params.topK() > 0 ? Math.min(params.topK(), candidates) : candidates;
        if (params.topP() < 1) {
            double total = 0;
            for (int i = 0; i < keep; i++) total += p[(int) order[i]];
            double cumulative = 0;
            int reach = 0;
            while (reach < keep) {
                cumulative += p[(int) order[reach++]];
                if (cumulative >= params.topP() * total) break;
            }
            keep = reach;
        }
        for (int i = keep; i < candidates; i++) p[(int) order[i]] = 0;
    }

    private int draw(double[] p) {
        double total = 0;
        for (double x : p) total += x;
        double u = random.nextDouble() * total;
        int last = 0;
        for (int v = 0; v < p.length; v++) {
            if (p[v] == 0) continue;
            last = v;
            if ((u -= p[v]) < 0) return v;
        }
        return last;
    }
}
