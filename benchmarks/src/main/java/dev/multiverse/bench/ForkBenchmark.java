package dev.multiverse.bench;

import dev.multiverse.engine.Engine;
import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.Replay;
import dev.multiverse.engine.TokenizerVocabulary;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.ModelConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The engine's own host time around a fork of 16 paths from a long context, at 1K and 16K tokens
 * of context: the time of the step in which the root forks, and of each later step while the 16
 * paths decode, excluding the backend's (a {@link ScriptBackend} that computes nothing but keeps
 * and checks the runs, timed by {@link TimedBackend}). With contexts as shared runs neither should grow with the context.
 *
 * <p>Usage: {@code ForkBenchmark [tokenizer=FILE] [rounds=7]}; the tokenizer defaults to the
 * project's fixture.
 */
public final class ForkBenchmark {
    private static final int PATHS = 16, PATH_TOKENS = 64;

    private ForkBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(arg(args, "tokenizer", "tokenizer/src/test/resources/multiverse-qwen2.5/tokenizer.json.gz"));
        int rounds = Integer.parseInt(arg(args, "rounds", "7"));
        Tokenizer tokenizer = Tokenizer.load(file);
        var config = new ModelConfig(64, 192, 1, 1, 1, 64, 151_680, 1e-6f, 1e6, 1 << 20, true, DType.BF16,
                OptionalInt.empty(), new int[] {151_645});
        var vocabulary = new TokenizerVocabulary(tokenizer, config.eosTokenIds());
        int[] contexts = {1024, 16_384};
        double[][] forkUs = new double[contexts.length][rounds], stepUs = new double[contexts.length][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int c = 0; c < contexts.length; c++) {
                int[] text = tokenizer.encode(text(contexts[c]));
                double[] t = measure(config, vocabulary, text);
                forkUs[c][round] = t[0];
                stepUs[c][round] = t[1];
            }
        }
        System.out.printf("engine host time, %d paths of %d tokens forked from a long context (backend time excluded), %d rounds%n",
                PATHS, PATH_TOKENS, rounds);
        for (int c = 0; c < contexts.length; c++)
            System.out.printf("context %6d: fork step median %8.1f us (best %8.1f); later steps median %6.1f us each (best %6.1f)%n",
                    contexts[c], median(forkUs[c]), min(forkUs[c]), median(stepUs[c]), min(stepUs[c]));
        System.out.printf("16K / 1K: fork step %.2fx, later steps %.2fx (target <= 2x)%n",
                median(forkUs[1]) / median(forkUs[0]), median(stepUs[1]) / median(stepUs[0]));
    }

    /** [engine µs of the step that forks, mean engine µs of each step after it]. */
    private static double[] measure(ModelConfig config, TokenizerVocabulary vocabulary, int[] text) {
        var backend = new TimedBackend(new ScriptBackend(config, text.length + 64));
        var engine = new Engine(backend, vocabulary, EngineConfig.defaults());
        var handle = engine.submit(Replay.request(text, vocabulary));
        double fork = 0, after = 0, previous = 0;
        int afterSteps = 0;
        int pathTag = vocabulary.tags().path();
        boolean forked = false;
        while (!handle.isDone()) {
            long t0 = System.nanoTime();
            engine.step();
            double us = (System.nanoTime() - t0 - backend.takeNanos()) / 1e3;
            int live = backend.lastBatchSize();
            if (!forked && live > 1) {
                fork = previous; // the step before the first with several rows computed the newline and forked
                forked = true;
            }
            if (forked && live > 1) {
                after += us;
                afterSteps++;
            }
            previous = us;
        }
        GenerationResult r = handle.result().join();
        if (r.stats().paths() != PATHS || !Arrays.equals(r.tokens(), text))
            throw new IllegalStateException("the replay did not fork into " + PATHS + " paths: " + r.stats().paths());
        if (Arrays.stream(text).filter(t -> t == pathTag).count() != PATHS) throw new IllegalStateException("text");
        return new double[] {fork, after / afterSteps};
    }

    /** A prompt, about {@code context} tokens of text, then a block of 16 paths and its conclusion. */
    static String text(int context) {
        var s = new StringBuilder("<|im_start|>user\nCount the words.<|im_end|>\n<|im_start|>assistant\n");
        for (int i = 0; s.length() < context * 4; i++) s.append(" word").append(i % 1000);
        s.append("\n<Parallel>\n<Goal>\n");
        for (int p = 1; p <= PATHS; p++) s.append("<Outline>\n").append(p).append(": part ").append(p).append("\n</Outline>\n");
        s.append("</Goal>\n");
        for (int p = 1; p <= PATHS; p++) {
            s.append("<Path>\n").append(p).append(":");
            for (int k = 0; k < PATH_TOKENS; k++) s.append(" x");
            s.append("</Path>\n");
        }
        return s.append("<Conclusion>\n done\n</Conclusion>\n</Parallel>").toString();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) if (a.startsWith(name + "=")) return a.substring(name.length() + 1);
        return fallback;
    }
}
