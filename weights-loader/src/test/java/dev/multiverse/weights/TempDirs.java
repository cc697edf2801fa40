package dev.multiverse.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the temporary directories that property tries create (jqwik has no @TempDir per try). */
final class TempDirs {
    private TempDirs() {
    }

    /** What a test does with a directory. */
    interface DirAction<T> {
        T apply(Path dir) throws Exception;
    }

    /** Runs {@code action} in a new temporary directory, removed afterwards. */
    static <T> T inFresh(DirAction<T> action) throws Exception {
        Path dir = Files.createTempDirectory("weights");
        try {
            return action.apply(dir);
        } finally {
            delete(dir);
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
