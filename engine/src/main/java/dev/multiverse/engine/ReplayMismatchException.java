package dev.multiverse.engine;

/** A replayed text disagrees with what the engine does at a fork or join; the message says where. */
public final class ReplayMismatchException extends RuntimeException {
    public ReplayMismatchException(String message) {
        super(message);
    }
}
