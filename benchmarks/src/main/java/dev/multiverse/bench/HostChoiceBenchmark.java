package dev.multiverse.bench;

import dev.multiverse.contract.LogProbs;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.TokenRule;
import dev.multiverse.reference.CpuReadout;
import dev.multiverse.reference.ThreadTeam;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * What choosing a token costs on the host, without the forward pass: the CPU readout ({@link
 * CpuReadout}: the token under the rule and its log-prob) against the pre-v2 host path (the
 * engine's old {@code Sampler} then {@code LogProbs.logProb}, copied below as {@link
 * OldHostSampler}), per sequence per token.
 *
 * <p>Rows of 151,680 random logits shaped like a trained model's next-token logits: N(0, 2.5) with
 * eight ids at 12 .. 20. Each sequence sees a context of 1,024 random tokens (the repetition
 * penalty's). Three rules: (a) the Qwen2.5 defaults, T = 0.7, top-p 0.8, top-k 20, repetition
 * penalty 1.05; (b) greedy, with the token's log-prob; (c) T = 0.7 alone. Batches of 1 and 8: the
 * readout spreads a batch's sequences over its threads, the old path chose them one after another
 * on the engine thread.
 *
 * <p>The run is a series of rounds; each round times every (rule, batch, path) once, in an order
 * that rotates from round to round, so another process slowing the machine slows both paths alike.
 * Printed per rule and batch: the best and the median over the rounds of the time per sequence per
 * token, for both paths, and the ratio of the medians.
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * benchmarks/target/benchmarks.jar dev.multiverse.bench.HostChoiceBenchmark [rounds=25]
 * [threads=<cores>] [vocab=151680] [context=1024]}
 */
public final class HostChoiceBenchmark {
    private HostChoiceBenchmark() {}

    private static final int WARMUP_ROUNDS = 5;
    private static final int[] BATCHES = {1, 8};
    /** Distinct logit rows, used in turn. */
    private static final int ROWS = 16;

    /** A rule under test, by name. */
    private record Case(String name, double temperature, int topK, double topP, double repetitionPenalty) {
        TokenRule rule(int vocab) {
            return new TokenRule(temperature, topK, topP, 0, repetitionPenalty, vocab, new int[0]);
        }
    }

    private static final List<Case> CASES = List.of(
            new Case("(a) Qwen2.5 defaults: T 0.7, top-p 0.8, top-k 20, rep. penalty 1.05", 0.7, 20, 0.8, 1.05),
            new Case("(b) greedy, with its log-prob", 0, 0, 1, 1),
            new Case("(c) T 0.7 alone", 0.7, 0, 1, 1));

    public static void main(String[] args) {
        int rounds = CpuDecodeBenchmark.arg(args, "rounds", 25);
        int threads = CpuDecodeBenchmark.arg(args, "threads", Runtime.getRuntime().availableProcessors());
        int vocab = CpuDecodeBenchmark.arg(args, "vocab", 151_680);
        int context = CpuDecodeBenchmark.arg(args, "context", 1024);
        if (context < 1) throw new IllegalArgumentException("context=" + context + ": a sequence sees at least its own token");
        System.out.printf("load average at start: %.2f; %d threads; vector %d bits; vocabulary %d; context %d tokens; %d rounds%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), threads,
                jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize(), vocab, context, rounds);
        Random random = new Random(42);
        float[][] rows = new float[ROWS][];
        int[][] contexts = new int[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            rows[i] = modelLikeLogits(vocab, random);
            contexts[i] = random.ints(context, 0, vocab).toArray();
        }
        int paths = 2, configs = CASES.size() * BATCHES.length;
        double[][][] seconds = new double[configs][paths][rounds]; // per sequence per token
        long checksum = 0;
        try (ThreadTeam team = new ThreadTeam(threads)) {
            CpuReadout readout = new CpuReadout(team, vocab);
            SplittableRandom draws = new SplittableRandom(7);
            int next = 0;
            for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
                for (int k = 0; k < configs * paths; k++) {
                    int slot = Math.floorMod(k + round, configs * paths), config = slot / paths, path = slot % paths;
                    Case c = CASES.get(config / BATCHES.length);
                    int batch = BATCHES[config % BATCHES.length];
                    TokenRule rule = c.rule(vocab);
                    int first = next;
                    next = (next + batch) % ROWS;
                    long start = System.nanoTime();
                    if (path == 0) {
                        List<CpuReadout.Rows> inputs = new ArrayList<>(batch);
                        for (int b = 0; b < batch; b++) {
                            int i = (first + b) % ROWS;
                            inputs.add(new CpuReadout.Rows(new float[][] {rows[i]}, new int[] {contexts[i][context - 1]}, contexts[i],
                                    Readout.of(Pick.chosen(rule, draws.nextDouble()))));
                        }
                        for (var r : readout.read(inputs)) checksum += r.token() + (long) r.tokenLogprob();
                    } else {
                        for (int b = 0; b < batch; b++) {
                            int i = (first + b) % ROWS;
                            OldHostSampler sampler = new OldHostSampler(c.temperature(), c.topK(), c.topP(), 0, c.repetitionPenalty(),
                                    draws.nextLong());
                            int token = sampler.next(rows[i], contexts[i], vocab);
                            checksum += token + (long) LogProbs.logProb(rows[i], token);
                        }
                    }
                    if (round >= 0) seconds[config][path][round] = (System.nanoTime() - start) * 1e-9 / batch;
                }
            }
        }
        System.out.printf("load average at end: %.2f (checksum %d)%n%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), checksum);
        System.out.println("ms per sequence per token:");
        System.out.println();
        System.out.println("| rule | batch | readout best | readout median | old best | old median | old / readout (medians) |");
        System.out.println("|:-----|------:|-------------:|---------------:|---------:|-----------:|------------------------:|");
        for (int config = 0; config < configs; config++) {
            double[] fast = seconds[config][0], old = seconds[config][1];
            System.out.printf("| %s | %d | %.3f | %.3f | %.2f | %.2f | %.0fx |%n", CASES.get(config / BATCHES.length).name(),
                    BATCHES[config % BATCHES.length], best(fast) * 1e3, CpuDecodeBenchmark.median(fast) * 1e3, best(old) * 1e3, CpuDecodeBenchmark.median(old) * 1e3,
                    CpuDecodeBenchmark.median(old) / CpuDecodeBenchmark.median(fast));
        }
    }

