package dev.multiverse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.Engine;
import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.Replay;
import dev.multiverse.engine.Request;
import dev.multiverse.engine.RequestHandle;
import dev.multiverse.engine.SamplingParams;
import dev.multiverse.tokenizer.ChatFormat;
import dev.multiverse.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code multiverse eval}: greedy Multiverse generation over a set of questions with known answers,
 * all requests batched together by the engine, scored by exact match of the number after the last
 * "Answer: ". Then, on some of the outputs, the wall time of decoding the same tokens in parallel
 * (forking at their tags) against sequentially (one sequence), each alone.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluates a model on questions with known answers (JSON lines: {\"question\": ..., \"answer\": ...}):",
            "exact answers, how often a parallel block is used, the mean parallelism ratio, and the wall-time",
            "speedup of parallel over sequential decoding of the same outputs."
        })
public final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(names = "--problems", required = true, paramLabel = "FILE", description = "questions and answers, JSON lines")
    Path problemsFile;

    @Option(names = "--limit", paramLabel = "N", description = "the first N problems only (default: all)")
    int limit = Integer.MAX_VALUE;

    @Option(names = "--concurrency", paramLabel = "N", description = "requests decoded together (default: 16)")
    int concurrency = 16;

    @Option(names = "--max-tokens", paramLabel = "N", description = "critical-path budget per request (default: 4096)")
    int maxTokens = 4096;

    @Option(names = "--max-total-tokens", paramLabel = "N", description = "tokens across all paths (default: 6000)")
    int maxTotalTokens = 6000;

    @Option(names = "--speedup-samples", paramLabel = "N",
            description = "outputs replayed in parallel and sequential mode for the wall-time speedup (default: 20; 0 = skip)")
    int speedupSamples = 20;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "deadline of each request, from its start (default: 600)")
    double timeoutSeconds = 600;

    @Option(names = "--json", description = "print the figures as one JSON object")
    boolean json;

    record Problem(String question, long answer) {}

    /** One problem's outcome; {@code result} is null when the request failed ({@code error} says why). */
    record Scored(Problem problem, GenerationResult result, Long answer, boolean parallel, String error) {
        boolean exact() {
            return answer != null && answer == problem.answer();
        }
    }

    private static Scored score(Problem problem, RequestHandle handle, int parallelTag) {
        GenerationResult r;
        try {
            r = handle.result().join();
        } catch (java.util.concurrent.CompletionException e) {
            return new Scored(problem, null, null, false, String.valueOf(e.getCause().getMessage()));
        }
        return new Scored(problem, r, answerIn(r.text()), contains(r.generatedTokens(), parallelTag), null);
    }

    @Override
    public Integer call() throws IOException {
        if (concurrency < 1 || limit < 1 || speedupSamples < 0 || !(timeoutSeconds > 0))
            throw new BadInputException("--concurrency and --limit must be >= 1, --speedup-samples >= 0, --timeout > 0");
        List<Problem> problems = readProblems();
        Tokenizer tokenizer = model.tokenizer();
        int parallelTag = tokenizer.tags().parallel();
        ChatFormat chat = ChatFormat.qwen25();
        Budgets budgets = Budgets.defaults().withMaxTokens(maxTokens).withMaxTotalTokens(maxTotalTokens)
                .withTimeout(java.time.Duration.ofNanos((long) (timeoutSeconds * 1e9)));
        List<Scored> scored = new ArrayList<>();
        long start = System.nanoTime(), steps;
        double seconds;
        Speedup speedup;
        try (var loaded = model.open(tokenizer, concurrency * (maxTotalTokens + 256))) {
            var engine = new Engine(loaded.backend(), loaded.vocabulary(), EngineConfig.defaults());
            // At most `concurrency` requests in flight, so each deadline starts when its request can run.
            List<RequestHandle> handles = new ArrayList<>();
            while (handles.size() < problems.size() || engine.hasWork()) {
                long inFlight = handles.stream().filter(h -> !h.isDone()).count();
                for (; inFlight < concurrency && handles.size() < problems.size(); inFlight++) {
                    int[] prompt = tokenizer.encode(chat.multiversePrompt(problems.get(handles.size()).question()));
                    handles.add(engine.submit(Request.sampled(prompt, SamplingParams.greedy(), budgets)));
                }
                engine.step();
            }
            steps = engine.steps();
            for (int i = 0; i < problems.size(); i++) scored.add(score(problems.get(i), handles.get(i), parallelTag));
            seconds = (System.nanoTime() - start) / 1e9;
            speedup = speedup(loaded, scored);
        }
        report(scored, steps, seconds, speedup);
        return MultiverseCli.EXIT_OK;
    }

    /** The number after the last "Answer: ", or null. */
    static Long answerIn(String text) {
        int at = text.lastIndexOf("Answer: ");
        if (at < 0) return null;
        String rest = text.substring(at + "Answer: ".length()).strip();
        int end = 0;
        while (end < rest.length() && (Character.isDigit(rest.charAt(end)) || (end == 0 && rest.charAt(0) == '-'))) end++;
        try {
            return Long.parseLong(rest.substring(0, end));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parallel over sequential decoding of the same outputs, each request alone. */
    record Speedup(int samples, long parallelSteps, long sequentialSteps, double parallelMs, double sequentialMs) {
        double stepRatio() {
            return (double) sequentialSteps / parallelSteps;
        }

        double wallRatio() {
            return sequentialMs / parallelMs;
        }
    }

    /** Replays up to {@code speedupSamples} parallel outputs alone, in both modes, on the same backend. */
    private Speedup speedup(ModelOptions.Loaded loaded, List<Scored> scored) {
        List<int[]> outputs = scored.stream().filter(Scored::parallel).limit(speedupSamples)
                .map(s -> s.result().tokens()).toList();
        if (outputs.isEmpty()) return null;
        // Both engines share the backend; each replay runs alone and writes every slot before reading it.
        var parallel = new Engine(loaded.backend(), loaded.vocabulary(), EngineConfig.defaults());
        var sequential = new Engine(loaded.backend(), loaded.vocabulary(), EngineConfig.defaults().withMaxForkDepth(0));
        parallel.generate(Replay.request(outputs.get(0), loaded.vocabulary()));     // warm-up
        sequential.generate(Replay.request(outputs.get(0), loaded.vocabulary()));
        long ps = 0, ss = 0;
        double pms = 0, sms = 0;
        for (int[] tokens : outputs) {
            long t0 = System.nanoTime(), s0 = parallel.steps();
            parallel.generate(Replay.request(tokens, loaded.vocabulary()));
            long t1 = System.nanoTime(), s1 = sequential.steps();
            sequential.generate(Replay.request(tokens, loaded.vocabulary()));
            long t2 = System.nanoTime();
            ps += parallel.steps() - s0;
            ss += sequential.steps() - s1;
            pms += (t1 - t0) / 1e6;
            sms += (t2 - t1) / 1e6;
        }
        return new Speedup(outputs.size(), ps, ss, pms, sms);
    }

    private void report(List<Scored> scored, long steps, double seconds, Speedup speedup) throws IOException {
        int n = scored.size();
        long exact = scored.stream().filter(Scored::exact).count();
        long parallel = scored.stream().filter(Scored::parallel).count();
        List<Scored> ran = scored.stream().filter(s -> s.result() != null).toList();
        double meanRatio = ran.stream().mapToDouble(s -> s.result().stats().parallelismRatio()).average().orElse(0);
        long tokens = ran.stream().mapToLong(s -> s.result().stats().totalTokens()).sum();
        var out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("problems", n).put("exact", exact).put("parallel", parallel).put("failed", n - ran.size())
                    .put("mean_parallelism_ratio", meanRatio);
            o.put("generated_tokens", tokens).put("steps", steps).put("seconds", seconds);
            if (speedup != null) {
                o.put("speedup_samples", speedup.samples()).put("step_ratio", speedup.stepRatio())
                        .put("wall_speedup", speedup.wallRatio());
            }
            out.println(JSON.writeValueAsString(o));
        } else {
            out.printf("exact answers   %d/%d (%.1f%%)%n", exact, n, 100.0 * exact / n);
            out.printf("parallel block  %d/%d (%.1f%%)%n", parallel, n, 100.0 * parallel / n);
            out.printf("parallelism     %.3f (mean of generated tokens / critical path)%n", meanRatio);
            out.printf("throughput      %d tokens in %d steps, %.1f s (%.0f tokens/s, %d requests batched)%n",
                    tokens, steps, seconds, tokens / seconds, Math.min(concurrency, n));
            if (speedup != null) {
                out.printf("same outputs    parallel %.0f ms in %d steps, sequential %.0f ms in %d steps (%d outputs, each alone)%n",
                        speedup.parallelMs(), speedup.parallelSteps(), speedup.sequentialMs(), speedup.sequentialSteps(),
                        speedup.samples());
                out.printf("speedup         wall %.2fx, steps %.2fx%n", speedup.wallRatio(), speedup.stepRatio());
            }
            for (Scored s : scored) {
                if (s.error() != null) out.printf("failed: %s: %s%n", s.problem().question(), s.error());
                else if (!s.exact()) out.printf("wrong: %s expected %d, got %s%n", s.problem().question(), s.problem().answer(), s.answer());
            }
        }
        out.flush();
    }

    private List<Problem> readProblems() throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(problemsFile);
        for (int i = 0; i < lines.size() && problems.size() < limit; i++) {
            if (lines.get(i).isBlank()) continue;
            JsonNode node;
            try {
                node = JSON.readTree(lines.get(i));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new BadInputException(problemsFile + ":" + (i + 1) + ": not JSON: " + e.getOriginalMessage());
            }
            if (!node.path("question").isTextual() || !node.path("answer").isIntegralNumber())
                throw new BadInputException(problemsFile + ":" + (i + 1) + ": needs \"question\" (text) and \"answer\" (integer)");
            problems.add(new Problem(node.get("question").asText(), node.get("answer").asLong()));
        }
        if (problems.isEmpty()) throw new BadInputException(problemsFile + ": no problems");
        return problems;
    }

    private static boolean contains(int[] tokens, int id) {
        for (int t : tokens) if (t == id) return true;
        return false;
    }
}
