package dev.multiverse.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Multiverse Qwen2.5 tokenizer in {@code ../shared} beside the repository root; a test fails clearly without it. */
final class SharedTokenizer {
    private SharedTokenizer() {}

    static Path path() {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) root = root.getParent();
        Path file = root == null ? null : root.resolve("../shared/tokenizers/multiverse-qwen2.5/tokenizer.json").normalize();
        if (file == null || !Files.exists(file))
            throw new AssertionError("missing ../shared/tokenizers/multiverse-qwen2.5/tokenizer.json beside the repository root");
        return file;
    }
}
