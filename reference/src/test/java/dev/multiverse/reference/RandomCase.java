package dev.multiverse.reference;

import dev.multiverse.contract.ChoiceReference;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.TokenRule;
import java.util.Arrays;
import java.util.Random;

/**
 * Random readout inputs for {@link CpuReadoutProperties}, built to land on the rule's edges: logit
 * rows of several shapes (many with duplicated values), top-k at a tie, top-p at the exact mass
 * share of a prefix of the most likely ids, min-p at an id's exact probability, penalties, bans.
 */
final class RandomCase {
    private RandomCase() {}

    /** The shapes of a last row of logits. */
    enum Shape {
        /** N(0, 2) plus a handful of ids at 8 .. 15, as a trained model's next-token logits look. */
        MODEL_LIKE,
        /** N(0, σ), σ in [0.1, 5]. */
        GAUSSIAN,
        /** N(0, 2) rounded to halves: ties everywhere. */
        GRID,
        /** One to three distinct values. */
        FEW_VALUES,
        /** Gaussian, with the largest value copied into a few other ids. */
        TIED_TOP,
        /** All negative (the penalty multiplies them). */
        NEGATIVE,
        /** Increasing with the id: the worst order for a running threshold. */
        ASCENDING
    }

    /** One sequence: 1 to 4 rows, a readout of random kind, a rule with planted edges. */
    static CpuReadout.Rows of(int vocab, Random random) {
        int rows = 1 + random.nextInt(4);
        int[] rowTokens = tokens(random, rows, vocab);
        int[] seen = concat(tokens(random, random.nextInt(Math.min(1200, 2 * vocab + 2)), vocab), rowTokens);
        float[] last = row(Shape.values()[random.nextInt(Shape.values().length)], vocab, random);
        Pick pick = switch (random.nextInt(20)) {
            case 0, 1, 2 -> Pick.none();
            case 3, 4, 5, 6 -> Pick.given(random.nextInt(vocab));
            default -> Pick.chosen(rule(last, seen, vocab, random), uniform(random));
        };
        boolean rowLogprobs = random.nextBoolean(), logits = random.nextInt(10) == 0;
        int topN = !pick.isNone() && random.nextInt(5) < 2 ? 1 + random.nextInt(30) : 0;
        int[] scoreIds = tokens(random, random.nextInt(4), vocab);
        float[][] all;
        if (rowLogprobs || logits) {
            all = new float[rows][];
            for (int r = 0; r < rows - 1; r++) all[r] = row(Shape.GAUSSIAN, vocab, random);
            all[rows - 1] = last;
        } else {
            all = new float[][] {last};
        }
        return new CpuReadout.Rows(all, rowTokens, seen, new Readout(rowLogprobs, pick, scoreIds, topN, logits));
    }

    /** A short name of what a rule filters with, for the statistics. */
    static String describe(TokenRule rule) {
        if (rule.isGreedy()) return "greedy";
        StringBuilder b = new StringBuilder();
        if (rule.topK() > 0) b.append("top-k ");
        if (rule.minP() > 0) b.append("min-p ");
        if (rule.topP() < 1) b.append("top-p ");
        return b.isEmpty() ? "temperature alone" : b.toString().trim();
    }

    private static double uniform(Random random) {
        return switch (random.nextInt(20)) {
            case 0 -> 0;
            case 1 -> Math.nextDown(1.0);
            default -> random.nextDouble();
        };
    }

    /** A rule for the row {@code logits}: each filter on or off, some set exactly at an edge of this row. */
    private static TokenRule rule(float[] logits, int[] seen, int vocab, Random random) {
        double temperature = random.nextInt(5) == 0 ? 0 : 0.05 + 1.95 * random.nextDouble();
        int choosable = random.nextInt(4) == 0 ? 1 + random.nextInt(vocab) : vocab;
        int[] banned = banned(logits, choosable, vocab, random);
        double penalty = switch (random.nextInt(6)) {
            case 0, 1, 2 -> 1;
            case 3 -> 1.05;
            default -> 0.5 + 1.5 * random.nextDouble();
        };
        TokenRule plain = new TokenRule(temperature, 0, 1, 0, penalty, choosable, banned);
        if (plain.isGreedy()) return plain;
        int topK = switch (random.nextInt(5)) {
            case 0, 1 -> 0;
            case 2, 3 -> 1 + random.nextInt(Math.min(60, vocab + 5));
            default -> tiedK(ChoiceReference.scores(logits, plain, seen), random);
        };
        double minP = switch (random.nextInt(10)) {
            case 0, 1, 2, 3, 4 -> 0;
            case 5, 6, 7 -> 0.001 + 0.5 * random.nextDouble();
            default -> keptProbability(ChoiceReference.kept(logits, with(plain, topK, 1, 0), seen), random);
        };
        double topP = switch (random.nextInt(20)) {
            case 0, 1, 2, 3, 4, 5, 6, 7 -> 1;
            case 8, 9, 10, 11, 12, 13, 14 -> 0.05 + 0.95 * random.nextDouble();
            default -> prefixShare(ChoiceReference.kept(logits, with(plain, topK, 1, minP), seen), random);
        };
        return with(plain, topK, topP, minP);
    }

