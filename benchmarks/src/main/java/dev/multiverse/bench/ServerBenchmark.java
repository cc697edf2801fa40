package dev.multiverse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.Engine;
import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.Request;
import dev.multiverse.engine.RequestHandle;
import dev.multiverse.engine.SamplingParams;
import dev.multiverse.engine.TokenizerVocabulary;
import dev.multiverse.model.Backend;
import dev.multiverse.reference.CpuBackendFactory;
import dev.multiverse.server.OpenAiServer;
import dev.multiverse.server.ServerConfig;
import dev.multiverse.tokenizer.ChatFormat;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the OpenAI server costs over the engine called directly: the same greedy workload (the
 * shipped model's held-out questions, in the same order) at 1, 8 and 32 concurrent clients, once
 * through the engine in process (a closed loop keeping that many requests in flight) and once
 * through the server on loopback (that many client threads, each streaming one request after
 * another), alternating, on one backend. Prints requests/s, generated tokens/s and latency
 * percentiles for both, and the server's cost. The clients run in the same JVM and on
 * the same cores as the server (in a JVM of their own), so their work slows the server here.
 *
 * <p>Usage: {@code java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * dev.multiverse.bench.ServerBenchmark [model=models/multiverse-arith] [clients=1,8,32]
 * [max_tokens=96] [requests=64] [rounds=3] [threads=1]}: each level runs {@code rounds} times,
 * alternating engine and server; the first round warms up, the others are summed. Two costs are
 * printed: in throughput (wall time, which other processes on a shared machine disturb), in
 * process CPU time per generated token (the in-process clients included), and in CPU time per
 * token of the one thread that steps the engine (the serial part: what bounds throughput when
 * the HTTP work has cores of its own).
 */
public final class ServerBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private ServerBenchmark() {}

    /** One run of a workload: wall seconds, process CPU seconds, generated tokens, and each request's latency in ms. */
    record Run(double seconds, double cpuSeconds, double engineCpuSeconds, long tokens, double[] latencyMs) {
        /** This run and {@code other} as one. */
        Run plus(Run other) {
            if (other == null) return this;
            double[] both = Arrays.copyOf(latencyMs, latencyMs.length + other.latencyMs.length);
            System.arraycopy(other.latencyMs, 0, both, latencyMs.length, other.latencyMs.length);
            return new Run(seconds + other.seconds, cpuSeconds + other.cpuSeconds, engineCpuSeconds + other.engineCpuSeconds,
                    tokens + other.tokens, both);
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

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(ReplayBenchmark.arg(args, "model", "models/multiverse-arith"));
        int[] levels = Arrays.stream(ReplayBenchmark.arg(args, "clients", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        int maxTokens = Integer.parseInt(ReplayBenchmark.arg(args, "max_tokens", "96"));
        int rounds = Integer.parseInt(ReplayBenchmark.arg(args, "rounds", "3"));
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
                     ServerConfig.defaults("bench", 0).withSampling(SamplingParams.greedy()).withBudgets(budgets))) {
            var engine = new Engine(backend, vocabulary, EngineConfig.defaults());
            System.out.printf("model %s, max_tokens %d, greedy, backend threads %d, %d cores%n", dir.getFileName(), maxTokens,
                    threads, Runtime.getRuntime().availableProcessors());
            System.out.println("clients requests | direct req/s tok/s p50 p95 ms cpu-ms/tok engine | server req/s tok/s p50 p95 ms"
                    + " cpu-ms/tok engine | server cost: tok/s, cpu/tok, engine cpu/tok");
            for (int clients : levels) {
                List<String> work = questions.subList(0, Math.max(requests, 2 * clients));
                Run direct = null, served = null;
                for (int round = 0; round < rounds; round++) {
                    Run d = direct(engine, tokenizer, work, clients, budgets);
                    Run s = served(server.port(), dir, work.size(), clients, maxTokens);
                    if (d.tokens() != s.tokens())
                        throw new IllegalStateException("the server generated " + s.tokens() + " tokens, the engine "
                                + d.tokens() + ": not the same workload");
                    if (round == 0 && rounds > 1) continue; // warm-up
                    direct = d.plus(direct);
                    served = s.plus(served);
                }
                System.out.printf("%7d %8d | %6.2f %6.0f %5.0f %5.0f %6.3f %6.3f | %6.2f %6.0f %5.0f %5.0f %6.3f %6.3f"
                                + " | %+.1f%%, %+.1f%%, %+.1f%%%n",
                        clients, work.size(), direct.requestsPerSecond(), direct.tokensPerSecond(), direct.percentile(50),
                        direct.percentile(95), direct.cpuMsPerToken(), direct.engineCpuMsPerToken(), served.requestsPerSecond(),
                        served.tokensPerSecond(), served.percentile(50), served.percentile(95), served.cpuMsPerToken(),
                        served.engineCpuMsPerToken(), 100 * (1 - served.tokensPerSecond() / direct.tokensPerSecond()),
                        100 * (served.cpuMsPerToken() / direct.cpuMsPerToken() - 1),
                        100 * (served.engineCpuMsPerToken() / direct.engineCpuMsPerToken() - 1));
            }
        }
    }

    /** The engine in process: keeps {@code clients} requests in flight until every question is answered. */
    static Run direct(Engine engine, Tokenizer tokenizer, List<String> questions, int clients, Budgets budgets) {
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        long engineCpu0 = THREADS.getCurrentThreadCpuTime();
        List<RequestHandle> live = new ArrayList<>();
        List<Long> started = new ArrayList<>();
        double[] latency = new double[questions.size()];
        int next = 0, done = 0;
        long tokens = 0;
        while (done < questions.size()) {
            while (live.size() < clients && next < questions.size()) {
                int[] prompt = tokenizer.encode(ChatFormat.qwen25().multiversePrompt(questions.get(next++)));
                live.add(engine.submit(Request.sampled(prompt, SamplingParams.greedy(), budgets)));
                started.add(System.nanoTime());
            }
            engine.step();
            for (int i = live.size() - 1; i >= 0; i--) {
                if (!live.get(i).isDone()) continue;
                tokens += live.get(i).result().join().stats().totalTokens();
                latency[done++] = (System.nanoTime() - started.get(i)) / 1e6;
                live.remove(i);
                started.remove(i);
            }
        }
        return new Run((System.nanoTime() - t0) / 1e9, (processCpuNanos() - cpu0) / 1e9,
                (THREADS.getCurrentThreadCpuTime() - engineCpu0) / 1e9, tokens, latency);
    }

    /** The CPU time of the server's engine thread. */
    private static long engineThreadCpuNanos() {
        for (Thread t : Thread.getAllStackTraces().keySet())
            if (t.getName().equals("multiverse-engine")) return THREADS.getThreadCpuTime(t.threadId());
        throw new IllegalStateException("no multiverse-engine thread");
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * The server on loopback, driven by {@link ServerClients} in a JVM of its own, so that this
     * process's CPU time is the server's alone; the clients' wall time and latencies come back on
     * their standard output.
     */
    static Run served(int port, Path model, int count, int clients, int maxTokens) throws Exception {
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var child = new ProcessBuilder(launcher, "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                ServerClients.class.getName(), "port=" + port, "model=" + model, "count=" + count, "clients=" + clients,
                "max_tokens=" + maxTokens).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long cpu0 = processCpuNanos();
        long engineCpu0 = engineThreadCpuNanos();
        String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (child.waitFor() != 0) throw new IllegalStateException("the clients failed: " + out);
        long cpu = processCpuNanos() - cpu0, engineCpu = engineThreadCpuNanos() - engineCpu0;
        JsonNode r = JSON.readTree(out.substring(out.indexOf('{')));
        double[] latency = new double[r.get("latency_ms").size()];
        for (int i = 0; i < latency.length; i++) latency[i] = r.get("latency_ms").get(i).asDouble();
        return new Run(r.get("seconds").asDouble(), cpu / 1e9, engineCpu / 1e9, r.get("tokens").asLong(), latency);
    }
}
