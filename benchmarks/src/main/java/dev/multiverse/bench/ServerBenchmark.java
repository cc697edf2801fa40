package dev.multiverse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multiverse.contract.Backend;
import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.Engine;
import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.Request;
import dev.multiverse.engine.RequestHandle;
import dev.multiverse.engine.SamplingParams;
import dev.multiverse.engine.TokenizerVocabulary;
import dev.multiverse.reference.CpuBackendFactory;
import dev.multiverse.server.OpenAiServer;
import dev.multiverse.server.ServerConfig;
import dev.multiverse.tokenizer.ChatFormat;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the OpenAI server costs over the engine called directly: the same greedy workload (the
 * shipped model's held-out questions, in the same order) at 1, 8 and 32 concurrent clients, once
 * through the engine in process and once through the server on loopback, alternating, on one
 * backend. Prints requests/s, generated tokens/s and latency percentiles for both, and the
 * server's cost.
 *
 * <p>What each side does while its clock runs:
 * <ul>
 * <li>Direct: one thread keeps that many requests in flight (a closed loop): for each question it
 * applies the chat template, tokenizes, submits; it steps the engine and, after each step, notices
 * the requests that finished and counts their tokens. No listener, no streaming, no HTTP.
 * <li>Server: the server process does everything it does for any client (reading and checking
 * the request, the chat template and tokenizing, admission, the engine thread, the per-request
 * listener that decodes the final-order text, the SSE chunks and socket writes). The clients run
 * in a JVM of their own ({@link ServerClients}, started once, warm after the first round), one
 * platform thread and one keep-alive connection per client: each writes its request's prepared
 * bytes and reads the response into a buffer until the chunked body ends, parsing nothing.
 * </ul>
 * After both clocks stop, each side's answers are collected: the clients parse and check every
 * response in full ({@link StreamTranscript}) and the concatenated deltas of each must equal the
 * direct engine's text for the same question, and the token counts must match, or the benchmark
 * fails. Nothing of this checking is timed on either side.
 *
 * <p>The clients share the machine's cores with the server, so their work (small as it is) still
 * slows the server in wall time; their own CPU per token is printed apart and is not in the
 * server's CPU columns.
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * dev.multiverse.bench.ServerBenchmark [model=models/multiverse-arith] [clients=1,8,32]
 * [max_tokens=96] [requests=64] [rounds=5] [warmup=1] [threads=1]}: each level runs {@code rounds}
 * times, alternating engine and server; the first {@code warmup} rounds warm up, the others are
 * measured. Three costs are
 * printed: in throughput (wall time, which other processes on a shared machine disturb), in
 * process CPU time per generated token (the server's process only), and in CPU time per token of
 * the one thread that steps the engine (the serial part: what bounds throughput when the HTTP
 * work has cores of its own). Each is given for the measured rounds summed, and as the median
 * (least..greatest) of the rounds' own costs, each round pairing a direct run with the server run
 * right after it. The time the JIT compilers spent during each side's measured rounds is printed
 * too: it is part of the process CPU time, and a late recompilation can land on either side.
 */
public final class ServerBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private ServerBenchmark() {}

    /** One run of a workload: wall seconds, process CPU seconds, generated tokens, and each request's latency in ms. */
    record Run(double seconds, double cpuSeconds, double engineCpuSeconds, double clientCpuSeconds, double jitSeconds, long tokens,
               double[] latencyMs, List<String> texts) {
        /** This run and {@code other} as one (the texts are this run's). */
        Run plus(Run other) {
            if (other == null) return this;
            double[] both = Arrays.copyOf(latencyMs, latencyMs.length + other.latencyMs.length);
            System.arraycopy(other.latencyMs, 0, both, latencyMs.length, other.latencyMs.length);
            return new Run(seconds + other.seconds, cpuSeconds + other.cpuSeconds, engineCpuSeconds + other.engineCpuSeconds,
                    clientCpuSeconds + other.clientCpuSeconds, jitSeconds + other.jitSeconds, tokens + other.tokens, both, texts);
        }

        /** CPU milliseconds per generated token of the client JVM while the clock ran (0 for the direct engine). */
        double clientCpuMsPerToken() {
            return 1000 * clientCpuSeconds / tokens;
        }

        /** Process CPU milliseconds per generated token (the clients' share included for the server). */
        double cpuMsPerToken() {
            return 1000 * cpuSeconds / tokens;
        }

        /** CPU milliseconds per generated token of the one thread that steps the engine. */
        double engineCpuMsPerToken() {
            return 1000 * engineCpuSeconds / tokens;
        }

        double requestsPerSecond() {
            return latencyMs.length / seconds;
        }

        double tokensPerSecond() {
            return tokens / seconds;
        }

        double percentile(int p) {
            double[] v = latencyMs.clone();
            Arrays.sort(v);
            return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
        }
    }

    /** The server's cost over the engine, in percent: throughput lost, more CPU per token, more engine-thread CPU per token. */
    record Cost(double throughput, double cpu, double engineCpu) {
        static Cost of(Run direct, Run served) {
            return new Cost(100 * (1 - served.tokensPerSecond() / direct.tokensPerSecond()),
                    100 * (served.cpuMsPerToken() / direct.cpuMsPerToken() - 1),
                    100 * (served.engineCpuMsPerToken() / direct.engineCpuMsPerToken() - 1));
        }

        /**
         * The median of one cost over the rounds, and its least and greatest: each round pairs a
         * direct run with the server run right after it, so a burst of other load on the machine
         * spoils one pair, not the median.
         */
        static String spread(List<Cost> rounds, java.util.function.ToDoubleFunction<Cost> which) {
            double[] v = rounds.stream().mapToDouble(which).sorted().toArray();
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return String.format("median %+.1f%% (%+.1f..%+.1f)", median, v[0], v[v.length - 1]);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(ReplayBenchmark.arg(args, "model", "models/multiverse-arith"));
        int[] levels = Arrays.stream(ReplayBenchmark.arg(args, "clients", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        int maxTokens = Integer.parseInt(ReplayBenchmark.arg(args, "max_tokens", "96"));
        int rounds = Integer.parseInt(ReplayBenchmark.arg(args, "rounds", "5"));
        int warmup = Integer.parseInt(ReplayBenchmark.arg(args, "warmup", "1"));
        if (warmup >= rounds) throw new IllegalArgumentException("warmup=" + warmup + " leaves none of rounds=" + rounds + " measured");
        int threads = Integer.parseInt(ReplayBenchmark.arg(args, "threads", "1"));
        int requests = Integer.parseInt(ReplayBenchmark.arg(args, "requests", "64"));
        var tokenizer = Tokenizer.load(dir.resolve("tokenizer.json"));
        var config = ModelConfig.load(dir.resolve("config.json"));
        var vocabulary = new TokenizerVocabulary(tokenizer, config.eosTokenIds());
        List<String> questions = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("heldout.jsonl"))) questions.add(JSON.readTree(line).get("question").asText());
        var budgets = new Budgets(maxTokens, 2 * maxTokens, 16, Duration.ofMinutes(10));
        int slots = 32 * (256 + 2 * maxTokens);
        try (Backend backend = new CpuBackendFactory().open(config, WeightStore.open(dir), slots, threads);
             var server = OpenAiServer.start(backend, vocabulary, EngineConfig.defaults(),
                     ServerConfig.defaults("bench", 0).withSampling(SamplingParams.greedy()).withBudgets(budgets));
             var clients = new Clients(server.port(), dir, maxTokens)) {
            var engine = new Engine(backend, vocabulary, EngineConfig.defaults());
            System.out.printf("model %s, max_tokens %d, greedy, backend threads %d, %d cores%n", dir.getFileName(), maxTokens,
                    threads, Runtime.getRuntime().availableProcessors());
            System.out.println("clients requests | direct req/s tok/s p50 p95 ms cpu-ms/tok engine | server req/s tok/s p50 p95 ms"
                    + " cpu-ms/tok engine | clients cpu-ms/tok | server cost: tok/s, cpu/tok, engine cpu/tok");
            for (int level : levels) {
                List<String> work = questions.subList(0, Math.max(requests, 2 * level));
                Run direct = null, served = null;
                List<Cost> perRound = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    Run d = direct(engine, tokenizer, work, level, budgets);
                    Run s = served(server, clients, work.size(), level);
                    if (!d.texts().equals(s.texts()))
                        throw new IllegalStateException("the server's answers differ from the engine's: not the same workload");
                    if (d.tokens() != s.tokens())
                        throw new IllegalStateException("the server generated " + s.tokens() + " tokens, the engine "
                                + d.tokens() + ": not the same workload");
                    if (round < warmup) continue;
                    direct = d.plus(direct);
                    served = s.plus(served);
                    perRound.add(Cost.of(d, s));
                }
                Cost total = Cost.of(direct, served);
                System.out.printf("%7d %8d | %6.2f %6.0f %5.0f %5.0f %6.3f %6.3f | %6.2f %6.0f %5.0f %5.0f %6.3f %6.3f"
                                + " | %6.3f | %+.1f%%, %+.1f%%, %+.1f%%%n",
                        level, work.size(), direct.requestsPerSecond(), direct.tokensPerSecond(), direct.percentile(50),
                        direct.percentile(95), direct.cpuMsPerToken(), direct.engineCpuMsPerToken(), served.requestsPerSecond(),
                        served.tokensPerSecond(), served.percentile(50), served.percentile(95), served.cpuMsPerToken(),
                        served.engineCpuMsPerToken(), served.clientCpuMsPerToken(), total.throughput(), total.cpu(),
                        total.engineCpu());
                System.out.printf("%17s per round (%d): tok/s %s, cpu/tok %s, engine cpu/tok %s; JIT compiling: direct %.1f s,"
                                + " server %.1f s%n", "", perRound.size(), Cost.spread(perRound, Cost::throughput),
                        Cost.spread(perRound, Cost::cpu), Cost.spread(perRound, Cost::engineCpu), direct.jitSeconds(),
                        served.jitSeconds());
            }
        }
    }

    /**
     * The engine in process: keeps {@code clients} requests in flight until every question is
     * answered. While the clock runs it does what the server does for a request before and after
     * the engine (the chat template, tokenizing the prompt, submitting, noticing completion) but
     * nothing of HTTP; the answers' texts are collected after the clock stops.
     */
    static Run direct(Engine engine, Tokenizer tokenizer, List<String> questions, int clients, Budgets budgets) {
        long t0 = System.nanoTime();
        long cpu0 = ProcessCpu.nanos();
        long engineCpu0 = THREADS.getCurrentThreadCpuTime();
        double jit0 = jitSeconds();
        List<Integer> live = new ArrayList<>(); // the questions in flight
        RequestHandle[] handles = new RequestHandle[questions.size()];
        long[] started = new long[questions.size()];
        double[] latency = new double[questions.size()];
        int next = 0, done = 0;
        long tokens = 0;
        while (done < questions.size()) {
            for (; live.size() < clients && next < questions.size(); next++) {
                int[] prompt = tokenizer.encode(ChatFormat.qwen25().multiversePrompt(questions.get(next)));
                handles[next] = engine.submit(Request.sampled(prompt, SamplingParams.greedy(), budgets));
                started[next] = System.nanoTime();
                live.add(next);
            }
            engine.step();
            for (int i = live.size() - 1; i >= 0; i--) {
                int q = live.get(i);
                if (!handles[q].isDone()) continue;
                tokens += handles[q].result().join().stats().totalTokens();
                latency[q] = (System.nanoTime() - started[q]) / 1e6;
                done++;
                live.remove(i);
            }
        }
        var run = new Run((System.nanoTime() - t0) / 1e9, (ProcessCpu.nanos() - cpu0) / 1e9,
                (THREADS.getCurrentThreadCpuTime() - engineCpu0) / 1e9, 0, jitSeconds() - jit0, tokens, latency, new ArrayList<>());
        for (RequestHandle h : handles) run.texts().add(h.result().join().text());
        return run;
    }

    /** The CPU time of the server's engine thread. */
    private static long engineThreadCpuNanos() {
        for (Thread t : Thread.getAllStackTraces().keySet())
            if (t.getName().equals("multiverse-engine")) return THREADS.getThreadCpuTime(t.threadId());
        throw new IllegalStateException("no multiverse-engine thread");
    }

    /** Seconds this JVM's JIT compilers have spent compiling so far (part of the process CPU time). */
    private static double jitSeconds() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3;
    }

    /**
     * The server on loopback, driven by the {@link ServerClients} JVM: this process's CPU time is
     * the server's alone; the clients' wall time, CPU time, latencies and answers come back from it.
     */
    static Run served(OpenAiServer server, Clients clients, int count, int level) throws IOException {
        long cpu0 = ProcessCpu.nanos();
        long engineCpu0 = engineThreadCpuNanos();
        double jit0 = jitSeconds();
        JsonNode r = clients.run(count, level);
        double jit = jitSeconds() - jit0;
        long cpu = ProcessCpu.nanos() - cpu0, engineCpu = engineThreadCpuNanos() - engineCpu0;
        double[] latency = new double[r.get("latency_ms").size()];
        for (int i = 0; i < latency.length; i++) latency[i] = r.get("latency_ms").get(i).asDouble();
        List<String> texts = new ArrayList<>();
        for (JsonNode t : r.get("texts")) texts.add(t.asText());
        if (server.engineLoop().inFlight() != 0) throw new IllegalStateException("requests still in flight after the run");
        return new Run(r.get("seconds").asDouble(), cpu / 1e9, engineCpu / 1e9, r.get("cpu_seconds").asDouble(), jit,
                r.get("tokens").asLong(), latency, texts);
    }

    /** The {@link ServerClients} JVM, started once and kept for every run. */
    static final class Clients implements AutoCloseable {
        private final Process process;
        private final java.io.BufferedReader replies;
        private final java.io.Writer commands;

        Clients(int port, Path model, int maxTokens) throws IOException {
            String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(launcher, "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                    ServerClients.class.getName(), "port=" + port, "model=" + model, "max_tokens=" + maxTokens)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            replies = process.inputReader(StandardCharsets.UTF_8);
            commands = process.outputWriter(StandardCharsets.UTF_8);
        }

        /** Runs {@code count} questions from {@code level} clients; the clients' JSON reply. */
        JsonNode run(int count, int level) throws IOException {
            commands.write("run " + count + " " + level + "\n");
            commands.flush();
            String line = replies.readLine();
            if (line == null) throw new IllegalStateException("the clients' JVM stopped (its error output is above)");
            return JSON.readTree(line);
        }

        @Override
        public void close() throws IOException {
            commands.close();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroy();
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
    }
}
