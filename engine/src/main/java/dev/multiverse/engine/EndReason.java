package dev.multiverse.engine;

/** Why a sequence or a whole request stopped. */
public enum EndReason {
    /** A path emitted {@code </Path>}; the engine appended the newline. */
    PATH_END,
    /** The model emitted an end-of-sequence token (in a path the engine then closes the path). */
    EOS,
    /** A stop string appeared in the sequence's generated text. */
    STOP_STRING,
    /** The chooser (a script during replay) had no more tokens. */
    END_OF_SCRIPT,
    /** {@code max_tokens}: the next token would lie beyond the critical-path budget. */
    MAX_TOKENS,
    /** {@code max_total_tokens}: the request generated as many tokens as it may in all. */
    MAX_TOTAL_TOKENS,
    /** The request's deadline passed. */
    DEADLINE,
    /** The request was cancelled. */
    CANCELLED,
    /** The request failed (its error says why); its tree was released. */
    FAILED;

    /** Lower-case name for traces and JSON. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
