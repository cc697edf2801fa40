package dev.multiverse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code multiverse serve}: it serves until stopped, and refuses a device it has no backend for. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeCommandTest {
    static final String MODEL = EvalCommandTest.MODEL.toString();

    @Test
    void cudaWithoutADriverIsAClearUsageError() {
        assumeFalse(dev.multiverse.cuda.CudaDevice.available(), "this machine has a GPU: the GPU tests cover --device cuda");
        CliRun run = CliRun.of("serve", "--model", MODEL, "--device", "cuda", "--port", "0");
        assertEquals(MultiverseCli.EXIT_BAD_INPUT, run.exit(), run.err());
        assertTrue(run.err().contains("libcuda.so.1"), run.err());
        assertTrue(run.err().contains("MULTIVERSE_LIBCUDA"), run.err());
    }

    @Test
    void badDeviceAndDefaultStopStringsAreRefused() {
        CliRun tpu = CliRun.of("serve", "--model", MODEL, "--device", "tpu");
        assertEquals(MultiverseCli.EXIT_BAD_INPUT, tpu.exit());
        assertTrue(tpu.err().contains("--device"), tpu.err());
        CliRun stop = CliRun.of("serve", "--model", MODEL, "--port", "0", "--stop", "x");
        assertEquals(MultiverseCli.EXIT_BAD_INPUT, stop.exit(), stop.err());
    }

    @Test
    void servesTheModelUntilInterrupted() throws Exception {
        var out = new StringWriter();
        var err = new StringWriter();
        var exit = new AtomicInteger(-1);
        Thread server = Thread.ofPlatform().start(() -> {
            var cli = MultiverseCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            exit.set(cli.execute("serve", "--model", MODEL, "--port", "0", "--threads", "1", "--kv-slots", "4096",
                    "--temperature", "0", "--max-tokens", "64"));
        });
        var listening = Pattern.compile("multiverse serve: multiverse-arith on http://127\\.0\\.0\\.1:(\\d+)/v1");
        java.util.regex.Matcher m;
        while (!(m = listening.matcher(out.toString())).find()) {
            assertTrue(server.isAlive(), "serve ended early: " + err);
            Thread.sleep(20);
        }
        int port = Integer.parseInt(m.group(1));
        var client = HttpClient.newHttpClient();
        HttpResponse<String> reply = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"What is (37 + 48) * (12 - 5)?\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), reply.body());
        assertTrue(reply.body().contains("\"critical_path\":64"), "--max-tokens is the default max_tokens: " + reply.body());
        assertTrue(out.toString().contains("the playground on http://127.0.0.1:" + port + "/;"), out.toString());
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(page.statusCode() == 200 && page.body().contains("<title>Multiverse playground</title>"), page.body());
        server.interrupt();
        server.join(10_000);
        assertEquals(MultiverseCli.EXIT_OK, exit.get(), err.toString());
    }
}
