package dev.multiverse.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The playground (README, "The playground"): one hand-written HTML page, its script and its style
 * sheet, served from this module's resources as they are. Nothing is built or fetched at run time.
 */
enum PlaygroundPage {
    INDEX("/", "index.html", "text/html; charset=utf-8"),
    SCRIPT("/playground.js", "playground.js", "text/javascript; charset=utf-8"),
    STYLE("/playground.css", "playground.css", "text/css; charset=utf-8");

    /** Where the files lie on the class path. */
    private static final String FOLDER = "/dev/multiverse/server/playground/";

    final String path;
    private final String contentType;
    private final byte[] bytes;

    PlaygroundPage(String path, String file, String contentType) {
        this.path = path;
        this.contentType = contentType;
        this.bytes = read(FOLDER + file);
    }

    /** The page served at {@code path}, or null. */
    static PlaygroundPage at(String path) {
        for (PlaygroundPage p : values()) if (p.path.equals(path)) return p;
        return null;
    }

    void send(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = PlaygroundPage.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the playground resource " + resource + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the playground resource " + resource, e);
        }
    }
}
