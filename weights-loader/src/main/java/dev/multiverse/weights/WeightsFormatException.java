package dev.multiverse.weights;

import java.nio.file.Path;

/**
 * A weights file or model directory that cannot be used as it is. The message reads
 * {@code "FILE: tensor NAME: what is wrong"}, or {@code "FILE: what is wrong"} where no single tensor
 * is at fault.
 */
public class WeightsFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String tensor;

    /** A problem with {@code tensor} (null when none is at fault) in {@code file}. */
    public WeightsFormatException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    /** As {@link #WeightsFormatException(Path, String, String)}, keeping the underlying cause. */
    public WeightsFormatException(Path file, String tensor, String problem, Throwable cause) {
        super(file + ": " + (tensor == null ? "" : "tensor " + tensor + ": ") + problem, cause);
        this.file = file;
        this.tensor = tensor;
    }

    /** The file (or model directory) at fault. */
    public Path file() {
        return file;
    }

    /** The tensor at fault, or null when the problem is not one tensor's. */
    public String tensor() {
        return tensor;
    }
}