    private static TokenRule with(TokenRule r, int topK, double topP, double minP) {
        return new TokenRule(r.temperature(), topK, topP, minP, r.repetitionPenalty(), r.choosable(), r.banned());
    }

    /** None, a few ids (the most likely one often among them), or all but one id below choosable. */
    private static int[] banned(float[] logits, int choosable, int vocab, Random random) {
        int[] banned = switch (random.nextInt(6)) {
            case 0, 1, 2 -> new int[0];
            case 3 -> new int[] {argmax(logits, choosable), random.nextInt(vocab)};
            case 4 -> tokens(random, 1 + random.nextInt(5), vocab);
            default -> {
                int keep = random.nextInt(choosable);
                yield java.util.stream.IntStream.range(0, Math.min(choosable, 50)).filter(i -> i != keep).toArray();
            }
        };
        // at least one id below choosable stays allowed
        int[] distinct = Arrays.stream(banned).distinct().toArray();
        if (Arrays.stream(distinct).filter(b -> b < choosable).count() == choosable) {
            int spare = random.nextInt(choosable);
            distinct = Arrays.stream(distinct).filter(b -> b != spare).toArray();
        }
        return distinct;
    }

    /** A k whose k-th and (k+1)-th largest allowed scores tie, if the row has such a pair; else a random k. */
    private static int tiedK(double[] scores, Random random) {
        double[] desc = Arrays.stream(scores).filter(s -> !Double.isNaN(s)).map(s -> -s).sorted().map(s -> -s).toArray();
        int[] tied = java.util.stream.IntStream.range(0, desc.length - 1).filter(j -> desc[j] == desc[j + 1]).toArray();
        return tied.length == 0 ? 1 + random.nextInt(Math.max(1, desc.length)) : tied[random.nextInt(tied.length)] + 1;
    }

    /** The exact probability of a random kept id (below 1), as min-p: that id sits on min-p's edge. */
    private static double keptProbability(double[] kept, Random random) {
        double[] below = Arrays.stream(kept).filter(p -> p > 0 && p < 1).toArray();
        return below.length == 0 ? 0 : below[random.nextInt(below.length)];
    }

    /**
     * The mass share of the j most likely kept ids (a random j), summed as the reference sums, as
     * top-p: the cumulative mass reaches P·M right at an id (within the rounding of P = a / M).
     */
    private static double prefixShare(double[] kept, Random random) {
        double[] desc = Arrays.stream(kept).filter(p -> p > 0).map(p -> -p).sorted().map(p -> -p).toArray();
        double mass = 0;
        for (double p : desc) mass += p;
        int j = 1 + random.nextInt(desc.length);
        double prefix = 0;
        for (int i = 0; i < j; i++) prefix += desc[i];
        double share = prefix / mass;
        return share > 0 && share <= 1 ? share : 1;
    }

    static float[] row(Shape shape, int vocab, Random random) {
        float[] x = new float[vocab];
        switch (shape) {
            case MODEL_LIKE -> {
                for (int i = 0; i < vocab; i++) x[i] = (float) (2 * random.nextGaussian());
                for (int j = 0; j < 5; j++) x[random.nextInt(vocab)] = 8 + 7 * random.nextFloat();
            }
            case GAUSSIAN -> {
                double sigma = 0.1 + 4.9 * random.nextDouble();
                for (int i = 0; i < vocab; i++) x[i] = (float) (sigma * random.nextGaussian());
            }
            case GRID -> {
                for (int i = 0; i < vocab; i++) x[i] = Math.round(4 * random.nextGaussian()) / 2f;
            }
            case FEW_VALUES -> {
                float[] values = {(float) random.nextGaussian(), (float) random.nextGaussian(), 3 * (float) random.nextGaussian()};
                int distinct = 1 + random.nextInt(3);
                for (int i = 0; i < vocab; i++) x[i] = values[random.nextInt(distinct)];
            }
            case TIED_TOP -> {
                for (int i = 0; i < vocab; i++) x[i] = (float) (2 * random.nextGaussian());
                float top = x[argmax(x, vocab)];
                for (int j = 0, copies = 1 + random.nextInt(6); j < copies; j++) x[random.nextInt(vocab)] = top;
            }
            case NEGATIVE -> {
                for (int i = 0; i < vocab; i++) x[i] = (float) (-Math.abs(3 * random.nextGaussian()) - 0.5);
            }
            case ASCENDING -> {
                for (int i = 0; i < vocab; i++) x[i] = (float) (i * 1e-3 + 0.01 * random.nextGaussian());
            }
        }
        return x;
    }

    private static int argmax(float[] x, int limit) {
        int best = 0;
        for (int i = 1; i < Math.min(limit, x.length); i++) if (x[i] > x[best]) best = i;
        return best;
    }

    private static int[] tokens(Random random, int count, int vocab) {
        int[] t = new int[count];
        for (int i = 0; i < count; i++) t[i] = random.nextInt(vocab);
        return t;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
