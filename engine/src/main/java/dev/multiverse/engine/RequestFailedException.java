package dev.multiverse.engine;

/**
 * A request could not be served: it can never fit the KV pool, its deadline passed before it was
 * admitted, its chooser failed, or the backend rejected its step. The message says which request
 * and why. Its tree was released; no partial answer is given.
 */
public final class RequestFailedException extends RuntimeException {
    public RequestFailedException(String message) {
        super(message);
    }

    public RequestFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
