package dev.multiverse.contract;

import java.util.Locale;

/** The devices a {@link Backend} can run on; {@code --device} names one. */
public enum BackendKind {
    /** The reference forward pass in Java (Vector API), always available. */
    CPU,
    /** An NVIDIA GPU, through a CUDA backend module when one is on the class path. */
    CUDA;

    /** Lower-case name, as the command line writes it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
