package dev.multiverse.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code multiverse serve} run in-process on a thread of its own, on an ephemeral loopback port
 * (read from its "listening" line); closing it interrupts the command, which stops the server.
 */
final class ServeInThread implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)/v1");
    private final Thread thread;
    private final URI endpoint;

    ServeInThread(String... options) throws InterruptedException {
        var out = new StringWriter();
        var err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0"));
        args.addAll(List.of(options));
        thread = Thread.ofPlatform().start(() -> MultiverseCli.commandLine()
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new)));
        long deadline = System.nanoTime() + 60_000_000_000L;
        Matcher m;
        while (!(m = LISTENING.matcher(out.toString())).find()) {
            if (!thread.isAlive() || System.nanoTime() > deadline) throw new AssertionError("serve did not start: " + out + err);
            Thread.sleep(20);
        }
        endpoint = URI.create(m.group(1));
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(10_000);
    }
}