    /** N(0, 2.5) with eight ids at 12 .. 20: a few plausible tokens over a long tail. */
    private static float[] modelLikeLogits(int vocab, Random random) {
        float[] x = new float[vocab];
        for (int i = 0; i < vocab; i++) x[i] = (float) (2.5 * random.nextGaussian());
        for (int j = 0; j < 8; j++) x[random.nextInt(vocab)] = 12 + 8 * random.nextFloat();
        return x;
    }

    private static double best(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    /**
     * The pre-v2 baseline: the engine's {@code Sampler} as it was before token choice moved behind
     * {@code Backend.step} ({@code git show a756c43~2:scheduler/src/main/java/dev/multiverse/engine/Sampler.java}),
     * its {@code SamplingParams} and {@code SequenceView} reduced to fields and an array. Kept only
     * to time against; not the rule ({@code TokenRule}'s ties and order differ).
     */
    static final class OldHostSampler {
        private final double temperature, topP, minP, repetitionPenalty;
        private final int topK;
        private final SplittableRandom random;

        OldHostSampler(double temperature, int topK, double topP, double minP, double repetitionPenalty, long seed) {
            this.temperature = temperature;
            this.topK = topK;
            this.topP = topP;
            this.minP = minP;
            this.repetitionPenalty = repetitionPenalty;
            this.random = new SplittableRandom(seed);
        }

        int next(float[] logits, int[] sequence, int choosableIds) {
            // Padding ids of the model's vocabulary are never chosen.
            if (choosableIds < logits.length) logits = Arrays.copyOf(logits, choosableIds);
            float[] scores = repetitionPenalty == 1 ? logits : penalised(logits, sequence);
            if (temperature == 0) return LogProbs.argmax(scores);
            return draw(probabilities(scores));
        }

        private float[] penalised(float[] logits, int[] sequence) {
            float[] out = logits.clone();
            boolean[] done = new boolean[logits.length];
            float penalty = (float) repetitionPenalty;
            for (int t : sequence) {
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
            double invT = 1.0 / temperature;
            double sum = 0;
            for (int v = 0; v < n; v++) sum += p[v] = Math.exp((scores[v] - max) * invT);
            double top = 0;
            for (int v = 0; v < n; v++) top = Math.max(top, p[v] /= sum);
            if (minP > 0) {
                double floor = minP * top;
                for (int v = 0; v < n; v++) if (p[v] < floor) p[v] = 0;
            }
            if (topK > 0 || topP < 1) keepMostLikely(p);
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
            int keep = topK > 0 ? Math.min(topK, candidates) : candidates;
            if (topP < 1) {
                double total = 0;
                for (int i = 0; i < keep; i++) total += p[(int) order[i]];
                double cumulative = 0;
                int reach = 0;
                while (reach < keep) {
                    cumulative += p[(int) order[reach++]];
                    if (cumulative >= topP * total) break;
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
}
