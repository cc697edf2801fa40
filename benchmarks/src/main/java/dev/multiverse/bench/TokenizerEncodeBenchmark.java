package dev.multiverse.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.multiverse.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Encoding throughput, one thread: our {@link Tokenizer} against Hugging Face tokenizers (Rust,
 * through DJL) on the same texts in the same run. One operation encodes the whole corpus (by
 * default the 26 Multiverse traces, 0.75 MB): each file as one string, or each paragraph on its
 * own (parameter {@code unit}); both sides keep their per-word caches warm across operations, as
 * in a server.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TokenizerEncode -f 1 -wi 2 -i 3} (JMH
 * prints operations per second; multiply by the corpus size printed at setup), or for MB/s and
 * the ratio: {@code java -cp benchmarks/target/benchmarks.jar dev.multiverse.bench.TokenizerEncodeBenchmark
 * -f 1 -wi 2 -i 3}. Paths default to {@code ../shared/...} beside the repository root. On a
 * machine shared with other work, {@link TokenizerCpuTime} gives the same comparison in CPU time.
 *
 * <p>The baseline is DJL's {@code encode(text, false, false)}, which also builds DJL's Encoding
 * (ids, tokens, type ids, masks, character spans): the whole path a Java program gets from DJL.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TokenizerEncodeBenchmark {

    /** tokenizer.json; empty means ../shared/tokenizers/multiverse-qwen2.5/tokenizer.json. */
    @Param("")
    public String tokenizerJson;

    /** A folder of UTF-8 .txt files; empty means ../shared/multiverse-traces. */
    @Param("")
    public String corpusDir;

    /** Encode each file as one string ("file") or each paragraph (text between blank lines) on its own ("paragraph"). */
    @Param({"file", "paragraph"})
    public String unit;

    private List<String> texts;
    private Tokenizer ours;
    private HuggingFaceTokenizer huggingFace;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path tokenizer = tokenizerJson.isEmpty() ? shared().resolve("tokenizers/multiverse-qwen2.5/tokenizer.json") : Path.of(tokenizerJson);
        texts = unit.equals("paragraph") ? paragraphs(corpus(corpusDir)) : corpus(corpusDir);
        ours = Tokenizer.load(tokenizer);
        huggingFace = HuggingFaceTokenizer.newInstance(tokenizer, Map.of("addSpecialTokens", "false",
                "truncation", "false", "padding", "false", "modelMaxLength", String.valueOf(Integer.MAX_VALUE)));
        for (String text : texts) {
            long[] theirs = huggingFace.encode(text, false, false).getIds();
            int[] mine = ours.encode(text);
            if (theirs.length != mine.length) throw new IllegalStateException("the two tokenizers disagree on the corpus");
        }
        System.out.printf("%ncorpus: %d texts, %d bytes%n", texts.size(), corpusBytes(texts));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        huggingFace.close();
    }

    @Benchmark
    public void ours(Blackhole bh) {
        for (String text : texts) bh.consume(ours.encode(text));
    }

    @Benchmark
    public void huggingFace(Blackhole bh) {
        for (String text : texts) bh.consume(huggingFace.encode(text, false, false).getIds());
    }

    static List<String> corpus(String dir) {
        Path folder = dir.isEmpty() ? shared().resolve("multiverse-traces") : Path.of(dir);
        try (Stream<Path> files = Files.list(folder)) {
            List<String> texts = files.filter(p -> p.toString().endsWith(".txt")).sorted().map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
            if (texts.isEmpty()) throw new IllegalStateException("no .txt files in " + folder);
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the corpus folder " + folder, e);
        }
    }

    /** The files cut after each blank line ("\n\n"); the pieces concatenate to the files. */
    static List<String> paragraphs(List<String> files) {
        List<String> pieces = new java.util.ArrayList<>();
        for (String file : files) {
            int start = 0;
            for (int cut = file.indexOf("\n\n"); cut >= 0; cut = file.indexOf("\n\n", start)) {
                pieces.add(file.substring(start, cut + 2));
                start = cut + 2;
            }
            if (start < file.length()) pieces.add(file.substring(start));
        }
        return pieces;
    }

    static long corpusBytes(List<String> texts) {
        return texts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
    }

    /** {@code ../shared} beside the repository root (found from the working directory). */
    static Path shared() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("run from inside the repository (no mvnw found above " + Path.of("").toAbsolutePath() + ")");
        return dir.resolveSibling("shared");
    }

    /** Runs both benchmarks (JMH options as arguments, such as -f 1 -wi 2 -i 3) and prints MB/s and the ratio. */
    public static void main(String[] args) throws RunnerException, Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        var options = new OptionsBuilder().parent(cli).include(TokenizerEncodeBenchmark.class.getName() + "\\.").build();
        double megabytes = corpusBytes(corpus(cli.getParameter("corpusDir").hasValue()
                ? cli.getParameter("corpusDir").get().iterator().next() : "")) / 1e6;
        Map<String, double[]> byUnit = new java.util.TreeMap<>(); // unit -> {ours, HF} in MB/s
        for (RunResult r : new Runner(options).run()) {
            double mbPerSecond = r.getPrimaryResult().getScore() * megabytes;
            double[] pair = byUnit.computeIfAbsent(r.getParams().getParam("unit"), u -> new double[2]);
            pair[r.getParams().getBenchmark().endsWith(".ours") ? 0 : 1] = mbPerSecond;
        }
        System.out.printf("%nencode throughput, one thread, %.3f MB corpus (MB = 10^6 bytes of UTF-8):%n", megabytes);
        System.out.printf("  %-10s %12s %12s %8s%n", "unit", "ours MB/s", "HF MB/s", "ratio");
        byUnit.forEach((unit, v) -> System.out.printf("  %-10s %12.2f %12.2f %8.2f%n", unit, v[0], v[1], v[0] / v[1]));
    }
}
