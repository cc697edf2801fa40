package dev.multiverse.layout;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code ../shared} beside the repository root, failing clearly when it is absent. */
final class SharedFiles {
    private SharedFiles() {}

    /** {@code relative} inside the shared folder; fails the test if it does not exist. */
    static Path resolve(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) dir = dir.getParent();
        if (dir == null) throw new AssertionError("cannot find the repository root (no mvnw above " + Path.of("").toAbsolutePath() + ")");
        Path p = dir.resolve("..").resolve("shared").resolve(relative).normalize();
        if (!Files.exists(p)) {
            throw new AssertionError(p + " is missing: these tests need ../shared beside the repository root");
        }
        return p;
    }
}
