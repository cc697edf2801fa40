package dev.multiverse.server;

/**
 * A request the server answers with an error in OpenAI's format: {@code {"error": {"message",
 * "type", "param", "code"}}} with an HTTP status.
 *
 * @see HttpReplies#error
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(int status, String type, String param, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: a field is missing, has the wrong type, is out of range or cannot be honoured. */
    public static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, null, message);
    }

    /** 400: the prompt with its budget does not fit the model's context or the KV pool. */
    public static ApiException tooLong(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, "context_length_exceeded", message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }

    /** A machine-readable code, or null. */
    public String code() {
        return code;
    }
}
