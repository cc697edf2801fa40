package dev.multiverse.conformance.check;

/** The checker could not run a case: the server is unreachable, answered an error, or sent a malformed reply. */
public final class CheckerException extends RuntimeException {
    public CheckerException(String message) {
        super(message);
    }

    public CheckerException(String message, Throwable cause) {
        super(message, cause);
    }
}
