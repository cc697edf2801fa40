package dev.multiverse.server;

import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.Stats;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters and gauges, rendered in Prometheus' text format (version 0.0.4). Written
 * from the engine thread and the handlers' threads; every field is atomic.
 */
public final class ServerMetrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> finishes = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong kvUsed = new AtomicLong();
    private final AtomicLong kvCapacity = new AtomicLong();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder generatedTokens = new LongAdder();
    private final LongAdder criticalPathTokens = new LongAdder();
    private final LongAdder steps = new LongAdder();
    private final LongAdder stepNanos = new LongAdder();
    private final LongAdder cancelled = new LongAdder();

    /** One answered request: its endpoint's path and HTTP status. */
    void request(String endpoint, int status) {
        requests.computeIfAbsent(endpoint + "\u0000" + status, k -> new LongAdder()).increment();
    }

    void inFlight(long n) {
        inFlight.set(n);
    }

    void waitingChanged(int delta) {
        waiting.addAndGet(delta);
    }

    void kvSlotsUsed(long n) {
        kvUsed.set(n);
    }

    long kvSlotsUsedNow() {
        return kvUsed.get();
    }

    void kvSlotsCapacity(long n) {
        kvCapacity.set(n);
    }

    void step(long nanos) {
        steps.increment();
        stepNanos.add(nanos);
    }

    void finished(GenerationResult r) {
        finishes.computeIfAbsent(r.finishReason().label(), k -> new LongAdder()).increment();
        Stats s = r.stats();
        promptTokens.add(s.promptTokens());
        generatedTokens.add(s.totalTokens());
        criticalPathTokens.add(s.criticalPath());
    }

    void cancelled() {
        cancelled.increment();
    }

    /** The Prometheus exposition of every metric. */
    public String render() {
        var out = new StringBuilder();
        out.append("# HELP multiverse_requests_total Generation and other API requests answered, by endpoint and HTTP status.\n");
        out.append("# TYPE multiverse_requests_total counter\n");
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((k, v) -> {
            String[] parts = k.split("\u0000");
            out.append("multiverse_requests_total{endpoint=\"").append(parts[0]).append("\",status=\"").append(parts[1])
                    .append("\"} ").append(v).append('\n');
        });
        out.append("# HELP multiverse_requests_finished_total Requests the engine finished, by the engine's finish reason.\n");
        out.append("# TYPE multiverse_requests_finished_total counter\n");
        new TreeMap<>(finishes).forEach((reason, n) -> out.append("multiverse_requests_finished_total{reason=\"")
                .append(reason).append("\"} ").append(n.sum()).append('\n'));
        gauge(out, "multiverse_requests_in_flight", "Requests waiting or running.", inFlight.get());
        gauge(out, "multiverse_queue_depth", "Requests waiting for admission (KV slots or a running place).", waiting.get());
        gauge(out, "multiverse_kv_slots_used", "KV slots holding a token's keys and values.", kvUsed.get());
        gauge(out, "multiverse_kv_slots_capacity", "KV slots in the pool.", kvCapacity.get());
        counter(out, "multiverse_prompt_tokens_total", "Prompt tokens of finished requests.", promptTokens.sum());
        counter(out, "multiverse_generated_tokens_total", "Tokens generated across all paths of finished requests.",
                generatedTokens.sum());
        counter(out, "multiverse_critical_path_tokens_total", "Critical-path lengths of finished requests, summed.",
                criticalPathTokens.sum());
        long critical = criticalPathTokens.sum();
        out.append("# HELP multiverse_parallelism_ratio Generated tokens / critical-path tokens over finished requests.\n")
                .append("# TYPE multiverse_parallelism_ratio gauge\n")
                .append("multiverse_parallelism_ratio ").append(critical == 0 ? 0 : (double) generatedTokens.sum() / critical)
                .append('\n');
        counter(out, "multiverse_engine_steps_total", "Engine steps (one batched forward pass each).", steps.sum());
        out.append("# HELP multiverse_step_seconds Time of one engine step.\n# TYPE multiverse_step_seconds summary\n")
                .append("multiverse_step_seconds_sum ").append(stepNanos.sum() / 1e9).append('\n')
                .append("multiverse_step_seconds_count ").append(steps.sum()).append('\n');
        counter(out, "multiverse_cancelled_total", "Requests cancelled because their client went away.", cancelled.sum());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        metric(out, name, "gauge", help, value);
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        metric(out, name, "counter", help, value);
    }

    private static void metric(StringBuilder out, String name, String type, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(' ')
                .append(type).append('\n').append(name).append(' ').append(value).append('\n');
    }
}
