package dev.multiverse.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.multiverse.tokenizer.Tokenizer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The same comparison as {@link TokenizerEncodeBenchmark}, timed by the thread's CPU time instead
 * of the wall clock, for machines shared with other work: a thread that waits for a core does not
 * count that wait. Both tokenizers run on the calling thread (DJL calls the Rust code in place).
 * Reports the best of the measured rounds for each.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * dev.multiverse.bench.TokenizerCpuTime [rounds]} from the repository root.
 */
public final class TokenizerCpuTime {
    private TokenizerCpuTime() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path json = TokenizerEncodeBenchmark.shared().resolve("tokenizers/multiverse-qwen2.5/tokenizer.json");
        List<String> texts = TokenizerEncodeBenchmark.corpus("");
        double megabytes = TokenizerEncodeBenchmark.corpusBytes(texts) / 1e6;
        Tokenizer ours = Tokenizer.load(json);
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(json, Map.of("addSpecialTokens", "false",
                "truncation", "false", "padding", "false", "modelMaxLength", String.valueOf(Integer.MAX_VALUE)))) {
            double oursBest = best(rounds, texts, t -> ours.encode(t).length);
            double hfBest = best(rounds, texts, t -> hf.encode(t, false, false).getIds().length);
            System.out.printf("encode, one thread, CPU time, best of %d rounds over %.3f MB:%n", rounds, megabytes);
            System.out.printf("  ours                        %8.2f MB per CPU-second%n", megabytes / oursBest);
            System.out.printf("  HF tokenizers through DJL   %8.2f MB per CPU-second%n", megabytes / hfBest);
            System.out.printf("  ratio ours / HF             %8.2f%n", hfBest / oursBest);
        }
    }

    /** The least CPU seconds one pass over {@code texts} took, after a third as many warm-up passes. */
    private static double best(int rounds, List<String> texts, ToIntFunction<String> encode) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        double best = Double.MAX_VALUE;
        for (int round = -Math.max(1, rounds / 3); round < rounds; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (String text : texts) sink += encode.applyAsInt(text);
            double seconds = (threads.getCurrentThreadCpuTime() - start) / 1e9;
            if (round >= 0) best = Math.min(best, seconds);
        }
        if (sink == 42) System.out.print(""); // keeps the results alive
        return best;
    }
}
