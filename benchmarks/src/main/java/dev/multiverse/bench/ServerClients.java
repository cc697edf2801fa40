package dev.multiverse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clients of {@link ServerBenchmark}, in a JVM of their own that lives for the whole benchmark
 * (so its code is compiled after the warm-up round, like the server's). For each line {@code run
 * COUNT CLIENTS} on standard input it streams chat completions of the first COUNT held-out
 * questions from CLIENTS threads, each on its own keep-alive connection, one request after another
 * (a closed loop), and prints one JSON line {@code {"seconds", "tokens", "cpu_seconds",
 * "latency_ms": [...], "texts": [...]}}.
 *
 * <p>What a client does while the clock runs, per request: writes the request's bytes (built
 * before the clock), and reads the response into a buffer until it ends with the chunked body's
 * last chunk; nothing is parsed. After the clock stops every response is parsed and checked in full
 * ({@link StreamTranscript}: status, chunked framing, every event's JSON, role first, final chunk,
 * [DONE]); the texts go back to the benchmark, which compares each with the engine's own answer.
 * The timed part is thus the server's work plus the least a client must do: a socket write and
 * the reads that drain the stream.
 *
 * <p>Usage: {@code ServerClients port=P model=DIR max_tokens=M}, then {@code run N C} lines.
 */
public final class ServerClients {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A client that hears nothing for this long fails the run instead of hanging it. */
    private static final int READ_TIMEOUT_MS = 120_000;

    private ServerClients() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(ReplayBenchmark.arg(args, "port", "8000"));
        Path model = Path.of(ReplayBenchmark.arg(args, "model", "models/multiverse-arith"));
        int maxTokens = Integer.parseInt(ReplayBenchmark.arg(args, "max_tokens", "96"));
        List<byte[]> requests = new ArrayList<>();
        for (String line : Files.readAllLines(model.resolve("heldout.jsonl")))
            requests.add(request(port, JSON.readTree(line).get("question").asText(), maxTokens));
        var commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command; (command = commands.readLine()) != null && command.startsWith("run "); ) {
            String[] words = command.split(" ");
            int count = Integer.parseInt(words[1]), clients = Integer.parseInt(words[2]);
            System.out.println(JSON.writeValueAsString(run(port, requests.subList(0, count), clients)));
            System.out.flush();
        }
    }

    /** The HTTP/1.1 request of one streamed chat completion, as bytes. */
    static byte[] request(int port, String question, int maxTokens) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("max_tokens", maxTokens).put("stream", true);
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        byte[] json = JSON.writeValueAsBytes(body);
        String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: " + json.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + json.length);
        System.arraycopy(json, 0, all, headBytes.length, json.length);
        return all;
    }

    /** One run: the responses are read raw while the clock runs, and checked after it stops. */
    private static ObjectNode run(int port, List<byte[]> requests, int clients) throws Exception {
        byte[][] responses = new byte[requests.size()][];
        int[] lengths = new int[requests.size()];
        double[] latency = new double[requests.size()];
        var next = new AtomicInteger();
        var start = new CountDownLatch(1);
        var failures = new ArrayList<Throwable>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            var socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            threads.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                try (socket) {
                    start.await();
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    for (int q; (q = next.getAndIncrement()) < requests.size(); ) {
                        long t0 = System.nanoTime();
                        out.write(requests.get(q));
                        byte[] buffer = new byte[32 << 10];
                        int length = 0;
                        while (!StreamTranscript.endsLikeACompleteResponse(buffer, length)) {
                            if (length == buffer.length) buffer = Arrays.copyOf(buffer, 2 * buffer.length);
                            int n = in.read(buffer, length, buffer.length - length);
                            if (n < 0) throw new IOException("the server closed the connection mid-response (question " + q + ")");
                            length += n;
                        }
                        latency[q] = (System.nanoTime() - t0) / 1e6;
                        responses[q] = buffer;
                        lengths[q] = length;
                    }
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                }
            }));
        }
        long cpu0 = ProcessCpu.nanos();
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (ProcessCpu.nanos() - cpu0) / 1e9;
        if (!failures.isEmpty()) throw new IllegalStateException("a client failed", failures.getFirst());
        // The clock has stopped: now every response is parsed and checked.
        ObjectNode out = JSON.createObjectNode().put("seconds", seconds).put("cpu_seconds", cpuSeconds);
        ArrayNode texts = JSON.createArrayNode();
        long tokens = 0;
        for (int q = 0; q < responses.length; q++) {
            StreamTranscript t;
            try {
                t = StreamTranscript.parse(responses[q], lengths[q]);
            } catch (RuntimeException | IOException e) {
                throw new IllegalStateException("question " + q + ": " + e.getMessage(), e);
            }
            tokens += t.completionTokens();
            texts.add(t.text());
        }
        out.put("tokens", tokens);
        ArrayNode ms = out.putArray("latency_ms");
        for (double v : latency) ms.add(v);
        out.set("texts", texts);
        return out;
    }
}
