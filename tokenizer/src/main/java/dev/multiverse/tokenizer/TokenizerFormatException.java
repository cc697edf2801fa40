package dev.multiverse.tokenizer;

/**
 * A {@code tokenizer.json} that cannot be read or that asks for something this tokenizer does not
 * implement. The message names the file (when known) and the JSON field, for example
 * {@code model.merges[17]}.
 */
public final class TokenizerFormatException extends Exception {
    private final String field;
    private final String problem;

    public TokenizerFormatException(String field, String problem) {
        this("tokenizer.json", field, problem, null);
    }

    public TokenizerFormatException(String field, String problem, Throwable cause) {
        this("tokenizer.json", field, problem, cause);
    }

    private TokenizerFormatException(String source, String field, String problem, Throwable cause) {
        super(source + ", field " + field + ": " + problem, cause);
        this.field = field;
        this.problem = problem;
    }

    /** The same error, naming {@code source} (such as the file's path) instead of "tokenizer.json". */
    TokenizerFormatException in(String source) {
        return new TokenizerFormatException(source, field, problem, getCause());
    }

    /** The JSON path of the offending field, such as {@code pre_tokenizer.pretokenizers[0].pattern}. */
    public String field() {
        return field;
    }
}
