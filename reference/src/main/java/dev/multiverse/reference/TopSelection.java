package dev.multiverse.reference;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The top-k of a row by selection, not sorting: every scored id whose score is at least the k-th
 * largest (so ties at the edge are all kept), found in one pass over the logits.
 *
 * <p>A min-heap holds the k largest scores seen so far; its root is the threshold t (−∞ until k
 * scores are in), which only rises. A vector compare {@code x ≥ t} per chunk of L ids lets
 * almost every chunk through untouched; an id that passes is appended to a list (if not excluded)
 * and offered to the heap. At the end the heap's root is the k-th largest score, and since t never
 * exceeded it, the list holds every id scoring at least that: the answer, after one filter. On
 * random order the list stays near k·ln(n/k) ids; on increasing logits it grows to n (correct,
 * only slower).
 *
 * <p>The penalised ids of {@link RuleScores} go into the heap first with their own scores, and
 * are merged back in id order at the end. Per-thread scratch, reused from call to call.
 */
final class TopSelection {
    private double[] heap = new double[64];
    private int heapSize, k;
    /** Ids that passed the running threshold, in increasing id order (unpenalised ids only). */
    private int[] passed = new int[256];
    private int passedCount;

    /**
     * Fills {@code out}, in increasing id order, with every allowed id of {@code scores} whose
     * score is at least the {@code k}-th largest allowed score, and returns that score; when fewer
     * than k ids are allowed, with all of them, returning −∞.
     */
    double select(RuleScores scores, int k, Candidates out) {
        if (k < 1) throw new IllegalArgumentException("a selection keeps at least one id, asked for " + k);
        startHeap(Math.min(k, scores.allowed() + 1)); // beyond the allowed count, any k means all of them
        for (int j = 0; j < scores.penalised(); j++) offer(scores.penalisedScore(j));
        float[] x = scores.logits();
        int n = scores.n();
        IdBitmap excluded = scores.excluded;
        passedCount = 0;
        double threshold = threshold();
        float floatThreshold = floatAtMost(threshold);
        int i = 0;
        for (int upper = VocabKernels.F.loopBound(n); i < upper; i += VocabKernels.L) {
            VectorMask<Float> pass = FloatVector.fromArray(VocabKernels.F, x, i).compare(VectorOperators.GE, floatThreshold);
            if (!pass.anyTrue()) continue;
            for (long lanes = pass.toLong(); lanes != 0; lanes &= lanes - 1) {
                int id = i + Long.numberOfTrailingZeros(lanes);
                if (x[id] >= threshold && !excluded.contains(id)) threshold = take(id, x[id]);
            }
            floatThreshold = floatAtMost(threshold);
        }
        for (; i < n; i++) {
            if (x[i] >= threshold && !excluded.contains(i)) threshold = take(i, x[i]);
        }
        mergeAtLeast(threshold, scores, out);
        return threshold;
    }

    /** out = the passed ids and the penalised ids scoring at least {@code edge}, merged in id order. */
    private void mergeAtLeast(double edge, RuleScores scores, Candidates out) {
        out.clear();
        float[] x = scores.logits();
        int a = 0, b = 0, penalised = scores.penalised();
        while (a < passedCount || b < penalised) {
            boolean takePassed = b == penalised || (a < passedCount && passed[a] < scores.penalisedId(b));
            if (takePassed) {
                int id = passed[a++];
                if (x[id] >= edge) out.add(id, x[id]);
            } else {
                double s = scores.penalisedScore(b);
                if (s >= edge) out.add(scores.penalisedId(b), s);
                b++;
            }
        }
    }

    /** Lists {@code id} (score s) as passed and offers s to the heap; returns the new threshold. */
    private double take(int id, double s) {
        if (passedCount == passed.length) passed = Arrays.copyOf(passed, 2 * passedCount);
        passed[passedCount++] = id;
        return offer(s);
    }

    private void startHeap(int k) {
        this.k = k;
        heapSize = 0;
        if (heap.length < k) heap = new double[Math.max(k, 2 * heap.length)];
    }

    /** The k-th largest score offered so far, or −∞ while fewer than k are in. */
    private double threshold() {
        return heapSize < k ? Double.NEGATIVE_INFINITY : heap[0];
    }

    /** Offers a score to the heap of the k largest; returns the new threshold. */
    private double offer(double s) {
        if (heapSize < k) {
            int j = heapSize++;
            while (j > 0 && heap[(j - 1) / 2] > s) {
                heap[j] = heap[(j - 1) / 2];
                j = (j - 1) / 2;
            }
            heap[j] = s;
        } else if (s > heap[0]) {
            int j = 0;
            while (true) {
                int child = 2 * j + 1;
                if (child >= k) break;
                if (child + 1 < k && heap[child + 1] < heap[child]) child++;
                if (heap[child] >= s) break;
                heap[j] = heap[child];
                j = child;
            }
            heap[j] = s;
        }
        return threshold();
    }

    /** The largest float at most {@code t}: a float compare {@code x ≥ f} then lets through every x ≥ t. */
    private static float floatAtMost(double t) {
        float f = (float) t;
        return f > t ? Math.nextDown(f) : f;
    }
}
