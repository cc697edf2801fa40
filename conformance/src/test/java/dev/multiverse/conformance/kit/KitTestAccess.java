package dev.multiverse.conformance.kit;

import java.nio.file.Path;

/** The shared exported kit, for tests outside this package. */
public final class KitTestAccess {
    private KitTestAccess() {}

    public static Path kit() {
        return ExportedKit.dir();
    }
}
