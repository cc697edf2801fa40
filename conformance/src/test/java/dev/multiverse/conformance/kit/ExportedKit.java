package dev.multiverse.conformance.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One kit exported into a temporary directory, shared by every kit test of this JVM (the export
 * takes some 30 seconds on two cores). Needs {@code ../shared/tokenizers} beside the repository
 * root and the repository's {@code models/multiverse-arith}.
 */
final class ExportedKit {
    private static Path dir;
    static KitExporter.Summary summary;

    private ExportedKit() {}

    static synchronized Path dir() {
        if (dir == null) {
            try {
                Path out = Files.createTempDirectory("multiverse-kit-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(out)));
                summary = KitExporter.export(new KitExporter.Options(out, tokenizer(), repoRoot().resolve("models/multiverse-arith"), 2));
                dir = out;
            } catch (Exception e) {
                throw new AssertionError("exporting the kit failed: " + e.getMessage(), e);
            }
        }
        return dir;
    }

    static JsonNode json(String relative) {
        try {
            return KitJson.read(dir().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repoRoot() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.exists(d.resolve("mvnw"))) d = d.getParent();
        if (d == null) throw new AssertionError("cannot find the repository root above " + Path.of("").toAbsolutePath());
        return d;
    }

    /** The Multiverse tokenizer in {@code ../shared}; fails clearly when the folder is absent. */
    static Path tokenizer() {
        Path p = repoRoot().resolve("../shared/tokenizers/multiverse-qwen2.5/tokenizer.json").normalize();
        if (!Files.isRegularFile(p)) throw new AssertionError(p + " is missing: the kit tests need ../shared beside the repository root");
        return p;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
