package dev.multiverse.weights;

/**
 * A {@code config.json} that cannot describe a model this project runs. The message reads
 * {@code "SOURCE: field NAME: what is wrong"}.
 */
public class ModelConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String field;

    /** A problem with {@code field} (null when the document as a whole is at fault) of {@code source}. */
    public ModelConfigException(String source, String field, String problem) {
        this(source, field, problem, null);
    }

    /** As {@link #ModelConfigException(String, String, String)}, keeping the underlying cause. */
    public ModelConfigException(String source, String field, String problem, Throwable cause) {
        super(source + ": " + (field == null ? "" : "field " + field + ": ") + problem, cause);
        this.source = source;
        this.field = field;
    }

    /** The file (or other source name) the configuration came from. */
    public String source() {
        return source;
    }

    /** The JSON field at fault, or null. Nested fields are dotted: {@code rope_parameters.rope_type}. */
    public String field() {
        return field;
    }
}
